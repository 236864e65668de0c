package core

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// twinIVFs trains an IndexIVFFlat and an IndexIVFFlatPanorama alike (the
// same data, so the same k-means) and fills both with xb.
func twinIVFs(t *testing.T, d, nlist, levels, batch int, metric Metric, xt, xb []float32) (flat, pan *IndexIVF) {
	q1, err := NewIndexFlat(d, metric)
	require.NoError(t, err)
	q2, err := NewIndexFlat(d, metric)
	require.NoError(t, err)
	flat, err = NewIndexIVFFlat(q1, d, nlist, metric)
	require.NoError(t, err)
	pan, err = NewIndexIVFFlatPanorama(q2, d, nlist, levels, batch, metric)
	require.NoError(t, err)
	for _, ix := range []*IndexIVF{flat, pan} {
		require.NoError(t, ix.Train(xt))
		require.NoError(t, ix.Add(xb))
		ix.Nprobe = nlist / 2
	}
	return flat, pan
}

// sameResults checks the Panorama search against the flat one: the same
// ids where distances are apart, distances within rounding.
func sameResults(t *testing.T, flat, pan *IndexIVF, xq []float32, k int, p *SearchParams, msg string) {
	nq := len(xq) / flat.D()
	wd, wi := make([]float32, nq*k), make([]int64, nq*k)
	gd, gi := make([]float32, nq*k), make([]int64, nq*k)
	require.NoError(t, flat.SearchWithParams(xq, k, wd, wi, p))
	require.NoError(t, pan.SearchWithParams(xq, k, gd, gi, p))
	for i := range wd {
		require.InDelta(t, wd[i], gd[i], 1e-4*max(1, float64(abs32(wd[i]))), "%s rank %d", msg, i)
		if i%k == k-1 || wd[i+1]-wd[i] > 1e-3*max(1, abs32(wd[i])) {
			require.Equal(t, wi[i], gi[i], "%s rank %d", msg, i)
		}
	}
}

func TestIVFPanoramaMatchesIVFFlat(t *testing.T) {
	rng := rand.New(rand.NewSource(160))
	for _, c := range []struct{ d, levels, batch int }{{32, 4, 1024}, {65, 4, 16}, {63, 8, 7}, {12, 12, 32}, {16, 1, 64}} {
		xt := randData(rng, 1500, c.d, false)
		xb := randData(rng, 1200, c.d, false)
		xq := randData(rng, 30, c.d, false)
		for _, metric := range []Metric{MetricL2, MetricInnerProduct} {
			msg := fmt.Sprintf("%+v %s", c, metric)
			flat, pan := twinIVFs(t, c.d, 16, c.levels, c.batch, metric, xt, xb)
			sameResults(t, flat, pan, xq, 7, nil, msg)
			sameResults(t, flat, pan, xq, 7, &SearchParams{Sel: IDSelectorRange{Min: 100, Max: 700}}, msg+" filtered")

			wd := make([]float32, 30*7)
			require.NoError(t, flat.Search(xq, 7, wd, make([]int64, 30*7)))
			radius := (wd[3] + wd[4]) / 2
			want, err := flat.RangeSearch(xq, radius)
			require.NoError(t, err)
			got, err := pan.RangeSearch(xq, radius)
			require.NoError(t, err)
			assert.Equal(t, want.Lims, got.Lims, msg)

			// the lists change: the suffix norms follow
			require.NoError(t, flat.SetDirectMapType(2))
			require.NoError(t, pan.SetDirectMapType(2))
			ids := []int64{3, 50, 999}
			nv := randData(rng, 3, c.d, false)
			require.NoError(t, flat.UpdateVectors(ids, nv))
			require.NoError(t, pan.UpdateVectors(ids, nv))
			sameResults(t, flat, pan, nv, 3, nil, msg+" updated")
			sel := IDSelectorRange{Min: 0, Max: 600}
			_, err = flat.RemoveIDs(sel)
			require.NoError(t, err)
			_, err = pan.RemoveIDs(sel)
			require.NoError(t, err)
			sameResults(t, flat, pan, xq, 5, nil, msg+" removed")
			more := []int64{5000, 5001, 5002, 5003}
			require.NoError(t, flat.AddWithIDs(xb[:4*c.d], more))
			require.NoError(t, pan.AddWithIDs(xb[:4*c.d], more))
			sameResults(t, flat, pan, xq, 5, nil, msg+" added again")
		}
	}
}

// The statistics count each level measured: vectors that cannot beat the
// first one are dropped after their first level.
func TestIVFPanoramaStatsCountLevels(t *testing.T) {
	const d, n = 32, 3000
	xb := make([]float32, n*d)
	for i := range xb[:(n-1)*d] {
		xb[i] = 1
	}
	for _, levels := range []int{1, 2, 4, 8} {
		q, err := NewIndexFlat(d, MetricL2)
		require.NoError(t, err)
		pan, err := NewIndexIVFFlatPanorama(q, d, 1, levels, 1024, MetricL2)
		require.NoError(t, err)
		require.NoError(t, pan.Train(xb))
		require.NoError(t, pan.Add(xb))
		ResetPanoramaStats()
		dist, lab := make([]float32, 1), make([]int64, 1)
		require.NoError(t, pan.Search(make([]float32, d), 1, dist, lab))
		assert.Equal(t, int64(n-1), lab[0])
		s := GetPanoramaStats()
		ratio := float64(s.TotalDimsScanned) / float64(s.TotalDims)
		assert.InDelta(t, 1/float64(levels), ratio, 2e-3, "levels %d", levels)
	}
}

func TestIVFPanoramaRefusals(t *testing.T) {
	q, err := NewIndexFlat(8, MetricL1)
	require.NoError(t, err)
	_, err = NewIndexIVFFlatPanorama(q, 8, 4, 2, 1024, MetricL1)
	require.ErrorContains(t, err, "METRIC_L2 and METRIC_INNER_PRODUCT")
	for _, levels := range []int{0, -1, 9} {
		_, err = NewIndexIVFFlatPanorama(q, 8, 4, levels, 1024, MetricL2)
		require.ErrorContains(t, err, "n_levels must be in 1..d=8")
	}
	_, err = NewIndexIVFFlatPanorama(q, 8, 4, 2, 0, MetricL2)
	require.ErrorContains(t, err, "batch_size")

	rng := rand.New(rand.NewSource(161))
	xt := randData(rng, 300, 8, false)
	a, _ := twinIVFs(t, 8, 4, 2, 16, MetricL2, xt, xt[:80*8])
	_, b := twinIVFs(t, 8, 4, 2, 16, MetricL2, xt, xt[:80*8])
	_, c := twinIVFs(t, 8, 4, 4, 16, MetricL2, xt, xt[:80*8])
	require.ErrorContains(t, a.MergeFrom(b, 0), "cannot merge a IndexIVFFlatPanorama into a IndexIVFFlat")
	require.ErrorContains(t, b.MergeFrom(c, 0), "Panorama layouts differ")
	_, b2 := twinIVFs(t, 8, 4, 2, 16, MetricL2, xt, xt[80*8:160*8])
	require.NoError(t, b.MergeFrom(b2, 80))
	assert.Equal(t, int64(160), b.Ntotal())
}
