package core

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/gonum"
)

// The dense linear algebra the transforms need, in float64 on gonum's LAPACK
// port (the same algorithms as the reference LAPACK faiss links). faiss
// calls LAPACK on column-major buffers; each helper here takes and returns
// buffers laid out as faiss's, so the code that uses them reads like
// faiss's.

var lapackImpl gonum.Implementation

// symEigDescending finds the eigenvalues and eigenvectors of the symmetric
// d x d matrix a (full, row-major). On return row i of a is the eigenvector
// of the i-th largest eigenvalue, which the result holds in decreasing
// order: faiss's layout after its eig().
func symEigDescending(d int, a []float64) ([]float64, bool) {
	w := make([]float64, d)
	if d == 0 {
		return w, true
	}
	// gonum works on the matrix itself, as LAPACK does: the same upper
	// triangle as faiss's call.
	work := []float64{0}
	lapackImpl.Dsyev(lapack.EVCompute, blas.Upper, d, a, d, w, work, -1)
	work = make([]float64, int(work[0]))
	ok := lapackImpl.Dsyev(lapack.EVCompute, blas.Upper, d, a, d, w, work, len(work))
	// Eigenvectors come back in columns, eigenvalues ascending.
	transposeSquare(d, a)
	for i := 0; i < d/2; i++ {
		j := d - 1 - i
		w[i], w[j] = w[j], w[i]
		ri, rj := a[i*d:(i+1)*d], a[j*d:(j+1)*d]
		for k := range ri {
			ri[k], rj[k] = rj[k], ri[k]
		}
	}
	return w, ok
}

func transposeSquare(d int, a []float64) {
	for i := 0; i < d; i++ {
		for j := i + 1; j < d; j++ {
			a[i*d+j], a[j*d+i] = a[j*d+i], a[i*d+j]
		}
	}
}

// orthonormalizeColumns replaces the m x n column-major matrix in a (m >= n,
// column c at a[c*m:]) by the Q of its QR factorisation, as faiss's
// matrix_qr does (geqrf then orgqr): column c of Q lies in the span of the
// first c+1 columns of a.
func orthonormalizeColumns(m, n int, a []float32) {
	// gonum is row-major: hand it the m x n matrix itself.
	q := make([]float64, m*n)
	for c := 0; c < n; c++ {
		for r := 0; r < m; r++ {
			q[r*n+c] = float64(a[c*m+r])
		}
	}
	tau := make([]float64, n)
	work := []float64{0}
	lapackImpl.Dgeqrf(m, n, q, n, tau, work, -1)
	lwork := int(work[0])
	lapackImpl.Dorgqr(m, n, n, q, n, tau, work, -1)
	lwork = max(lwork, int(work[0]), 1)
	work = make([]float64, lwork)
	lapackImpl.Dgeqrf(m, n, q, n, tau, work, lwork)
	lapackImpl.Dorgqr(m, n, n, q, n, tau, work, lwork)
	for c := 0; c < n; c++ {
		for r := 0; r < m; r++ {
			a[c*m+r] = float32(q[r*n+c])
		}
	}
}

// svdRowMajor factors the d x d row-major matrix m (overwritten) as
// U diag(s) V^T with gesvd, and returns U and V (row-major). gonum works
// on the matrix itself as LAPACK does on faiss's column-major buffer, so
// the signs of the singular vectors are LAPACK's: ITQ's update depends on
// them.
func svdRowMajor(d int, m []float64) (u, v []float64, ok bool) {
	s := make([]float64, d)
	u = make([]float64, d*d)
	v = make([]float64, d*d)
	work := []float64{0}
	lapackImpl.Dgesvd(lapack.SVDAll, lapack.SVDAll, d, d, m, d, s, u, d, v, d, work, -1)
	work = make([]float64, max(1, int(work[0])))
	ok = lapackImpl.Dgesvd(lapack.SVDAll, lapack.SVDAll, d, d, m, d, s, u, d, v, d, work, len(work))
	transposeSquare(d, v) // V^T -> V
	return u, v, ok
}
