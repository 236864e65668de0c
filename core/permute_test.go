package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Renumbering the lists and the centroids alike changes no search result,
// for flat lists and for IVFPQ's precomputed tables.
func TestPermutedListsSearchAlike(t *testing.T) {
	rng := rand.New(rand.NewSource(8))
	const d, nlist, nq, k = 16, 12, 20, 5
	xb := blobs(rng, 2000, d, 12)
	xq := randData(rng, nq, d, false)
	flatQ, err := NewIndexFlat(d, MetricL2)
	require.NoError(t, err)
	pqIVF, err := NewIndexIVFPQ(flatQ, d, nlist, 4, 4, MetricL2)
	require.NoError(t, err)
	pqIVF.Warn = func(string) {}
	require.NoError(t, pqIVF.Train(xb))
	for _, ix := range []*IndexIVF{newIVF(t, d, nlist, MetricL2, xb), pqIVF} {
		require.NoError(t, ix.Add(xb))
		require.NoError(t, ix.SetDirectMapType(1))
		ix.Nprobe = 3
		wantD, wantL := make([]float32, nq*k), make([]int64, nq*k)
		require.NoError(t, ix.Search(xq, k, wantD, wantL))
		perm := make([]int64, nlist)
		for i, p := range rng.Perm(nlist) {
			perm[i] = int64(p)
		}
		require.NoError(t, ix.Quantizer().(*IndexFlat).PermuteEntries(perm))
		require.NoError(t, ix.PermuteLists(perm))
		gotD, gotL := make([]float32, nq*k), make([]int64, nq*k)
		require.NoError(t, ix.Search(xq, k, gotD, gotL))
		assert.Equal(t, wantL, gotL)
		assert.InDeltaSlice(t, wantD, gotD, 1e-4)
		rec := make([]float32, d)
		require.NoError(t, ix.Reconstruct(7, rec), "the direct map follows the lists")

		assert.Error(t, ix.PermuteLists(perm[:nlist-1]))
		bad := append([]int64{}, perm...)
		bad[0] = bad[1]
		assert.Error(t, ix.PermuteLists(bad))
		assert.Error(t, ix.Quantizer().(*IndexFlat).PermuteEntries(bad))
	}
}
