package core

import (
	"math/rand"
	"runtime"

	"github.com/metalfaiss/metalfaiss/core/kernels"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFlatPanoramaMatchesFlat(t *testing.T) {
	rng := rand.New(rand.NewSource(150))
	for _, c := range []struct{ d, levels, batch, n int }{{32, 4, 16, 1000}, {65, 4, 64, 700}, {63, 8, 128, 300}, {16, 16, 8, 50}, {12, 1, 5, 41}, {964 / 8, 14, 8, 30}} {
		xb := randData(rng, c.n, c.d, false)
		xq := randData(rng, 20, c.d, false)
		for _, metric := range []Metric{MetricL2, MetricInnerProduct} {
			pan, err := NewIndexFlatPanorama(c.d, metric, c.levels, c.batch)
			require.NoError(t, err)
			require.NoError(t, pan.Add(xb[:c.n/2*c.d]))
			require.NoError(t, pan.Add(xb[c.n/2*c.d:]))
			flat, err := NewIndexFlat(c.d, metric)
			require.NoError(t, err)
			require.NoError(t, flat.Add(xb))
			k := min(5, c.batch)
			wd, wi := make([]float32, 20*k), make([]int64, 20*k)
			gd, gi := make([]float32, 20*k), make([]int64, 20*k)
			require.NoError(t, flat.Search(xq, k, wd, wi))
			require.NoError(t, pan.Search(xq, k, gd, gi))
			for i := range wd {
				require.InDelta(t, wd[i], gd[i], 1e-3*max(1, float64(abs32(wd[i]))), "%+v %s rank %d", c, metric, i)
			}
			assert.Equal(t, wi, gi, "%+v %s", c, metric)

			out := make([]float32, 3*c.d)
			require.NoError(t, pan.ReconstructN(int64(c.n-3), 3, out))
			assert.Equal(t, xb[(c.n-3)*c.d:], out)

			// a filter and a range search
			p := &SearchParams{Sel: IDSelectorRange{Min: 10, Max: int64(c.n / 2)}}
			require.NoError(t, flat.SearchWithParams(xq, k, wd, wi, p))
			require.NoError(t, pan.SearchWithParams(xq, k, gd, gi, p))
			assert.Equal(t, wi, gi)
			radius := (wd[k-1] + wd[k-2]) / 2 // away from any distance, which the two round differently
			want, err := flat.RangeSearch(xq, radius)
			require.NoError(t, err)
			got, err := pan.RangeSearch(xq, radius)
			require.NoError(t, err)
			assert.Equal(t, want.Lims, got.Lims)
		}
	}
}

func TestFlatPanoramaEditsKeepTheLayout(t *testing.T) {
	rng := rand.New(rand.NewSource(151))
	const d, n = 20, 90
	xb := randData(rng, n, d, false)
	pan, err := NewIndexFlatPanorama(d, MetricL2, 3, 16)
	require.NoError(t, err)
	require.NoError(t, pan.Add(xb))
	removed, err := pan.RemoveIDs(IDSelectorRange{Min: 5, Max: 25})
	require.NoError(t, err)
	assert.Equal(t, int64(20), removed)
	out := make([]float32, d)
	require.NoError(t, pan.Reconstruct(5, out))
	assert.Equal(t, xb[25*d:26*d], out)
	perm := make([]int64, pan.Ntotal())
	for i := range perm {
		perm[i] = int64(len(perm) - 1 - i)
	}
	require.NoError(t, pan.PermuteEntries(perm))
	require.NoError(t, pan.Reconstruct(0, out))
	assert.Equal(t, xb[(n-1)*d:], out)
	require.NoError(t, pan.UpdateVectors([]int64{0}, xb[:d]))
	require.NoError(t, pan.Reconstruct(0, out))
	assert.Equal(t, xb[:d], out)
	// the suffix norms follow the vectors
	norms := make([]float32, 4)
	pan.p.suffixNorms(xb[:d], norms)
	_, cums := pan.Layout()
	for l, v := range norms {
		assert.Equal(t, v, cums[pan.p.cumSlot(0, l)])
	}
	require.ErrorContains(t, pan.Search(xb[:d], 17, make([]float32, 17), make([]int64, 17)), "batch_size")
	_, err = NewIndexFlatPanorama(8, MetricL2, 9, 4)
	require.Error(t, err)
}

func TestHNSWPanoramaKeepsHNSWRecall(t *testing.T) {
	rng := rand.New(rand.NewSource(152))
	const n, d, nq, k = 3000, 48, 50, 10
	xb := randData(rng, n, d, false)
	xq := randData(rng, nq, d, false)
	pan, err := NewIndexHNSWFlatPanorama(d, 16, 6)
	require.NoError(t, err)
	flat, err := NewIndexHNSWFlat(d, 16, MetricL2)
	require.NoError(t, err)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // one builder: the same graph twice
	for _, ix := range []*IndexHNSW{pan, flat} {
		ix.HNSW.EfSearch = 32
		require.NoError(t, ix.Add(xb[:n/2*d]))
		require.NoError(t, ix.Add(xb[n/2*d:]))
	}
	assert.Equal(t, flat.HNSW.Neighbors(), pan.HNSW.Neighbors(), "the same graph")
	require.Len(t, pan.CumSums(), n*7)
	ResetPanoramaStats()
	pd, pi := make([]float32, nq*k), make([]int64, nq*k)
	require.NoError(t, pan.Search(xq, k, pd, pi))
	for i, id := range pi {
		q := i / k
		want := kernels.L2Sqr(xq[q*d:(q+1)*d], xb[int(id)*d:(int(id)+1)*d])
		require.InDelta(t, want, pd[i], 1e-3*max(1, float64(want)), "results carry whole distances")
	}
	assert.GreaterOrEqual(t, hnswRecall(t, pan, xq, xb, d), hnswRecall(t, flat, xq, xb, d)-0.03)
	st := GetPanoramaStats()
	assert.Less(t, st.TotalDimsScanned, st.TotalDims, "some neighbours stop early")
	assert.Greater(t, st.TotalDimsScanned, int64(0))
}
