package dedup

// unionFind holds clusters of documents by their canonical position. The
// root of a cluster is always its smallest member, so "first seen" is the
// root and the answer does not depend on the order links are added.
type unionFind struct {
	parent []uint32
}

func (u *unionFind) add() uint32 {
	i := uint32(len(u.parent))
	u.parent = append(u.parent, i)
	return i
}

func (u *unionFind) grow(n int) {
	for len(u.parent) < n {
		u.add()
	}
}

func (u *unionFind) find(x uint32) uint32 {
	p := u.parent
	for p[x] != x {
		p[x] = p[p[x]] // path halving
		x = p[x]
	}
	return x
}

func (u *unionFind) union(a, b uint32) {
	ra, rb := u.find(a), u.find(b)
	switch {
	case ra == rb:
	case ra < rb:
		u.parent[rb] = ra
	default:
		u.parent[ra] = rb
	}
}
