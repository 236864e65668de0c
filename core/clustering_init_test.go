package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInitCentroidsPickDistinctPointsAndFollowTheSeed(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	const d, k = 6, 20
	x := blobs(rng, 2000, d, k)
	copy(x[d:2*d], x[:d]) // a repeated point
	for _, m := range []InitMethod{InitRandom, InitKMeansPlusPlus, InitAFKMC2} {
		a, b := make([]float32, k*d), make([]float32, k*d)
		require.NoError(t, InitCentroids(m, x, d, k, 7, 20, nil, a))
		require.NoError(t, InitCentroids(m, x, d, k, 7, 20, nil, b))
		assert.Equal(t, a, b, "method %d is deterministic", m)
		seen := map[[d]float32]bool{}
		for c := 0; c < k; c++ {
			var key [d]float32
			copy(key[:], a[c*d:(c+1)*d])
			assert.False(t, seen[key], "method %d repeats a centroid", m)
			seen[key] = true
		}
	}
	// D^2 picks spread over the blobs: their objective beats random picks'.
	objective := func(m InitMethod) float64 {
		var total float64
		for s := int64(0); s < 5; s++ {
			c := make([]float32, k*d)
			require.NoError(t, InitCentroids(m, x, d, k, s, 50, nil, c))
			for _, v := range nearestSq(x, d, c) {
				total += v
			}
		}
		return total
	}
	random := objective(InitRandom)
	assert.Less(t, objective(InitKMeansPlusPlus), random)
	assert.Less(t, objective(InitAFKMC2), random)
	out := make([]float32, k*d)
	assert.Error(t, InitCentroids(InitAFKMC2, x, d, k, 1, 0, nil, out), "chain length 0")
	assert.Error(t, InitCentroids(InitMethod(9), x, d, k, 1, 5, nil, out))
	assert.Error(t, InitCentroids(InitRandom, x[:5*d], d, 6, 1, 5, nil, out[:6*d]), "k > n")
	require.NoError(t, InitCentroids(InitKMeansPlusPlus, x, d, 5, 3, 5, x[:2*d], out[:5*d]))
}
