package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// IndexIVFAddPreassigned adds n vectors at x to the lists at assign (n
// int64, -1: counted, not stored), with the ids at ids (0: numbered on).
func IndexIVFAddPreassigned(h, n int64, x, ids, assign uintptr) string {
	const op = "IndexIVF.add_preassigned"
	return withIVF(op, h, true, func(ivf *core.IndexIVF) error {
		xs, err := floats(x, n*int64(ivf.D()))
		if err != nil {
			return err
		}
		a, err := int64s(assign, n)
		if err != nil {
			return err
		}
		is, err := optional[int64](ids, n)
		if err != nil {
			return err
		}
		return ivf.AddPreassigned(xs, is, a)
	})
}

// IndexIVFSearchPreassigned searches n queries at x in the nprobe lists
// each at coarse (n*nprobe int64) with their distances at coarseDis, for
// the k best into dist and labels; sel is a selector program (0: none).
func IndexIVFSearchPreassigned(h, n int64, x uintptr, k int64, coarse, coarseDis uintptr, nprobe int64,
	dist, labels, sel uintptr, nsel int64) string {
	const op = "IndexIVF.search_preassigned"
	return withIVF(op, h, false, func(ivf *core.IndexIVF) error {
		xs, c, cd, p, err := preassignedBuffers(op, ivf, n, x, coarse, coarseDis, nprobe, sel, nsel)
		if err != nil {
			return err
		}
		ds, ls, err := results(n, k, dist, labels)
		if err != nil {
			return err
		}
		return ivf.SearchPreassigned(xs, int(k), c, cd, int(nprobe), ds, ls, p)
	})
}

// IndexIVFRangeSearchPreassigned is IndexIVFSearchPreassigned for a range
// search: out (int64[2]) receives the pending result's handle and size, as
// IndexRangeSearch writes them.
func IndexIVFRangeSearchPreassigned(h, n int64, x uintptr, radius float64, coarse, coarseDis uintptr, nprobe int64,
	sel uintptr, nsel int64, out uintptr) string {
	const op = "IndexIVF.range_search_preassigned"
	return withIVF(op, h, false, func(ivf *core.IndexIVF) error {
		dst, err := int64s(out, 2)
		if err != nil {
			return err
		}
		xs, c, cd, p, err := preassignedBuffers(op, ivf, n, x, coarse, coarseDis, nprobe, sel, nsel)
		if err != nil {
			return err
		}
		res, err := ivf.RangeSearchPreassigned(xs, float32(radius), c, cd, int(nprobe), p)
		if err != nil {
			return err
		}
		dst[0], dst[1] = register(res), int64(len(res.Labels))
		return nil
	})
}

// preassignedBuffers views the queries, lists and coarse distances of a
// preassigned search and decodes its selector.
func preassignedBuffers(op string, ivf *core.IndexIVF, n int64, x, coarse, coarseDis uintptr, nprobe int64,
	sel uintptr, nsel int64) ([]float32, []int64, []float32, *core.SearchParams, error) {
	xs, err := floats(x, n*int64(ivf.D()))
	if err != nil {
		return nil, nil, nil, nil, err
	}
	c, err := int64s(coarse, n*nprobe)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	cd, err := floats(coarseDis, n*nprobe)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	p := &core.SearchParams{}
	p.Sel, err = decodeSelector(op, sel, nsel)
	return xs, c, cd, p, err
}

// IndexIVFListCopy copies list i's n ids into ids (int64) and their codes
// into codes (n * code_size bytes); n must be the list's size.
func IndexIVFListCopy(h, i, n int64, ids, codes uintptr) string {
	const op = "InvertedLists.get_codes"
	return withIVF(op, h, false, func(ivf *core.IndexIVF) error {
		is, err := int64s(ids, n)
		if err != nil {
			return err
		}
		cs, err := bytesAt(codes, n*int64(ivf.CodeSize()))
		if err != nil {
			return err
		}
		return ivf.CopyList(int(i), is, cs)
	})
}

// IVFCodesOfIDs writes the stored codes of the n ids at ids into out
// (core.IndexIVF.CodesOfIDs; listnos: led by their list numbers).
func IVFCodesOfIDs(h, n int64, ids uintptr, listnos bool, size int64, out uintptr) string {
	const op = "IndexIVF.search_and_return_codes"
	return withIVF(op, h, false, func(ivf *core.IndexIVF) error {
		is, err := int64s(ids, n)
		if err != nil {
			return err
		}
		codes, err := bytesAt(out, n*size)
		if err != nil {
			return err
		}
		return ivf.CodesOfIDs(is, listnos, codes)
	})
}
