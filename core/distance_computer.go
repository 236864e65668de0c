package core

// DistanceComputer measures one query against the stored vectors of an
// index by id (faiss's DistanceComputer, from get_distance_computer): the
// query goes through an IndexPreTransform's chain, then each stored
// vector is reconstructed (decoded, for coded storage) and compared under
// the index's metric. For coded storage the result equals the search's
// distance up to rounding (faiss's PQ computer sums a table instead).
type DistanceComputer struct {
	pre   *IndexPreTransform // nil: no chain
	store Index              // the storage, behind any chain
	rec   Reconstructor
	codes *indexFlatCodes // set for coded storage: DistanceToCode decodes
	// rbq is set for RaBitQ storage, whose distances are its estimates
	// (with the index's qb and centered), not those of decoded vectors.
	rbq    *rbqQuery
	center []float32
	dist   func(x, y []float32) float32
	q      []float32
	a, b   []float32
	hasQry bool
}

// NewDistanceComputer returns a computer over ix: a flat index, PQ or SQ
// codes, an HNSW graph over one of them, or an IndexPreTransform over any
// of those.
func NewDistanceComputer(ix Index) (*DistanceComputer, error) {
	const op = "Index.get_distance_computer"
	dc := &DistanceComputer{store: ix}
	if p, ok := ix.(*IndexPreTransform); ok {
		dc.pre, dc.store = p, p.Sub()
	}
	if h, ok := dc.store.(*IndexHNSW); ok { // a graph's distances are its storage's
		dc.store = h.Storage()
	}
	if g, ok := dc.store.(interface{ Host() *IndexFlat }); ok { // a GPU flat index keeps a host copy
		dc.store = g.Host()
	}
	switch s := dc.store.(type) {
	case *IndexFlat:
		dc.rec = s
	case *IndexPQ:
		dc.rec, dc.codes = s, &s.indexFlatCodes
	case *IndexScalarQuantizer:
		dc.rec, dc.codes = s, &s.indexFlatCodes
	case *IndexAdditiveQuantizer: // distances to the decoded vectors (faiss's ST_decompress computer)
		dc.rec, dc.codes = s, &s.indexFlatCodes
	case *IndexRaBitQ:
		if !s.trained {
			return nil, Errorf(KindNotTrained, op, "train the index first")
		}
		dc.rec, dc.codes = s, &s.indexFlatCodes
		dc.rbq, dc.center = newRBQQuery(s.RBQ, s.Qb, s.Centered), s.RBQ.Centroid
	default:
		return nil, Errorf(KindUnsupported, op, "%T has no distance computer (flat, PQ, SQ or additive storage, behind transforms or not)", dc.store)
	}
	d := dc.store.D()
	dc.dist = pairDistance(dc.store.Metric(), dc.store.MetricArg())
	dc.q, dc.a, dc.b = make([]float32, d), make([]float32, d), make([]float32, d)
	return dc, nil
}

// D is the dimension of the queries SetQuery takes.
func (dc *DistanceComputer) D() int {
	if dc.pre != nil {
		return dc.pre.D()
	}
	return dc.store.D()
}

// SetQuery makes x (D floats) the query.
func (dc *DistanceComputer) SetQuery(x []float32) error {
	const op = "DistanceComputer.set_query"
	if len(x) != dc.D() {
		return Errorf(KindDimensionMismatch, op, "the query has %d floats, the index d=%d", len(x), dc.D())
	}
	if dc.pre != nil {
		xt, err := dc.pre.ApplyChain(x)
		if err != nil {
			return err
		}
		x = xt
	}
	copy(dc.q, x)
	dc.hasQry = true
	if dc.rbq != nil {
		dc.rbq.set(dc.q, dc.center)
	}
	return nil
}

func (dc *DistanceComputer) vector(op string, i int64, out []float32) error {
	if i < 0 || i >= dc.store.Ntotal() {
		return Errorf(KindInvalidArgument, op, "id %d is outside 0..%d", i, dc.store.Ntotal()-1)
	}
	return dc.rec.Reconstruct(i, out)
}

// Distance is the metric value between the query and stored vector i.
func (dc *DistanceComputer) Distance(i int64) (float32, error) {
	const op = "DistanceComputer"
	if !dc.hasQry {
		return 0, Errorf(KindInvalidArgument, op, "set_query first")
	}
	if dc.rbq != nil {
		if i < 0 || i >= dc.store.Ntotal() {
			return 0, Errorf(KindInvalidArgument, op, "id %d is outside 0..%d", i, dc.store.Ntotal()-1)
		}
		return dc.rbq.full(dc.code(i)), nil
	}
	if err := dc.vector(op, i, dc.a); err != nil {
		return 0, err
	}
	return dc.dist(dc.q, dc.a), nil
}

// code is stored code i.
func (dc *DistanceComputer) code(i int64) []byte {
	cs := dc.codes.codec.codeSize()
	return dc.codes.codes[int(i)*cs : int(i+1)*cs]
}

// Symmetric is the metric value between stored vectors i and j.
func (dc *DistanceComputer) Symmetric(i, j int64) (float32, error) {
	const op = "DistanceComputer.symmetric_dis"
	if dc.rbq != nil {
		n := dc.store.Ntotal()
		switch {
		case i < 0 || i >= n || j < 0 || j >= n:
			return 0, Errorf(KindInvalidArgument, op, "ids %d and %d must be in 0..%d", i, j, n-1)
		case dc.store.Metric() != MetricL2:
			return 0, Errorf(KindUnsupported, op, "RaBitQ symmetric distances are for L2 only")
		}
		return rbqSymmetric(dc.store.D(), dc.code(i), dc.code(j)), nil
	}
	if err := dc.vector(op, i, dc.a); err != nil {
		return 0, err
	}
	if err := dc.vector(op, j, dc.b); err != nil {
		return 0, err
	}
	return dc.dist(dc.a, dc.b), nil
}

// CodeSize is the bytes of one stored code (flat storage: the vector's
// float32 bytes).
func (dc *DistanceComputer) CodeSize() int {
	if dc.codes == nil {
		return 4 * dc.store.D()
	}
	return dc.codes.codec.codeSize()
}

// DistanceToCode is the metric value between the query and the vector a
// code stands for (faiss's FlatCodesDistanceComputer.distance_to_code).
func (dc *DistanceComputer) DistanceToCode(code []byte) (float32, error) {
	const op = "DistanceComputer.distance_to_code"
	if !dc.hasQry {
		return 0, Errorf(KindInvalidArgument, op, "set_query first")
	}
	if len(code) != dc.CodeSize() {
		return 0, Errorf(KindDimensionMismatch, op, "the code has %d bytes, need %d", len(code), dc.CodeSize())
	}
	if dc.rbq != nil {
		return dc.rbq.full(code), nil
	}
	if dc.codes == nil {
		codeVector(code, dc.a)
	} else if err := dc.codes.codec.Decode(code, dc.a); err != nil {
		return 0, err
	}
	return dc.dist(dc.q, dc.a), nil
}
