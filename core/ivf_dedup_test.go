package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dedupData(t *testing.T) (*IndexIVF, *IndexIVF, []float32) {
	rng := rand.New(rand.NewSource(3))
	d := 6
	x := randData(rng, 300, d, false)
	copy(x[10*d:11*d], x[20*d:21*d]) // 10 and 20 equal; 30 and 40 too
	copy(x[30*d:31*d], x[40*d:41*d])
	copy(x[50*d:51*d], x[40*d:41*d]) // three of a kind: 30, 40, 50
	q, _ := NewIndexFlat(d, MetricL2)
	ix, err := NewIndexIVFFlatDedup(q, d, 4, MetricL2)
	require.NoError(t, err)
	require.NoError(t, ix.Train(x))
	ref, _ := NewIndexIVFFlat(q, d, 4, MetricL2)
	require.NoError(t, ix.Add(x))
	require.NoError(t, ref.Add(x))
	ix.Nprobe, ref.Nprobe = 4, 4
	return ix, ref, x
}

// TestIVFFlatDedupStoresOnceAndReturnsAll: duplicates are not stored, a
// search returns them after their stored twin at its distance, and the
// results are the plain IVFFlat's up to the order of equal distances.
func TestIVFFlatDedupStoresOnceAndReturnsAll(t *testing.T) {
	ix, ref, x := dedupData(t)
	d := ix.D()
	assert.Equal(t, int64(300), ix.Ntotal())
	assert.Equal(t, int64(297), ix.lists.total())
	assert.Equal(t, [][2]int64{{10, 20}, {30, 40}, {30, 50}}, ix.Instances())
	k := 5
	dist, lab := make([]float32, 3*k), make([]int64, 3*k)
	require.NoError(t, ix.Search(x[30*d:31*d], k, dist[:k], lab[:k]))
	assert.Equal(t, []int64{30, 40, 50}, lab[:3])
	assert.Equal(t, []float32{0, 0, 0}, dist[:3])
	rd, rl := make([]float32, 300*k), make([]int64, 300*k)
	dd, dl := make([]float32, 300*k), make([]int64, 300*k)
	require.NoError(t, ref.Search(x, k, rd, rl))
	require.NoError(t, ix.Search(x, k, dd, dl))
	assert.Equal(t, rd, dd)

	n, err := ix.RemoveIDs(NewIDSelectorBatch([]int64{30, 20}))
	require.NoError(t, err)
	assert.Equal(t, int64(0), n, "30 stays stored as 40; 20 was an instance")
	assert.Equal(t, [][2]int64{{40, 50}}, ix.Instances())
	_, err = ix.RangeSearch(x[:d], 1)
	assert.ErrorContains(t, err, "IndexIVFFlatDedup")
	assert.Error(t, ix.SetDirectMapType(1))
}

func TestDedupTrainingKeepsFirstOccurrences(t *testing.T) {
	x := []float32{1, 2, 3, 4, 1, 2, 5, 6, 3, 4}
	assert.Equal(t, []float32{1, 2, 3, 4, 5, 6}, dedupTraining(x, 2))
}
