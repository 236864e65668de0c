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

// IDSelectorAnd selects the ids both of its children select.
type IDSelectorAnd struct{ Lhs, Rhs IDSelector }

// IsMember implements IDSelector.
func (s IDSelectorAnd) IsMember(id int64) bool { return s.Lhs.IsMember(id) && s.Rhs.IsMember(id) }

// IDSelectorOr selects the ids either of its children selects.
type IDSelectorOr struct{ Lhs, Rhs IDSelector }

// IsMember implements IDSelector.
func (s IDSelectorOr) IsMember(id int64) bool { return s.Lhs.IsMember(id) || s.Rhs.IsMember(id) }

// IDSelectorXOr selects the ids exactly one of its children selects.
type IDSelectorXOr struct{ Lhs, Rhs IDSelector }

// IsMember implements IDSelector.
func (s IDSelectorXOr) IsMember(id int64) bool { return s.Lhs.IsMember(id) != s.Rhs.IsMember(id) }

// IDSelectorBitmap selects id when bit id&7 of byte id>>3 is set (faiss's
// IDSelectorBitmap: bits little-endian within bytes); ids past the end of
// the bitmap are not selected.
type IDSelectorBitmap struct{ Bits []byte }

// IsMember implements IDSelector.
func (s IDSelectorBitmap) IsMember(id int64) bool {
	return id >= 0 && id>>3 < int64(len(s.Bits)) && s.Bits[id>>3]>>(id&7)&1 != 0
}

// SearchParams are faiss's SearchParameters: an optional filter, and for
// IVF indexes the number of lists to visit (0: the index's own Nprobe).
type SearchParams struct {
	Sel    IDSelector
	Nprobe int
	// KFactor, when set, replaces an IndexRefine's k_factor for the call
	// (faiss's IndexRefineSearchParameters); the rest goes to its base.
	KFactor float32
	// HNSW, when set, replaces the graph's efSearch and search flags
	// (faiss's SearchParametersHNSW).
	HNSW *HNSWSearchParams
	// IVF bounds the work of an IVF search (faiss's SearchParametersIVF
	// early-stop fields); zero: none.
	IVF IVFLimits
	// Quantizer, when set, goes to an IVF index's coarse quantizer search
	// (faiss's quantizer_params).
	Quantizer *SearchParams
	// PQ, when set, replaces an IndexPQ's search type and Hamming
	// threshold (faiss's SearchParametersPQ).
	PQ *PQSearchParams
	// RaBitQ, when set, replaces a RaBitQ index's query quantization
	// (faiss's RaBitQSearchParameters / IVFRaBitQSearchParameters).
	RaBitQ *RaBitQParams
	// BeamFactor, when set, replaces a ResidualCoarseQuantizer's beam
	// factor (faiss's SearchParametersResidualCoarseQuantizer).
	BeamFactor *float32
}

// IVFLimits are faiss's SearchParametersIVF fields that stop a query's
// scan early.
type IVFLimits struct {
	// MaxCodes: codes scanned per query at most; the last list is cut
	// short (0: no bound).
	MaxCodes int
	// EnsureTopKFull: MaxCodes stops the scan only once k results passed
	// the filter; lists are then scanned whole.
	EnsureTopKFull bool
	// MaxListsNum: lists (holding entries) scanned per query at most.
	MaxListsNum int
	// MaxEmptyResultBuckets: a range search stops after this many
	// consecutive lists without a result.
	MaxEmptyResultBuckets int
}

func (l IVFLimits) active() bool {
	return l.MaxCodes > 0 || l.MaxListsNum > 0 || l.MaxEmptyResultBuckets > 0
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
