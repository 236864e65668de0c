package core

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestKNNMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewSource(21))
	for _, nq := range []int{1, 30} {
		for _, m := range []Metric{MetricL2, MetricInnerProduct, MetricLinf} {
			d, nb, k := 13, 700, 4
			xb, xq := randData(rng, nb, d, false), randData(rng, nq, d, false)
			dist, labels := make([]float32, nq*k), make([]int64, nq*k)
			require.NoError(t, KNN(xq, xb, d, m, 0, k, dist, labels))
			requireKNNMatches(t, m, 0, xq, xb, d, k, dist, labels)
		}
	}
	require.ErrorContains(t, KNN(make([]float32, 4), make([]float32, 6), 4, MetricL2, 0, 1, make([]float32, 1), make([]int64, 1)), "not a multiple of d=4")
}

func TestPairwiseDistancesMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewSource(22))
	for _, m := range allMetrics {
		d, nq, nb := 9, 5, 11
		xb, xq := randData(rng, nb, d, true), randData(rng, nq, d, true)
		out := make([]float32, nq*nb)
		require.NoError(t, PairwiseDistances(xq, xb, d, m, 1.5, out))
		for q := 0; q < nq; q++ {
			for b := 0; b < nb; b++ {
				want := refDistance(m, 1.5, xq[q*d:(q+1)*d], xb[b*d:(b+1)*d])
				require.InDelta(t, want, float64(out[q*nb+b]), tol(want), "metric %v", m)
			}
		}
	}
}

func TestNormalizeL2MakesUnitRowsAndKeepsZeroRows(t *testing.T) {
	x := []float32{3, 4, 0, 0, 1, 0}
	require.NoError(t, NormalizeL2(x, 2))
	require.InDeltaSlice(t, []float32{0.6, 0.8, 0, 0, 1, 0}, x, 1e-6)
	require.Error(t, NormalizeL2(x, 4))
}

func TestParseMetricAcceptsFaissSpellings(t *testing.T) {
	for in, want := range map[string]Metric{"L2": MetricL2, "metric_inner_product": MetricInnerProduct, "linf": MetricLinf, "METRIC_JensenShannon": MetricJensenShannon} {
		got, err := ParseMetric(in)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	_, err := ParseMetric("cosine")
	require.ErrorContains(t, err, `unknown metric "cosine"`)
}

func TestTopKOrdersByDistanceThenID(t *testing.T) {
	h := newTopK(4)
	for _, p := range []pair{{2, 9}, {1, 5}, {2, 3}, {float64(math.NaN()), 0}, {0.5, 7}, {2, 1}, {3, 0}} {
		h.push(float32(p.d), p.id)
	}
	dist, ids := make([]float32, 4), make([]int64, 4)
	h.emit(1, dist, ids)
	require.Equal(t, []int64{7, 5, 1, 3}, ids)
	require.Equal(t, []float32{0.5, 1, 2, 2}, dist)
}

func TestParallelChunksReraisesWorkerPanics(t *testing.T) {
	require.Panics(t, func() {
		parallelChunks(1000, 1, func(c, lo, hi int) {
			if lo == 0 {
				panic("boom")
			}
		})
	})
}
