package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A budget that covers every probed list changes nothing; a small one
// scans at most that many codes per query; a list budget equals nprobe.
func TestIVFBoundedSearch(t *testing.T) {
	rng := rand.New(rand.NewSource(101))
	d := 8
	xb := blobs(rng, 2000, d, 16)
	ix := newIVF(t, d, 16, MetricL2, xb)
	require.NoError(t, ix.Add(xb))
	xq := randData(rng, 10, d, false)
	k := 5
	search := func(p *SearchParams) []int64 {
		dist, labels := make([]float32, 10*k), make([]int64, 10*k)
		require.NoError(t, ix.SearchWithParams(xq, k, dist, labels, p))
		return labels
	}
	ref := search(&SearchParams{Nprobe: 4})
	assert.Equal(t, ref, search(&SearchParams{Nprobe: 4, IVF: IVFLimits{MaxCodes: 1 << 20}}))
	assert.Equal(t, ref, search(&SearchParams{Nprobe: 16, IVF: IVFLimits{MaxListsNum: 4}}))

	ResetIVFStats()
	search(&SearchParams{Nprobe: 8, IVF: IVFLimits{MaxCodes: 30}})
	assert.LessOrEqual(t, GetIVFStats().NDis, int64(30*10))

	ranged, err := ix.RangeSearchWithParams(xq, 2, &SearchParams{Nprobe: 16, IVF: IVFLimits{MaxEmptyResultBuckets: 1}})
	require.NoError(t, err)
	all, err := ix.RangeSearchWithParams(xq, 2, &SearchParams{Nprobe: 16})
	require.NoError(t, err)
	assert.LessOrEqual(t, len(ranged.Labels), len(all.Labels))
}
