package indexio

import "github.com/metalfaiss/metalfaiss/core"

// Product- and scalar-quantizer indexes, and HNSW graphs over flat or
// coded storage.

const (
	codePQ        = "IxPq"
	codeSQ        = "IxSQ"
	codeHNSWFlat  = "IHNf"
	codeNull      = "null" // no index (a storage left out)
	codeHNSWSQ    = "IHNs"
	codeHNSWPQ    = "IHNp"
	codeHNSWCagra = "IHc2" // then keep_max_size_level0, base_level_only, entry points, numeric type
	codeHNSW2     = "IHN2" // over an Index2Layer or an IndexIVFPQ
	codeHNSWPano  = "IHfP" // then num_panorama_levels, the suffix norms
)

func writePQ(w *writer, ix *core.IndexPQ) {
	w.fourcc(codePQ)
	writeHeader(w, ix)
	pq := ix.PQ
	writePQFields(w, pq)
	w.bytes(ix.Codes())
	w.i32(int32(ix.SearchType))
	w.u8(0) // encode_signs
	w.i32(int32(ix.PolysemousHT))
}

func readPQ(r *reader) core.Index {
	h := readHeader(r)
	f := readPQFields(r)
	d, m, nbits, centroids := f.d, f.m, f.nbits, f.centroids
	codes := r.bytes(r.count(1, "the codes"), "the codes")
	at := r.off
	st := r.i32("search_type")
	if r.err == nil && (st < 0 || st > 5) {
		r.off = at
		r.fail("search_type must be 0..5, the file says %d", st)
	}
	r.u8("encode_signs")
	ht := r.i32("polysemous_ht")
	if r.err != nil {
		return nil
	}
	if d != h.d {
		r.fail("the quantizer's d=%d differs from the index's %d", d, h.d)
		return nil
	}
	ix, err := core.RestoreIndexPQ(d, m, nbits, h.metric, h.trained, centroids, codes)
	if err == nil {
		ix.SearchType, ix.PolysemousHT = core.PQSearchType(st), int(max(ht, 0))
	}
	return restoredCodes(r, ix, err, h.ntotal)
}

func writeSQ(w *writer, ix *core.IndexScalarQuantizer) {
	w.fourcc(codeSQ)
	writeHeader(w, ix)
	writeSQFields(w, ix.SQ)
	w.bytes(ix.Codes())
}

// writeSQFields is faiss's write_ScalarQuantizer.
func writeSQFields(w *writer, sq *core.ScalarQuantizer) {
	w.i32(int32(sq.Type))
	w.i32(0) // rangestat: RS_minmax
	w.f32(0) // rangestat_arg
	w.u64(uint64(sq.D))
	w.u64(uint64(sq.CodeSize()))
	if sq.IsTrained() {
		w.floatVec(sq.Trained())
	} else {
		w.floatVec(nil)
	}
}

// sqFields is what writeSQFields writes.
type sqFields struct {
	qtype   core.QuantizerType
	d       int
	trained []float32
}

func readSQFields(r *reader) sqFields {
	var f sqFields
	f.qtype = core.QuantizerType(r.i32("qtype"))
	r.i32("rangestat")
	r.f32("rangestat_arg")
	f.d = r.size("the quantizer's d", 1, maxD)
	r.size("code_size", 0, 2*maxD)
	f.trained = r.floats(r.count(4, "the trained ranges"), "the trained ranges")
	return f
}

// writePQFields is faiss's write_ProductQuantizer (untrained: the zero
// centroids faiss allocates).
func writePQFields(w *writer, pq *core.ProductQuantizer) {
	w.u64(uint64(pq.D))
	w.u64(uint64(pq.M))
	w.u64(uint64(pq.Nbits))
	c := pq.Centroids
	if len(c) == 0 {
		c = make([]float32, pq.M*pq.Ksub*pq.Dsub)
	}
	w.floatVec(c)
}

// pqFields is what writePQFields writes.
type pqFields struct {
	d, m, nbits int
	centroids   []float32
}

func readPQFields(r *reader) pqFields {
	var f pqFields
	f.d = r.size("the quantizer's d", 1, maxD)
	f.m = r.size("M", 1, maxD)
	f.nbits = r.size("nbits", 1, 16)
	at := r.off
	n := r.count(4, "the centroids")
	// faiss always stores all d * 2^nbits centroid floats (zeros while
	// untrained); checking the count first keeps a lying d or nbits from
	// sizing the quantizer's tables.
	if r.err == nil && (f.d%f.m != 0 || n != uint64(f.d)<<f.nbits) {
		r.off = at
		r.fail("%d centroid floats for d=%d, M=%d, nbits=%d (expected d * 2^nbits, M dividing d)", n, f.d, f.m, f.nbits)
	}
	f.centroids = r.floats(n, "the centroids")
	return f
}

// quantizer makes the product quantizer f describes, with its centroids
// when trained; nil with the error recorded at r.
func (f pqFields) quantizer(r *reader, trained bool) *core.ProductQuantizer {
	pq, err := core.NewProductQuantizer(f.d, f.m, f.nbits)
	if err == nil && trained {
		err = pq.RestorePQ(f.centroids)
	}
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	return pq
}

func readSQ(r *reader) core.Index {
	h := readHeader(r)
	f := readSQFields(r)
	qtype, d, trained := f.qtype, f.d, f.trained
	codes := r.bytes(r.count(1, "the codes"), "the codes")
	if r.err != nil {
		return nil
	}
	if d != h.d {
		r.fail("the quantizer's d=%d differs from the index's %d", d, h.d)
		return nil
	}
	ix, err := core.RestoreIndexScalarQuantizer(d, qtype, h.metric, h.trained, trained, codes)
	return restoredCodes(r, ix, err, h.ntotal)
}

// restored returns ix, or records err at the reader.
func restored[T core.Index](r *reader, ix T, err error) core.Index {
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	return ix
}

func writeHNSW(w *writer, ix *core.IndexHNSW) error {
	switch ix.Name() {
	case "IndexHNSWSQ":
		w.fourcc(codeHNSWSQ)
	case "IndexHNSWPQ":
		w.fourcc(codeHNSWPQ)
	case "IndexHNSWCagra":
		w.fourcc(codeHNSWCagra)
	case "IndexHNSW2Level":
		w.fourcc(codeHNSW2)
	case "IndexHNSWFlatPanorama":
		w.fourcc(codeHNSWPano)
	default:
		w.fourcc(codeHNSWFlat)
	}
	writeHeader(w, ix)
	if c := ix.Cagra; c != nil {
		w.u8(uint8(b2i(ix.KeepMaxSizeLevel0)))
		w.u8(uint8(b2i(c.BaseLevelOnly)))
		w.i32(int32(c.NumEntryPoints))
		w.i32(int32(b2i(c.Half))) // faiss's NumericType: Float32 0, Float16 1
	}
	if ix.Panorama != nil {
		w.u64(uint64(ix.PanoramaLevels()))
		w.floatVec(ix.CumSums())
	}
	writeGraph(w, ix.HNSW.Graph())
	if w.flags&FlagSkipStorage != 0 || ix.Storage() == nil {
		w.fourcc(codeNull)
		return nil
	}
	return write(w, ix.Storage())
}

// writeGraph is faiss's write_HNSW.
func writeGraph(w *writer, g core.HNSWGraph) {
	w.float64Vec(g.AssignProbas)
	w.int32Vec(g.CumNeighbors)
	w.int32Vec(g.Levels)
	w.int64Vec(g.Offsets)
	w.int32Vec(g.Neighbors)
	w.i32(g.EntryPoint)
	w.i32(g.MaxLevel)
	w.i32(g.EfConstruction)
	w.i32(g.EfSearch)
	w.i32(1) // upper_beam, deprecated
}

// readGraph reads what writeGraph writes; core checks it when restoring.
func readGraph(r *reader) core.HNSWGraph {
	var g core.HNSWGraph
	g.AssignProbas = r.float64s(r.count(8, "the level probabilities"), "the level probabilities")
	g.CumNeighbors = r.int32s(r.count(4, "the neighbour counts"), "the neighbour counts")
	g.Levels = r.int32s(r.count(4, "the levels"), "the levels")
	g.Offsets = r.int64s(r.count(8, "the offsets"), "the offsets")
	g.Neighbors = r.int32s(r.count(4, "the neighbours"), "the neighbours")
	g.EntryPoint = r.i32("the entry point")
	g.MaxLevel = r.i32("max_level")
	g.EfConstruction = r.i32("efConstruction")
	g.EfSearch = r.i32("efSearch")
	r.i32("upper_beam")
	return g
}

func readHNSW(r *reader, code string, depth int) core.Index {
	h := readHeader(r)
	var keep, baseOnly bool
	var entries, numeric int
	if code == codeHNSWCagra {
		keep, baseOnly = r.u8("keep_max_size_level0") != 0, r.u8("base_level_only") != 0
		entries, numeric = int(r.i32("num_base_level_search_entrypoints")), int(r.i32("numeric_type"))
		if r.err == nil && numeric != 0 && numeric != 1 {
			r.fail("numeric_type %d: IndexHNSWCagra stores float32 (0) or float16 (1)", numeric)
		}
	}
	var panoLevels int
	var cums []float32
	if code == codeHNSWPano {
		panoLevels = r.size("num_panorama_levels", 1, maxD)
		cums = r.floats(r.count(4, "the suffix norms"), "the suffix norms")
	}
	cagra := func(ix *core.IndexHNSW, err error) core.Index {
		if err == nil && code == codeHNSWCagra {
			err = ix.MakeCagra(keep, baseOnly, entries, numeric == 1)
		}
		if err == nil && code == codeHNSWPano {
			err = ix.MakePanorama(panoLevels, cums)
		}
		return restored(r, ix, err)
	}
	g := readGraph(r)
	if r.peek(codeNull) { // written without its storage
		name := map[string]string{codeHNSWFlat: "IndexHNSWFlat", codeHNSWSQ: "IndexHNSWSQ", codeHNSWPQ: "IndexHNSWPQ", codeHNSWCagra: "IndexHNSWCagra",
			codeHNSW2: "IndexHNSW2Level", codeHNSWPano: "IndexHNSWFlatPanorama"}[code]
		if r.err != nil || h.d <= 0 || h.d > maxD {
			r.fail("an HNSW header with d=%d", h.d)
			return nil
		}
		return cagra(core.RestoreIndexHNSWWithoutStorage(name, h.d, h.metric, g))
	}
	storage := read(r, depth+1)
	if r.err != nil {
		return nil
	}
	want := map[string]string{codeHNSWFlat: "*core.IndexFlat", codeHNSWPano: "*core.IndexFlat", codeHNSWSQ: "*core.IndexScalarQuantizer", codeHNSWPQ: "*core.IndexPQ",
		codeHNSWCagra: map[bool]string{false: "*core.IndexFlat", true: "*core.IndexScalarQuantizer"}[numeric == 1]}[code]
	if code == codeHNSW2 {
		want = map[bool]string{false: "*core.Index2Layer", true: "*core.IndexIVF"}[typeName(storage) == "*core.IndexIVF"]
	}
	if got := typeName(storage); got != want || storage.D() != h.d || storage.Ntotal() != h.ntotal {
		r.fail("the HNSW header (d=%d, ntotal=%d, %s) does not match its storage (%s, d=%d, ntotal=%d)",
			h.d, h.ntotal, code, got, storage.D(), storage.Ntotal())
		return nil
	}
	return cagra(core.RestoreIndexHNSW(storage, g))
}

// restoredCodes finishes a flat-codes index: it keeps the mapping its
// codes may lie in and must hold the header's ntotal.
func restoredCodes[T interface {
	core.Index
	KeepAlive(any)
}](r *reader, ix T, err error, ntotal int64) core.Index {
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	ix.KeepAlive(r.keep)
	if ix.Ntotal() != ntotal {
		r.fail("%d codes for ntotal=%d", ix.Ntotal(), ntotal)
		return nil
	}
	return ix
}

// b2i is 1 for true, 0 for false (faiss's bool fields).
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
