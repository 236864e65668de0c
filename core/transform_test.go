package core

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// correlated draws n points of dimension d with very unequal variances.
func correlated(rng *rand.Rand, n, d int) []float32 {
	mix := make([]float64, d*d)
	for i := range mix {
		mix[i] = rng.NormFloat64()
	}
	x := make([]float32, n*d)
	z := make([]float64, d)
	for i := 0; i < n; i++ {
		for j := range z {
			z[j] = rng.NormFloat64() * float64(j+1)
		}
		for j := 0; j < d; j++ {
			s := 2.0
			for k := 0; k < d; k++ {
				s += z[k] * mix[k*d+j]
			}
			x[i*d+j] = float32(s)
		}
	}
	return x
}

func assertOrthonormalRows(t *testing.T, a []float32, rows, cols int, tol float64) {
	t.Helper()
	for i := 0; i < rows; i++ {
		for j := 0; j < rows; j++ {
			s := 0.0
			for k := 0; k < cols; k++ {
				s += float64(a[i*cols+k]) * float64(a[j*cols+k])
			}
			want := 0.0
			if i == j {
				want = 1
			}
			assert.InDelta(t, want, s, tol, "rows %d and %d", i, j)
		}
	}
}

func TestFloatRandnIsDeterministicAndNormal(t *testing.T) {
	a, b := make([]float32, 5000), make([]float32, 5000)
	FloatRandn(a, 1234)
	FloatRandn(b, 1234)
	assert.Equal(t, a, b)
	mean, sq := 0.0, 0.0
	for _, v := range a {
		mean += float64(v)
		sq += float64(v) * float64(v)
	}
	mean /= float64(len(a))
	assert.InDelta(t, 0, mean, 0.05)
	assert.InDelta(t, 1, sq/float64(len(a))-mean*mean, 0.08)
	FloatRandn(b, 1235)
	assert.NotEqual(t, a, b)
}

func TestRandomRotationIsOrthonormal(t *testing.T) {
	for _, c := range [][2]int{{16, 16}, {32, 8}, {8, 20}} {
		r, err := NewRandomRotationMatrix(c[0], c[1])
		require.NoError(t, err)
		assert.False(t, r.IsTrained())
		require.NoError(t, r.Train(nil))
		if c[1] <= c[0] {
			assertOrthonormalRows(t, r.A, c[1], c[0], 1e-5)
			x := correlated(rand.New(rand.NewSource(1)), 5, c[0])
			y := make([]float32, 5*c[1])
			require.NoError(t, r.Apply(x, y))
			back := make([]float32, len(x))
			require.NoError(t, r.Reverse(y, back))
			if c[0] == c[1] {
				assert.InDeltaSlice(t, x, back, 1e-3)
			}
		} else {
			// a tight frame: the columns are orthonormal
			at := make([]float32, len(r.A))
			transposeRows(r.A, c[1], c[0], at)
			assertOrthonormalRows(t, at, c[0], c[1], 1e-5)
		}
	}
}

// TestPCAFindsTheCovarianceEigenvectors checks A C A^T = diag(eigenvalues)
// against the covariance computed here in float64.
func TestPCAFindsTheCovarianceEigenvectors(t *testing.T) {
	const n, d, dout = 3000, 12, 5
	x := correlated(rand.New(rand.NewSource(2)), n, d)
	p, err := NewPCAMatrix(d, dout, 0, false)
	require.NoError(t, err)
	require.NoError(t, p.Train(x))
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			mean[j] += float64(x[i*d+j]) / n
		}
	}
	cov := make([]float64, d*d)
	for i := 0; i < n; i++ {
		for a := 0; a < d; a++ {
			for b := 0; b < d; b++ {
				cov[a*d+b] += (float64(x[i*d+a]) - mean[a]) * (float64(x[i*d+b]) - mean[b])
			}
		}
	}
	assertOrthonormalRows(t, p.A, dout, d, 1e-4)
	for i := 0; i < dout; i++ {
		for j := 0; j < dout; j++ {
			s := 0.0
			for a := 0; a < d; a++ {
				for b := 0; b < d; b++ {
					s += float64(p.A[i*d+a]) * cov[a*d+b] * float64(p.A[j*d+b])
				}
			}
			want := 0.0
			if i == j {
				want = float64(p.Eigenvalues[i])
				if i > 0 {
					assert.LessOrEqual(t, p.Eigenvalues[i], p.Eigenvalues[i-1])
				}
			}
			assert.InDelta(t, want, s, 1e-3*float64(p.Eigenvalues[0]), "%d %d", i, j)
		}
	}
	// b centres: the mean maps to 0
	m32 := make([]float32, d)
	for j := range m32 {
		m32[j] = float32(mean[j])
	}
	y := make([]float32, dout)
	require.NoError(t, p.Apply(m32, y))
	for _, v := range y {
		assert.InDelta(t, 0, v, 1e-2)
	}
	// whitening: unit variance per component
	w, _ := NewPCAMatrix(d, dout, -0.5, false)
	require.NoError(t, w.Train(x))
	yw := make([]float32, n*dout)
	require.NoError(t, w.Apply(x, yw))
	for c := 0; c < dout; c++ {
		s := 0.0
		for i := 0; i < n; i++ {
			s += float64(yw[i*dout+c]) * float64(yw[i*dout+c])
		}
		assert.InDelta(t, 1.0, s, 0.01, "component %d", c) // the eigenvalues are unnormalised sums
	}
}

func TestOPQLowersPQError(t *testing.T) {
	const n, d, m = 3000, 16, 4
	x := correlated(rand.New(rand.NewSource(3)), n, d)
	pqErr := func(data []float32) float64 {
		pq, _ := NewProductQuantizer(d, m, 4)
		require.NoError(t, pq.Train(data))
		codes := make([]byte, n*pq.CodeSize)
		rec := make([]float32, len(data))
		require.NoError(t, pq.ComputeCodes(data, codes))
		require.NoError(t, pq.Decode(codes, rec))
		s := 0.0
		for i := range data {
			s += math.Pow(float64(data[i]-rec[i]), 2)
		}
		return s
	}
	o, err := NewOPQMatrix(d, m, -1)
	require.NoError(t, err)
	o.Niter = 5
	require.NoError(t, o.Train(x))
	assertOrthonormalRows(t, o.A, d, d, 1e-4)
	y := make([]float32, len(x))
	require.NoError(t, o.Apply(x, y))
	centred := centredPadded(x, n, d, d)
	assert.Less(t, pqErr(y), pqErr(centred))
}

func TestITQAndSimpleTransforms(t *testing.T) {
	x := correlated(rand.New(rand.NewSource(4)), 500, 8)
	it, err := NewITQTransform(8, 8, false)
	require.NoError(t, err)
	require.NoError(t, it.Train(x))
	assert.Error(t, it.Train(x), "trains once")
	assertOrthonormalRows(t, it.PCAThenITQ.A, 8, 8, 1e-4)

	c, _ := NewCenteringTransform(8)
	require.NoError(t, c.Train(x))
	y := make([]float32, len(x))
	require.NoError(t, c.Apply(x, y))
	back := make([]float32, len(x))
	require.NoError(t, c.Reverse(y, back))
	assert.InDeltaSlice(t, x, back, 1e-4)

	r, _ := NewRemapDimensionsTransform(3, 6, true)
	assert.Equal(t, []int{0, -1, 1, -1, 2, -1}, r.Map)
	out := make([]float32, 6)
	require.NoError(t, r.Apply([]float32{1, 2, 3}, out))
	assert.Equal(t, []float32{1, 0, 2, 0, 3, 0}, out)

	nt, _ := NewNormalizationTransform(2, 2)
	out = make([]float32, 2)
	require.NoError(t, nt.Apply([]float32{3, 4}, out))
	assert.InDeltaSlice(t, []float32{0.6, 0.8}, out, 1e-6)
}

func TestIndexPreTransformMatchesTransformThenIndex(t *testing.T) {
	x := correlated(rand.New(rand.NewSource(5)), 800, 10)
	p, _ := NewPCAMatrix(10, 4, 0, false)
	sub, _ := NewIndexFlat(4, MetricL2)
	ix, err := NewIndexPreTransform(p, sub)
	require.NoError(t, err)
	require.NoError(t, ix.Train(x))
	require.NoError(t, ix.Add(x))
	xt := make([]float32, 800*4)
	require.NoError(t, p.Apply(x, xt))
	ref, _ := NewIndexFlat(4, MetricL2)
	require.NoError(t, ref.Add(xt))
	d1, l1 := make([]float32, 50), make([]int64, 50)
	d2, l2 := make([]float32, 50), make([]int64, 50)
	require.NoError(t, ix.Search(x[:100], 5, d1, l1))
	require.NoError(t, ref.Search(xt[:40], 5, d2, l2))
	assert.Equal(t, l2, l1)
	assert.Equal(t, d2, d1)
	other, _ := NewPCAMatrix(3, 7, 0, false)
	assert.Error(t, ix.Prepend(other))
}
