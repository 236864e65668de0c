package core

import (
	"math"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// PCAMatrix projects on the principal components (faiss's PCAMatrix):
// A holds the DOut leading eigenvectors of the training covariance, b
// centres the data. EigenPower scales component i by eigenvalue_i^power
// (-0.5 whitens); RandomRotation rotates the output ("PCAR").
type PCAMatrix struct {
	LinearTransform
	EigenPower     float32
	Epsilon        float32
	RandomRotation bool
	// MaxPointsPerD caps training at this many points per input dimension.
	MaxPointsPerD int
	// BalancedBins > 0 reorders the components so that bins of DOut /
	// BalancedBins components carry similar variance.
	BalancedBins int
	Mean         []float32
	Eigenvalues  []float32
	// PCAMat holds the eigenvectors, one per row, largest first.
	PCAMat []float32
}

// NewPCAMatrix makes an untrained din -> dout PCA.
func NewPCAMatrix(din, dout int, eigenPower float32, randomRotation bool) (*PCAMatrix, error) {
	lt, err := newNamedLinear("PCAMatrix", din, dout, true)
	if err != nil {
		return nil, err
	}
	return &PCAMatrix{LinearTransform: *lt, EigenPower: eigenPower, RandomRotation: randomRotation, MaxPointsPerD: 1000}, nil
}

// Train learns the mean and the eigenvectors, as faiss does: from the
// covariance (in double) when there are at least DIn points, else from the
// Gram matrix of the centred points.
func (p *PCAMatrix) Train(x []float32) error {
	const op = "PCAMatrix.train"
	d := p.din
	if _, err := checkBatch(op, x, d); err != nil {
		return err
	}
	x, n := maybeSubsample(x, d, max(1, p.MaxPointsPerD)*d)
	if n == 0 {
		return Errorf(KindInvalidArgument, op, "no training vectors")
	}
	if n < p.dout {
		return Errorf(KindInvalidArgument, op, "PCA matrix cannot output %d dimensions from %d training points", p.dout, n)
	}
	mean := make([]float32, d)
	if p.HaveBias {
		for i := 0; i < n; i++ {
			kernels.AddTo(mean, x[i*d:(i+1)*d])
		}
		for j := range mean {
			mean[j] /= float32(n)
		}
	}
	var pcaMat, eig []float32
	var err error
	if n >= d {
		pcaMat, eig, err = pcaFromCovariance(x, n, d, mean)
	} else {
		pcaMat, eig, err = pcaFromGram(x, n, d, mean)
	}
	if err != nil {
		return err
	}
	if err := p.prepare(mean, eig, pcaMat); err != nil {
		return err
	}
	return nil
}

// pcaFromCovariance: the eigenvectors of X^T X - n mean mean^T.
func pcaFromCovariance(x []float32, n, d int, mean []float32) ([]float32, []float32, error) {
	// X^T X in float32, as faiss's ssyrk.
	cov := crossProduct(x, d, x, d, n)
	covd := make([]float64, d*d)
	fn := float32(n)
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			covd[i*d+j] = float64(cov[i*d+j] + -fn*mean[i]*mean[j])
		}
	}
	vals, ok := symEigDescending(d, covd)
	if !ok {
		return nil, nil, Errorf(KindInvalidArgument, "PCAMatrix.train", "the eigen-decomposition did not converge")
	}
	return toFloat32(covd), toFloat32(vals), nil
}

// pcaFromGram: with fewer points than dimensions, the eigenvectors of the
// n x n Gram matrix mapped back through the centred points, normalised.
func pcaFromGram(x []float32, n, d int, mean []float32) ([]float32, []float32, error) {
	xc := make([]float32, n*d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			xc[i*d+j] = x[i*d+j] - mean[j]
		}
	}
	gram := make([]float32, n*n)
	linearApply(xc, n, d, xc, n, nil, gram)
	gd := make([]float64, n*n)
	for i := range gram {
		gd[i] = float64(gram[i])
	}
	vals, ok := symEigDescending(n, gd)
	if !ok {
		return nil, nil, Errorf(KindInvalidArgument, "PCAMatrix.train", "the eigen-decomposition did not converge")
	}
	eig := make([]float32, d)
	for i := 0; i < n; i++ {
		eig[i] = float32(vals[i])
	}
	// Component i = sum_j v_i[j] xc_j, then renormalised.
	pcaMat := make([]float32, n*d)
	for i := 0; i < n; i++ {
		row := pcaMat[i*d : (i+1)*d]
		for j := 0; j < n; j++ {
			kernels.AxpyTo(row, float32(gd[i*n+j]), xc[j*d:(j+1)*d])
		}
	}
	renormRows(pcaMat, d)
	return pcaMat, eig, nil
}

func toFloat32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// prepare derives A and b from the learnt components (faiss's prepare_Ab).
func (p *PCAMatrix) prepare(mean, eig, pcaMat []float32) error {
	const op = "PCAMatrix.train"
	din, dout := p.din, p.dout
	if dout*din > len(pcaMat) {
		return Errorf(KindInvalidArgument, op, "PCA matrix cannot output %d dimensions from %d", dout, din)
	}
	var a []float32
	if !p.RandomRotation {
		a = append([]float32(nil), pcaMat[:dout*din]...)
		if p.EigenPower != 0 {
			for i := 0; i < dout; i++ {
				f := float32(math.Pow(float64(eig[i]+p.Epsilon), float64(p.EigenPower)))
				for j := 0; j < din; j++ {
					a[i*din+j] *= f
				}
			}
		}
		if p.BalancedBins != 0 {
			var err error
			if a, err = balanceBins(a, eig, din, dout, p.BalancedBins); err != nil {
				return err
			}
		}
	} else {
		if p.BalancedBins != 0 {
			return Errorf(KindInvalidArgument, op, "both balancing bins and applying a random rotation does not make sense")
		}
		rr := randomRotation(dout, dout, 5)
		if p.EigenPower != 0 {
			for i := 0; i < dout; i++ {
				f := float32(math.Pow(float64(eig[i]), float64(p.EigenPower)))
				for j := 0; j < dout; j++ {
					rr[j*dout+i] *= f
				}
			}
		}
		// A = rr * PCAMat[:dout]: row r of A mixes the components.
		a = make([]float32, dout*din)
		for r := 0; r < dout; r++ {
			for c := 0; c < dout; c++ {
				kernels.AxpyTo(a[r*din:(r+1)*din], rr[r*dout+c], pcaMat[c*din:(c+1)*din])
			}
		}
	}
	b := make([]float32, dout)
	for i := 0; i < dout; i++ {
		var accu float32
		for j := 0; j < din; j++ {
			accu -= mean[j] * a[i*din+j]
		}
		b[i] = accu
	}
	p.Mean, p.Eigenvalues, p.PCAMat = mean, eig, pcaMat
	p.A, p.B, p.trained = a, b, true
	p.IsOrthonormal = p.EigenPower == 0
	return nil
}

// balanceBins is faiss's greedy assignment of components to bins of equal
// size, each next component to the bin with the least variance so far.
func balanceBins(ain, eig []float32, din, dout, bins int) ([]float32, error) {
	if dout%bins != 0 {
		return nil, Errorf(KindInvalidArgument, "PCAMatrix.train", "balanced_bins=%d does not divide d_out=%d", bins, dout)
	}
	dsub := dout / bins
	a := make([]float32, dout*din)
	accu := make([]float32, bins)
	counter := make([]int, bins)
	for i := 0; i < dout; i++ {
		best := -1
		minW := float32(1e30)
		for j := 0; j < bins; j++ {
			if counter[j] < dsub && accu[j] < minW {
				minW, best = accu[j], j
			}
		}
		dst := best*dsub + counter[best]
		accu[best] += eig[i]
		counter[best]++
		copy(a[dst*din:(dst+1)*din], ain[i*din:(i+1)*din])
	}
	return a, nil
}

// Name is the faiss class this type is read and written as.
func (t *PCAMatrix) Name() string { return "PCAMatrix" }
