package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIndexRandomIsDeterministicAndDistinct(t *testing.T) {
	x := randData(rand.New(rand.NewSource(1)), 6, 8, false)
	ix, err := NewIndexRandom(8, 40, 7, MetricL2)
	require.NoError(t, err)
	k := 40 // every id once
	d1, l1 := make([]float32, 6*k), make([]int64, 6*k)
	d2, l2 := make([]float32, 6*k), make([]int64, 6*k)
	require.NoError(t, ix.Search(x, k, d1, l1))
	require.NoError(t, ix.Search(x, k, d2, l2))
	assert.Equal(t, l1, l2)
	assert.Equal(t, d1, d2)
	for q := 0; q < 6; q++ {
		seen := map[int64]bool{}
		for j := 0; j < k; j++ {
			id := l1[q*k+j]
			assert.True(t, id >= 0 && id < 40 && !seen[id])
			seen[id] = true
			if j > 0 {
				assert.GreaterOrEqual(t, d1[q*k+j], d1[q*k+j-1])
			}
		}
	}
	assert.ErrorContains(t, ix.Search(x, 41, make([]float32, 6*41), make([]int64, 6*41)), "k=41")
	require.NoError(t, ix.Add(x))
	assert.Equal(t, int64(46), ix.Ntotal())
	ip, _ := NewIndexRandom(8, 40, 7, MetricInnerProduct)
	require.NoError(t, ip.Search(x[:8], 3, d1[:3], l1[:3]))
	assert.Less(t, d1[1], d1[0], "similarities decrease")
	_, err = NewIndexRandom(0, 5, 1, MetricL2)
	assert.Error(t, err)
}
