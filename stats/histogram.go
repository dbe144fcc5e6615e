package stats

// LengthBounds are the upper bounds (inclusive) of the length histogram
// buckets, on a roughly logarithmic scale; a last bucket holds the rest.
// They are fixed so that histograms from any run merge bucket by bucket.
var LengthBounds = []int64{10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000}

// Histogram counts values in the LengthBounds buckets.
type Histogram struct {
	// Counts has len(LengthBounds)+1 entries; the last is "above the last
	// bound".
	Counts []int64 `json:"counts"`
}

func newHistogram() Histogram { return Histogram{Counts: make([]int64, len(LengthBounds)+1)} }

// Add counts one value.
func (h *Histogram) Add(v int64) {
	if len(h.Counts) != len(LengthBounds)+1 {
		h.grow()
	}
	i := 0
	for i < len(LengthBounds) && v > LengthBounds[i] {
		i++
	}
	h.Counts[i]++
}

func (h *Histogram) grow() {
	c := make([]int64, len(LengthBounds)+1)
	copy(c, h.Counts)
	h.Counts = c
}

// Merge adds o's counts.
func (h *Histogram) Merge(o Histogram) {
	if len(h.Counts) != len(LengthBounds)+1 {
		h.grow()
	}
	for i, c := range o.Counts {
		if i < len(h.Counts) {
			h.Counts[i] += c
		}
	}
}

// Total is the number of values counted.
func (h *Histogram) Total() int64 {
	var n int64
	for _, c := range h.Counts {
		n += c
	}
	return n
}

// BucketLabel names bucket i, e.g. "≤ 100" or "> 100000".
func BucketLabel(i int) string {
	if i < len(LengthBounds) {
		return "≤ " + itoa(LengthBounds[i])
	}
	return "> " + itoa(LengthBounds[len(LengthBounds)-1])
}
