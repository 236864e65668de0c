package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A refine index that is not flat ranks candidates by the distance to its
// reconstructions; a range search keeps the candidates its distances put
// within the radius.
func TestRefineOverAnyReconstructingIndex(t *testing.T) {
	rng := rand.New(rand.NewSource(48))
	d := 8
	xb := blobs(rng, 1000, d, 10)
	base, err := NewIndexPQ(d, 2, 4, MetricL2)
	require.NoError(t, err)
	pqFine, err := NewIndexPQ(d, 8, 8, MetricL2)
	require.NoError(t, err)
	r, err := NewIndexRefine(base, pqFine)
	require.NoError(t, err)
	assert.Equal(t, "IndexRefine", r.Name())
	require.NoError(t, r.Train(xb))
	assert.True(t, pqFine.IsTrained(), "train trains the refine index too")
	require.NoError(t, r.Add(xb))
	r.KFactor = 2000 // every vector is a candidate

	rec := make([]float32, 1000*d)
	require.NoError(t, pqFine.ReconstructN(0, 1000, rec))
	xq := randData(rng, 5, d, false)
	dist, labels := make([]float32, 5*4), make([]int64, 5*4)
	require.NoError(t, r.Search(xq, 4, dist, labels))
	requireKNNMatches(t, MetricL2, 0, xq, rec, d, 4, dist, labels)

	radius := dist[2] // the third neighbour's distance: the first two are within
	res, err := r.RangeSearch(xq[:d], radius)
	require.NoError(t, err)
	assert.ElementsMatch(t, labels[:2], res.Labels)
	for _, v := range res.Dist {
		assert.Less(t, v, radius)
	}

	other, err := NewIndexPQ(d, 2, 4, MetricL2)
	require.NoError(t, err)
	_, err = NewIndexRefine(base, other)
	assert.ErrorContains(t, err, "holds 1000 vectors", "the two must hold the same vectors")
}
