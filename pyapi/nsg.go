package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// IndexNSGNew makes an IndexNSGFlat (kind "Flat": d, R, metric), an
// IndexNSGPQ ("PQ": d, pq_m in a, R, nbits in b) or an IndexNSGSQ ("SQ":
// d, qtype in a, R, metric) and writes its handle to out (int64[1]).
func IndexNSGNew(kind string, d, a, r, b, metric int64, out uintptr) string {
	op := "IndexNSG" + kind
	return newIndex(op, out, func() (core.Index, error) {
		switch kind {
		case "Flat":
			return core.NewIndexNSGFlat(int(d), int(r), core.Metric(metric))
		case "PQ":
			return core.NewIndexNSGPQ(int(d), int(a), int(r), int(b))
		case "SQ":
			return core.NewIndexNSGSQ(int(d), core.QuantizerType(a), int(r), core.Metric(metric))
		}
		return nil, core.Errorf(core.KindInvalidArgument, op, "no such NSG index")
	})
}

// IndexNNDescentFlatNew makes an IndexNNDescentFlat of K neighbours.
func IndexNNDescentFlatNew(d, k, metric int64, out uintptr) string {
	return newIndex("IndexNNDescentFlat", out, func() (core.Index, error) {
		return core.NewIndexNNDescentFlat(int(d), int(k), core.Metric(metric))
	})
}

func withNSG(op string, h int64, write bool, fn func(ix *core.IndexNSG) error) string {
	return withIndex(op, h, write, func(v core.Index) error {
		ix, ok := v.(*core.IndexNSG)
		if !ok {
			return unsupported(op, v)
		}
		return fn(ix)
	})
}

func withNNDescent(op string, h int64, write bool, fn func(g *core.NNDescent) error) string {
	return withIndex(op, h, write, func(v core.Index) error {
		ix, ok := v.(*core.IndexNNDescent)
		if !ok {
			return unsupported(op, v)
		}
		return fn(ix.NND)
	})
}

// nsgFields are the integer fields of an IndexNSG and its graph.
func nsgFields(ix *core.IndexNSG) map[string]*int {
	g := ix.NSG
	return map[string]*int{"GK": &ix.GK, "build_type": &ix.BuildType, "nndescent_S": &ix.NNDescentS,
		"nndescent_R": &ix.NNDescentR, "nndescent_L": &ix.NNDescentL, "nndescent_iter": &ix.NNDescentIter,
		"R": &g.R, "L": &g.L, "C": &g.C, "search_L": &g.SearchL, "ntotal": &g.Ntotal}
}

// NSGGet writes a field of an IndexNSG or its graph to out (int64[1]):
// GK, build_type, nndescent_S/R/L/iter, R, L, C, search_L, ntotal,
// enterpoint, is_built.
func NSGGet(h int64, name string, out uintptr) string {
	op := "IndexNSG." + name
	return withNSG(op, h, false, func(ix *core.IndexNSG) error {
		dst, err := int64s(out, 1)
		if err != nil {
			return err
		}
		switch name {
		case "enterpoint":
			dst[0] = int64(ix.NSG.EnterPoint)
		case "is_built":
			dst[0] = b2i(ix.NSG.IsBuilt)
		default:
			p, ok := nsgFields(ix)[name]
			if !ok {
				return core.Errorf(core.KindInvalidArgument, op, "IndexNSG has no field %q", name)
			}
			dst[0] = int64(*p)
		}
		return nil
	})
}

// NSGSet sets a build or search setting: GK, build_type (0 or 1),
// nndescent_S/R/L/iter, L, C, search_L. R and the graph stay as built.
func NSGSet(h int64, name string, value int64) string {
	op := "IndexNSG." + name
	return withNSG(op, h, true, func(ix *core.IndexNSG) error {
		p, ok := nsgFields(ix)[name]
		if !ok || name == "R" || name == "ntotal" {
			return core.Errorf(core.KindInvalidArgument, op, "IndexNSG has no settable field %q", name)
		}
		lo := int64(1)
		if name == "build_type" || name == "nndescent_iter" || name == "nndescent_R" {
			lo = 0
		}
		if value < lo || value > 1<<30 || name == "build_type" && value > 1 {
			return core.Errorf(core.KindInvalidArgument, op, "%s must be %s, got %d", name,
				map[bool]string{true: "0 or 1", false: "a positive integer"}[name == "build_type"], value)
		}
		*p = int(value)
		return nil
	})
}

// NSGGraph copies the graph (ntotal rows of R ids, -1 padded) into out
// (int32[n]).
func NSGGraph(h, n int64, out uintptr) string {
	const op = "IndexNSG.final_graph"
	return withNSG(op, h, false, func(ix *core.IndexNSG) error {
		if int64(len(ix.NSG.Graph)) != n {
			return core.Errorf(core.KindDimensionMismatch, op, "the graph holds %d ids, not %d", len(ix.NSG.Graph), n)
		}
		dst, err := int32s(out, n)
		if err == nil {
			copy(dst, ix.NSG.Graph)
		}
		return err
	})
}

// NSGDFS is faiss's NSG::dfs: it marks with 1 in reached (uint8[n], n the
// graph's size) the nodes a depth-first search from root reaches through
// unmarked ones, and writes cnt plus how many it marked to out (int64[1]).
func NSGDFS(h, root, cnt, n int64, reached, out uintptr) string {
	const op = "NSG.dfs"
	return withNSG(op, h, false, func(ix *core.IndexNSG) error {
		dst, err := int64s(out, 1)
		if err != nil {
			return err
		}
		g := ix.NSG
		if !g.IsBuilt || n != int64(g.Ntotal) || root < 0 || root >= n {
			return core.Errorf(core.KindInvalidArgument, op, "root %d and a table of %d entries for a graph of %d nodes (built: %v)", root, n, g.Ntotal, g.IsBuilt)
		}
		marks, err := view[uint8](reached, n)
		if err != nil {
			return err
		}
		dst[0] = int64(g.DFS(marks, int32(root), int(cnt)))
		return nil
	})
}

// IndexNSGBuild stores the n vectors at x and builds the graph from the
// kNN graph at knn (int64[n*gk]).
func IndexNSGBuild(h, n int64, x uintptr, knn uintptr, gk int64) string {
	const op = "IndexNSG.build"
	return withNSG(op, h, true, func(ix *core.IndexNSG) error {
		if n < 0 || gk < 1 || gk > 1<<20 {
			return core.Errorf(core.KindInvalidArgument, op, "n=%d, GK=%d", n, gk)
		}
		xs, err := floats(x, n*int64(ix.D()))
		if err != nil {
			return err
		}
		ks, err := int64s(knn, n*gk)
		if err != nil {
			return err
		}
		return ix.Build(xs, ks, int(gk))
	})
}

// nndFields are the integer fields of an NNDescent graph.
func nndFields(g *core.NNDescent) map[string]*int {
	return map[string]*int{"K": &g.K, "S": &g.S, "R": &g.R, "L": &g.L, "iter": &g.Iter, "search_L": &g.SearchL,
		"random_seed": &g.RandomSeed, "d": &g.D, "ntotal": &g.Ntotal}
}

// NNDescentGet writes a field of an IndexNNDescent's graph to out
// (int64[1]): K, S, R, L, iter, search_L, random_seed, d, ntotal,
// has_built, or final_graph (its length).
func NNDescentGet(h int64, name string, out uintptr) string {
	op := "NNDescent." + name
	return withNNDescent(op, h, false, func(g *core.NNDescent) error {
		dst, err := int64s(out, 1)
		if err != nil {
			return err
		}
		switch name {
		case "has_built":
			dst[0] = b2i(g.HasBuilt)
		case "final_graph":
			dst[0] = int64(len(g.FinalGraph))
		default:
			p, ok := nndFields(g)[name]
			if !ok {
				return core.Errorf(core.KindInvalidArgument, op, "NNDescent has no field %q", name)
			}
			dst[0] = int64(*p)
		}
		return nil
	})
}

// NNDescentSet sets a build or search setting: S, R, L, iter, search_L,
// random_seed (K and d stay as made).
func NNDescentSet(h int64, name string, value int64) string {
	op := "NNDescent." + name
	return withNNDescent(op, h, true, func(g *core.NNDescent) error {
		p, ok := nndFields(g)[name]
		if !ok || name == "K" || name == "d" || name == "ntotal" {
			return core.Errorf(core.KindInvalidArgument, op, "NNDescent has no settable field %q", name)
		}
		lo := int64(1)
		if name != "S" && name != "L" {
			lo = 0
		}
		if name == "random_seed" {
			lo = -1 << 31
		}
		if value < lo || value > 1<<30 {
			return core.Errorf(core.KindInvalidArgument, op, "%s must be an integer of at least %d, got %d", name, lo, value)
		}
		*p = int(value)
		return nil
	})
}

// NNDescentGraph copies the final graph (ntotal rows of K ids) into out
// (int32[n]).
func NNDescentGraph(h, n int64, out uintptr) string {
	const op = "NNDescent.final_graph"
	return withNNDescent(op, h, false, func(g *core.NNDescent) error {
		if int64(len(g.FinalGraph)) != n {
			return core.Errorf(core.KindDimensionMismatch, op, "the graph holds %d ids, not %d", len(g.FinalGraph), n)
		}
		dst, err := int32s(out, n)
		if err == nil {
			copy(dst, g.FinalGraph)
		}
		return err
	})
}

// IndexGraphStorage writes a new handle to the storage of the NSG or
// NN-descent index behind h to out (int64[1]).
func IndexGraphStorage(h int64, out uintptr) string {
	return withPart("IndexNSG.storage", h, out, func(v any) (any, bool) {
		switch ix := v.(type) {
		case *core.IndexNSG:
			return ix.Storage(), true
		case *core.IndexNNDescent:
			return ix.Storage(), true
		}
		return nil, false
	})
}
