package pyapi

import (
	"math"
	"strings"

	"github.com/metalfaiss/metalfaiss/core"
)

// IndexSearchWith is IndexSearch with faiss's SearchParameters: nprobe (0:
// the index's own) and a selector program (see selectors.go; addr 0: none).
func IndexSearchWith(h, n int64, x uintptr, k int64, dist, labels uintptr, nprobe int64, sel uintptr, nsel int64) string {
	return paramSearch(h, n, x, k, dist, labels, sel, nsel, func() (*core.SearchParams, error) {
		return &core.SearchParams{Nprobe: int(nprobe)}, nil
	})
}

// paramSearch runs a search of the index behind h with the parameters
// params makes and the selector program at sel.
func paramSearch(h, n int64, x uintptr, k int64, dist, labels, sel uintptr, nsel int64,
	params func() (*core.SearchParams, error)) string {
	const op = "Index.search"
	return withIndex(op, h, false, func(ix core.Index) error {
		ps, ok := ix.(core.ParamSearcher)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T takes no search parameters", ix)
		}
		p, err := params()
		if err != nil {
			return err
		}
		return searchWith(op, ps, ix.D(), n, x, k, dist, labels, sel, nsel, p)
	})
}

// IndexSearchRefine is IndexSearchWith for an IndexRefine with faiss's
// IndexRefineSearchParameters: kFactor for this call, nprobe and the
// selector for its base index.
func IndexSearchRefine(h, n int64, x uintptr, k int64, dist, labels uintptr, nprobe int64, kFactor float64, sel uintptr, nsel int64) string {
	const op = "IndexRefine.search"
	return withIndex(op, h, false, func(ix core.Index) error {
		r, ok := ix.(*core.IndexRefine)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "IndexRefineSearchParameters are for IndexRefine, not %T", ix)
		}
		if !(kFactor >= 1) {
			return core.Errorf(core.KindInvalidArgument, op, "k_factor must be at least 1, got %v", kFactor)
		}
		return searchWith(op, r, ix.D(), n, x, k, dist, labels, sel, nsel,
			&core.SearchParams{Nprobe: int(nprobe), KFactor: float32(kFactor)})
	})
}

// searchWith views a search's buffers, decodes its selector into p and
// runs it.
func searchWith(op string, ps core.ParamSearcher, d int, n int64, x uintptr, k int64, dist, labels uintptr, sel uintptr, nsel int64, p *core.SearchParams) error {
	xs, err := floats(x, n*int64(d))
	if err != nil {
		return err
	}
	ds, ls, err := results(n, k, dist, labels)
	if err != nil {
		return err
	}
	if p.Sel, err = decodeSelector(op, sel, nsel); err != nil {
		return err
	}
	return ps.SearchWithParams(xs, int(k), ds, ls, p)
}

// IndexRemoveSelected removes the ids a selector program picks and writes
// the count removed to removed (int64[1]).
func IndexRemoveSelected(h int64, sel uintptr, nsel int64, removed uintptr) string {
	const op = "Index.remove_ids"
	return removeSelected(op, h, removed, func() (core.IDSelector, error) {
		return decodeSelector(op, sel, nsel)
	})
}

// IndexAddWithIDs adds n vectors at x with the n ids at ids.
func IndexAddWithIDs(h, n int64, x, ids uintptr) string {
	const op = "Index.add_with_ids"
	return withIndex(op, h, true, func(ix core.Index) error {
		a, ok := ix.(interface {
			AddWithIDs(x []float32, ids []int64) error
		})
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T numbers vectors sequentially; wrap it in an IndexIDMap", ix)
		}
		xs, err := floats(x, n*int64(ix.D()))
		if err != nil {
			return err
		}
		is, err := int64s(ids, n)
		if err != nil {
			return err
		}
		return a.AddWithIDs(xs, is)
	})
}

// IndexGetParam writes the index's parameter name to out (float64[1]):
// nprobe, nlist, imbalance_factor, direct_map_type, code_size,
// by_residual, ids_sorted for IVF indexes.
func IndexGetParam(h int64, name string, out uintptr) string {
	op := "Index." + name
	return withIndex(op, h, false, func(ix core.Index) error {
		dst, err := float64s(out, 1)
		if err != nil {
			return err
		}
		if r, ok := ix.(*core.IndexRefine); ok && name == "k_factor" {
			dst[0] = float64(r.KFactor)
			return nil
		}
		if ivf, ok := asIVF(ix); ok && ivf.PQR() != nil && name == "k_factor" {
			dst[0] = float64(ivf.PQR().KFactor)
			return nil
		}
		ivf, ok := asIVF(ix)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T has no parameter %q", ix, name)
		}
		switch name {
		case "nprobe":
			dst[0] = float64(ivf.Nprobe)
		case "nlist":
			dst[0] = float64(ivf.Nlist())
		case "imbalance_factor":
			dst[0] = ivf.ImbalanceFactor()
		case "direct_map_type":
			dst[0] = float64(ivf.DirectMapType())
		case "code_size":
			dst[0] = float64(ivf.CodeSize())
		case "by_residual":
			dst[0] = float64(b2i(ivf.ByResidual))
		case "ids_sorted":
			dst[0] = float64(b2i(ivf.IDsSorted()))
		case "use_precomputed_table":
			dst[0] = float64(ivf.UsePrecomputedTable)
		case "quantizer_trains_alone":
			dst[0] = float64(ivf.QuantizerTrainsAloneMode())
		case "qb":
			if ivf.RaBitQ() == nil {
				return core.Errorf(core.KindUnsupported, op, "%s is not a RaBitQ index", ivf.Name())
			}
			dst[0] = float64(ivf.RaBitQ().Qb)
		case "n_levels", "batch_size":
			levels, batch, ok := ivf.PanoramaLayout()
			if !ok {
				return core.Errorf(core.KindUnsupported, op, "%s is not a Panorama index", ivf.Name())
			}
			dst[0] = float64(map[string]int{"n_levels": levels, "batch_size": batch}[name])
		case "implem", "qbs", "qbs2", "bbs", "M", "M2":
			fs := ivf.FastScan()
			if fs == nil {
				return core.Errorf(core.KindUnsupported, op, "%s is not a fast-scan index", ivf.Name())
			}
			dst[0] = float64(map[string]int{"implem": fs.Implem, "qbs": fs.Qbs, "qbs2": fs.Qbs2, "bbs": fs.Bbs, "M": fs.M(), "M2": fs.M2()}[name])
		default:
			return core.Errorf(core.KindInvalidArgument, op, "%T has no parameter %q", ix, name)
		}
		return nil
	})
}

// IndexSetParam sets the index's parameter name: nprobe, direct_map_type,
// or cp.<field> (the clustering parameters an IVF index trains with).
func IndexSetParam(h int64, name string, value float64) string {
	op := "Index." + name
	return withIndex(op, h, true, func(ix core.Index) error {
		if r, ok := ix.(*core.IndexRefine); ok && name == "k_factor" {
			if !(value >= 1) {
				return core.Errorf(core.KindInvalidArgument, op, "k_factor must be at least 1, got %v", value)
			}
			r.KFactor = float32(value)
			return nil
		}
		if ivf, ok := asIVF(ix); ok && ivf.PQR() != nil && name == "k_factor" {
			if !(value > 0) || math.IsInf(value, 0) {
				return core.Errorf(core.KindInvalidArgument, op, "k_factor must be positive, got %v", value)
			}
			ivf.PQR().KFactor = float32(value)
			return nil
		}
		ivf, ok := asIVF(ix)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T has no parameter %q", ix, name)
		}
		switch {
		case name == "nprobe":
			if value != float64(int(value)) || value < 0 {
				return core.Errorf(core.KindInvalidArgument, op, "nprobe must be an integer >= 0 (0: searches refuse), got %v", value)
			}
			ivf.Nprobe = int(value)
		case name == "direct_map_type":
			return ivf.SetDirectMapType(int(value))
		case name == "metric_type":
			return ivf.SetMetric(core.Metric(int(value)))
		case name == "by_residual":
			// faiss lets scripts flip it at any time (the stored codes then
			// read differently); the tables that depend on it follow.
			if value != 0 && !ivf.Coded() {
				return core.Errorf(core.KindInvalidArgument, op, "flat lists are never coded by residual")
			}
			if value == 0 && ivf.RBQ() != nil {
				return core.Errorf(core.KindInvalidArgument, op, "RaBitQ codes are always relative to their list's centroid")
			}
			ivf.ByResidual = value != 0
			return ivf.RefreshTables()
		case name == "implem" || name == "qbs" || name == "qbs2":
			fs := ivf.FastScan()
			switch {
			case fs == nil:
				return core.Errorf(core.KindUnsupported, op, "%s is not a fast-scan index", ivf.Name())
			case value != float64(int(value)) || value < 0:
				return core.Errorf(core.KindInvalidArgument, op, "%s must be an integer >= 0, got %v", name, value)
			}
			*map[string]*int{"implem": &fs.Implem, "qbs": &fs.Qbs, "qbs2": &fs.Qbs2}[name] = int(value)
		case name == "qb":
			if ivf.RaBitQ() == nil {
				return core.Errorf(core.KindUnsupported, op, "%s is not a RaBitQ index", ivf.Name())
			}
			if value != float64(int(value)) || value < 0 || value > 8 {
				return core.Errorf(core.KindInvalidArgument, op, "qb must be an integer 0..8, got %v", value)
			}
			ivf.RaBitQ().Qb = int(value)
		case name == "use_precomputed_table":
			if value != float64(int(value)) || value < -1 || value > 2 {
				return core.Errorf(core.KindInvalidArgument, op, "use_precomputed_table must be -1, 0, 1 or 2, got %v", value)
			}
			ivf.UsePrecomputedTable = int(value)
		case name == "quantizer_trains_alone":
			if value != float64(int(value)) || value < 0 || value > 2 {
				return core.Errorf(core.KindInvalidArgument, op, "quantizer_trains_alone must be 0, 1 or 2, got %v", value)
			}
			ivf.QuantizerTrainsAlone = int(value)
		case name == "precompute_table":
			return ivf.RefreshTables()
		case strings.HasPrefix(name, "cp."):
			return setClusteringParameter(&ivf.CP, op, strings.TrimPrefix(name, "cp."), value)
		default:
			return core.Errorf(core.KindInvalidArgument, op, "%T has no parameter %q", ix, name)
		}
		return nil
	})
}

// IndexListSize writes the size of list i of an IVF index to out (int64[1]).
func IndexListSize(h, i int64, out uintptr) string {
	return withIVF("Index.get_list_size", h, false, func(ivf *core.IndexIVF) error {
		dst, err := int64s(out, 1)
		if err != nil {
			return err
		}
		n, err := ivf.ListSize(int(i))
		dst[0] = int64(n)
		return err
	})
}
