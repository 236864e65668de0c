package core

import "math"

// refitCodebooks re-estimates all codebooks at once for the codes of x:
// the least-squares fit of x by sums of one entry per codebook (faiss's
// retrain_AQ_codebook). The normal equations G B = C^T X, G = C^T C with C
// the points' one-hot codes, are singular (each codebook's indicator
// columns sum to the same all-ones column), so a tiny ridge picks the
// smallest-norm solution, as faiss's truncated-SVD solve does; unused
// entries come out zero.
func (rq *ResidualQuantizer) refitCodebooks(x []float32) error {
	const op = "ResidualQuantizer.train"
	d, t, m := rq.D, rq.TotalCodebookSize(), rq.M
	n := len(x) / d
	if n < t {
		return Errorf(KindInvalidArgument, op, "too few training points (%d) to refine %d codebook entries", n, t)
	}
	codes := make([]byte, n*rq.cbytes)
	if err := rq.ComputeCodes(x, codes); err != nil {
		return err
	}
	g := make([]float64, t*t)
	rhs := make([]float64, t*d)
	idx := make([]int32, m)
	rows := make([]int, m)
	for i := 0; i < n; i++ {
		rq.unpack(codes[i*rq.cbytes:(i+1)*rq.cbytes], idx)
		for a := range idx {
			rows[a] = rq.offsets[a] + int(idx[a])
		}
		for _, ra := range rows {
			for _, rb := range rows {
				g[ra*t+rb]++
			}
			xi, r := x[i*d:(i+1)*d], rhs[ra*d:(ra+1)*d]
			for j, v := range xi {
				r[j] += float64(v)
			}
		}
	}
	maxDiag := 0.0
	for i := 0; i < t; i++ {
		maxDiag = max(maxDiag, g[i*t+i])
	}
	ridge := 1e-8 * maxDiag
	for i := 0; i < t; i++ {
		g[i*t+i] += ridge
	}
	if !choleskySolve(t, g, rhs, d) {
		return Errorf(KindInvalidArgument, op, "the codebook refinement's least-squares system is not solvable")
	}
	cb := make([]float32, t*d)
	for i, v := range rhs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Errorf(KindInvalidArgument, op, "the codebook refinement diverged")
		}
		cb[i] = float32(v)
	}
	rq.Codebooks, rq.entryNorms, rq.cross = cb, nil, nil
	rq.logf("codebooks refined: fitted to %d codes", n)
	return nil
}

// RetrainCodebooks refits the codebooks once to the codes of x (faiss's
// retrain_AQ_codebook) and returns the squared error of the training
// codes under the refitted codebooks.
func (rq *ResidualQuantizer) RetrainCodebooks(x []float32) (float32, error) {
	const op = "ResidualQuantizer.retrain_AQ_codebook"
	if !rq.trained {
		return 0, Errorf(KindNotTrained, op, "the residual quantizer is not trained yet")
	}
	n, err := checkBatch(op, x, rq.D)
	if err != nil {
		return 0, err
	}
	codes := make([]byte, n*rq.cbytes)
	if err := rq.ComputeCodes(x, codes); err != nil {
		return 0, err
	}
	if err := rq.refitCodebooks(x); err != nil {
		return 0, err
	}
	// the error of the same codes with the refitted codebooks, as faiss reports it
	rec := make([]float32, len(x))
	if err := rq.Decode(codes, rec); err != nil {
		return 0, err
	}
	var e float64
	for i, v := range x {
		e += float64((v - rec[i]) * (v - rec[i]))
	}
	return float32(e), nil
}

// choleskySolve solves A X = B in place for symmetric positive-definite
// A (n x n, overwritten by its factor) and B (n x nrhs, overwritten by
// X); false when A is not positive definite.
func choleskySolve[T float32 | float64](n int, a, b []T, nrhs int) bool {
	for j := 0; j < n; j++ {
		s := a[j*n+j] - dotUnrolled(a[j*n:j*n+j], a[j*n:j*n+j])
		if s <= 0 {
			return false
		}
		ljj := T(math.Sqrt(float64(s)))
		a[j*n+j] = ljj
		parallelChunks(n-j-1, chunkFor(j+1), func(_, lo, hi int) {
			rj := a[j*n : j*n+j]
			for i := j + 1 + lo; i < j+1+hi; i++ {
				a[i*n+j] = (a[i*n+j] - dotUnrolled(a[i*n:i*n+j], rj)) / ljj
			}
		})
	}
	// forward: L Y = B, then back: L^T X = Y
	for i := 0; i < n; i++ {
		bi := b[i*nrhs : (i+1)*nrhs]
		for k := 0; k < i; k++ {
			if l := a[i*n+k]; l != 0 {
				axpyUnrolled(bi, -l, b[k*nrhs:(k+1)*nrhs])
			}
		}
		for c := range bi {
			bi[c] /= a[i*n+i]
		}
	}
	for i := n - 1; i >= 0; i-- {
		bi := b[i*nrhs : (i+1)*nrhs]
		for k := i + 1; k < n; k++ {
			if l := a[k*n+i]; l != 0 {
				axpyUnrolled(bi, -l, b[k*nrhs:(k+1)*nrhs])
			}
		}
		for c := range bi {
			bi[c] /= a[i*n+i]
		}
	}
	return true
}

// dotUnrolled is sum x[i]*y[i] in four running sums (the solver's inner
// loop; Go does not vectorize it).
func dotUnrolled[T float32 | float64](x, y []T) T {
	var s0, s1, s2, s3 T
	n := len(x) &^ 3
	y = y[:len(x)]
	for i := 0; i < n; i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for i := n; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpyUnrolled is dst += a*x, four at a time.
func axpyUnrolled[T float32 | float64](dst []T, a T, x []T) {
	n := len(dst) &^ 3
	x = x[:len(dst)]
	for i := 0; i < n; i += 4 {
		dst[i] += a * x[i]
		dst[i+1] += a * x[i+1]
		dst[i+2] += a * x[i+2]
		dst[i+3] += a * x[i+3]
	}
	for i := n; i < len(dst); i++ {
		dst[i] += a * x[i]
	}
}
