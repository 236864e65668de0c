package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDistanceComputerEqualsSearch: for each storage, the computer's
// distance to a search result is the distance the search returned.
func TestDistanceComputerEqualsSearch(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	d, nb, nq, k := 16, 600, 5, 4
	x := randData(rng, nb+nq, d, false)
	flat, _ := NewIndexFlat(d, MetricInnerProduct)
	pq, _ := NewIndexPQ(d, 4, 6, MetricL2)
	sq, _ := NewIndexScalarQuantizer(d, QT8bit, MetricL2)
	rot, _ := NewRandomRotationMatrix(d, d)
	require.NoError(t, rot.Train(nil))
	inner, _ := NewIndexScalarQuantizer(d, QT6bit, MetricL2)
	pre, _ := NewIndexPreTransform(rot, inner)
	for _, ix := range []Index{flat, pq, sq, pre} {
		require.NoError(t, ix.Train(x[:nb*d]))
		require.NoError(t, ix.Add(x[:nb*d]))
		dist, lab := make([]float32, nq*k), make([]int64, nq*k)
		require.NoError(t, ix.Search(x[nb*d:], k, dist, lab))
		dc, err := NewDistanceComputer(ix)
		require.NoError(t, err)
		for q := 0; q < nq; q++ {
			require.NoError(t, dc.SetQuery(x[(nb+q)*d:(nb+q+1)*d]))
			for j := 0; j < k; j++ {
				got, err := dc.Distance(lab[q*k+j])
				require.NoError(t, err)
				assert.InDelta(t, dist[q*k+j], got, 1e-4*float64(1+abs32(dist[q*k+j])), "%T", ix)
			}
		}
		s, err := dc.Symmetric(3, 3)
		require.NoError(t, err)
		if ix.Metric() == MetricL2 {
			assert.Equal(t, float32(0), s)
		}
		_, err = dc.Distance(int64(nb))
		assert.Error(t, err)
	}
	dc, _ := NewDistanceComputer(sq)
	_, err := dc.Distance(0)
	assert.ErrorContains(t, err, "set_query first")
	assert.Error(t, dc.SetQuery(make([]float32, 3)))
	require.NoError(t, dc.SetQuery(x[:d]))
	code := sq.Codes()[:sq.CodeSize()]
	viaCode, err := dc.DistanceToCode(code)
	require.NoError(t, err)
	viaID, _ := dc.Distance(0)
	assert.Equal(t, viaID, viaCode)
	lsh, _ := NewIndexLSH(d, 8, false, false)
	_, err = NewDistanceComputer(lsh)
	assert.ErrorContains(t, err, "no distance computer")
}
