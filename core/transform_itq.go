package core

// ITQMatrix is the rotation of Iterative Quantization (faiss's ITQMatrix):
// starting from faiss's random rotation (Seed), it alternates binarising
// the rotated data and re-fitting the rotation, in double precision and
// with faiss's exact update, so that the matrix is faiss's.
type ITQMatrix struct {
	LinearTransform
	MaxIter int
	Seed    int64
	// InitRotation, d x d, replaces the random start when set.
	InitRotation []float64
}

// NewITQMatrix makes an untrained d -> d ITQ rotation.
func NewITQMatrix(d int) (*ITQMatrix, error) {
	lt, err := newNamedLinear("ITQMatrix", d, d, false)
	if err != nil {
		return nil, err
	}
	return &ITQMatrix{LinearTransform: *lt, MaxIter: 50, Seed: 123}, nil
}

// Train fits the rotation to the rows of x.
func (t *ITQMatrix) Train(x []float32) error {
	const op = "ITQMatrix.train"
	d := t.din
	n, err := checkBatch(op, x, d)
	if err != nil {
		return err
	}
	if n == 0 {
		return Errorf(KindInvalidArgument, op, "no training vectors")
	}
	// rot is the rotation R (row-major): a point rotates to R x. faiss
	// keeps R column-major; the arithmetic below is its own, in double.
	rot := make([]float64, d*d)
	if len(t.InitRotation) == d*d {
		// faiss's init_rotation is its column-major buffer.
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				rot[i*d+j] = t.InitRotation[j*d+i]
			}
		}
	} else {
		// faiss copies the random matrix's buffer as the column-major R.
		rr := randomRotation(d, d, t.Seed)
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				rot[i*d+j] = float64(rr[j*d+i])
			}
		}
	}
	xd := make([]float64, n*d)
	for i, v := range x {
		xd[i] = float64(v)
	}
	signs := make([]bool, n*d)
	cov := make([]float64, d*d)
	for iter := 0; iter < t.MaxIter; iter++ {
		// The signs of R x_i, then cov = B^T X with B = +-1.
		parallelChunks(n, chunkFor(d*d), func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				xi := xd[i*d : (i+1)*d]
				for r := 0; r < d; r++ {
					signs[i*d+r] = dot64(rot[r*d:(r+1)*d], xi) < 0
				}
			}
		})
		parallelChunks(d, chunkFor(n*d), func(_, lo, hi int) {
			for r := lo; r < hi; r++ {
				row := cov[r*d : (r+1)*d]
				clear(row)
				for i := 0; i < n; i++ {
					xi := xd[i*d : (i+1)*d]
					if signs[i*d+r] {
						for c, v := range xi {
							row[c] -= v
						}
					} else {
						for c, v := range xi {
							row[c] += v
						}
					}
				}
			}
		})
		// faiss's update from the SVD cov = U S V^T is R = U V.
		u, v, ok := svdRowMajor(d, cov)
		if !ok {
			return Errorf(KindInvalidArgument, op, "the SVD did not converge")
		}
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				acc := 0.0
				for k := 0; k < d; k++ {
					acc += u[i*d+k] * v[k*d+j]
				}
				rot[i*d+j] = acc
			}
		}
	}
	a := make([]float32, d*d)
	for i, v := range rot {
		a[i] = float32(v)
	}
	t.A, t.trained = a, true
	t.setIsOrthonormal()
	return nil
}

// ITQTransform is faiss's ITQTransform: centre, L2-normalise, optionally
// reduce by PCA to DOut dimensions, then rotate by ITQ. Its output signs
// are the binary codes ITQ was fitted for.
type ITQTransform struct {
	din, dout int
	DoPCA     bool
	// MaxTrainPerDim: training uses at most max(DIn*this, 32768) points.
	MaxTrainPerDim int
	Mean           []float32
	ITQ            *ITQMatrix
	// PCAThenITQ is the composed linear map (no bias).
	PCAThenITQ *LinearTransform
	trained    bool
}

// NewITQTransform makes an untrained din -> dout ITQ; without PCA din must
// equal dout.
func NewITQTransform(din, dout int, doPCA bool) (*ITQTransform, error) {
	if !doPCA && din != dout {
		return nil, Errorf(KindInvalidArgument, "ITQTransform", "without PCA d_in (%d) must equal d_out (%d)", din, dout)
	}
	itq, err := NewITQMatrix(dout)
	if err != nil {
		return nil, err
	}
	lt, err := NewLinearTransform(din, dout, false)
	if err != nil {
		return nil, err
	}
	return &ITQTransform{din: din, dout: dout, DoPCA: doPCA, MaxTrainPerDim: 10, ITQ: itq, PCAThenITQ: lt}, nil
}

func (t *ITQTransform) DIn() int        { return t.din }
func (t *ITQTransform) DOut() int       { return t.dout }
func (t *ITQTransform) IsTrained() bool { return t.trained }

// Train learns the mean, the PCA and the rotation; faiss refuses to train
// twice, and so do we.
func (t *ITQTransform) Train(x []float32) error {
	const op = "ITQTransform.train"
	if t.trained {
		return Errorf(KindInvalidArgument, op, "already trained")
	}
	if _, err := checkBatch(op, x, t.din); err != nil {
		return err
	}
	x, n := maybeSubsample(x, t.din, max(t.din*t.MaxTrainPerDim, 32768))
	if n == 0 {
		return Errorf(KindInvalidArgument, op, "no training vectors")
	}
	d := t.din
	mean := make([]float32, d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			mean[j] += x[i*d+j]
		}
	}
	for j := range mean {
		mean[j] /= float32(n)
	}
	xn := centredNormalized(x, n, d, mean)
	xp := xn
	var pca *PCAMatrix
	if t.DoPCA {
		var err error
		if pca, err = NewPCAMatrix(d, t.dout, 0, false); err != nil {
			return err
		}
		pca.HaveBias = false
		if err := pca.Train(xn); err != nil {
			return err
		}
		xp = make([]float32, n*t.dout)
		if err := pca.Apply(xn, xp); err != nil {
			return err
		}
	}
	if err := t.ITQ.Train(xp); err != nil {
		return err
	}
	a := t.ITQ.A
	if pca != nil {
		// The composition ITQ * PCA, (dout x dout) times (dout x din).
		a = make([]float32, t.dout*d)
		for i := 0; i < t.dout; i++ {
			for k := 0; k < t.dout; k++ {
				w := t.ITQ.A[i*t.dout+k]
				for j := 0; j < d; j++ {
					a[i*d+j] += w * pca.A[k*d+j]
				}
			}
		}
	}
	t.Mean = mean
	t.PCAThenITQ.A, t.PCAThenITQ.trained = a, true
	t.trained = true
	return nil
}

// centredNormalized returns the rows of x minus mean, scaled to unit norm.
func centredNormalized(x []float32, n, d int, mean []float32) []float32 {
	out := make([]float32, n*d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			out[i*d+j] = x[i*d+j] - mean[j]
		}
	}
	renormRows(out, d)
	return out
}

// Apply implements VectorTransform.
func (t *ITQTransform) Apply(x, out []float32) error {
	n, err := checkApply("ITQTransform.apply", t, x, out, t.din, t.dout)
	if err != nil {
		return err
	}
	linearApply(centredNormalized(x, n, t.din, t.Mean), n, t.din, t.PCAThenITQ.A, t.dout, nil, out)
	return nil
}

func dot64(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// Name is the faiss class this type is read and written as.
func (t *ITQMatrix) Name() string { return "ITQMatrix" }

// Name is the faiss class this type is read and written as.
func (t *ITQTransform) Name() string { return "ITQTransform" }

// RestoreITQTransform rebuilds an ITQTransform read from a file.
func RestoreITQTransform(din, dout int, doPCA bool, mean []float32, itq *ITQMatrix, composed *LinearTransform, trained bool) (*ITQTransform, error) {
	const op = "read_VectorTransform"
	if itq.din != dout || composed.din != din || composed.dout != dout {
		return nil, Errorf(KindInvalidArgument, op, "ITQ parts of %d -> %d and %d -> %d do not make a %d -> %d transform", itq.din, itq.dout, composed.din, composed.dout, din, dout)
	}
	if trained && (len(mean) != din || !composed.trained) {
		return nil, Errorf(KindInvalidArgument, op, "a trained ITQTransform needs a mean of %d floats (got %d) and a trained map", din, len(mean))
	}
	return &ITQTransform{din: din, dout: dout, DoPCA: doPCA, MaxTrainPerDim: 10, Mean: mean, ITQ: itq, PCAThenITQ: composed, trained: trained}, nil
}
