package core

import "github.com/metalfaiss/metalfaiss/core/kernels"

// NormalizationTransform scales each vector to unit L2 norm (faiss's
// NormalizationTransform; only norm 2 is defined there too). Its reverse
// is the identity, as faiss's.
type NormalizationTransform struct {
	d    int
	Norm float32
}

// NewNormalizationTransform makes a d -> d normalisation.
func NewNormalizationTransform(d int, norm float32) (*NormalizationTransform, error) {
	if d <= 0 {
		return nil, Errorf(KindInvalidArgument, "NormalizationTransform", "d=%d must be positive", d)
	}
	if norm != 2 {
		return nil, Errorf(KindUnsupported, "NormalizationTransform", "only norm=2.0 is implemented (as in faiss), got %g", norm)
	}
	return &NormalizationTransform{d: d, Norm: norm}, nil
}

func (t *NormalizationTransform) DIn() int                { return t.d }
func (t *NormalizationTransform) DOut() int               { return t.d }
func (t *NormalizationTransform) IsTrained() bool         { return true }
func (t *NormalizationTransform) Train(_ []float32) error { return nil }

// Apply implements VectorTransform.
func (t *NormalizationTransform) Apply(x, out []float32) error {
	if _, err := checkApply("NormalizationTransform.apply", t, x, out, t.d, t.d); err != nil {
		return err
	}
	copy(out, x)
	renormRows(out, t.d)
	return nil
}

// Reverse implements Reverser (a copy, as in faiss).
func (t *NormalizationTransform) Reverse(xt, out []float32) error {
	if _, err := checkApply("NormalizationTransform.reverse_transform", t, xt, out, t.d, t.d); err != nil {
		return err
	}
	copy(out, xt)
	return nil
}

// CenteringTransform subtracts the training mean (faiss's
// CenteringTransform).
type CenteringTransform struct {
	d    int
	Mean []float32
}

// NewCenteringTransform makes an untrained d -> d centring.
func NewCenteringTransform(d int) (*CenteringTransform, error) {
	if d <= 0 {
		return nil, Errorf(KindInvalidArgument, "CenteringTransform", "d=%d must be positive", d)
	}
	return &CenteringTransform{d: d}, nil
}

func (t *CenteringTransform) DIn() int        { return t.d }
func (t *CenteringTransform) DOut() int       { return t.d }
func (t *CenteringTransform) IsTrained() bool { return t.Mean != nil }

// Train learns the mean of the rows of x.
func (t *CenteringTransform) Train(x []float32) error {
	const op = "CenteringTransform.train"
	n, err := checkBatch(op, x, t.d)
	if err != nil {
		return err
	}
	if n == 0 {
		return Errorf(KindInvalidArgument, op, "need at least one training vector")
	}
	mean := make([]float32, t.d)
	for i := 0; i < n; i++ {
		kernels.AddTo(mean, x[i*t.d:(i+1)*t.d])
	}
	for j := range mean {
		mean[j] /= float32(n)
	}
	t.Mean = mean
	return nil
}

// Apply implements VectorTransform.
func (t *CenteringTransform) Apply(x, out []float32) error {
	n, err := checkApply("CenteringTransform.apply", t, x, out, t.d, t.d)
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		for j, m := range t.Mean {
			out[i*t.d+j] = x[i*t.d+j] - m
		}
	}
	return nil
}

// Reverse implements Reverser: the mean added back.
func (t *CenteringTransform) Reverse(xt, out []float32) error {
	n, err := checkApply("CenteringTransform.reverse_transform", t, xt, out, t.d, t.d)
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		for j, m := range t.Mean {
			out[i*t.d+j] = xt[i*t.d+j] + m
		}
	}
	return nil
}

// RemapDimensionsTransform copies input dimensions to output places (faiss's
// RemapDimensionsTransform): output j is input Map[j], or 0 where Map[j] is
// -1. Padding ("Pad{d}" in the factory) is a remap that keeps the first
// dimensions.
type RemapDimensionsTransform struct {
	din, dout int
	Map       []int
}

// NewRemapDimensionsTransform makes faiss's default maps: uniform spreads
// the dimensions evenly, otherwise the first min(din, dout) are kept.
func NewRemapDimensionsTransform(din, dout int, uniform bool) (*RemapDimensionsTransform, error) {
	if din <= 0 || dout <= 0 {
		return nil, Errorf(KindInvalidArgument, "RemapDimensionsTransform", "d_in=%d and d_out=%d must be positive", din, dout)
	}
	m := make([]int, dout)
	for i := range m {
		m[i] = -1
	}
	switch {
	case uniform && din < dout:
		for i := 0; i < din; i++ {
			m[i*dout/din] = i
		}
	case uniform:
		for i := 0; i < dout; i++ {
			m[i] = i * din / dout
		}
	default:
		for i := 0; i < din && i < dout; i++ {
			m[i] = i
		}
	}
	return &RemapDimensionsTransform{din: din, dout: dout, Map: m}, nil
}

// NewRemapDimensionsTransformMap uses an explicit map (dout entries, each
// -1 or an input dimension).
func NewRemapDimensionsTransformMap(din int, m []int) (*RemapDimensionsTransform, error) {
	const op = "RemapDimensionsTransform"
	if din <= 0 || len(m) == 0 {
		return nil, Errorf(KindInvalidArgument, op, "d_in=%d and d_out=%d must be positive", din, len(m))
	}
	for j, v := range m {
		if v < -1 || v >= din {
			return nil, Errorf(KindInvalidArgument, op, "map[%d]=%d is neither -1 nor an input dimension in 0..%d", j, v, din-1)
		}
	}
	return &RemapDimensionsTransform{din: din, dout: len(m), Map: append([]int(nil), m...)}, nil
}

func (t *RemapDimensionsTransform) DIn() int                { return t.din }
func (t *RemapDimensionsTransform) DOut() int               { return t.dout }
func (t *RemapDimensionsTransform) IsTrained() bool         { return true }
func (t *RemapDimensionsTransform) Train(_ []float32) error { return nil }

// Apply implements VectorTransform.
func (t *RemapDimensionsTransform) Apply(x, out []float32) error {
	n, err := checkApply("RemapDimensionsTransform.apply", t, x, out, t.din, t.dout)
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		for j, src := range t.Map {
			v := float32(0)
			if src >= 0 {
				v = x[i*t.din+src]
			}
			out[i*t.dout+j] = v
		}
	}
	return nil
}

// Reverse implements Reverser: mapped dimensions go back, the rest are 0.
func (t *RemapDimensionsTransform) Reverse(xt, out []float32) error {
	n, err := checkApply("RemapDimensionsTransform.reverse_transform", t, xt, out, t.dout, t.din)
	if err != nil {
		return err
	}
	clear(out)
	for i := 0; i < n; i++ {
		for j, src := range t.Map {
			if src >= 0 {
				out[i*t.din+src] = xt[i*t.dout+j]
			}
		}
	}
	return nil
}

// Name is the faiss class this type is read and written as.
func (t *NormalizationTransform) Name() string { return "NormalizationTransform" }

// Name is the faiss class this type is read and written as.
func (t *CenteringTransform) Name() string { return "CenteringTransform" }

// Name is the faiss class this type is read and written as.
func (t *RemapDimensionsTransform) Name() string { return "RemapDimensionsTransform" }
