package pyapi

import (
	"github.com/metalfaiss/metalfaiss/core"
)

// Binary indexes hold uint8 codes of d bits; they are not float indexes,
// so they have their own calls.

// IndexBinaryFlatNew makes an IndexBinaryFlat of d bits and writes its
// handle to out (int64[1]).
func IndexBinaryFlatNew(d int64, out uintptr) string {
	return newObject("IndexBinaryFlat", out, func() (any, error) { return core.NewIndexBinaryFlat(int(d)) })
}

func withBinary(op string, h int64, write bool, fn func(ix *core.IndexBinaryFlat) error) string {
	return withObject(op, h, write, func(v any) error {
		ix, ok := v.(*core.IndexBinaryFlat)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "handle %d is not a binary index", h)
		}
		return fn(ix)
	})
}

// BinaryInfo writes d (bits) and ntotal to out (int64[2]).
func BinaryInfo(h int64, out uintptr) string {
	return withBinary("IndexBinary.info", h, false, func(ix *core.IndexBinaryFlat) error {
		dst, err := int64s(out, 2)
		if err != nil {
			return err
		}
		dst[0], dst[1] = int64(ix.D), ix.Ntotal()
		return nil
	})
}

// BinaryAdd adds n codes at x.
func BinaryAdd(h, n int64, x uintptr) string {
	return withBinary("IndexBinaryFlat.add", h, true, func(ix *core.IndexBinaryFlat) error {
		xs, err := bytesAt(x, n*int64(ix.CodeSize()))
		if err != nil {
			return err
		}
		return ix.Add(xs)
	})
}

// BinarySearch writes the k nearest codes of n queries into dist
// (int32[n*k]) and labels (int64[n*k]).
func BinarySearch(h, n int64, x uintptr, k int64, dist, labels uintptr) string {
	return withBinary("IndexBinaryFlat.search", h, false, func(ix *core.IndexBinaryFlat) error {
		xs, err := bytesAt(x, n*int64(ix.CodeSize()))
		if err != nil {
			return err
		}
		ds, err := int32s(dist, n*k)
		if err != nil {
			return err
		}
		ls, err := int64s(labels, n*k)
		if err != nil {
			return err
		}
		return ix.Search(xs, int(k), ds, ls)
	})
}

// binaryRange is a range-search result waiting to be fetched.
type binaryRange struct {
	lims, labels []int64
	dist         []int32
}

// BinaryRangeSearch searches n queries within radius and writes the
// result's handle and total matches to out (int64[2]).
func BinaryRangeSearch(h, n int64, x uintptr, radius int64, out uintptr) string {
	return withBinary("IndexBinaryFlat.range_search", h, false, func(ix *core.IndexBinaryFlat) error {
		xs, err := bytesAt(x, n*int64(ix.CodeSize()))
		if err != nil {
			return err
		}
		dst, err := int64s(out, 2)
		if err != nil {
			return err
		}
		lims, dist, labels, err := ix.RangeSearch(xs, int(radius))
		if err != nil {
			return err
		}
		dst[0], dst[1] = register(&binaryRange{lims, labels, dist}), int64(len(labels))
		return nil
	})
}

// BinaryRangeFetch copies a binary range result into lims (int64[nq+1]),
// dist (int32[total]) and labels (int64[total]) and frees it.
func BinaryRangeFetch(h, nq int64, lims, dist, labels uintptr) string {
	const op = "IndexBinaryFlat.range_search"
	return guard(op, func() error {
		o, err := lookup(h)
		if err != nil {
			return err
		}
		r, ok := o.val.(*binaryRange)
		if !ok || int64(len(r.lims)) != nq+1 {
			return core.Errorf(core.KindInvalidArgument, op, "handle %d is not a range result for %d queries", h, nq)
		}
		l, err := int64s(lims, nq+1)
		if err != nil {
			return err
		}
		d, err := int32s(dist, int64(len(r.dist)))
		if err != nil {
			return err
		}
		ids, err := int64s(labels, int64(len(r.labels)))
		if err != nil {
			return err
		}
		copy(l, r.lims)
		copy(d, r.dist)
		copy(ids, r.labels)
		return release(h)
	})
}

// BinaryReset removes every code.
func BinaryReset(h int64) string {
	return withBinary("IndexBinaryFlat.reset", h, true, func(ix *core.IndexBinaryFlat) error { ix.Reset(); return nil })
}

// BinaryReconstruct copies code key into out (uint8[d/8]).
func BinaryReconstruct(h, key int64, out uintptr) string {
	return withBinary("IndexBinaryFlat.reconstruct", h, false, func(ix *core.IndexBinaryFlat) error {
		dst, err := bytesAt(out, int64(ix.CodeSize()))
		if err != nil {
			return err
		}
		return ix.Reconstruct(key, dst)
	})
}
