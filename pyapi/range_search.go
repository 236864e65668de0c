package pyapi

import (
	"fmt"

	"github.com/metalfaiss/metalfaiss/core"
)

// Range search returns a variable number of results, so it takes two calls:
// IndexRangeSearch keeps the result under a new handle and reports its size,
// the caller allocates, and RangeResultFetch copies the result out and
// frees the handle.

// IndexRangeSearch searches n queries at x within radius and writes the
// result handle and the total number of matches to out (int64[2]).
func IndexRangeSearch(h, n int64, x uintptr, radius float64, out uintptr) string {
	const op = "Index.range_search"
	return withIndex(op, h, false, func(ix core.Index) error {
		rs, ok := ix.(core.RangeSearcher)
		if !ok {
			return unsupported(op, ix)
		}
		dst, err := int64s(out, 2)
		if err != nil {
			return err
		}
		xs, err := floats(x, n*int64(ix.D()))
		if err != nil {
			return err
		}
		res, err := rs.RangeSearch(xs, float32(radius))
		if err != nil {
			return err
		}
		dst[0], dst[1] = register(res), int64(len(res.Labels))
		return nil
	})
}

// IndexRangeSearchWith is IndexRangeSearch with SearchParameters: nprobe
// (0: the index's own) and a selector program (addr 0: none).
func IndexRangeSearchWith(h, n int64, x uintptr, radius float64, nprobe int64, sel uintptr, nsel int64, out uintptr) string {
	return paramRangeSearch(h, n, x, radius, sel, nsel, out, func() (*core.SearchParams, error) {
		return &core.SearchParams{Nprobe: int(nprobe)}, nil
	})
}

// paramRangeSearch runs a range search of the index behind h with the
// parameters params makes and the selector program at sel.
func paramRangeSearch(h, n int64, x uintptr, radius float64, sel uintptr, nsel int64, out uintptr,
	params func() (*core.SearchParams, error)) string {
	const op = "Index.range_search"
	return withIndex(op, h, false, func(ix core.Index) error {
		rs, ok := ix.(core.ParamRangeSearcher)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T takes no search parameters for range search", ix)
		}
		p, err := params()
		if err != nil {
			return err
		}
		return rangeSearchWith(op, rs, ix.D(), n, x, radius, sel, nsel, p, out)
	})
}

// rangeSearchWith views a range search's queries, decodes its selector
// into p, runs it and registers the result, writing its handle and size
// to out (int64[2]).
func rangeSearchWith(op string, rs core.ParamRangeSearcher, d int, n int64, x uintptr, radius float64, sel uintptr, nsel int64,
	p *core.SearchParams, out uintptr) error {
	dst, err := int64s(out, 2)
	if err != nil {
		return err
	}
	xs, err := floats(x, n*int64(d))
	if err != nil {
		return err
	}
	if p.Sel, err = decodeSelector(op, sel, nsel); err != nil {
		return err
	}
	res, err := rs.RangeSearchWithParams(xs, float32(radius), p)
	if err != nil {
		return err
	}
	dst[0], dst[1] = register(res), int64(len(res.Labels))
	return nil
}

// RangeResultFetch copies a range-search result into lims (int64[nq+1]),
// dist (float32[total]) and labels (int64[total]) and frees its handle.
func RangeResultFetch(h, nq int64, lims, dist, labels uintptr) string {
	const op = "Index.range_search"
	return guard(op, func() error {
		o, err := lookup(op, h)
		if err != nil {
			return err
		}
		res, ok := o.val.(*core.RangeResult)
		if !ok || int64(len(res.Lims)) != nq+1 {
			return fmt.Errorf("handle %d is not a range result for %d queries", h, nq)
		}
		total := int64(len(res.Labels))
		l, err := int64s(lims, nq+1)
		if err != nil {
			return err
		}
		d, err := floats(dist, total)
		if err != nil {
			return err
		}
		ids, err := int64s(labels, total)
		if err != nil {
			return err
		}
		copy(l, res.Lims)
		copy(d, res.Dist)
		copy(ids, res.Labels)
		return release(h)
	})
}
