package pyapi

import (
	"github.com/metalfaiss/metalfaiss/core"
)

// withIndex runs fn on the index behind handle h under its read lock, or
// its write lock when write is set.
func withIndex(op string, h int64, write bool, fn func(core.Index) error) string {
	return withObject(op, h, write, func(v any) error {
		ix, ok := v.(core.Index)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "handle %d is not an index", h)
		}
		return fn(ix)
	})
}

// withObject runs fn on the object behind handle h under its lock.
func withObject(op string, h int64, write bool, fn func(v any) error) string {
	return guard(op, func() error {
		o, err := lookup(op, h)
		if err != nil {
			return err
		}
		defer o.lock(write)()
		return fn(o.val)
	})
}

// withObjectAt is withObject for calls that hand out handles to parts of
// the object (a quantizer, a storage): fn gets the object, whose family
// the new handles join.
func withObjectAt(op string, h int64, write bool, fn func(o *object) error) string {
	return guard(op, func() error {
		o, err := lookup(op, h)
		if err != nil {
			return err
		}
		defer o.lock(write)()
		return fn(o)
	})
}

func unsupported(op string, ix core.Index) error {
	return core.Errorf(core.KindUnsupported, op, "not supported by %T", ix)
}

// IndexFlatNew makes an IndexFlat and writes its handle to out (int64[1]).
func IndexFlatNew(d int64, metric int64, out uintptr) string {
	return newIndex("IndexFlat", out, func() (core.Index, error) {
		return core.NewIndexFlat(int(d), core.Metric(metric))
	})
}

// IndexInfo writes d, ntotal, metric and is_trained (0/1) to out (int64[4]).
func IndexInfo(h int64, out uintptr) string {
	return withIndex("Index.info", h, false, func(ix core.Index) error {
		dst, err := int64s(out, 4)
		if err != nil {
			return err
		}
		trained := int64(0)
		if ix.IsTrained() {
			trained = 1
		}
		dst[0], dst[1], dst[2], dst[3] = int64(ix.D()), ix.Ntotal(), int64(ix.Metric()), trained
		return nil
	})
}

// IndexMetricArg writes the metric argument to out (float32[1]).
func IndexMetricArg(h int64, out uintptr) string {
	return withIndex("Index.metric_arg", h, false, func(ix core.Index) error {
		dst, err := floats(out, 1)
		if err == nil {
			dst[0] = ix.MetricArg()
		}
		return err
	})
}

// IndexSetMetricArg changes the metric argument (p of METRIC_Lp).
func IndexSetMetricArg(h int64, arg float64) string {
	const op = "Index.metric_arg"
	return withIndex(op, h, true, func(ix core.Index) error {
		s, ok := ix.(core.MetricArgSetter)
		if !ok {
			return unsupported(op, ix)
		}
		s.SetMetricArg(float32(arg))
		return nil
	})
}

// IndexTrain trains on n vectors at x.
func IndexTrain(h, n int64, x uintptr) string {
	return withIndex("Index.train", h, true, func(ix core.Index) error {
		xs, err := floats(x, n*int64(ix.D()))
		if err != nil {
			return err
		}
		return ix.Train(xs)
	})
}

// IndexAdd adds n vectors at x.
func IndexAdd(h, n int64, x uintptr) string {
	return withIndex("Index.add", h, true, func(ix core.Index) error {
		xs, err := floats(x, n*int64(ix.D()))
		if err != nil {
			return err
		}
		return ix.Add(xs)
	})
}

// IndexSearch searches n queries at x for k results each into dist
// (float32[n*k]) and labels (int64[n*k]).
func IndexSearch(h, n int64, x uintptr, k int64, dist, labels uintptr) string {
	return withIndex("Index.search", h, false, func(ix core.Index) error {
		xs, err := floats(x, n*int64(ix.D()))
		if err != nil {
			return err
		}
		ds, ls, err := results(n, k, dist, labels)
		if err != nil {
			return err
		}
		return ix.Search(xs, int(k), ds, ls)
	})
}

// IndexAssign writes the labels of the k nearest vectors of n queries.
func IndexAssign(h, n int64, x uintptr, k int64, labels uintptr) string {
	const op = "Index.assign"
	return withIndex(op, h, false, func(ix core.Index) error {
		xs, err := floats(x, n*int64(ix.D()))
		if err != nil {
			return err
		}
		ls, err := int64s(labels, n*k)
		if err != nil {
			return err
		}
		if a, ok := ix.(core.Assigner); ok {
			return a.Assign(xs, int(k), ls)
		}
		// faiss's Index::assign: a search whose distances are dropped.
		return ix.Search(xs, int(k), make([]float32, n*k), ls)
	})
}

// IndexReset removes every vector.
func IndexReset(h int64) string {
	return withIndex("Index.reset", h, true, func(ix core.Index) error {
		ix.Reset()
		return nil
	})
}

// IndexReconstruct copies vector key into out (float32[d]).
func IndexReconstruct(h, key int64, out uintptr) string {
	const op = "Index.reconstruct"
	return withIndex(op, h, false, func(ix core.Index) error {
		r, ok := ix.(core.Reconstructor)
		if !ok {
			return unsupported(op, ix)
		}
		dst, err := floats(out, int64(ix.D()))
		if err != nil {
			return err
		}
		return r.Reconstruct(key, dst)
	})
}

// IndexReconstructN copies vectors i0..i0+n-1 into out (float32[n*d]).
func IndexReconstructN(h, i0, n int64, out uintptr) string {
	const op = "Index.reconstruct_n"
	return withIndex(op, h, false, func(ix core.Index) error {
		r, ok := ix.(core.Reconstructor)
		if !ok {
			return unsupported(op, ix)
		}
		dst, err := floats(out, max(n, 0)*int64(ix.D()))
		if err != nil {
			return err
		}
		return r.ReconstructN(i0, n, dst)
	})
}

// IndexRemoveIDs removes the n ids at ids and writes the count removed to
// removed (int64[1]).
func IndexRemoveIDs(h, n int64, ids uintptr, removed uintptr) string {
	return removeSelected("Index.remove_ids", h, removed, func() (core.IDSelector, error) {
		list, err := int64s(ids, n)
		return core.NewIDSelectorBatch(list), err
	})
}

// IndexRemoveRange removes the ids in [imin, imax) and writes the count.
func IndexRemoveRange(h, imin, imax int64, removed uintptr) string {
	return removeSelected("Index.remove_ids", h, removed, func() (core.IDSelector, error) {
		return core.IDSelectorRange{Min: imin, Max: imax}, nil
	})
}

func removeSelected(op string, h int64, removed uintptr, selector func() (core.IDSelector, error)) string {
	return withIndex(op, h, true, func(ix core.Index) error {
		r, ok := ix.(core.IDRemover)
		if !ok {
			return unsupported(op, ix)
		}
		dst, err := int64s(removed, 1)
		if err != nil {
			return err
		}
		sel, err := selector()
		if err != nil {
			return err
		}
		dst[0], err = r.RemoveIDs(sel)
		return err
	})
}
