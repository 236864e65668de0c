package indexio

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalfaiss/metalfaiss/core"
)

// catalogueIndexes are small trained indexes of faiss's wider catalogue
// that take no adds, or that this file's test fills: IndexRowwiseMinMax
// over SQ8, its float16 form over PQ, a MultiIndexQuantizer (trained and
// not), an Index2Layer, an IndexIVFPQR and an IndexIVFSpectralHash (median
// thresholds) with 30 vectors, IndexHNSWCagra (float32, base level only; float16),
// NSG over flat vectors, PQ codes and (not built) SQ codes, NN-descent,
// IndexHNSW2Level over an Index2Layer, IndexFlatPanorama, IndexHNSWFlatPanorama,
// IndexIVFFlatPanorama.
func catalogueIndexes(t testing.TB) []core.Index {
	rng := rand.New(rand.NewSource(3))
	x := make([]float32, 300*8)
	for i := range x {
		x[i] = rng.Float32()*4 - 1
	}
	sq, err := core.NewIndexScalarQuantizer(8, core.QT8bit, core.MetricL2)
	require.NoError(t, err)
	mm, err := core.NewIndexRowwiseMinMax(sq, false)
	require.NoError(t, err)
	pq, err := core.NewIndexPQ(8, 2, 4, core.MetricInnerProduct)
	require.NoError(t, err)
	pq.PQ.Warn = func(string) {}
	mm16, err := core.NewIndexRowwiseMinMax(pq, true)
	require.NoError(t, err)
	imi, err := core.NewMultiIndexQuantizer(8, 2, 3)
	require.NoError(t, err)
	imi.PQ.Warn = func(string) {}
	for _, ix := range []core.Index{mm, mm16, imi} {
		require.NoError(t, ix.Train(x))
	}
	untrained, err := core.NewMultiIndexQuantizer(8, 4, 2)
	require.NoError(t, err)
	flat, err := core.NewIndexFlat(8, core.MetricL2)
	require.NoError(t, err)
	two, err := core.NewIndex2Layer(flat, 5, 2, 4, core.MetricL2)
	require.NoError(t, err)
	two.Layers().PQ.Warn, two.Layers().Warn = func(string) {}, func(string) {}
	require.NoError(t, two.Train(x))
	require.NoError(t, two.Add(x[:30*8]))
	q, err := core.NewIndexFlat(8, core.MetricL2)
	require.NoError(t, err)
	pqr, err := core.NewIndexIVFPQR(q, 8, 4, 2, 4, 4, 4)
	require.NoError(t, err)
	pqr.PQ().Warn, pqr.PQR().Refine.Warn, pqr.Warn = func(string) {}, func(string) {}, func(string) {}
	require.NoError(t, pqr.Train(x))
	require.NoError(t, pqr.Add(x[:30*8]))
	q2, err := core.NewIndexFlat(8, core.MetricL2)
	require.NoError(t, err)
	sh, err := core.NewIndexIVFSpectralHash(q2, 8, 4, 6, 0.5)
	require.NoError(t, err)
	sh.Warn = func(string) {}
	require.NoError(t, sh.SpectralHash().SetThresholdType(core.ThreshMedian))
	require.NoError(t, sh.Train(x))
	require.NoError(t, sh.Add(x[:30*8]))
	cagra, err := core.NewIndexHNSWCagra(8, 4, core.MetricL2, false)
	require.NoError(t, err)
	require.NoError(t, cagra.Add(x[:40*8]))
	cagra.Cagra.BaseLevelOnly = true
	half, err := core.NewIndexHNSWCagra(8, 4, core.MetricInnerProduct, true)
	require.NoError(t, err)
	require.NoError(t, half.Add(x[:30*8]))
	nsg, err := core.NewIndexNSGFlat(8, 6, core.MetricL2)
	require.NoError(t, err)
	nsg.GK, nsg.BuildType = 10, 0
	require.NoError(t, nsg.Add(x[:150*8]))
	nsgPQ, err := core.NewIndexNSGPQ(8, 2, 6, 8)
	require.NoError(t, err)
	nsgPQ.Storage().(*core.IndexPQ).PQ.Warn = func(string) {}
	require.NoError(t, nsgPQ.Train(x))
	nsgPQ.GK = 10
	require.NoError(t, nsgPQ.Add(x[:120*8])) // NN-descent's kNN graph
	nsgSQ, err := core.NewIndexNSGSQ(8, core.QT8bit, 6, core.MetricInnerProduct)
	require.NoError(t, err) // not built
	nnd, err := core.NewIndexNNDescentFlat(8, 6, core.MetricInnerProduct)
	require.NoError(t, err)
	require.NoError(t, nnd.Add(x[:110*8]))
	q3, err := core.NewIndexFlat(8, core.MetricL2)
	require.NoError(t, err)
	hnsw2, err := core.NewIndexHNSW2Level(q3, 5, 2, 4)
	require.NoError(t, err)
	layers := hnsw2.Storage().(*core.Index2Layer).Layers()
	layers.PQ.Warn, layers.Warn = func(string) {}, func(string) {}
	require.NoError(t, hnsw2.Train(x))
	require.NoError(t, hnsw2.Add(x[:40*8]))
	pano, err := core.NewIndexFlatPanorama(8, core.MetricInnerProduct, 3, 16)
	require.NoError(t, err)
	require.NoError(t, pano.Add(x[:37*8]))
	hpano, err := core.NewIndexHNSWFlatPanorama(8, 4, 3)
	require.NoError(t, err)
	require.NoError(t, hpano.Add(x[:30*8]))
	q4, err := core.NewIndexFlat(8, core.MetricL2)
	require.NoError(t, err)
	ivfPano, err := core.NewIndexIVFFlatPanorama(q4, 8, 4, 3, 16, core.MetricL2)
	require.NoError(t, err)
	ivfPano.Warn = func(string) {}
	require.NoError(t, ivfPano.Train(x))
	require.NoError(t, ivfPano.Add(x[:45*8]))
	return []core.Index{mm, mm16, imi, untrained, two, pqr, sh, cagra, half, nsg, nsgPQ, nsgSQ, nnd, hnsw2, pano, hpano, ivfPano}
}

func TestCatalogueIndexesRoundTripAndTruncationsFailCleanly(t *testing.T) {
	for _, ix := range catalogueIndexes(t) {
		requireRoundTripAndCleanCuts(t, ix)
	}
}
