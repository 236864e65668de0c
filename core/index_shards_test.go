package core

import (
	"math/rand"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestShardsMergeLikeOneIndex: shards over slices of the data, merged,
// give the one-index answer with ties ordered by shard.
func TestShardsMergeLikeOneIndex(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	const d, n, nq, k = 8, 900, 20, 12
	x := randData(rng, n, d, false)
	q := randData(rng, nq, d, false)
	s, err := NewIndexShards(d, MetricL2, true, true)
	require.NoError(t, err)
	for i := 0; i < 3; i++ {
		f, _ := NewIndexFlat(d, MetricL2)
		require.NoError(t, s.AddShard(f))
	}
	require.NoError(t, s.Add(x))
	one, _ := NewIndexFlat(d, MetricL2)
	require.NoError(t, one.Add(x))
	d1, l1 := make([]float32, nq*k), make([]int64, nq*k)
	d2, l2 := make([]float32, nq*k), make([]int64, nq*k)
	require.NoError(t, s.Search(q, k, d1, l1))
	require.NoError(t, one.Search(q, k, d2, l2))
	assert.Equal(t, l2, l1)
	assert.InDeltaSlice(t, d2, d1, 1e-4)
	assert.Error(t, s.Add(x), "successive ids: a single pass")
}

func TestMergeShardResultsOrdersTiesByShard(t *testing.T) {
	// two shards, one query, k = 4; equal distances everywhere
	allD := []float32{1, 1, 2, 3, 1, 2, 2, 9}
	allI := []int64{10, 11, 12, 13, 20, 21, 22, -1}
	dist, labels := make([]float32, 4), make([]int64, 4)
	mergeShardResults(1, 4, 2, allD, allI, false, dist, labels, maxFloat)
	assert.Equal(t, []int64{10, 11, 20, 12}, labels)
	// similarities: the best is the largest, ties to the higher shard
	allD = []float32{5, 4, 4, 1, 5, 4, 0, 0}
	allI = []int64{10, 11, 12, 13, 20, 21, 22, 23}
	mergeShardResults(1, 4, 2, allD, allI, true, dist, labels, -maxFloat)
	assert.Equal(t, []int64{20, 10, 21, 11}, labels)
}

func TestReplicasSplitQueries(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	const d, n, nq, k = 6, 300, 17, 5
	x, q := randData(rng, n, d, false), randData(rng, nq, d, false)
	r, _ := NewIndexReplicas(d, MetricL2, true)
	for i := 0; i < 4; i++ {
		f, _ := NewIndexFlat(d, MetricL2)
		require.NoError(t, r.AddReplica(f))
	}
	require.NoError(t, r.Add(x))
	one, _ := NewIndexFlat(d, MetricL2)
	require.NoError(t, one.Add(x))
	d1, l1 := make([]float32, nq*k), make([]int64, nq*k)
	d2, l2 := make([]float32, nq*k), make([]int64, nq*k)
	require.NoError(t, r.Search(q, k, d1, l1))
	require.NoError(t, one.Search(q, k, d2, l2))
	assert.Equal(t, l2, l1)
	assert.Equal(t, d2, d1)
}

func TestLSHCodesAreProjectionSigns(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	const d = 12
	x := randData(rng, 50, d, false)
	ix, err := NewIndexLSH(d, 12, false, true)
	require.NoError(t, err)
	require.Error(t, ix.Add(x), "untrained")
	require.NoError(t, ix.Train(x))
	col := make([]float64, 50)
	for i := range col {
		col[i] = float64(x[i*d+3])
	}
	sort.Float64s(col)
	assert.InDelta(t, (col[24]+col[25])/2, ix.Thresholds[3], 1e-6)
	require.NoError(t, ix.Add(x))
	code := ix.Codes()[:2]
	for j := 0; j < 12; j++ {
		want := x[j] >= ix.Thresholds[j]
		assert.Equal(t, want, code[j/8]>>(j%8)&1 == 1, "bit %d", j)
	}
}
