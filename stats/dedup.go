package stats

import "strconv"

// DedupStats is what deduplication did.
type DedupStats struct {
	DocsIn int64 `json:"docs_in"`
	// Removed counts removed documents by method ("exact", "minhash").
	Removed map[string]int64 `json:"removed,omitempty"`
	// ClusterSizes maps a duplicate cluster's size (documents in it,
	// including the one kept) to how many clusters had that size.
	// Singletons (size 1) are included when known.
	ClusterSizes map[int64]int64 `json:"cluster_sizes,omitempty"`
}

func (d *DedupStats) merge(o DedupStats) {
	d.DocsIn += o.DocsIn
	addCounts(&d.Removed, o.Removed)
	for k, v := range o.ClusterSizes {
		if d.ClusterSizes == nil {
			d.ClusterSizes = make(map[int64]int64)
		}
		d.ClusterSizes[k] += v
	}
}

// RemovedTotal is the number of documents dedup removed.
func (d *DedupStats) RemovedTotal() int64 {
	var n int64
	for _, v := range d.Removed {
		n += v
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// ObserveClusterSize counts one duplicate cluster of size documents. Each
// cluster keeps exactly one document, so calling it once per kept document
// with its dedup_cluster_size column (1 for a unique document) builds the
// cluster-size histogram from the final shards.
func (c *Collector) ObserveClusterSize(size int64) {
	if size < 1 {
		return
	}
	if c.Dedup.ClusterSizes == nil {
		c.Dedup.ClusterSizes = make(map[int64]int64)
	}
	c.Dedup.ClusterSizes[size]++
}
