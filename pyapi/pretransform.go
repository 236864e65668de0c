package pyapi

import (
	"github.com/metalfaiss/metalfaiss/core"
)

func transformOf(op string, h int64) (core.VectorTransform, error) {
	o, err := lookup(op, h)
	if err != nil {
		return nil, err
	}
	t, ok := o.val.(core.VectorTransform)
	if !ok {
		return nil, core.Errorf(core.KindInvalidArgument, op, "handle %d is not a vector transform", h)
	}
	return t, nil
}

// optionalTransform is the transform behind t, or nil for t = 0.
func optionalTransform(op string, t int64) (core.VectorTransform, error) {
	if t == 0 {
		return nil, nil
	}
	return transformOf(op, t)
}

// IndexPreTransformNew puts the transform behind t (0: none) in front of
// the index behind sub.
func IndexPreTransformNew(t, sub int64, out uintptr) string {
	const op = "IndexPreTransform"
	return newIndexOver(op, out, []int64{t, sub}, func() (core.Index, error) {
		vt, err := optionalTransform(op, t)
		if err != nil {
			return nil, err
		}
		ix, err := indexOf(op, sub)
		if err != nil {
			return nil, err
		}
		return core.NewIndexPreTransform(vt, ix)
	})
}

func withPreTransform(op string, h int64, write bool, fn func(*core.IndexPreTransform) error) string {
	return withIndex(op, h, write, func(ix core.Index) error {
		p, ok := ix.(*core.IndexPreTransform)
		if !ok {
			return unsupported(op, ix)
		}
		return fn(p)
	})
}

// IndexPreTransformPrepend puts the transform behind t first in the chain.
func IndexPreTransformPrepend(h, t int64) string {
	const op = "IndexPreTransform.prepend_transform"
	return joinFamily(op, h, t, func(owner, part any) error {
		p, ok := owner.(*core.IndexPreTransform)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "not supported by %T", owner)
		}
		vt, ok := part.(core.VectorTransform)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "handle %d is not a vector transform", t)
		}
		return p.Prepend(vt)
	})
}

// IndexPreTransformParts writes the chain length, then a new handle to the
// sub-index and one per transform, to out (int64[1+1+len(chain)]; call
// with n = 1 first to learn the length).
func IndexPreTransformParts(h, n int64, out uintptr) string {
	const op = "IndexPreTransform.chain"
	return withObjectAt(op, h, false, func(o *object) error {
		p, ok := o.val.(*core.IndexPreTransform)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "not supported by %T", o.val)
		}
		chain := p.Chain()
		dst, err := int64s(out, n)
		if err != nil || n == 0 {
			return err
		}
		dst[0] = int64(len(chain))
		if n == 1 {
			return nil
		}
		if n != int64(2+len(chain)) {
			return core.Errorf(core.KindInvalidArgument, op, "need room for %d handles, got %d", 2+len(chain), n)
		}
		fam := o.family()
		dst[1] = registerIn(fam, p.Sub())
		for i, t := range chain {
			dst[2+i] = registerIn(fam, t)
		}
		return nil
	})
}

// IndexPreTransformApplyChain writes x (n vectors) through the chain to out
// (float32[n*d_sub]); reverse maps back instead (out: float32[n*d]).
func IndexPreTransformApplyChain(h, n int64, x, out uintptr, reverse bool) string {
	const op = "IndexPreTransform.apply_chain"
	return withPreTransform(op, h, false, func(p *core.IndexPreTransform) error {
		din, dout := int64(p.D()), int64(p.Sub().D())
		if reverse {
			din, dout = dout, din
		}
		xs, err := floats(x, n*din)
		if err != nil {
			return err
		}
		ys, err := floats(out, n*dout)
		if err != nil {
			return err
		}
		var res []float32
		if reverse {
			res, err = p.ReverseChain(xs)
		} else {
			res, err = p.ApplyChain(xs)
		}
		if err == nil {
			copy(ys, res)
		}
		return err
	})
}

// IndexIVFIndependentQuantizerNew makes an IndexIVFIndependentQuantizer of
// the quantizer behind q, the IVF index behind ivf and the transform
// behind t (0: none).
func IndexIVFIndependentQuantizerNew(q, ivf, t int64, out uintptr) string {
	const op = "IndexIVFIndependentQuantizer"
	return newIndexOver(op, out, []int64{q, ivf, t}, func() (core.Index, error) {
		vt, err := optionalTransform(op, t)
		if err != nil {
			return nil, err
		}
		quantizer, err := indexOf(op, q)
		if err != nil {
			return nil, err
		}
		sub, err := indexOf(op, ivf)
		if err != nil {
			return nil, err
		}
		iv, ok := sub.(*core.IndexIVF)
		if !ok {
			return nil, core.Errorf(core.KindInvalidArgument, op, "the index must be an IVF index, got %T", sub)
		}
		return core.NewIndexIVFIndependentQuantizer(quantizer, iv, vt)
	})
}

// IVFIndependentPart writes a handle to part which (0 quantizer, 1 the IVF
// index, 2 the transform; 0 when there is none) to out (int64[1]).
func IVFIndependentPart(h, which int64, out uintptr) string {
	const op = "IndexIVFIndependentQuantizer.part"
	return withPart(op, h, out, func(v any) (any, bool) {
		ix, ok := v.(*core.IndexIVFIndependentQuantizer)
		if !ok {
			return nil, false
		}
		switch which {
		case 0:
			return ix.Quantizer(), true
		case 1:
			return ix.IVF(), true
		case 2:
			if ix.Transform() == nil {
				return nil, true
			}
			return ix.Transform(), true
		}
		return nil, false
	})
}
