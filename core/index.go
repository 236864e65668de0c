package core

// Index is what every index offers (faiss's minimal surface). Batches
// follow the layout contract in doc.go.
type Index interface {
	D() int
	Ntotal() int64
	Metric() Metric
	MetricArg() float32
	IsTrained() bool
	Train(x []float32) error
	Add(x []float32) error
	// Search writes the k best results of each query into dist and labels
	// (len(x)/D()*k each), best first, padded with (±FLT_MAX, -1).
	Search(x []float32, k int, dist []float32, labels []int64) error
	Reset()
}

// Named is every index, binary index and transform: Name is the faiss
// class it is read and written as (IndexFlat, IndexIVFPQ, PCAMatrix, ...),
// the key by which the Python layer picks its wrapper class.
type Named interface{ Name() string }

// Composite is an index built over other indexes (a quantizer, a
// sub-index, a storage, shards or replicas).
type Composite interface{ Members() []Index }

// Contains reports whether target is root or one of its members, at any
// depth: an index that contains a set must not join it (the set would
// then search itself until the stack overflows).
func Contains(root, target Index) bool {
	if root == target {
		return true
	}
	if c, ok := root.(Composite); ok {
		for _, m := range c.Members() {
			if m != nil && Contains(m, target) {
				return true
			}
		}
	}
	return false
}

// Reconstructor can return stored vectors.
type Reconstructor interface {
	Reconstruct(key int64, out []float32) error
	ReconstructN(i0, n int64, out []float32) error
}

// RangeSearcher finds all vectors within a radius.
type RangeSearcher interface {
	RangeSearch(x []float32, radius float32) (*RangeResult, error)
}

// IDRemover removes the vectors whose ids a selector picks.
type IDRemover interface {
	RemoveIDs(sel IDSelector) (int64, error)
}

// Assigner returns only labels (faiss's Index::assign).
type Assigner interface {
	Assign(x []float32, k int, labels []int64) error
}

// MetricArgSetter lets callers change the metric argument (p of Lp).
type MetricArgSetter interface {
	SetMetricArg(arg float32)
}

// IDSelector picks ids, for removal or filtering.
type IDSelector interface {
	IsMember(id int64) bool
}

// IDSelectorRange selects Min <= id < Max.
type IDSelectorRange struct{ Min, Max int64 }

// IsMember implements IDSelector.
func (s IDSelectorRange) IsMember(id int64) bool { return id >= s.Min && id < s.Max }

// IDSelectorBatch selects the ids of a set.
type IDSelectorBatch map[int64]struct{}

// NewIDSelectorBatch builds a set from a list of ids.
func NewIDSelectorBatch(ids []int64) IDSelectorBatch {
	s := make(IDSelectorBatch, len(ids))
	for _, id := range ids {
		s[id] = struct{}{}
	}
	return s
}

// IsMember implements IDSelector.
func (s IDSelectorBatch) IsMember(id int64) bool { _, ok := s[id]; return ok }
