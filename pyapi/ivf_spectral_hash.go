package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// IndexIVFSpectralHashNew makes an IndexIVFSpectralHash over the quantizer
// behind q and writes its handle to out (int64[1]).
func IndexIVFSpectralHashNew(q, d, nlist, nbit int64, period float64, out uintptr) string {
	const op = "IndexIVFSpectralHash"
	return newIndexOver(op, out, []int64{q}, func() (core.Index, error) {
		quantizer, err := indexOf(op, q)
		if err != nil {
			return nil, err
		}
		return core.NewIndexIVFSpectralHash(quantizer, int(d), int(nlist), int(nbit), float32(period))
	})
}

func withSpectralHash(op string, h int64, write bool, fn func(*core.IVFSpectralHash) error) string {
	return withIndex(op, h, write, func(v core.Index) error {
		ivf, ok := asIVF(v)
		if !ok || ivf.SpectralHash() == nil {
			return unsupported(op, v)
		}
		return fn(ivf.SpectralHash())
	})
}

// IVFSpectralHashInfo writes nbit, threshold_type and the number of
// thresholds to out (int64[3]) and the period to period (float64[1]).
func IVFSpectralHashInfo(h int64, out, period uintptr) string {
	return withSpectralHash("IndexIVFSpectralHash.info", h, false, func(sh *core.IVFSpectralHash) error {
		dst, err := int64s(out, 3)
		if err != nil {
			return err
		}
		p, err := float64s(period, 1)
		if err != nil {
			return err
		}
		dst[0], dst[1], dst[2], p[0] = int64(sh.Nbit), int64(sh.ThresholdType), int64(len(sh.Trained)), float64(sh.Period)
		return nil
	})
}

// IVFSpectralHashTrained copies the n thresholds to out (float32[n]).
func IVFSpectralHashTrained(h, n int64, out uintptr) string {
	const op = "IndexIVFSpectralHash.trained"
	return withSpectralHash(op, h, false, func(sh *core.IVFSpectralHash) error {
		if n != int64(len(sh.Trained)) {
			return core.Errorf(core.KindDimensionMismatch, op, "the index holds %d thresholds, not %d", len(sh.Trained), n)
		}
		dst, err := floats(out, n)
		if err != nil {
			return err
		}
		copy(dst, sh.Trained)
		return nil
	})
}

// IVFSpectralHashSet sets period or threshold_type.
func IVFSpectralHashSet(h int64, name string, value float64) string {
	op := "IndexIVFSpectralHash." + name
	return withSpectralHash(op, h, true, func(sh *core.IVFSpectralHash) error {
		switch name {
		case "period":
			sh.Period = float32(value)
			return nil
		case "threshold_type":
			return sh.SetThresholdType(int(value))
		}
		return core.Errorf(core.KindInvalidArgument, op, "no such field")
	})
}

// IVFSpectralHashVT writes a new handle to the transform of the
// IndexIVFSpectralHash behind h to out (int64[1]).
func IVFSpectralHashVT(h int64, out uintptr) string {
	return withPart("IndexIVFSpectralHash.vt", h, out, func(v any) (any, bool) {
		ivf, ok := asIVF(v)
		if !ok || ivf.SpectralHash() == nil {
			return nil, false
		}
		return ivf.SpectralHash().VT, true
	})
}

// IVFSpectralHashReplaceVT makes the transform behind t the index's (global
// thresholds).
func IVFSpectralHashReplaceVT(h, t int64) string {
	const op = "IndexIVFSpectralHash.replace_vt"
	return joinFamily(op, h, t, func(owner, part any) error {
		ivf, ok := asIVF(owner)
		if !ok || ivf.SpectralHash() == nil {
			return core.Errorf(core.KindInvalidArgument, op, "handle %d is a %T, not an IndexIVFSpectralHash", h, owner)
		}
		vt, ok := part.(core.VectorTransform)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "handle %d is not a vector transform", t)
		}
		return ivf.SpectralHash().ReplaceVT(vt)
	})
}
