package core

import (
	"math/rand"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// filledLinks is how many slots of a list hold a neighbour.
func filledLinks(list []int32) int {
	if i := slices.Index(list, -1); i >= 0 {
		return i
	}
	return len(list)
}

// With hnswlib's selection a new node links to at most M nodes on level 0
// (faiss's selection up to 2M), and the graph still finds neighbours.
func TestHNSWHnswlibSelectionLinksMOnLevel0(t *testing.T) {
	rng := rand.New(rand.NewSource(41))
	const d, m, n, nq, k = 64, 4, 2000, 50, 10
	xb := randData(rng, n, d, false)
	xq := randData(rng, nq, d, false)
	links := map[bool]int{}
	for _, selection := range []bool{false, true} {
		ix, err := NewIndexHNSWFlat(d, m, MetricL2)
		require.NoError(t, err)
		ix.HNSW.HnswlibSelection = selection
		require.NoError(t, ix.Add(xb))
		// One node more, alone: nothing links back to it yet.
		require.NoError(t, ix.Add(xq[:d]))
		links[selection] = filledLinks(ix.HNSW.list(int32(n), 0))
		ix.HNSW.EfSearch = 500
		got := knnSearch(t, ix, xq, k)
		flat, err := NewIndexFlat(d, MetricL2)
		require.NoError(t, err)
		require.NoError(t, flat.Add(ix.storage.(*IndexFlat).Vectors()))
		want := knnSearch(t, flat, xq, k)
		hits := 0
		for q := 0; q < nq; q++ {
			for _, id := range got[q*k : (q+1)*k] {
				if slices.Contains(want[q*k:(q+1)*k], id) {
					hits++
				}
			}
		}
		assert.GreaterOrEqual(t, float64(hits)/float64(nq*k), 0.9, "recall@10 with hnswlib selection %v", selection)
	}
	assert.LessOrEqual(t, links[true], m, "hnswlib's selection keeps at most M links for a new node")
	assert.Greater(t, links[false], m, "faiss's selection keeps up to 2M (the check above is not vacuous)")
}

func knnSearch(t *testing.T, ix Index, xq []float32, k int) []int64 {
	nq := len(xq) / ix.D()
	dist, labels := make([]float32, nq*k), make([]int64, nq*k)
	require.NoError(t, ix.Search(xq, k, dist, labels))
	return labels
}
