package pyapi

import (
	"github.com/metalfaiss/metalfaiss/core"
	"github.com/metalfaiss/metalfaiss/core/indexio"
)

// Vector transforms behind handles: constructors, train / apply / reverse,
// and their settings and learnt arrays by faiss's field names.

func newTransform(op string, out uintptr, make func() (core.VectorTransform, error)) string {
	return newObject(op, out, func() (any, error) { return make() })
}

// LinearTransformNew makes a bare y = A x (+ b) transform, set through
// TransformSetArray.
func LinearTransformNew(din, dout int64, haveBias bool, out uintptr) string {
	return newTransform("LinearTransform", out, func() (core.VectorTransform, error) {
		return core.NewLinearTransform(int(din), int(dout), haveBias)
	})
}

// PCAMatrixNew makes an untrained PCAMatrix.
func PCAMatrixNew(din, dout int64, eigenPower float64, randomRotation bool, out uintptr) string {
	return newTransform("PCAMatrix", out, func() (core.VectorTransform, error) {
		return core.NewPCAMatrix(int(din), int(dout), float32(eigenPower), randomRotation)
	})
}

// OPQMatrixNew makes an untrained OPQMatrix (d2 = -1: d).
func OPQMatrixNew(d, m, d2 int64, out uintptr) string {
	return newTransform("OPQMatrix", out, func() (core.VectorTransform, error) {
		return core.NewOPQMatrix(int(d), int(m), int(d2))
	})
}

// RandomRotationMatrixNew makes an undrawn RandomRotationMatrix.
func RandomRotationMatrixNew(din, dout int64, out uintptr) string {
	return newTransform("RandomRotationMatrix", out, func() (core.VectorTransform, error) {
		return core.NewRandomRotationMatrix(int(din), int(dout))
	})
}

// ITQMatrixNew makes an untrained ITQMatrix.
func ITQMatrixNew(d int64, out uintptr) string {
	return newTransform("ITQMatrix", out, func() (core.VectorTransform, error) {
		return core.NewITQMatrix(int(d))
	})
}

// ITQTransformNew makes an untrained ITQTransform.
func ITQTransformNew(din, dout int64, doPCA bool, out uintptr) string {
	return newTransform("ITQTransform", out, func() (core.VectorTransform, error) {
		return core.NewITQTransform(int(din), int(dout), doPCA)
	})
}

// NormalizationTransformNew makes an L2 normalisation.
func NormalizationTransformNew(d int64, norm float64, out uintptr) string {
	return newTransform("NormalizationTransform", out, func() (core.VectorTransform, error) {
		return core.NewNormalizationTransform(int(d), float32(norm))
	})
}

// HadamardRotationNew makes the Hadamard rotation of d dimensions drawn
// from seed.
func HadamardRotationNew(d, seed int64, out uintptr) string {
	return newTransform("HadamardRotation", out, func() (core.VectorTransform, error) {
		return core.NewHadamardRotation(int(d), uint32(seed))
	})
}

// CenteringTransformNew makes an untrained CenteringTransform.
func CenteringTransformNew(d int64, out uintptr) string {
	return newTransform("CenteringTransform", out, func() (core.VectorTransform, error) {
		return core.NewCenteringTransform(int(d))
	})
}

// RemapDimensionsTransformNew makes faiss's uniform or leading-dimensions
// remap; with nmap > 0 the int64 map at mapAddr is used instead.
func RemapDimensionsTransformNew(din, dout int64, uniform bool, mapAddr uintptr, nmap int64, out uintptr) string {
	return newTransform("RemapDimensionsTransform", out, func() (core.VectorTransform, error) {
		if nmap == 0 {
			return core.NewRemapDimensionsTransform(int(din), int(dout), uniform)
		}
		m, err := int64s(mapAddr, nmap)
		if err != nil {
			return nil, err
		}
		ints := make([]int, len(m))
		for i, v := range m {
			ints[i] = int(v)
		}
		return core.NewRemapDimensionsTransformMap(int(din), ints)
	})
}

// withTransform runs fn on the transform behind h.
func withTransform(op string, h int64, write bool, fn func(core.VectorTransform) error) string {
	return withObject(op, h, write, func(v any) error {
		t, ok := v.(core.VectorTransform)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "handle %d is not a vector transform", h)
		}
		return fn(t)
	})
}

// TransformInfo writes d_in, d_out and is_trained (0/1) to out (int64[3]).
func TransformInfo(h int64, out uintptr) string {
	return withTransform("VectorTransform.info", h, false, func(t core.VectorTransform) error {
		dst, err := int64s(out, 3)
		if err != nil {
			return err
		}
		dst[0], dst[1], dst[2] = int64(t.DIn()), int64(t.DOut()), b2i(t.IsTrained())
		return nil
	})
}

// TransformTrain trains on n vectors at x.
func TransformTrain(h, n int64, x uintptr) string {
	return withTransform("VectorTransform.train", h, true, func(t core.VectorTransform) error {
		xs, err := floats(x, n*int64(t.DIn()))
		if err != nil {
			return err
		}
		return t.Train(xs)
	})
}

// TransformApply writes the transform of n vectors at x to out
// (float32[n*d_out]).
func TransformApply(h, n int64, x, out uintptr) string {
	return withTransform("VectorTransform.apply", h, false, func(t core.VectorTransform) error {
		xs, err := floats(x, n*int64(t.DIn()))
		if err != nil {
			return err
		}
		ys, err := floats(out, n*int64(t.DOut()))
		if err != nil {
			return err
		}
		return t.Apply(xs, ys)
	})
}

// TransformReverse writes the reverse transform of n vectors at xt to out
// (float32[n*d_in]).
func TransformReverse(h, n int64, xt, out uintptr) string {
	const op = "VectorTransform.reverse_transform"
	return withTransform(op, h, false, func(t core.VectorTransform) error {
		r, ok := t.(core.Reverser)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T has no reverse transform", t)
		}
		ys, err := floats(xt, n*int64(t.DOut()))
		if err != nil {
			return err
		}
		xs, err := floats(out, n*int64(t.DIn()))
		if err != nil {
			return err
		}
		return r.Reverse(ys, xs)
	})
}

// RandomRotationInit draws the rotation behind h from seed.
func RandomRotationInit(h, seed int64) string {
	const op = "RandomRotationMatrix.init"
	return withTransform(op, h, true, func(t core.VectorTransform) error {
		r, ok := t.(*core.RandomRotationMatrix)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T is not a RandomRotationMatrix", t)
		}
		r.Init(seed)
		return nil
	})
}

// TransformSerialize writes the transform behind h in faiss's format and
// writes the buffer's handle and length to out (int64[2]); fetch it with
// BytesFetch.
func TransformSerialize(h int64, out uintptr) string {
	return withTransform("write_VectorTransform", h, false, func(t core.VectorTransform) error {
		dst, err := int64s(out, 2)
		if err != nil {
			return err
		}
		b, err := indexio.WriteTransform(t)
		if err != nil {
			return err
		}
		dst[0], dst[1] = register(&serialized{b}), int64(len(b))
		return nil
	})
}

// TransformDeserialize reads a transform from the n bytes at addr and
// writes its handle to out (int64[1]).
func TransformDeserialize(n int64, addr uintptr, out uintptr) string {
	return newTransform("read_VectorTransform", out, func() (core.VectorTransform, error) {
		b, err := bytesAt(addr, n)
		if err != nil {
			return nil, err
		}
		return indexio.ReadTransform(b)
	})
}
