package pyapi

import (
	"github.com/metalfaiss/metalfaiss/core"
)

// indexOf returns the index behind handle h (without locking it: callers
// building a composite hold the member's family lock, see newIndexOver).
func indexOf(op string, h int64) (core.Index, error) {
	o, err := lookup(op, h)
	if err != nil {
		return nil, err
	}
	ix, ok := o.val.(core.Index)
	if !ok {
		return nil, core.Errorf(core.KindInvalidArgument, op, "handle %d is not an index", h)
	}
	return ix, nil
}

// IndexIVFFlatNew makes an IndexIVFFlat (dedup: an IndexIVFFlatDedup)
// over the quantizer behind handle q and writes its handle to out
// (int64[1]).
func IndexIVFFlatNew(q, d, nlist, metric int64, dedup bool, out uintptr) string {
	op := "IndexIVFFlat"
	if dedup {
		op = "IndexIVFFlatDedup"
	}
	return newIndexOver(op, out, []int64{q}, func() (core.Index, error) {
		quantizer, err := indexOf(op, q)
		if err != nil {
			return nil, err
		}
		if dedup {
			return core.NewIndexIVFFlatDedup(quantizer, int(d), int(nlist), core.Metric(metric))
		}
		return core.NewIndexIVFFlat(quantizer, int(d), int(nlist), core.Metric(metric))
	})
}

// IndexIVFFlatPanoramaNew makes an IndexIVFFlatPanorama of nLevels levels
// in batches of batch over the quantizer behind handle q and writes its
// handle to out (int64[1]).
func IndexIVFFlatPanoramaNew(q, d, nlist, nLevels, metric, batch int64, out uintptr) string {
	const op = "IndexIVFFlatPanorama"
	return newIndexOver(op, out, []int64{q}, func() (core.Index, error) {
		quantizer, err := indexOf(op, q)
		if err != nil {
			return nil, err
		}
		return core.NewIndexIVFFlatPanorama(quantizer, int(d), int(nlist), int(nLevels), int(batch), core.Metric(metric))
	})
}

// IndexIDMapNew wraps the index behind handle sub in an IndexIDMap (two:
// IndexIDMap2) and writes its handle to out (int64[1]).
func IndexIDMapNew(sub int64, two bool, out uintptr) string {
	op := "IndexIDMap"
	if two {
		op = "IndexIDMap2"
	}
	return newIndexOver(op, out, []int64{sub}, func() (core.Index, error) {
		inner, err := indexOf(op, sub)
		if err != nil {
			return nil, err
		}
		return core.NewIndexIDMap(inner, two)
	})
}

// IDMapIDs copies the id map (int64[n], n = ntotal) of the float or
// binary id map behind h.
func IDMapIDs(h, n int64, out uintptr) string {
	const op = "IndexIDMap.id_map"
	return withObject(op, h, false, func(v any) error {
		m, ok := v.(interface{ IDs() []int64 })
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "not supported by %T", v)
		}
		dst, err := int64s(out, n)
		if err != nil {
			return err
		}
		ids := m.IDs()
		if int64(len(ids)) != n {
			return core.Errorf(core.KindDimensionMismatch, op, "the map holds %d ids, not %d", len(ids), n)
		}
		copy(dst, ids)
		return nil
	})
}

// IndexRefineFlatNew wraps the index behind handle base in an
// IndexRefineFlat and writes its handle to out (int64[1]).
func IndexRefineFlatNew(base int64, out uintptr) string {
	const op = "IndexRefineFlat"
	return newIndexOver(op, out, []int64{base}, func() (core.Index, error) {
		inner, err := indexOf(op, base)
		if err != nil {
			return nil, err
		}
		return core.NewIndexRefineFlat(inner)
	})
}

// IVFSetQuantizer makes the index behind q the quantizer of the IVF index
// behind h; both then share one lock family.
func IVFSetQuantizer(h, q int64) string {
	return setPart("IndexIVF.quantizer", h, q, (*core.IndexIVF).SetQuantizer)
}

// IndexIDMapCheckConsistency fails unless the IndexIDMap behind h is
// consistent (core.IndexIDMap.CheckConsistency).
func IndexIDMapCheckConsistency(h int64) string {
	const op = "IndexIDMap2.check_consistency"
	return withIndex(op, h, false, func(ix core.Index) error {
		m, ok := ix.(*core.IndexIDMap)
		if !ok {
			return unsupported(op, ix)
		}
		return m.CheckConsistency()
	})
}
