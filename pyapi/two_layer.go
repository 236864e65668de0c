package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// Index2LayerNew makes an Index2Layer over the quantizer behind q (nlist
// lists) with residual codes of M x nbits bits; its handle goes to out
// (int64[1]).
func Index2LayerNew(q, nlist, m, nbits, metric int64, out uintptr) string {
	const op = "Index2Layer"
	return newIndexOver(op, out, []int64{q}, func() (core.Index, error) {
		quantizer, err := indexOf(op, q)
		if err != nil {
			return nil, err
		}
		return core.NewIndex2Layer(quantizer, int(nlist), int(m), int(nbits), core.Metric(metric))
	})
}

// Index2LayerQuantizer writes a new handle to the coarse quantizer of the
// Index2Layer behind h to out (int64[1]).
func Index2LayerQuantizer(h int64, out uintptr) string {
	return withPart("Index2Layer.q1.quantizer", h, out, func(v any) (any, bool) {
		ix, ok := v.(*core.Index2Layer)
		if !ok {
			return nil, false
		}
		return ix.Layers().Quantizer, true
	})
}

// Index2LayerInfo writes nlist, quantizer_trains_alone, code_size_1 and
// code_size_2 to out (int64[4]).
func Index2LayerInfo(h int64, out uintptr) string {
	const op = "Index2Layer.q1"
	return withIndex(op, h, false, func(v core.Index) error {
		ix, ok := v.(*core.Index2Layer)
		if !ok {
			return unsupported(op, v)
		}
		dst, err := int64s(out, 4)
		if err != nil {
			return err
		}
		cs1, cs2 := ix.CodeSizes()
		dst[0], dst[1], dst[2], dst[3] = int64(ix.Layers().Nlist), int64(ix.Layers().QuantizerTrainsAlone), int64(cs1), int64(cs2)
		return nil
	})
}

// Index2LayerSetTrainsAlone sets q1.quantizer_trains_alone (0, 1 or 2).
func Index2LayerSetTrainsAlone(h, mode int64) string {
	const op = "Index2Layer.q1.quantizer_trains_alone"
	return withIndex(op, h, true, func(v core.Index) error {
		ix, ok := v.(*core.Index2Layer)
		if !ok {
			return unsupported(op, v)
		}
		if mode < 0 || mode > 2 {
			return core.Errorf(core.KindInvalidArgument, op, "must be 0, 1 or 2, got %d", mode)
		}
		ix.Layers().QuantizerTrainsAlone = int(mode)
		return nil
	})
}

// Index2LayerTransferToIVFPQ copies the codes of the Index2Layer behind h
// into the empty IndexIVFPQ behind other.
func Index2LayerTransferToIVFPQ(h, other int64) string {
	const op = "Index2Layer.transfer_to_IVFPQ"
	return joinFamily(op, h, other, func(a, b any) error {
		ix, ok := a.(*core.Index2Layer)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "handle %d is a %T, not an Index2Layer", h, a)
		}
		ivf, ok := asIVF(b)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "the other index is a %T, not an IndexIVFPQ", b)
		}
		return ix.TransferToIVFPQ(ivf)
	})
}

// Index2LayerSetQuantizer makes the index behind q the coarse quantizer of
// the Index2Layer behind h.
func Index2LayerSetQuantizer(h, q int64) string {
	return setPart("Index2Layer.q1.quantizer", h, q, (*core.Index2Layer).SetQuantizer)
}

// Index2LayerSetTrained sets the Index2Layer's is_trained flag.
func Index2LayerSetTrained(h int64, trained bool) string {
	const op = "Index2Layer.is_trained"
	return withIndex(op, h, true, func(v core.Index) error {
		ix, ok := v.(*core.Index2Layer)
		if !ok {
			return unsupported(op, v)
		}
		return ix.SetTrained(trained)
	})
}
