package core

// IDSelectorArray selects the ids of a list (faiss's IDSelectorArray,
// which faiss scans linearly; a set gives the same answers faster).
type IDSelectorArray = IDSelectorBatch

// NewIDSelectorArray builds the selector of a list of ids.
func NewIDSelectorArray(ids []int64) IDSelectorArray { return NewIDSelectorBatch(ids) }

// IDSelectorNot selects the ids its child does not.
type IDSelectorNot struct{ Sel IDSelector }

// IsMember implements IDSelector.
func (s IDSelectorNot) IsMember(id int64) bool { return !s.Sel.IsMember(id) }

// IDSelectorAll selects every id (a nil selector means the same).
type IDSelectorAll struct{}

// IsMember implements IDSelector.
func (IDSelectorAll) IsMember(int64) bool { return true }

// SearchParams are faiss's SearchParameters: an optional filter, and for
// IVF indexes the number of lists to visit (0: the index's own Nprobe).
type SearchParams struct {
	Sel    IDSelector
	Nprobe int
	// HNSW, when set, replaces the graph's efSearch and search flags
	// (faiss's SearchParametersHNSW).
	HNSW *HNSWSearchParams
}

// HNSWSearchParams are faiss's SearchParametersHNSW fields.
type HNSWSearchParams struct {
	EfSearch              int
	CheckRelativeDistance bool
	BoundedQueue          bool
}

// ParamSearcher is an index whose search takes SearchParams.
type ParamSearcher interface {
	SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error
}

// ParamRangeSearcher is an index whose range search takes SearchParams.
type ParamRangeSearcher interface {
	RangeSearchWithParams(x []float32, radius float32, p *SearchParams) (*RangeResult, error)
}
