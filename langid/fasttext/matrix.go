package fasttext

import "fmt"

// matrix is a dense or product-quantized matrix (fastText DenseMatrix and
// QuantMatrix). One concrete type rather than an interface keeps the row
// loops free of dynamic calls.
type matrix struct {
	rows  int64
	cols  int
	quant bool
	data  []float32 // dense, row-major
	// quantized
	codes []byte // rows × pq.nsubq
	pq    pq
	qnorm bool
	norms []byte // rows norm codes
	npq   pq
}

// pq is fastText's ProductQuantizer with 256 centroids per sub-space.
type pq struct {
	dim, nsubq, dsub, lastdsub int
	centroids                  []float32
}

func (m *matrix) read(r *reader, quant bool, what string) error {
	m.quant = quant
	if !quant {
		rows, err := r.i64(what + " rows")
		if err != nil {
			return err
		}
		cols, err := r.i64(what + " columns")
		if err != nil {
			return err
		}
		if rows < 0 || cols <= 0 || cols > maxDim {
			return fmt.Errorf("%s has %d rows and %d columns", what, rows, cols)
		}
		if err := r.room(rows, cols*4, what); err != nil {
			return err
		}
		m.rows, m.cols = rows, int(cols)
		m.data, err = r.floats(rows*cols, what)
		return err
	}
	qn, err := r.u8(what + " norm flag")
	if err != nil {
		return err
	}
	if qn > 1 {
		return fmt.Errorf("%s norm flag %d is not a boolean", what, qn)
	}
	m.qnorm = qn == 1
	rows, err := r.i64(what + " rows")
	if err != nil {
		return err
	}
	cols, err := r.i64(what + " columns")
	if err != nil {
		return err
	}
	codesize, err := r.i32(what + " code size")
	if err != nil {
		return err
	}
	if rows < 0 || cols <= 0 || cols > maxDim {
		return fmt.Errorf("%s has %d rows and %d columns", what, rows, cols)
	}
	m.rows, m.cols = rows, int(cols)
	if m.codes, err = r.bytesN(int64(codesize), what+" codes"); err != nil {
		return err
	}
	if err := m.pq.read(r, what+" quantizer"); err != nil {
		return err
	}
	if m.pq.dim != m.cols {
		return fmt.Errorf("%s quantizer has dimension %d, the matrix %d", what, m.pq.dim, m.cols)
	}
	if int64(codesize) != rows*int64(m.pq.nsubq) {
		return fmt.Errorf("%s has %d codes for %d rows of %d sub-vectors", what, codesize, rows, m.pq.nsubq)
	}
	if m.qnorm {
		if m.norms, err = r.bytesN(rows, what+" norm codes"); err != nil {
			return err
		}
		if err := m.npq.read(r, what+" norm quantizer"); err != nil {
			return err
		}
		if m.npq.dim != 1 {
			return fmt.Errorf("%s norm quantizer has dimension %d, want 1", what, m.npq.dim)
		}
	}
	return nil
}

func (p *pq) read(r *reader, what string) error {
	var v [4]int32
	for i, name := range []string{"dim", "nsubq", "dsub", "lastdsub"} {
		x, err := r.i32(what + " " + name)
		if err != nil {
			return err
		}
		v[i] = x
	}
	p.dim, p.nsubq, p.dsub, p.lastdsub = int(v[0]), int(v[1]), int(v[2]), int(v[3])
	if v[0] <= 0 || v[0] > maxDim || v[1] <= 0 || v[2] <= 0 || v[3] <= 0 || v[3] > v[2] ||
		int64(v[1]-1)*int64(v[2])+int64(v[3]) != int64(v[0]) {
		return fmt.Errorf("%s has inconsistent shape: dim %d, %d sub-vectors of %d, last %d", what, v[0], v[1], v[2], v[3])
	}
	var err error
	p.centroids, err = r.floats(int64(p.dim)*ksub, what+" centroids")
	return err
}

// centroid returns sub-space m's centroid i (fastText get_centroids).
func (p *pq) centroid(m int, i byte) []float32 {
	if m == p.nsubq-1 {
		o := m*ksub*p.dsub + int(i)*p.lastdsub
		return p.centroids[o : o+p.lastdsub]
	}
	o := (m*ksub + int(i)) * p.dsub
	return p.centroids[o : o+p.dsub]
}

func (m *matrix) norm(i int32) float32 {
	if !m.qnorm {
		return 1
	}
	return m.npq.centroids[int(m.norms[i])] // npq: one sub-space of width 1
}

// addRow adds row i to x (fastText addRowToVector), in fastText's order.
func (m *matrix) addRow(x []float32, i int32) {
	if !m.quant {
		row := m.data[int64(i)*int64(m.cols):][:m.cols]
		x = x[:len(row)]
		for j, v := range row {
			x[j] += v
		}
		return
	}
	alpha := m.norm(i)
	p := &m.pq
	code := m.codes[int(i)*p.nsubq:][:p.nsubq]
	if p.dsub == 2 && p.lastdsub == 2 {
		// fastText's default -dsub 2 (lid.176): pairs, without the
		// per-sub-space slicing.
		cents := p.centroids
		x = x[:2*len(code)]
		for s, c := range code {
			o := (s*ksub + int(c)) * 2
			cv := cents[o : o+2 : o+2]
			xs := x[2*s : 2*s+2 : 2*s+2]
			xs[0] += float32(alpha * cv[0])
			xs[1] += float32(alpha * cv[1])
		}
		return
	}
	for s, c := range code {
		cent := p.centroid(s, c)
		xs := x[s*p.dsub:][:len(cent)]
		for n, v := range cent {
			xs[n] += float32(alpha * v)
		}
	}
}

// addRows adds rows ids to x in order: the same additions as addRow
// for each, with the matrix kind decided once instead of per row.
func (m *matrix) addRows(x []float32, ids []int32) {
	p := &m.pq
	if !m.quant || !m.qnorm || p.dsub != 2 || p.lastdsub != 2 || p.nsubq%4 != 0 {
		for _, i := range ids {
			m.addRow(x, i)
		}
		return
	}
	// lid.176's layout (-dsub 2 -qnorm, 8 sub-quantizers): addRow's pair
	// loop, four sub-quantizers (8 elements of x) at a time, over all
	// rows, with x's elements held in locals. Each element of x still
	// receives float32(alpha*centroid) row after row in the same order,
	// so the float32 sums are the same; only the loads and stores of x
	// between rows are gone.
	codes, norms, normc := m.codes, m.norms, m.npq.centroids
	nsubq := p.nsubq
	x = x[:2*nsubq]
	for q := 0; q < nsubq; q += 4 {
		c0 := (*[2 * ksub]float32)(p.centroids[(q+0)*ksub*2:])
		c1 := (*[2 * ksub]float32)(p.centroids[(q+1)*ksub*2:])
		c2 := (*[2 * ksub]float32)(p.centroids[(q+2)*ksub*2:])
		c3 := (*[2 * ksub]float32)(p.centroids[(q+3)*ksub*2:])
		xs := (*[8]float32)(x[2*q:])
		a0, a1, a2, a3, a4, a5, a6, a7 := xs[0], xs[1], xs[2], xs[3], xs[4], xs[5], xs[6], xs[7]
		for _, i := range ids {
			alpha := normc[norms[i]]
			code := (*[4]byte)(codes[int(i)*nsubq+q:])
			o := int(code[0]) * 2
			a0 += float32(alpha * c0[o])
			a1 += float32(alpha * c0[o+1])
			o = int(code[1]) * 2
			a2 += float32(alpha * c1[o])
			a3 += float32(alpha * c1[o+1])
			o = int(code[2]) * 2
			a4 += float32(alpha * c2[o])
			a5 += float32(alpha * c2[o+1])
			o = int(code[3]) * 2
			a6 += float32(alpha * c3[o])
			a7 += float32(alpha * c3[o+1])
		}
		xs[0], xs[1], xs[2], xs[3], xs[4], xs[5], xs[6], xs[7] = a0, a1, a2, a3, a4, a5, a6, a7
	}
}

// dotRow is row i · x (fastText dotRow), summed in fastText's order.
func (m *matrix) dotRow(x []float32, i int32) float32 {
	var d float32
	if !m.quant {
		row := m.data[int64(i)*int64(m.cols):][:m.cols]
		x = x[:len(row)]
		for j, v := range row {
			d += float32(v * x[j])
		}
		return d
	}
	alpha := m.norm(i)
	p := &m.pq
	code := m.codes[int(i)*p.nsubq:][:p.nsubq]
	for s, c := range code {
		cent := p.centroid(s, c)
		xs := x[s*p.dsub:][:len(cent)]
		for n, v := range cent {
			d += float32(xs[n] * v)
		}
	}
	return d * alpha
}
