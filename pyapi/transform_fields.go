package pyapi

import (
	"github.com/metalfaiss/metalfaiss/core"
)

// linearOf is the linear map inside t, if it is one.
func linearOf(t core.VectorTransform) *core.LinearTransform {
	switch t := t.(type) {
	case *core.LinearTransform:
		return t
	case *core.PCAMatrix:
		return &t.LinearTransform
	case *core.OPQMatrix:
		return &t.LinearTransform
	case *core.RandomRotationMatrix:
		return &t.LinearTransform
	case *core.ITQMatrix:
		return &t.LinearTransform
	}
	return nil
}

// field points at one setting of a transform: exactly one pointer is set.
type field struct {
	f  *float32
	i  *int
	i6 *int64
	b  *bool
	ro bool // read-only (is_orthonormal: derived, not set)
}

// transformField finds a setting by faiss's name.
func transformField(t core.VectorTransform, name string) (field, bool) {
	if lt := linearOf(t); lt != nil {
		switch name {
		case "have_bias":
			return field{b: &lt.HaveBias, ro: true}, true
		case "is_orthonormal":
			return field{b: &lt.IsOrthonormal, ro: true}, true
		}
	}
	switch t := t.(type) {
	case *core.PCAMatrix:
		switch name {
		case "eigen_power":
			return field{f: &t.EigenPower}, true
		case "epsilon":
			return field{f: &t.Epsilon}, true
		case "random_rotation":
			return field{b: &t.RandomRotation}, true
		case "max_points_per_d":
			return field{i: &t.MaxPointsPerD}, true
		case "balanced_bins":
			return field{i: &t.BalancedBins}, true
		}
	case *core.OPQMatrix:
		switch name {
		case "M":
			return field{i: &t.M, ro: true}, true
		case "niter":
			return field{i: &t.Niter}, true
		case "niter_pq":
			return field{i: &t.NiterPQ}, true
		case "niter_pq_0":
			return field{i: &t.NiterPQ0}, true
		case "max_train_points":
			return field{i: &t.MaxTrainPoints}, true
		}
	case *core.ITQMatrix:
		switch name {
		case "max_iter":
			return field{i: &t.MaxIter}, true
		case "seed":
			return field{i6: &t.Seed}, true
		}
	case *core.ITQTransform:
		switch name {
		case "do_pca":
			return field{b: &t.DoPCA, ro: true}, true
		case "max_train_per_dim":
			return field{i: &t.MaxTrainPerDim}, true
		}
	case *core.NormalizationTransform:
		if name == "norm" {
			return field{f: &t.Norm, ro: true}, true
		}
	case *core.HadamardRotation:
		if name == "seed" {
			return field{i6: &t.Seed}, true
		}
	}
	return field{}, false
}

// TransformGetParam writes the setting name of the transform behind h to
// out (float64[1]).
func TransformGetParam(h int64, name string, out uintptr) string {
	op := "VectorTransform." + name
	return withTransform(op, h, false, func(t core.VectorTransform) error {
		f, ok := transformField(t, name)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "%T has no setting %q", t, name)
		}
		dst, err := float64s(out, 1)
		if err != nil {
			return err
		}
		switch {
		case f.f != nil:
			dst[0] = float64(*f.f)
		case f.i != nil:
			dst[0] = float64(*f.i)
		case f.i6 != nil:
			dst[0] = float64(*f.i6)
		default:
			dst[0] = float64(b2i(*f.b))
		}
		return nil
	})
}

// TransformSetParam changes a setting (before training).
func TransformSetParam(h int64, name string, value float64) string {
	op := "VectorTransform." + name
	return withTransform(op, h, true, func(t core.VectorTransform) error {
		f, ok := transformField(t, name)
		if !ok || f.ro {
			return core.Errorf(core.KindInvalidArgument, op, "%T has no settable %q", t, name)
		}
		switch {
		case f.f != nil:
			*f.f = float32(value)
		case f.i != nil:
			if value < 0 || value > 1<<40 || value != float64(int64(value)) {
				return core.Errorf(core.KindInvalidArgument, op, "expected a non-negative integer, got %g", value)
			}
			*f.i = int(value)
		case f.i6 != nil:
			*f.i6 = int64(value)
		default:
			*f.b = value != 0
		}
		return nil
	})
}

// transformArray is the learnt array name of t (faiss's field names).
func transformArray(t core.VectorTransform, name string) ([]float32, bool) {
	if lt := linearOf(t); lt != nil {
		switch name {
		case "A":
			return lt.A, true
		case "b":
			return lt.B, true
		}
	}
	switch t := t.(type) {
	case *core.PCAMatrix:
		switch name {
		case "mean":
			return t.Mean, true
		case "eigenvalues":
			return t.Eigenvalues, true
		case "PCAMat":
			return t.PCAMat, true
		}
	case *core.CenteringTransform:
		if name == "mean" {
			return t.Mean, true
		}
	case *core.ITQTransform:
		if name == "mean" {
			return t.Mean, true
		}
	}
	return nil, false
}

// TransformArrayLen writes the length of array name to out (int64[1]).
func TransformArrayLen(h int64, name string, out uintptr) string {
	op := "VectorTransform." + name
	return withTransform(op, h, false, func(t core.VectorTransform) error {
		a, ok := transformArray(t, name)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "%T has no array %q", t, name)
		}
		dst, err := int64s(out, 1)
		if err == nil {
			dst[0] = int64(len(a))
		}
		return err
	})
}

// TransformArrayFetch copies array name (n floats) to out.
func TransformArrayFetch(h int64, name string, n int64, out uintptr) string {
	op := "VectorTransform." + name
	return withTransform(op, h, false, func(t core.VectorTransform) error {
		a, ok := transformArray(t, name)
		if !ok || int64(len(a)) != n {
			return core.Errorf(core.KindInvalidArgument, op, "%T has no array %q of %d floats", t, name, n)
		}
		dst, err := floats(out, n)
		if err == nil {
			copy(dst, a)
		}
		return err
	})
}

// LinearTransformSet installs A (n_a floats) and b (n_b floats) in a bare
// LinearTransform, which is then trained.
func LinearTransformSet(h int64, a uintptr, na int64, b uintptr, nb int64) string {
	const op = "LinearTransform.set"
	return withTransform(op, h, true, func(t core.VectorTransform) error {
		lt, ok := t.(*core.LinearTransform)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T learns its matrix by training", t)
		}
		as, err := floats(a, na)
		if err != nil {
			return err
		}
		bs, err := floats(b, nb)
		if err != nil {
			return err
		}
		return lt.SetMatrix(as, bs)
	})
}

// RemapDimensionsMap writes the remap's d_out entries to out (int64).
func RemapDimensionsMap(h int64, out uintptr) string {
	const op = "RemapDimensionsTransform.map"
	return withTransform(op, h, false, func(t core.VectorTransform) error {
		r, ok := t.(*core.RemapDimensionsTransform)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T is not a remap", t)
		}
		dst, err := int64s(out, int64(len(r.Map)))
		if err != nil {
			return err
		}
		for i, v := range r.Map {
			dst[i] = int64(v)
		}
		return nil
	})
}

// ITQTransformParts writes new handles to the ITQ rotation and the
// composed PCA-then-ITQ map to out (int64[2]).
func ITQTransformParts(h int64, out uintptr) string {
	const op = "ITQTransform.itq"
	return withObjectAt(op, h, false, func(o *object) error {
		it, ok := o.val.(*core.ITQTransform)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T is not an ITQTransform", o.val)
		}
		dst, err := int64s(out, 2)
		if err == nil {
			fam := o.family()
			dst[0], dst[1] = registerIn(fam, it.ITQ), registerIn(fam, it.PCAThenITQ)
		}
		return err
	})
}
