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

// Splitting an IVF index into subsets and merging them back keeps every
// entry once.
func TestCopySubsetsAndMergeBackKeepEveryEntry(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	const d, nlist = 8, 10
	xb := blobs(rng, 900, d, 10)
	src := newIVF(t, d, nlist, MetricL2, xb)
	require.NoError(t, src.Add(xb))
	for subset, a := range map[int][2]int64{SubsetIDRange: {0, 300}, SubsetIDMod: {3, 0}, SubsetElementRange: {0, 300},
		SubsetListFraction: {3, 0}, SubsetListRange: {0, 4}} {
		whole := newIVF(t, d, nlist, MetricL2, xb)
		for part := int64(0); part < 3; part++ {
			p := newIVF(t, d, nlist, MetricL2, xb)
			a1, a2 := a[0], a[1]
			switch subset {
			case SubsetIDRange, SubsetElementRange:
				a1, a2 = 300*part, 300*(part+1)
			case SubsetIDMod, SubsetListFraction:
				a2 = part
			case SubsetListRange:
				a1, a2 = 4*part, min(4*(part+1), nlist)
			}
			require.NoError(t, src.CopySubsetTo(p, subset, a1, a2))
			require.NoError(t, whole.MergeFrom(p, 0))
			assert.Zero(t, p.Ntotal())
		}
		assert.Equal(t, src.Ntotal(), whole.Ntotal(), "subset type %d", subset)
		for l := 0; l < nlist; l++ {
			want, _, _ := src.IVFList(l)
			got, _, _ := whole.IVFList(l)
			assert.ElementsMatch(t, want, got, "subset type %d, list %d", subset, l)
		}
	}
	assert.Error(t, src.CopySubsetTo(src, SubsetIDMod, 0, 0))
	other := newIVF(t, d, nlist+1, MetricL2, xb)
	assert.Error(t, src.MergeFrom(other, 0))
}
