package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// withBinaryIVFCodes runs fn on a binary IVF index with n codes at x
// viewed.
func withBinaryIVFCodes(op string, h, n int64, x uintptr, write bool, fn func(ivf *core.IndexBinaryIVF, xs []byte) error) string {
	return withCodes(op, h, n, x, write, func(ix core.BinaryIndex, xs []byte) error {
		ivf, ok := ix.(*core.IndexBinaryIVF)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "not supported by %T", ix)
		}
		return fn(ivf, xs)
	})
}

// BinaryIVFAddPreassigned adds n codes at x to the lists at assign (n
// int64; -1: counted, not stored) with the ids at ids (0: numbered on).
func BinaryIVFAddPreassigned(h, n int64, x, ids, assign uintptr) string {
	const op = "IndexBinaryIVF.add_preassigned"
	return withBinaryIVFCodes(op, h, n, x, true, func(ivf *core.IndexBinaryIVF, xs []byte) error {
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

// BinaryIVFSearchPreassigned searches n queries at x in the nprobe lists
// each at probes (n*nprobe int64), for the k best into dist (int32) and
// labels; sel is a selector program (0: none).
func BinaryIVFSearchPreassigned(h, n int64, x uintptr, k int64, probes uintptr, nprobe int64, dist, labels, sel uintptr, nsel int64) string {
	const op = "IndexBinaryIVF.search_preassigned"
	return withBinaryIVFCodes(op, h, n, x, false, func(ivf *core.IndexBinaryIVF, xs []byte) error {
		p, err := int64s(probes, n*nprobe)
		if err != nil {
			return err
		}
		s, err := decodeSelector(op, sel, nsel)
		if err != nil {
			return err
		}
		ds, ls, err := binaryResults(n, k, dist, labels)
		if err != nil {
			return err
		}
		return ivf.SearchPreassigned(xs, int(k), p, int(nprobe), ds, ls, s)
	})
}

// BinaryIVFRangeSearchPreassigned is the range search of n queries in the
// lists at probes; out (int64[2]) receives the result's handle and size,
// fetched with BinaryRangeFetch.
func BinaryIVFRangeSearchPreassigned(h, n int64, x uintptr, radius int64, probes uintptr, nprobe int64, sel uintptr, nsel int64, out uintptr) string {
	const op = "IndexBinaryIVF.range_search_preassigned"
	return withBinaryIVFCodes(op, h, n, x, false, func(ivf *core.IndexBinaryIVF, xs []byte) error {
		dst, err := int64s(out, 2)
		if err != nil {
			return err
		}
		p, err := int64s(probes, n*nprobe)
		if err != nil {
			return err
		}
		s, err := decodeSelector(op, sel, nsel)
		if err != nil {
			return err
		}
		lims, dist, labels, err := ivf.RangeSearchPreassigned(xs, int(radius), p, int(nprobe), s)
		if err != nil {
			return err
		}
		dst[0], dst[1] = register(&binaryRange{lims, labels, dist}), int64(len(labels))
		return nil
	})
}
