package core

import (
	"gonum.org/v1/gonum/lapack"
)

// OPQMatrix is the rotation of Optimized Product Quantization (faiss's
// OPQMatrix): it alternates training a product quantizer of M sub-spaces
// on the rotated data and solving for the rotation that best maps the
// data onto its reconstruction (an orthogonal Procrustes problem).
type OPQMatrix struct {
	LinearTransform
	M int
	// Niter rounds of PQ then rotation; NiterPQ k-means iterations per
	// round (NiterPQ0 in the first); MaxTrainPoints caps the training set.
	Niter, NiterPQ, NiterPQ0, MaxTrainPoints int
}

// NewOPQMatrix makes an untrained d -> d2 rotation for M sub-quantizers;
// d2 = -1 keeps d (faiss's default).
func NewOPQMatrix(d, m, d2 int) (*OPQMatrix, error) {
	const op = "OPQMatrix"
	if d2 == -1 {
		d2 = d
	}
	lt, err := newNamedLinear("OPQMatrix", d, d2, false)
	if err != nil {
		return nil, err
	}
	if m <= 0 || d2%m != 0 {
		return nil, Errorf(KindInvalidArgument, op, "M=%d must be positive and divide the output dimension %d", m, d2)
	}
	return &OPQMatrix{LinearTransform: *lt, M: m, Niter: 50, NiterPQ: 4, NiterPQ0: 40, MaxTrainPoints: 256 * 256}, nil
}

// Train learns the rotation as faiss does: from faiss's random rotation
// (seed 1234), over centred data padded with zeros when d2 > d.
func (o *OPQMatrix) Train(x []float32) error {
	const op = "OPQMatrix.train"
	if _, err := checkBatch(op, x, o.din); err != nil {
		return err
	}
	x, n := maybeSubsample(x, o.din, max(1, o.MaxTrainPoints))
	d, d2 := max(o.din, o.dout), o.dout
	pq, err := NewProductQuantizer(d2, o.M, 8)
	if err != nil {
		return err
	}
	if n < pq.Ksub {
		return Errorf(KindInvalidArgument, op, "%d training points for %d centroids per sub-quantizer: need at least as many points", n, pq.Ksub)
	}
	xtrain := centredPadded(x, n, o.din, d)
	rotation := o.A
	if len(rotation) == 0 {
		rotation = make([]float32, d*d)
		FloatRandn(rotation, 1234)
		orthonormalizeColumns(d, d, rotation)
		rotation = rotation[:d*d2]
	} else if len(rotation) != d*d2 {
		return Errorf(KindDimensionMismatch, op, "the initial rotation holds %d floats, need %d", len(rotation), d*d2)
	}
	xproj := make([]float32, n*d2)
	recons := make([]float32, n*d2)
	codes := make([]byte, n*pq.CodeSize)
	pq.CP.MaxPointsPerCentroid = 1000
	for iter := 0; iter < o.Niter; iter++ {
		trainingApply(xtrain, n, d, rotation, d2, xproj)
		pq.CP.Niter = o.NiterPQ
		if iter == 0 {
			pq.CP.Niter = o.NiterPQ0
		}
		if err := pq.Train(xproj); err != nil {
			return err
		}
		pq.HotStart = true
		if err := pq.ComputeCodes(xproj, codes); err != nil {
			return err
		}
		if err := pq.Decode(codes, recons); err != nil {
			return err
		}
		if rotation, err = procrustes(recons, xtrain, n, d2, d); err != nil {
			return err
		}
	}
	a := rotation
	if d > o.din {
		a = make([]float32, o.dout*o.din)
		for i := 0; i < o.dout; i++ {
			copy(a[i*o.din:(i+1)*o.din], rotation[i*d:i*d+o.din])
		}
	}
	o.A, o.B, o.trained, o.IsOrthonormal = a, nil, true, true
	return nil
}

// centredPadded returns the rows of x minus their mean, widened to d with
// zeros.
func centredPadded(x []float32, n, din, d int) []float32 {
	sum := make([]float32, din)
	for i := 0; i < n; i++ {
		for j := 0; j < din; j++ {
			sum[j] += x[i*din+j]
		}
	}
	for j := range sum {
		sum[j] /= float32(n)
	}
	out := make([]float32, n*d)
	for i := 0; i < n; i++ {
		for j := 0; j < din; j++ {
			out[i*d+j] = x[i*din+j] - sum[j]
		}
	}
	return out
}

// procrustes returns the d2 x d matrix with orthonormal rows that best
// maps the rows of x (d wide) onto y (d2 wide): U V^T from the SVD of
// Y^T X = U S V^T, which does not depend on the signs of the singular
// vectors.
func procrustes(y, x []float32, n, d2, d int) ([]float32, error) {
	m := crossProduct(y, d2, x, d, n)
	md := make([]float64, len(m))
	for i, v := range m {
		md[i] = float64(v)
	}
	s := make([]float64, min(d2, d))
	u := make([]float64, d2*d2)
	vt := make([]float64, d*d)
	work := []float64{0}
	lapackImpl.Dgesvd(lapack.SVDAll, lapack.SVDAll, d2, d, md, d, s, u, d2, vt, d, work, -1)
	work = make([]float64, max(1, int(work[0])))
	if !lapackImpl.Dgesvd(lapack.SVDAll, lapack.SVDAll, d2, d, md, d, s, u, d2, vt, d, work, len(work)) {
		return nil, Errorf(KindInvalidArgument, "OPQMatrix.train", "the SVD did not converge")
	}
	r := make([]float32, d2*d)
	for i := 0; i < d2; i++ {
		for j := 0; j < d; j++ {
			acc := 0.0
			for k := 0; k < d2; k++ {
				acc += u[i*d2+k] * vt[k*d+j]
			}
			r[i*d+j] = float32(acc)
		}
	}
	return r, nil
}

// Name is the faiss class this type is read and written as.
func (t *OPQMatrix) Name() string { return "OPQMatrix" }
