package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// entries views n ids and their codes for the IVF index ivf.
func entries(ivf *core.IndexIVF, n int64, ids, codes uintptr) ([]int64, []byte, error) {
	is, err := int64s(ids, n)
	if err != nil {
		return nil, nil, err
	}
	cs, err := bytesAt(codes, n*int64(ivf.CodeSize()))
	return is, cs, err
}

// IVFAddEntries appends n entries (ids, codes) to list and writes the
// offset of the first to out (int64[1]).
func IVFAddEntries(h, list, n int64, ids, codes, out uintptr) string {
	const op = "InvertedLists.add_entries"
	return withIVF(op, h, true, func(ivf *core.IndexIVF) error {
		is, cs, err := entries(ivf, n, ids, codes)
		if err != nil {
			return err
		}
		o, err := int64s(out, 1)
		if err != nil {
			return err
		}
		o[0] = 0
		off, err := ivf.AddEntries(int(list), is, cs)
		o[0] = int64(off)
		return err
	})
}

// IVFUpdateEntries overwrites n entries of list from offset on.
func IVFUpdateEntries(h, list, offset, n int64, ids, codes uintptr) string {
	const op = "InvertedLists.update_entries"
	return withIVF(op, h, true, func(ivf *core.IndexIVF) error {
		is, cs, err := entries(ivf, n, ids, codes)
		if err != nil {
			return err
		}
		return ivf.UpdateEntries(int(list), int(offset), is, cs)
	})
}

// IVFResizeList sets the size of list to n.
func IVFResizeList(h, list, n int64) string {
	return withIVF("InvertedLists.resize", h, true, func(ivf *core.IndexIVF) error {
		return ivf.ResizeList(int(list), int(n))
	})
}

// IVFSetListRange replaces nl lists from first on with sizes (int64[nl])
// entries each, whose ids and codes follow one another (total entries).
func IVFSetListRange(h, first, nl int64, sizes uintptr, total int64, ids, codes uintptr) string {
	const op = "set_invlist_range"
	return withIVF(op, h, true, func(ivf *core.IndexIVF) error {
		ss, err := int64s(sizes, nl)
		if err != nil {
			return err
		}
		is, cs, err := entries(ivf, total, ids, codes)
		if err != nil {
			return err
		}
		return ivf.SetListRange(int(first), ss, is, cs)
	})
}

// IVFUpdateVectors gives the n ids at ids the vectors at x.
func IVFUpdateVectors(h, n int64, ids, x uintptr) string {
	const op = "IndexIVF.update_vectors"
	return withIVF(op, h, true, func(ivf *core.IndexIVF) error {
		is, err := int64s(ids, n)
		if err != nil {
			return err
		}
		xs, err := floats(x, n*int64(ivf.D()))
		if err != nil {
			return err
		}
		return ivf.UpdateVectors(is, xs)
	})
}
