package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIndependentQuantizerWithoutTransformIsTheIVF: with no transform and
// an L2 flat quantizer, the wrapper assigns and searches as the IVF index
// over the same centroids does.
func TestIndependentQuantizerWithoutTransformIsTheIVF(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	d, nb, nq, k := 8, 1500, 10, 5
	x := randData(rng, nb+nq, d, false)
	q, _ := NewIndexFlat(d, MetricL2)
	inner, _ := NewIndexFlat(d, MetricL2)
	ivf, err := NewIndexIVFPQ(inner, d, 16, 2, 4, MetricL2)
	require.NoError(t, err)
	ivf.ByResidual = true
	ix, err := NewIndexIVFIndependentQuantizer(q, ivf, nil)
	require.NoError(t, err)
	assert.Equal(t, -1, ivf.UsePrecomputedTable)
	require.NoError(t, ix.Train(x[:nb*d]))
	require.True(t, ix.IsTrained())
	assert.Equal(t, q.Vectors(), inner.Vectors(), "the IVF's quantizer holds the centroids")
	require.NoError(t, ix.Add(x[:nb*d]))
	assert.Equal(t, int64(nb), ix.Ntotal())
	ivf.Nprobe = 4
	d1, l1 := make([]float32, nq*k), make([]int64, nq*k)
	d2, l2 := make([]float32, nq*k), make([]int64, nq*k)
	require.NoError(t, ix.Search(x[nb*d:], k, d1, l1))
	require.NoError(t, ivf.Search(x[nb*d:], k, d2, l2))
	assert.Equal(t, l2, l1)
	assert.InDeltaSlice(t, toF64(d2), toF64(d1), 1e-4)

	wide, _ := NewIndexFlat(2*d, MetricL2)
	_, err = NewIndexIVFIndependentQuantizer(wide, ivf, nil)
	assert.ErrorContains(t, err, "dimensions")
	_, err = NewIndexIVFIndependentQuantizer(inner, ivf, nil)
	assert.ErrorContains(t, err, "distinct")
}
