package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Two halves merged hold what one index given every vector holds.
func TestMergeIndexesJoinsHalves(t *testing.T) {
	rng := rand.New(rand.NewSource(81))
	d := 8
	xb := randData(rng, 200, d, false)
	newSQ := func() Index {
		ix, err := NewIndexScalarQuantizer(d, QT8bit, MetricL2)
		require.NoError(t, err)
		require.NoError(t, ix.Train(xb))
		return ix
	}
	newFlat := func() Index {
		ix, err := NewIndexFlat(d, MetricL2)
		require.NoError(t, err)
		return ix
	}
	for name, mk := range map[string]func() Index{"flat": newFlat, "sq": newSQ} {
		whole, a, b := mk(), mk(), mk()
		require.NoError(t, whole.Add(xb))
		require.NoError(t, a.Add(xb[:50*d]))
		require.NoError(t, b.Add(xb[50*d:]))
		require.NoError(t, MergeIndexes(a, b, 0), name)
		assert.Equal(t, int64(0), b.Ntotal(), name)
		got, want := make([]float32, 200*d), make([]float32, 200*d)
		require.NoError(t, a.(Reconstructor).ReconstructN(0, 200, got))
		require.NoError(t, whole.(Reconstructor).ReconstructN(0, 200, want))
		assert.Equal(t, want, got, name)
		assert.Error(t, MergeIndexes(a, mk(), 3), "%s: entries numbered in order take no id shift", name)
	}
	assert.Error(t, MergeIndexes(newFlat(), newSQ(), 0), "another kind")

	m1, err := NewIndexIDMap(newFlat(), true)
	require.NoError(t, err)
	m2, err := NewIndexIDMap(newFlat(), true)
	require.NoError(t, err)
	require.NoError(t, m1.AddWithIDs(xb[:10*d], []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}))
	require.NoError(t, m2.AddWithIDs(xb[10*d:12*d], []int64{0, 1}))
	require.NoError(t, MergeIndexes(m1, m2, 100))
	assert.Equal(t, []int64{100, 101}, m1.IDMap[10:])
	require.NoError(t, m1.CheckConsistency())
	v := make([]float32, d)
	require.NoError(t, m1.Reconstruct(101, v))
	assert.Equal(t, xb[11*d:12*d], v)
}
