package pyapi

import (
	"github.com/metalfaiss/metalfaiss/core"
)

// IndexHNSWNew makes an IndexHNSW of M links per node over the empty
// storage index behind handle storage and writes its handle to out.
func IndexHNSWNew(storage, m int64, out uintptr) string {
	const op = "IndexHNSW"
	return newIndexOver(op, out, []int64{storage}, func() (core.Index, error) {
		s, err := indexOf(op, storage)
		if err != nil {
			return nil, err
		}
		return core.NewIndexHNSW(s, int(m))
	})
}

func withHNSW(op string, h int64, write bool, fn func(ix *core.IndexHNSW) error) string {
	return withIndex(op, h, write, func(ix core.Index) error {
		hi, ok := ix.(*core.IndexHNSW)
		if !ok {
			return unsupported(op, ix)
		}
		return fn(hi)
	})
}

// withGraph runs fn on the graph of a float or binary HNSW index; keep is
// its keep_max_size_level0 setting (nil for binary indexes, which have
// none).
func withGraph(op string, h int64, write bool, fn func(g *core.HNSW, keep *bool) error) string {
	return withObject(op, h, write, func(v any) error {
		switch ix := v.(type) {
		case *core.IndexHNSW:
			return fn(ix.HNSW, &ix.KeepMaxSizeLevel0)
		case *core.IndexBinaryHNSW:
			return fn(ix.HNSW, nil)
		}
		return core.Errorf(core.KindUnsupported, op, "not supported by %T", v)
	})
}

// HNSWGet writes an HNSW field to out (float64[1]): M, efConstruction,
// efSearch, max_level, entry_point, search_bounded_queue,
// check_relative_distance, keep_max_size_level0, or the lengths of the
// graph's arrays (levels, offsets, neighbors).
func HNSWGet(h int64, name string, out uintptr) string {
	op := "HNSW." + name
	return withGraph(op, h, false, func(g *core.HNSW, keep *bool) error {
		dst, err := float64s(out, 1)
		if err != nil {
			return err
		}
		switch name {
		case "M":
			dst[0] = float64(g.M)
		case "efConstruction":
			dst[0] = float64(g.EfConstruction)
		case "efSearch":
			dst[0] = float64(g.EfSearch)
		case "max_level":
			dst[0] = float64(g.MaxLevel)
		case "entry_point":
			dst[0] = float64(g.EntryPoint)
		case "search_bounded_queue":
			dst[0] = float64(b2i(g.SearchBoundedQueue))
		case "check_relative_distance":
			dst[0] = float64(b2i(g.CheckRelativeDistance))
		case "hnswlib_selection":
			dst[0] = float64(b2i(g.HnswlibSelection))
		case "keep_max_size_level0":
			if keep == nil {
				return core.Errorf(core.KindInvalidArgument, op, "binary HNSW indexes have no %s", name)
			}
			dst[0] = float64(b2i(*keep))
		case "levels":
			dst[0] = float64(len(g.Levels))
		case "offsets":
			dst[0] = float64(len(g.Offsets))
		case "neighbors":
			dst[0] = float64(g.NeighborCount())
		default:
			return core.Errorf(core.KindInvalidArgument, op, "HNSW has no field %q", name)
		}
		return nil
	})
}

// HNSWSet sets an HNSW field: efConstruction, efSearch (positive),
// search_bounded_queue, check_relative_distance, hnswlib_selection,
// keep_max_size_level0.
func HNSWSet(h int64, name string, value float64) string {
	op := "HNSW." + name
	return withGraph(op, h, true, func(g *core.HNSW, keep *bool) error {
		positive := func() (int, error) {
			if value != float64(int(value)) || value < 1 || value > 1<<30 {
				return 0, core.Errorf(core.KindInvalidArgument, op, "%s must be a positive integer, got %v", name, value)
			}
			return int(value), nil
		}
		var err error
		switch name {
		case "efConstruction":
			g.EfConstruction, err = positive()
		case "efSearch":
			g.EfSearch, err = positive()
		case "search_bounded_queue":
			g.SearchBoundedQueue = value != 0
		case "check_relative_distance":
			g.CheckRelativeDistance = value != 0
		case "hnswlib_selection":
			g.HnswlibSelection = value != 0
		case "keep_max_size_level0":
			if keep == nil {
				return core.Errorf(core.KindInvalidArgument, op, "binary HNSW indexes have no %s", name)
			}
			*keep = value != 0
		default:
			err = core.Errorf(core.KindInvalidArgument, op, "HNSW has no settable field %q", name)
		}
		return err
	})
}

// HNSWGraph copies one of the graph's arrays into out: levels (int32[n]),
// offsets (int64[n+1]) or neighbors (int32[len]); n is its length.
func HNSWGraph(h int64, name string, n int64, out uintptr) string {
	op := "HNSW." + name
	return withGraph(op, h, false, func(g *core.HNSW, _ *bool) error {
		var have int
		switch name {
		case "levels":
			have = len(g.Levels)
		case "offsets":
			have = len(g.Offsets)
		case "neighbors":
			have = g.NeighborCount()
		default:
			return core.Errorf(core.KindInvalidArgument, op, "HNSW has no array %q", name)
		}
		if int64(have) != n {
			return core.Errorf(core.KindDimensionMismatch, op, "the array holds %d values, not %d", have, n)
		}
		if name == "offsets" {
			dst, err := int64s(out, n)
			if err == nil {
				copy(dst, g.Offsets)
			}
			return err
		}
		dst, err := int32s(out, n)
		if err != nil {
			return err
		}
		if name == "levels" {
			copy(dst, g.Levels)
		} else {
			g.NeighborsInto(dst)
		}
		return nil
	})
}

// IndexSearchHNSW is IndexSearchWith with faiss's SearchParametersHNSW:
// efSearch, check_relative_distance, bounded_queue and a selector program.
func IndexSearchHNSW(h, n int64, x uintptr, k int64, dist, labels uintptr, efSearch int64, checkRelative, bounded bool, sel uintptr, nsel int64) string {
	const op = "Index.search"
	return withHNSW(op, h, false, func(ix *core.IndexHNSW) error {
		if efSearch < 1 || efSearch > 1<<30 {
			return core.Errorf(core.KindInvalidArgument, op, "efSearch must be positive, got %d", efSearch)
		}
		p := &core.SearchParams{HNSW: &core.HNSWSearchParams{EfSearch: int(efSearch), CheckRelativeDistance: checkRelative, BoundedQueue: bounded}}
		return searchWith(op, ix, ix.D(), n, x, k, dist, labels, sel, nsel, p)
	})
}

// IndexHNSW2LevelFlipToIVF replaces the Index2Layer storage of the
// IndexHNSW2Level behind h by an IndexIVFPQ holding the same codes.
func IndexHNSW2LevelFlipToIVF(h int64) string {
	return withHNSW("IndexHNSW2Level.flip_to_ivf", h, true, (*core.IndexHNSW).FlipToIVF)
}
