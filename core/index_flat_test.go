package core

import (
	"math"
	"math/rand"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newFlat(t *testing.T, d int, m Metric, arg float32, xb []float32) *IndexFlat {
	t.Helper()
	ix, err := NewIndexFlat(d, m)
	require.NoError(t, err)
	ix.SetMetricArg(arg)
	require.NoError(t, ix.Add(xb))
	return ix
}

func TestIndexFlatSearchMatchesReferenceForEveryMetric(t *testing.T) {
	rng := rand.New(rand.NewSource(42))
	// nq 3 takes the few-queries path (database split, direct L2); nq 45
	// the many-queries path (query split, L2 by norms and tiles). nb 1037
	// is not a multiple of any tile.
	for _, d := range []int{1, 3, 17, 97, 128, 777} {
		for _, nq := range []int{3, 45} {
			for _, m := range allMetrics {
				nb := 1037
				if d == 777 {
					nb = 301
				}
				positive := m == MetricJensenShannon || m == MetricCanberra || m == MetricBrayCurtis
				xb, xq := randData(rng, nb, d, positive), randData(rng, nq, d, positive)
				arg := float32(3)
				ix := newFlat(t, d, m, arg, xb)
				for _, k := range []int{1, 7, 33} { // k = 1 has its own path; 33 fills a deeper heap
					dist, labels := make([]float32, nq*k), make([]int64, nq*k)
					require.NoError(t, ix.Search(xq, k, dist, labels))
					requireKNNMatches(t, m, float64(arg), xq, xb, d, k, dist, labels)
				}
			}
		}
	}
}

func TestSearchPadsWhenKExceedsNtotal(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for _, m := range []Metric{MetricL2, MetricInnerProduct, MetricL1} {
		d := 5
		xb, xq := randData(rng, 3, d, false), randData(rng, 2, d, false)
		ix := newFlat(t, d, m, 0, xb)
		k := 6
		dist, labels := make([]float32, 2*k), make([]int64, 2*k)
		require.NoError(t, ix.Search(xq, k, dist, labels))
		requireKNNMatches(t, m, 0, xq, xb, d, k, dist, labels)
		pad := float32(math.MaxFloat32)
		if m == MetricInnerProduct {
			pad = -pad
		}
		assert.Equal(t, []int64{-1, -1, -1}, labels[3:6])
		assert.Equal(t, []float32{pad, pad, pad}, dist[3:6])
	}
}

func TestSearchEmptyIndexGivesOnlyPadding(t *testing.T) {
	for _, nq := range []int{1, 40} {
		ix := newFlat(t, 4, MetricL2, 0, nil)
		dist, labels := make([]float32, nq*2), make([]int64, nq*2)
		require.NoError(t, ix.Search(make([]float32, nq*4), 2, dist, labels))
		for i := range labels {
			assert.Equal(t, int64(-1), labels[i])
			assert.Equal(t, float32(math.MaxFloat32), dist[i])
		}
	}
}

func TestTiesGoToTheLowerID(t *testing.T) {
	// Rows 0, 2, 4, ... are the same vector; several chunks and blocks hold
	// copies, so the parallel merge is exercised as well.
	d, nb := 8, 9000
	xb := make([]float32, nb*d)
	for i := 0; i < nb; i++ {
		for c := 0; c < d; c++ {
			if i%2 == 0 {
				xb[i*d+c] = 1
			} else {
				xb[i*d+c] = float32(c + 2)
			}
		}
	}
	for _, nq := range []int{1, 50} {
		for _, m := range []Metric{MetricL2, MetricInnerProduct, MetricL1} {
			xq := make([]float32, nq*d)
			for i := range xq {
				xq[i] = 1
			}
			ix := newFlat(t, d, m, 0, xb)
			for _, k := range []int{1, 5} {
				dist, labels := make([]float32, nq*k), make([]int64, nq*k)
				require.NoError(t, ix.Search(xq, k, dist, labels))
				want := []int64{0, 2, 4, 6, 8}[:k]
				if m == MetricInnerProduct { // the other rows are more similar
					want = []int64{1, 3, 5, 7, 9}[:k]
				}
				for q := 0; q < nq; q++ {
					require.Equal(t, want, labels[q*k:(q+1)*k], "metric %v nq %d k %d", m, nq, k)
				}
			}
		}
	}
}

func TestRangeSearchMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	for _, nq := range []int{2, 33} {
		for _, m := range []Metric{MetricL2, MetricInnerProduct, MetricL1} {
			d, nb := 17, 2500
			xb, xq := randData(rng, nb, d, false), randData(rng, nq, d, false)
			ix := newFlat(t, d, m, 0, xb)
			radius := map[Metric]float32{MetricL2: 8, MetricInnerProduct: 2.5, MetricL1: 8}[m]
			res, err := ix.RangeSearch(xq, radius)
			require.NoError(t, err)
			require.Len(t, res.Lims, nq+1)
			total := 0
			for q := 0; q < nq; q++ {
				var want []int64
				for b := 0; b < nb; b++ {
					v := refDistance(m, 0, xq[q*d:(q+1)*d], xb[b*d:(b+1)*d])
					// Skip pairs within rounding of the radius.
					if math.Abs(v-float64(radius)) < 1e-4 {
						continue
					}
					if (m.IsSimilarity() && v > float64(radius)) || (!m.IsSimilarity() && v < float64(radius)) {
						want = append(want, int64(b))
					}
				}
				got := res.Labels[res.Lims[q]:res.Lims[q+1]]
				require.Subset(t, got, want)
				require.InDelta(t, len(want), len(got), 2)
				require.IsIncreasing(t, got)
				total += len(got)
			}
			require.Positive(t, total, "radius picks some matches")
		}
	}
}

func TestRemoveIDsShiftsLaterIDsDown(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	d := 3
	xb := randData(rng, 10, d, false)
	ix := newFlat(t, d, MetricL2, 0, xb)
	n, err := ix.RemoveIDs(NewIDSelectorBatch([]int64{1, 4, 4, 99}))
	require.NoError(t, err)
	require.Equal(t, int64(2), n)
	require.Equal(t, int64(8), ix.Ntotal())
	out := make([]float32, d)
	require.NoError(t, ix.Reconstruct(3, out)) // old id 5
	require.Equal(t, xb[5*d:6*d], out)
	n, err = ix.RemoveIDs(IDSelectorRange{Min: 6, Max: 100})
	require.NoError(t, err)
	require.Equal(t, int64(2), n)
	all := make([]float32, 6*d)
	require.NoError(t, ix.ReconstructN(0, 6, all))
	want := append(append(append([]float32{}, xb[0:d]...), xb[2*d:4*d]...), xb[5*d:8*d]...)
	require.Equal(t, want, all)
	// The cached norms moved with their rows: L2 search still exact.
	xq := randData(rng, 25, d, false)
	dist, labels := make([]float32, 25*2), make([]int64, 25*2)
	require.NoError(t, ix.Search(xq, 2, dist, labels))
	requireKNNMatches(t, MetricL2, 0, xq, want, d, 2, dist, labels)
}

func TestIndexFlatRejectsBadArguments(t *testing.T) {
	_, err := NewIndexFlat(0, MetricL2)
	require.ErrorContains(t, err, "d must be positive, got 0")
	_, err = NewIndexFlat(4, Metric(7))
	require.ErrorContains(t, err, "unknown metric 7")
	ix := newFlat(t, 4, MetricL2, 0, make([]float32, 8))
	var e *Error
	require.ErrorAs(t, ix.Add(make([]float32, 5)), &e)
	require.Equal(t, KindDimensionMismatch, e.Kind)
	require.Equal(t, int64(2), ix.Ntotal(), "failed add leaves the index unchanged")
	require.ErrorContains(t, ix.Search(make([]float32, 4), 0, nil, nil), "k must be positive, got 0")
	require.ErrorContains(t, ix.Search(make([]float32, 4), 2, make([]float32, 1), make([]int64, 2)), "outputs hold")
	require.ErrorContains(t, ix.Reconstruct(2, make([]float32, 4)), "out of range")
	require.ErrorContains(t, ix.Reconstruct(-1, make([]float32, 4)), "out of range")
	require.ErrorContains(t, ix.ReconstructN(1, 2, make([]float32, 8)), "out of range")
	require.ErrorContains(t, ix.ReconstructN(0, 2, make([]float32, 7)), "output holds")
}

func TestSameInputSameResult(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	d, nb, nq, k := 32, 5000, 64, 10
	xb, xq := randData(rng, nb, d, false), randData(rng, nq, d, false)
	ix := newFlat(t, d, MetricL2, 0, xb)
	d1, l1 := make([]float32, nq*k), make([]int64, nq*k)
	d2, l2 := make([]float32, nq*k), make([]int64, nq*k)
	require.NoError(t, ix.Search(xq, k, d1, l1))
	require.NoError(t, ix.Search(xq, k, d2, l2))
	require.Equal(t, d1, d2)
	require.Equal(t, l1, l2)
}

func TestNaNRowsNeverRankForAnyK(t *testing.T) {
	const d = 16
	xb := make([]float32, 40*d)
	for i := range xb {
		xb[i] = float32(i%7) * 0.5
	}
	for c := 0; c < d; c++ {
		xb[3*d+c] = float32(math.NaN()) // row 3
	}
	for _, m := range []Metric{MetricL2, MetricInnerProduct} {
		for _, nq := range []int{1, 30} {
			xq := make([]float32, nq*d)
			for i := range xq {
				xq[i] = 1
			}
			ix := newFlat(t, d, m, 0, xb)
			for _, k := range []int{1, 3, 40} {
				dist, labels := make([]float32, nq*k), make([]int64, nq*k)
				require.NoError(t, ix.Search(xq, k, dist, labels))
				for i, l := range labels {
					require.NotEqual(t, int64(3), l, "metric %v nq %d k %d", m, nq, k)
					require.False(t, math.IsNaN(float64(dist[i])))
				}
			}
		}
	}
}

// Long vectors with many queries take the chunked tiles (PackChunks).
func TestLongVectorsWithManyQueriesMatchReference(t *testing.T) {
	rng := rand.New(rand.NewSource(47))
	const d, nb, nq, k = 777, 301, 150, 5
	for _, m := range []Metric{MetricL2, MetricInnerProduct} {
		xb, xq := randData(rng, nb, d, false), randData(rng, nq, d, false)
		ix := newFlat(t, d, m, 0, xb)
		require.True(t, ix.job(xq).chunked())
		dist, labels := make([]float32, nq*k), make([]int64, nq*k)
		require.NoError(t, ix.Search(xq, k, dist, labels))
		requireKNNMatches(t, m, 0, xq, xb, d, k, dist, labels)
	}
}

// Search allocates for its queries and tiles, never in proportion to the
// database: four times the vectors must not mean more allocated bytes.
func TestSearchAllocationDoesNotGrowWithTheDatabase(t *testing.T) {
	rng := rand.New(rand.NewSource(48))
	const d, k = 64, 10
	xq := randData(rng, 100, d, false)
	allocated := func(nb int) uint64 {
		ix := newFlat(t, d, MetricL2, 0, randData(rng, nb, d, false))
		dist, labels := make([]float32, 100*k), make([]int64, 100*k)
		require.NoError(t, ix.Search(xq, k, dist, labels)) // warm up
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		require.NoError(t, ix.Search(xq, k, dist, labels))
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := allocated(50_000), allocated(200_000)
	require.LessOrEqual(t, large, small+64<<10, "50k: %d bytes, 200k: %d bytes", small, large)
}

// k = 1 L2 search of short vectors with many queries goes through the
// dimension-major copy (where the CPU has the SIMD kernels): same answers.
func TestTop1OfShortVectorsMatchesTheReference(t *testing.T) {
	rng := rand.New(rand.NewSource(61))
	for _, d := range []int{1, 3, 8, 16} {
		for _, nb := range []int{1, 31, 300} {
			xb := randData(rng, nb, d, false)
			xq := randData(rng, 50, d, false)
			ix := newFlat(t, d, MetricL2, 0, xb)
			dist, labels := make([]float32, 50), make([]int64, 50)
			require.NoError(t, ix.Search(xq, 1, dist, labels))
			requireKNNMatches(t, MetricL2, 0, xq, xb, d, 1, dist, labels)
		}
	}
}
