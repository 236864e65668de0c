package indexio

import "github.com/metalfaiss/metalfaiss/core"

// NSG and NN-descent graph indexes, as faiss writes them: the index
// fields, the graph, then the storage.

const (
	codeNSGFlat       = "INSf"
	codeNSGPQ         = "INSp"
	codeNSGSQ         = "INSs"
	codeNNDescentFlat = "INNf"
)

func writeNSG(w *writer, ix *core.IndexNSG) error {
	w.fourcc(map[string]string{"IndexNSGFlat": codeNSGFlat, "IndexNSGPQ": codeNSGPQ, "IndexNSGSQ": codeNSGSQ}[ix.Name()])
	writeHeader(w, ix)
	w.i32(int32(ix.GK))
	w.u8(uint8(ix.BuildType)) // a char in faiss
	for _, v := range []int{ix.NNDescentS, ix.NNDescentR, ix.NNDescentL, ix.NNDescentIter} {
		w.i32(int32(v))
	}
	g := ix.NSG
	for _, v := range []int{g.Ntotal, g.R, g.L, g.C, g.SearchL, int(g.EnterPoint)} {
		w.i32(int32(v))
	}
	w.u8(uint8(b2i(g.IsBuilt)))
	if g.IsBuilt {
		// each row's links, then -1
		for i := range g.Ntotal {
			for _, id := range g.Graph[i*g.R : (i+1)*g.R] {
				if id == -1 {
					break
				}
				w.i32(id)
			}
			w.i32(-1)
		}
	}
	return write(w, ix.Storage())
}

func readNSG(r *reader, code string, depth int) core.Index {
	h := readHeader(r)
	gk := r.i32("GK")
	buildType := r.u8("build_type")
	var nnd [4]int32
	for i, what := range []string{"nndescent_S", "nndescent_R", "nndescent_L", "nndescent_iter"} {
		nnd[i] = r.i32(what)
	}
	g := &core.NSG{Ntotal: int(r.i32("ntotal")), R: int(r.i32("R")), L: int(r.i32("L")), C: int(r.i32("C")),
		SearchL: int(r.i32("search_L")), EnterPoint: r.i32("enterpoint"), IsBuilt: r.u8("is_built") != 0}
	if r.err != nil {
		return nil
	}
	if g.R < 1 || g.R > 1<<16 || g.Ntotal < 0 || int64(g.Ntotal) != h.ntotal && g.IsBuilt {
		r.fail("an NSG graph of R=%d over %d nodes in an index of ntotal %d", g.R, g.Ntotal, h.ntotal)
		return nil
	}
	if g.IsBuilt {
		// at least 4 bytes a node are left, so the graph's size is bounded
		// by the file's before it is allocated
		if uint64(g.Ntotal) > uint64(len(r.b)-r.off)/4 {
			r.fail("an NSG graph of %d nodes in %d bytes", g.Ntotal, len(r.b)-r.off)
			return nil
		}
		g.Graph = make([]int32, g.Ntotal*g.R)
		for i := range g.Ntotal {
			row := g.Graph[i*g.R : (i+1)*g.R]
			j := 0
			for ; ; j++ {
				id := r.i32("a link")
				if r.err != nil {
					return nil
				}
				if id == -1 {
					break
				}
				if j == g.R {
					r.fail("node %d has more than R=%d links", i, g.R)
					return nil
				}
				row[j] = id
			}
			for ; j < g.R; j++ {
				row[j] = -1
			}
		}
	}
	storage := read(r, depth+1)
	if r.err != nil {
		return nil
	}
	want := map[string]string{codeNSGFlat: "*core.IndexFlat", codeNSGPQ: "*core.IndexPQ", codeNSGSQ: "*core.IndexScalarQuantizer"}[code]
	if got := typeName(storage); got != want || storage.D() != h.d || storage.Ntotal() != h.ntotal {
		r.fail("the NSG header (d=%d, ntotal=%d, %s) does not match its storage (%s, d=%d, ntotal=%d)",
			h.d, h.ntotal, code, got, storage.D(), storage.Ntotal())
		return nil
	}
	ix, err := core.RestoreIndexNSG(storage, g)
	if err == nil {
		ix.GK, ix.BuildType = int(gk), int(buildType)
		ix.NNDescentS, ix.NNDescentR, ix.NNDescentL, ix.NNDescentIter = int(nnd[0]), int(nnd[1]), int(nnd[2]), int(nnd[3])
	}
	return restored(r, ix, err)
}

func writeNNDescent(w *writer, ix *core.IndexNNDescent) error {
	w.fourcc(codeNNDescentFlat)
	writeHeader(w, ix)
	g := ix.NND
	for _, v := range []int{g.Ntotal, g.D, g.K, g.S, g.R, g.L, g.Iter, g.SearchL, g.RandomSeed} {
		w.i32(int32(v))
	}
	w.u8(uint8(b2i(g.HasBuilt)))
	w.int32Vec(g.FinalGraph)
	return write(w, ix.Storage())
}

func readNNDescent(r *reader, depth int) core.Index {
	h := readHeader(r)
	var f [9]int32
	for i, what := range []string{"ntotal", "d", "K", "S", "R", "L", "iter", "search_L", "random_seed"} {
		f[i] = r.i32(what)
	}
	g := &core.NNDescent{Ntotal: int(f[0]), D: int(f[1]), K: int(f[2]), S: int(f[3]), R: int(f[4]), L: int(f[5]),
		Iter: int(f[6]), SearchL: int(f[7]), RandomSeed: int(f[8]), HasBuilt: r.u8("has_built") != 0}
	g.FinalGraph = r.int32s(r.count(4, "the graph"), "the graph")
	storage := read(r, depth+1)
	if r.err != nil {
		return nil
	}
	flat, ok := storage.(*core.IndexFlat)
	if !ok || storage.D() != h.d || storage.Ntotal() != h.ntotal || int64(g.Ntotal) != h.ntotal {
		r.fail("the NNDescent header (d=%d, ntotal=%d, graph of %d) does not match its storage (%s, d=%d, ntotal=%d)",
			h.d, h.ntotal, g.Ntotal, typeName(storage), storage.D(), storage.Ntotal())
		return nil
	}
	ix, err := core.RestoreIndexNNDescent(flat, g)
	return restored(r, ix, err)
}
