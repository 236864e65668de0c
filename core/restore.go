package core

import "github.com/metalfaiss/metalfaiss/core/kernels"

// Rebuilding indexes from their stored parts (an index file being read).
// Every part is checked against the others: a file may lie.

// RestoreIndexPQ makes an IndexPQ with centroids (M * 2^nbits * d/M
// floats; ignored unless trained) holding codes (whole codes of the
// quantizer's size).
func RestoreIndexPQ(d, m, nbits int, metric Metric, trained bool, centroids []float32, codes []byte) (*IndexPQ, error) {
	ix, err := NewIndexPQ(d, m, nbits, metric)
	if err != nil {
		return nil, err
	}
	pq := ix.PQ
	if len(codes)%pq.CodeSize != 0 {
		return nil, Errorf(KindDimensionMismatch, "IndexPQ", "%d code bytes are not whole codes of %d bytes", len(codes), pq.CodeSize)
	}
	if !trained && len(codes) > 0 {
		return nil, Errorf(KindInvalidArgument, "IndexPQ", "an untrained quantizer cannot hold codes")
	}
	if trained {
		if err := pq.RestorePQ(centroids); err != nil {
			return nil, err
		}
	}
	ix.codes = codes
	return ix, nil
}

// RestoreIndexScalarQuantizer makes an IndexScalarQuantizer whose
// quantizer holds faiss's trained vector (vmin then vdiff: d values each,
// one each for the uniform types, none for fp16 and 8bit_direct) and the
// given codes.
func RestoreIndexScalarQuantizer(d int, t QuantizerType, metric Metric, isTrained bool, trained []float32, codes []byte) (*IndexScalarQuantizer, error) {
	ix, err := NewIndexScalarQuantizer(d, t, metric)
	if err != nil {
		return nil, err
	}
	if err := ix.SQ.RestoreSQ(isTrained, trained); err != nil {
		return nil, err
	}
	if len(codes)%ix.SQ.codeSize() != 0 {
		return nil, Errorf(KindDimensionMismatch, "IndexScalarQuantizer", "%d code bytes are not whole codes of %d bytes", len(codes), ix.SQ.codeSize())
	}
	if !ix.SQ.trained && len(codes) > 0 {
		return nil, Errorf(KindInvalidArgument, "IndexScalarQuantizer", "an untrained quantizer cannot hold codes")
	}
	ix.codes = codes
	return ix, nil
}

// Trained returns faiss's trained vector of the quantizer: vmin then vdiff.
func (sq *ScalarQuantizer) Trained() []float32 {
	return append(append([]float32{}, sq.Vmin...), sq.Vdiff...)
}

// HNSWGraph is what an index file stores of an HNSW graph.
type HNSWGraph struct {
	AssignProbas   []float64
	CumNeighbors   []int32
	Levels         []int32
	Offsets        []int64
	Neighbors      []int32
	EntryPoint     int32
	MaxLevel       int32
	EfConstruction int32
	EfSearch       int32
}

// Graph returns the stored form of h.
func (h *HNSW) Graph() HNSWGraph {
	cum := make([]int32, len(h.cum))
	for i, c := range h.cum {
		cum[i] = int32(c)
	}
	return HNSWGraph{AssignProbas: h.assignProbas, CumNeighbors: cum, Levels: h.Levels, Offsets: h.Offsets,
		Neighbors: h.Neighbors, EntryPoint: h.EntryPoint, MaxLevel: int32(h.MaxLevel),
		EfConstruction: int32(h.EfConstruction), EfSearch: int32(h.EfSearch)}
}

// RestoreIndexHNSW makes an HNSW index over storage (holding its vectors)
// with a stored graph, after checking that the graph is whole: a node per
// vector, lists where the offsets say, links to existing nodes on levels
// they live on, and an entry point on the top level.
func RestoreIndexHNSW(storage Index, g HNSWGraph) (*IndexHNSW, error) {
	const op = "IndexHNSW"
	m, err := graphM(op, g)
	if err != nil {
		return nil, err
	}
	if err := checkHNSW(op, storage.D(), m, storage.Metric()); err != nil {
		return nil, err
	}
	if _, err := hnswDistancesFor(storage); err != nil {
		return nil, err
	}
	ix := newIndexHNSW(hnswName(storage), storage, m)
	if err := ix.HNSW.restore(op, g, storage.Ntotal()); err != nil {
		return nil, err
	}
	return ix, nil
}

// RestoreIndexBinaryHNSW rebuilds an IndexBinaryHNSW over the stored codes
// with a stored graph, checked as RestoreIndexHNSW checks it.
func RestoreIndexBinaryHNSW(storage *IndexBinaryFlat, g HNSWGraph) (*IndexBinaryHNSW, error) {
	const op = "IndexBinaryHNSW"
	m, err := graphM(op, g)
	if err != nil {
		return nil, err
	}
	ix, err := NewIndexBinaryHNSW(storage.D(), m)
	if err != nil {
		return nil, err
	}
	ix.storage = storage
	if err := ix.HNSW.restore(op, g, storage.Ntotal()); err != nil {
		return nil, err
	}
	return ix, nil
}

func badGraph(op, format string, args ...any) error {
	return Errorf(KindInvalidArgument, op, "the stored graph is inconsistent: "+format, args...)
}

// graphM is the M of a stored graph (half its level-0 list length).
func graphM(op string, g HNSWGraph) (int, error) {
	if len(g.CumNeighbors) < 2 || g.CumNeighbors[0] != 0 || len(g.AssignProbas) != len(g.CumNeighbors)-1 {
		return 0, badGraph(op, "%d level probabilities for %d cumulative neighbour counts", len(g.AssignProbas), len(g.CumNeighbors))
	}
	return int(g.CumNeighbors[1]) / 2, nil
}

// restore installs a stored graph of ntotal nodes after checking that it
// is whole: a node per vector, lists where the offsets say, links to
// existing nodes on levels they live on, and an entry point on the top
// level.
func (h *HNSW) restore(op string, g HNSWGraph, ntotal int64) error {
	cum := make([]int, len(g.CumNeighbors))
	for i, c := range g.CumNeighbors {
		if i > 0 && (c <= g.CumNeighbors[i-1] || c > 1<<20) {
			return badGraph(op, "cumulative neighbour counts must grow, got %v", g.CumNeighbors)
		}
		cum[i] = int(c)
	}
	n := len(g.Levels)
	if int64(n) != ntotal || len(g.Offsets) != n+1 || g.Offsets[0] != 0 {
		return badGraph(op, "%d levels and %d offsets for %d vectors", n, len(g.Offsets), ntotal)
	}
	top := int32(-1)
	for i, l := range g.Levels {
		if l < 1 || int(l) >= len(cum) {
			return badGraph(op, "node %d has %d levels (1..%d allowed)", i, l, len(cum)-1)
		}
		if g.Offsets[i+1] != g.Offsets[i]+int64(cum[l]) {
			return badGraph(op, "node %d's lists do not span its %d levels", i, l)
		}
		top = max(top, l-1)
	}
	if int64(len(g.Neighbors)) != g.Offsets[n] {
		return badGraph(op, "%d neighbour slots where the offsets need %d", len(g.Neighbors), g.Offsets[n])
	}
	for node := 0; node < n; node++ {
		for level := 0; level < int(g.Levels[node]); level++ {
			o := int(g.Offsets[node])
			for _, v := range g.Neighbors[o+cum[level] : o+cum[level+1]] {
				if v < -1 || int(v) >= n || (v >= 0 && int(g.Levels[v]) <= level) {
					return badGraph(op, "node %d links to %d on level %d", node, v, level)
				}
			}
		}
	}
	switch {
	case n == 0 && (g.EntryPoint != -1 || g.MaxLevel != -1):
		return badGraph(op, "an empty graph with entry point %d", g.EntryPoint)
	case n > 0 && (g.EntryPoint < 0 || int(g.EntryPoint) >= n || g.Levels[g.EntryPoint]-1 != g.MaxLevel || g.MaxLevel != top):
		return badGraph(op, "entry point %d at level %d is not on the top level %d", g.EntryPoint, g.MaxLevel, top)
	case g.EfConstruction < 1 || g.EfSearch < 1:
		return badGraph(op, "efConstruction %d and efSearch %d must be positive", g.EfConstruction, g.EfSearch)
	}
	h.assignProbas, h.cum = g.AssignProbas, cum
	h.Levels, h.Offsets, h.Neighbors = g.Levels, g.Offsets, g.Neighbors
	h.EntryPoint, h.MaxLevel = g.EntryPoint, int(g.MaxLevel)
	h.EfConstruction, h.EfSearch = int(g.EfConstruction), int(g.EfSearch)
	return nil
}

// RestoreIndexBinaryFlat rebuilds a binary flat index over codes.
func RestoreIndexBinaryFlat(d int, codes []byte) (*IndexBinaryFlat, error) {
	ix, err := NewIndexBinaryFlat(d)
	if err != nil {
		return nil, err
	}
	if len(codes)%ix.CodeSize() != 0 {
		return nil, Errorf(KindInvalidArgument, "IndexBinaryFlat", "%d bytes are not whole codes of %d bytes", len(codes), ix.CodeSize())
	}
	ix.codes = codes
	return ix, nil
}

// RestoreBinaryIVF fills an empty binary IVF with stored lists.
func (ix *IndexBinaryIVF) RestoreBinaryIVF(nprobe int, trained bool, ids [][]int64, codes [][]byte) error {
	if len(ids) != ix.nlist || len(codes) != ix.nlist {
		return Errorf(KindInvalidArgument, "IndexBinaryIVF", "%d lists for nlist=%d", len(ids), ix.nlist)
	}
	var total int64
	for l := range ids {
		if len(codes[l]) != len(ids[l])*ix.cs {
			return Errorf(KindInvalidArgument, "IndexBinaryIVF", "list %d holds %d bytes for %d ids", l, len(codes[l]), len(ids[l]))
		}
		total += int64(len(ids[l]))
	}
	ix.ids, ix.codes, ix.ntotal, ix.Nprobe, ix.trained = ids, codes, total, nprobe, trained
	return nil
}

// IVFList returns list l of an IVF index: its ids, and its vectors (flat
// lists) or codes.
func (ix *IndexIVF) IVFList(l int) (ids []int64, vecs []float32, codes []byte) {
	lst := &ix.lists.lists[l]
	return lst.ids, lst.vecs, lst.codes
}

// DirectMapEntry returns where the vector of id lies, if the index keeps
// a direct map that knows it.
func (ix *IndexIVF) DirectMapEntry(id int64) (list, offset int, ok bool) {
	p, ok := ix.directMap.pos[id]
	return p.list, p.offset, ok
}

// RestoreIVF fills a new, empty IVF index (whose quantizer holds its
// centroids) with stored lists: for each list its ids and its vectors
// (flat) or codes, then rebuilds the direct map of the given type. The
// codec is restored first with RestorePQ / RestoreSQ.
func (ix *IndexIVF) RestoreIVF(nprobe int, byResidual bool, ids [][]int64, vecs [][]float32, codes [][]byte, directMapType int) error {
	const op = "IndexIVF"
	if len(ids) != ix.nlist {
		return Errorf(KindDimensionMismatch, op, "%d lists for nlist=%d", len(ids), ix.nlist)
	}
	if nprobe < 1 {
		return Errorf(KindInvalidArgument, op, "nprobe must be positive, got %d", nprobe)
	}
	if ix.codec == nil && byResidual {
		return Errorf(KindInvalidArgument, op, "flat lists are never coded by residual")
	}
	var total int64
	for l := range ids {
		n := len(ids[l])
		switch {
		case ix.codec == nil && len(vecs[l]) != n*ix.d:
			return Errorf(KindDimensionMismatch, op, "list %d: %d floats for %d vectors of d=%d", l, len(vecs[l]), n, ix.d)
		case ix.codec != nil && len(codes[l]) != n*ix.codec.codeSize():
			return Errorf(KindDimensionMismatch, op, "list %d: %d code bytes for %d codes of %d bytes", l, len(codes[l]), n, ix.codec.codeSize())
		}
		total += int64(n)
	}
	ix.Nprobe, ix.ByResidual = nprobe, byResidual
	for l := range ids {
		if ix.codec == nil {
			ix.lists.setFlat(l, ids[l], vecs[l])
		} else {
			lst := &ix.lists.lists[l]
			lst.ids, lst.codes = ids[l], codes[l]
		}
	}
	ix.ntotal = total
	ix.centCache = nil
	ix.pqTerms = nil
	if ix.IsTrained() {
		_ = ix.precomputeTables()
	}
	if err := ix.SetDirectMapType(directMapType); err != nil {
		ix.Reset()
		return err
	}
	return nil
}

// RestorePQ sets the trained centroids of a product quantizer.
func (pq *ProductQuantizer) RestorePQ(centroids []float32) error {
	if len(centroids) != pq.M*pq.Ksub*pq.Dsub {
		return Errorf(KindDimensionMismatch, "ProductQuantizer", "%d centroid floats for M=%d, nbits=%d, d=%d", len(centroids), pq.M, pq.Nbits, pq.D)
	}
	pq.setTrained(centroids)
	return nil
}

// RestoreSQ sets a scalar quantizer from faiss's trained vector (vmin then
// vdiff: d values each, one each for the uniform types, none for fp16
// and 8bit_direct).
func (sq *ScalarQuantizer) RestoreSQ(isTrained bool, trained []float32) error {
	t, d := sq.Type, sq.D
	want := 0
	switch {
	case !isTrained && t.trainsRange():
		if len(trained) != 0 && len(trained) != 2*d && len(trained) != 2 {
			return Errorf(KindDimensionMismatch, "ScalarQuantizer", "%d trained values for an untrained quantizer", len(trained))
		}
		return nil
	case !t.trainsRange():
	case t.uniform():
		want = 2
	default:
		want = 2 * d
	}
	if len(trained) != want {
		return Errorf(KindDimensionMismatch, "ScalarQuantizer", "%d trained values for type %d and d=%d, expected %d", len(trained), t, d, want)
	}
	if want > 0 {
		sq.Vmin, sq.Vdiff = trained[:want/2], trained[want/2:]
	}
	sq.trained = true
	return nil
}

// Refine returns the flat index that ranks the candidates.
func (r *IndexRefine) Refine() *IndexFlat { return r.refine }

// RestoreIndexRefine pairs a base index with the flat index holding the
// same vectors (an index file being read).
func RestoreIndexRefine(base Index, refine *IndexFlat, kFactor float32) (*IndexRefine, error) {
	const op = "IndexRefineFlat"
	switch {
	case base.D() != refine.D() || base.Metric() != refine.Metric():
		return nil, Errorf(KindDimensionMismatch, op, "the base index (d=%d, %s) and the refine index (d=%d, %s) differ",
			base.D(), base.Metric(), refine.D(), refine.Metric())
	case base.Ntotal() != refine.Ntotal():
		return nil, Errorf(KindDimensionMismatch, op, "the base index holds %d vectors, the refine index %d", base.Ntotal(), refine.Ntotal())
	case !(kFactor >= 1):
		return nil, Errorf(KindInvalidArgument, op, "k_factor must be at least 1, got %v", kFactor)
	}
	return &IndexRefine{base: base, refine: refine, KFactor: kFactor}, nil
}

// KeepAlive ties b's life to the index (a mapped file its lists use).
func (ix *IndexIVF) KeepAlive(b any) { ix.backing = b }

// RestoreIndexFlat makes a flat index that adopts xb (n*d floats, which
// may lie in a mapped file that backing keeps alive): later adds copy
// them elsewhere rather than write past them.
func RestoreIndexFlat(d int, metric Metric, arg float32, xb []float32, backing any) (*IndexFlat, error) {
	ix, err := NewIndexFlat(d, metric)
	if err != nil {
		return nil, err
	}
	if len(xb)%d != 0 {
		return nil, Errorf(KindDimensionMismatch, "IndexFlat", "%d floats are not whole vectors of d=%d", len(xb), d)
	}
	ix.arg, ix.backing = arg, backing
	ix.xb = xb[:len(xb):len(xb)]
	ix.norms = make([]float32, len(xb)/d)
	kernels.Norms(ix.xb, d, ix.norms)
	return ix, nil
}

// RestoreLinear installs a linear map read from a file into lt (which may
// be the one inside a PCA, rotation or ITQ matrix). A trained map needs
// d_out*d_in floats of A and d_out of b (or none); orthonormality is
// measured again, as faiss does when it reads one.
func RestoreLinear(lt *LinearTransform, a, b []float32, trained bool) error {
	const op = "read_VectorTransform"
	if trained && len(a) != lt.din*lt.dout {
		return Errorf(KindInvalidArgument, op, "A holds %d floats, a %d -> %d map needs %d", len(a), lt.din, lt.dout, lt.din*lt.dout)
	}
	if len(b) != 0 && len(b) != lt.dout {
		return Errorf(KindInvalidArgument, op, "b holds %d floats, need %d", len(b), lt.dout)
	}
	if lt.HaveBias && trained && len(b) != lt.dout {
		return Errorf(KindInvalidArgument, op, "the map has a bias but b holds %d floats, need %d", len(b), lt.dout)
	}
	lt.A, lt.B, lt.trained = a, b, trained
	if trained {
		lt.setIsOrthonormal()
	}
	return nil
}

// LinearOf returns the linear map of t, if t is one, and faiss's type code
// family: "rrot", "Pcam", "Viqm" or "LTra" (any other, OPQ included).
func LinearOf(t VectorTransform) (*LinearTransform, string) {
	switch t := t.(type) {
	case *RandomRotationMatrix:
		return &t.LinearTransform, "rrot"
	case *PCAMatrix:
		return &t.LinearTransform, "Pcam"
	case *ITQMatrix:
		return &t.LinearTransform, "Viqm"
	case *OPQMatrix:
		return &t.LinearTransform, "LTra"
	case *LinearTransform:
		return t, "LTra"
	}
	return nil, ""
}

// RestoreITQTransform rebuilds an ITQTransform read from a file.
func RestoreITQTransform(din, dout int, doPCA bool, mean []float32, itq *ITQMatrix, composed *LinearTransform, trained bool) (*ITQTransform, error) {
	const op = "read_VectorTransform"
	if itq.din != dout || composed.din != din || composed.dout != dout {
		return nil, Errorf(KindInvalidArgument, op, "ITQ parts of %d -> %d and %d -> %d do not make a %d -> %d transform", itq.din, itq.dout, composed.din, composed.dout, din, dout)
	}
	if trained && (len(mean) != din || !composed.trained) {
		return nil, Errorf(KindInvalidArgument, op, "a trained ITQTransform needs a mean of %d floats (got %d) and a trained map", din, len(mean))
	}
	return &ITQTransform{din: din, dout: dout, DoPCA: doPCA, MaxTrainPerDim: 10, Mean: mean, ITQ: itq, PCAThenITQ: composed, trained: trained}, nil
}
