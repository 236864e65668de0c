package core

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func unitRows(rng *rand.Rand, n, d int) []float32 {
	x := make([]float32, n*d)
	for i := 0; i < n; i++ {
		row := x[i*d : (i+1)*d]
		var s float64
		for j := range row {
			row[j] = float32(rng.NormFloat64())
			s += float64(row[j]) * float64(row[j])
		}
		for j := range row {
			row[j] /= float32(math.Sqrt(s))
		}
	}
	return x
}

// The codebooks: symmetric, sorted, the known 1- and 2-bit Lloyd-Max
// levels, and faiss 1.15's outer 8-bit level (not yet converged).
func TestTurboQuantCodebook(t *testing.T) {
	c1 := lloydMaxNormal(1)
	assert.InDelta(t, math.Sqrt(2/math.Pi), c1[1], 1e-12)
	c2 := lloydMaxNormal(2)
	assert.InDelta(t, 0.4527800398860679, c2[2], 1e-7)
	assert.InDelta(t, 1.5104176087114887, c2[3], 1e-7)
	c8 := lloydMaxNormal(8)
	assert.InDelta(t, 4.27349, c8[255], 1e-5)
	for _, nb := range []int{1, 2, 3, 4, 8} {
		c := lloydMaxNormal(nb)
		for i := range c {
			assert.InDelta(t, -c[len(c)-1-i], c[i], 1e-9, "bits %d level %d", nb, i)
			if i > 0 {
				assert.Less(t, c[i-1], c[i])
			}
		}
	}
	assert.Equal(t, 0, codebookIndex([]float32{-1, 0, 1}, -2))
	assert.Equal(t, 2, codebookIndex([]float32{-1, 0, 1}, 0))
	assert.Equal(t, 3, codebookIndex([]float32{-1, 0, 1}, float32(math.NaN())))
}

// MSE types: each component decodes to its nearest level; full types:
// the decoded vector points along the input, and the scanner's inner
// product is <q, decoded> (faiss's estimator equals it in exact
// arithmetic), its L2 |q|^2 + norm^2 - 2 <q, decoded>.
func TestTurboQuantRoundTripAndScan(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for _, d := range []int{7, 32, 33} {
		n := 50
		x := unitRows(rng, n, d)
		for qt := QT1bitTQMSE; qt <= QT5bitTQ; qt++ {
			sq, err := NewScalarQuantizer(d, qt)
			require.NoError(t, err)
			assert.False(t, sq.IsTrained())
			require.NoError(t, sq.Train(nil))
			codes := make([]byte, n*sq.CodeSize())
			require.NoError(t, sq.ComputeCodes(x, codes))
			back := make([]float32, n*d)
			require.NoError(t, sq.Decode(codes, back))
			if qt.tqMSE() {
				for i, v := range back {
					best := sq.tq.levels[0]
					for _, l := range sq.tq.levels {
						if math.Abs(float64(l-x[i])) < math.Abs(float64(best-x[i])) {
							best = l
						}
					}
					require.InDelta(t, best, v, 1e-6, "type %d d=%d value %d", qt, d, i)
				}
				continue
			}
			var cos float64
			for i := 0; i < n; i++ {
				cos += float64(dot(x[i*d:(i+1)*d], back[i*d:(i+1)*d])) / math.Sqrt(float64(dot(back[i*d:(i+1)*d], back[i*d:(i+1)*d])))
			}
			assert.Greater(t, cos/float64(n), 0.6, "type %d d=%d", qt, d)
			for _, m := range []Metric{MetricL2, MetricInnerProduct} {
				s := sq.newScanner(m)
				q := x[:d]
				s.setQuery(q)
				out := make([]float32, n)
				s.scan(codes, 0, out)
				for i := range out {
					ip := float64(dot(q, back[i*d:(i+1)*d]))
					want := ip
					if m == MetricL2 {
						norm, _ := sq.fullFactors(codes[i*sq.CodeSize():])
						want = float64(dot(q, q)) + float64(norm*norm) - 2*ip
					}
					require.InDelta(t, want, out[i], 1e-4, "type %d metric %s code %d", qt, m, i)
				}
			}
		}
	}
}

func dot(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// The trained vector goes back in (files), the seed included.
func TestTurboQuantTrainedRoundTrip(t *testing.T) {
	for _, qt := range []QuantizerType{QT3bitTQMSE, QT4bitTQ} {
		sq, _ := NewScalarQuantizer(20, qt)
		require.NoError(t, sq.Train(nil))
		tr := sq.Trained()
		if qt.tqFull() {
			assert.Equal(t, uint32(42), math.Float32bits(tr[len(tr)-3]))
		}
		back, _ := NewScalarQuantizer(20, qt)
		require.NoError(t, back.RestoreSQ(true, tr))
		assert.Equal(t, sq.tq, back.tq)
		assert.Error(t, back.RestoreSQ(true, tr[1:]))
	}
	full, _ := NewScalarQuantizer(20, QT2bitTQ)
	require.NoError(t, full.Train(nil))
	tr := full.Trained()
	tr[len(tr)-1] = 2 // a random rotation instead of the Hadamard transform
	assert.ErrorContains(t, full.RestoreSQ(true, tr), "QJL projection type 2")
}

// QT_0bit: nothing stored; an IVF entry sits at its list's coarse distance.
func TestQT0bitIVF(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	d := 8
	x := make([]float32, 300*d)
	for i := range x {
		x[i] = rng.Float32()
	}
	_, err := NewIndexScalarQuantizer(d, QT0bit, MetricL2)
	assert.ErrorContains(t, err, "QT_0bit stores nothing")
	q, _ := NewIndexFlat(d, MetricL2)
	ix, err := NewIndexIVFScalarQuantizer(q, d, 4, QT0bit, MetricL2, true)
	require.NoError(t, err)
	assert.False(t, ix.ByResidual)
	require.NoError(t, ix.Train(x))
	require.NoError(t, ix.Add(x))
	assert.Equal(t, 0, ix.CodeSize())
	dist, labels := make([]float32, 5), make([]int64, 5)
	require.NoError(t, ix.Search(x[:d], 5, dist, labels))
	cd, cl := make([]float32, 1), make([]int64, 1)
	require.NoError(t, q.Search(x[:d], 1, cd, cl))
	for i := range dist {
		assert.Equal(t, cd[0], dist[i])
		assert.GreaterOrEqual(t, labels[i], int64(0))
	}
}
