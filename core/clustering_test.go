package core

import (
	"math"
	"math/rand"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

// blobs returns n points around k well separated centres, so no cluster
// empties during a few iterations.
func blobs(rng *rand.Rand, n, d, k int) []float32 {
	centres := make([]float32, k*d)
	for i := range centres {
		centres[i] = float32(rng.NormFloat64() * 10)
	}
	x := make([]float32, n*d)
	for i := 0; i < n; i++ {
		c := i % k
		for j := 0; j < d; j++ {
			x[i*d+j] = centres[c*d+j] + float32(rng.NormFloat64())
		}
	}
	return x
}

// refLloyd is plain Lloyd k-means in float64 from given centroids: the
// oracle. It returns the centroids and the objective of every iteration.
func refLloyd(x []float32, d int, init []float32, niter int) ([]float64, []float64) {
	k, n := len(init)/d, len(x)/d
	cent := make([]float64, len(init))
	for i, v := range init {
		cent[i] = float64(v)
	}
	var objs []float64
	for it := 0; it < niter; it++ {
		sums := make([]float64, k*d)
		counts := make([]float64, k)
		obj := 0.0
		for i := 0; i < n; i++ {
			best, bestD := 0, math.Inf(1)
			for c := 0; c < k; c++ {
				s := 0.0
				for j := 0; j < d; j++ {
					diff := float64(x[i*d+j]) - cent[c*d+j]
					s += diff * diff
				}
				if s < bestD {
					best, bestD = c, s
				}
			}
			obj += bestD
			counts[best]++
			for j := 0; j < d; j++ {
				sums[best*d+j] += float64(x[i*d+j])
			}
		}
		objs = append(objs, obj)
		for c := 0; c < k; c++ {
			for j := 0; j < d; j++ {
				cent[c*d+j] = sums[c*d+j] / counts[c]
			}
		}
	}
	return cent, objs
}

func newClustering(t *testing.T, d, k int, edit func(*ClusteringParameters)) *Clustering {
	p := DefaultClusteringParameters()
	if edit != nil {
		edit(&p)
	}
	c, err := NewClustering(d, k, p)
	require.NoError(t, err)
	c.Warn = func(string) {}
	return c
}

func trainFlat(t *testing.T, c *Clustering, x, weights []float32) *IndexFlat {
	metric := MetricL2
	if c.Spherical {
		metric = MetricInnerProduct
	}
	ix, err := NewIndexFlat(c.D, metric)
	require.NoError(t, err)
	require.NoError(t, c.Train(x, ix, weights))
	return ix
}

func TestClusteringMatchesPlainLloydFromGivenCentroids(t *testing.T) {
	rng := rand.New(rand.NewSource(31))
	const n, d, k, niter = 2000, 13, 7, 6
	x := blobs(rng, n, d, k)
	init := append([]float32(nil), x[:k*d]...) // one point of each blob
	c := newClustering(t, d, k, func(p *ClusteringParameters) { p.Niter = niter; p.MaxPointsPerCentroid = n })
	c.Centroids = append([]float32(nil), init...)
	ix := trainFlat(t, c, x, nil)

	want, objs := refLloyd(x, d, init, niter)
	for i, v := range c.Centroids {
		require.InDelta(t, want[i], float64(v), 1e-4*math.Max(1, math.Abs(want[i])), "coordinate %d", i)
	}
	// The blobs converge before niter: the run stops once the objective is
	// unchanged (faiss 1.15's default), with the final centroids unchanged.
	require.Less(t, len(c.IterationStats), niter)
	last := len(c.IterationStats) - 1
	require.Equal(t, c.IterationStats[last-1].Obj, c.IterationStats[last].Obj)
	for i, st := range c.IterationStats {
		require.InDelta(t, objs[i], float64(st.Obj), 1e-5*objs[i], "iteration %d", i)
		require.Zero(t, st.Nsplit)
		require.GreaterOrEqual(t, st.ImbalanceFactor, 1.0)
	}
	require.Equal(t, int64(k), ix.Ntotal(), "the index ends up holding the centroids")
}

func TestClusteringStartsFromSeededDistinctPoints(t *testing.T) {
	rng := rand.New(rand.NewSource(32))
	const n, d, k = 500, 4, 9
	x := randData(rng, n, d, false)
	c := newClustering(t, d, k, func(p *ClusteringParameters) { p.Niter = 0; p.Seed = 77 })
	trainFlat(t, c, x, nil)
	perm := randPerm(n, 77+1)
	for i := 0; i < k; i++ {
		require.Equal(t, x[perm[i]*d:(perm[i]+1)*d], c.Centroids[i*d:(i+1)*d])
	}
}

func TestClusteringGivesTheSameResultOnAnyNumberOfThreads(t *testing.T) {
	rng := rand.New(rand.NewSource(33))
	const n, d, k = 3001, 33, 40
	x := randData(rng, n, d, false)
	var first []float32
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, threads := range []int{1, 2, 3, 5} {
		runtime.GOMAXPROCS(threads)
		c := newClustering(t, d, k, func(p *ClusteringParameters) { p.Niter = 8 })
		trainFlat(t, c, x, nil)
		if first == nil {
			first = c.Centroids
			continue
		}
		require.Equal(t, first, c.Centroids, "threads=%d", threads)
	}
}

func TestClusteringSplitsEmptyClusters(t *testing.T) {
	rng := rand.New(rand.NewSource(34))
	const n, d, k = 600, 6, 5
	x := blobs(rng, n, d, 4)
	init := append([]float32(nil), x[:4*d]...)
	for j := 0; j < d; j++ {
		init = append(init, 1e4) // far from every point: empty at once
	}
	c := newClustering(t, d, k, func(p *ClusteringParameters) { p.Niter = 3 })
	c.Centroids = init
	trainFlat(t, c, x, nil)
	require.Equal(t, 1, c.IterationStats[0].Nsplit)
	far := c.Centroids[4*d : 5*d]
	require.Less(t, math.Abs(float64(far[0])), 100.0, "the empty centroid was moved into the data")
}

func TestClusteringSphericalKeepsUnitNorms(t *testing.T) {
	rng := rand.New(rand.NewSource(35))
	const n, d, k = 1000, 8, 6
	x := randData(rng, n, d, false)
	c := newClustering(t, d, k, func(p *ClusteringParameters) { p.Spherical = true; p.Niter = 5 })
	trainFlat(t, c, x, nil)
	for i := 0; i < k; i++ {
		row := c.Centroids[i*d : (i+1)*d]
		require.InDelta(t, 1, refDistance(MetricInnerProduct, 0, row, row), 1e-5)
	}
}

func TestClusteringIntCentroidsAreRounded(t *testing.T) {
	rng := rand.New(rand.NewSource(36))
	const n, d, k = 800, 5, 4
	x := blobs(rng, n, d, k)
	c := newClustering(t, d, k, func(p *ClusteringParameters) { p.IntCentroids = true; p.Niter = 4 })
	trainFlat(t, c, x, nil)
	for _, v := range c.Centroids {
		require.Equal(t, math.Round(float64(v)), float64(v))
	}
}

func TestClusteringFrozenCentroidsNeverMove(t *testing.T) {
	rng := rand.New(rand.NewSource(37))
	const n, d, k = 900, 7, 6
	x := blobs(rng, n, d, k)
	frozen := []float32{1, 2, 3, 4, 5, 6, 7, -1, -2, -3, -4, -5, -6, -7}
	c := newClustering(t, d, k, func(p *ClusteringParameters) { p.FrozenCentroids = true; p.Niter = 5 })
	c.Centroids = append([]float32(nil), frozen...)
	trainFlat(t, c, x, nil)
	require.Equal(t, frozen, c.Centroids[:2*d])
}

func TestClusteringWeightsGiveTheWeightedMean(t *testing.T) {
	x := []float32{0, 0, 1, 0, 10, 4}
	w := []float32{1, 3, 0.5}
	c := newClustering(t, 2, 1, func(p *ClusteringParameters) { p.Niter = 2 })
	trainFlat(t, c, x, w)
	require.InDeltaSlice(t, []float64{(3 + 5) / 4.5, 2 / 4.5}, []float64{float64(c.Centroids[0]), float64(c.Centroids[1])}, 1e-6)
}

func TestClusteringTinyWeightsDoNotHangTheSplit(t *testing.T) {
	rng := rand.New(rand.NewSource(38))
	const n, d, k = 300, 3, 4
	x := blobs(rng, n, d, 3)
	w := make([]float32, n)
	for i := range w {
		w[i] = 1e-3 // every cluster "smaller than one point": faiss loops forever
	}
	init := append(append([]float32(nil), x[:3*d]...), 1e4, 1e4, 1e4)
	c := newClustering(t, d, k, func(p *ClusteringParameters) { p.Niter = 2 })
	c.Centroids = init
	trainFlat(t, c, x, w)
	require.Equal(t, 1, c.IterationStats[0].Nsplit)
}

func TestClusteringSubsamplesAndWarns(t *testing.T) {
	rng := rand.New(rand.NewSource(39))
	const d, k = 4, 3
	x := randData(rng, 1000, d, false)
	c := newClustering(t, d, k, func(p *ClusteringParameters) { p.MaxPointsPerCentroid = 100 })
	ix, _ := NewIndexFlat(d, MetricL2)
	run, err := c.Start(x, ix, nil)
	require.NoError(t, err)
	require.Equal(t, 300, run.Points())

	var warnings []string
	c = newClustering(t, d, k, nil)
	c.Warn = func(s string) { warnings = append(warnings, s) }
	run, err = c.Start(x[:100*d], ix, nil)
	require.NoError(t, err)
	require.Equal(t, 100, run.Points())
	require.Len(t, warnings, 1)
	require.Contains(t, warnings[0], "please provide at least 117 training points")
}

func TestClusteringWithAsManyPointsAsClustersCopiesThem(t *testing.T) {
	x := []float32{1, 2, 3, 4, 5, 6}
	c := newClustering(t, 2, 3, nil)
	trainFlat(t, c, x, nil)
	require.Equal(t, x, c.Centroids)
	require.Len(t, c.IterationStats, 1)
}

func TestClusteringKeepsTheBestOfSeveralRuns(t *testing.T) {
	rng := rand.New(rand.NewSource(40))
	const n, d, k, niter = 1500, 6, 12, 4
	x := randData(rng, n, d, false)
	best := float32(math.Inf(1))
	for r := int64(0); r < 3; r++ {
		c := newClustering(t, d, k, func(p *ClusteringParameters) { p.Niter = niter; p.Seed = 1234 + r*redoSeedStride })
		trainFlat(t, c, x, nil)
		best = min(best, c.IterationStats[niter-1].Obj)
	}
	c := newClustering(t, d, k, func(p *ClusteringParameters) { p.Niter = niter; p.Nredo = 3 })
	trainFlat(t, c, x, nil)
	stats := c.IterationStats
	require.Equal(t, best, stats[len(stats)-1].Obj)
}

func TestClusteringStopsEarly(t *testing.T) {
	rng := rand.New(rand.NewSource(41))
	const n, d, k = 1200, 5, 4
	x := blobs(rng, n, d, k)
	init := x[:k*d]
	c := newClustering(t, d, k, func(p *ClusteringParameters) { p.Niter = 50; p.EarlyStopThreshold = 0.6 })
	c.Centroids = append([]float32(nil), init...)
	trainFlat(t, c, x, nil)
	require.Len(t, c.IterationStats, 2, "the second iteration changes the objective by 54%")

	c = newClustering(t, d, k, func(p *ClusteringParameters) { p.Niter = 50; p.EarlyStopThreshold = -1 })
	c.Centroids = append([]float32(nil), init...)
	trainFlat(t, c, x, nil)
	require.Len(t, c.IterationStats, 50, "a negative threshold never stops")
}

func TestClusteringRejectsBadInput(t *testing.T) {
	rng := rand.New(rand.NewSource(42))
	const d, k = 4, 5
	x := randData(rng, 100, d, false)
	ix, _ := NewIndexFlat(d, MetricL2)
	other, _ := NewIndexFlat(d+1, MetricL2)
	nan := append([]float32(nil), x...)
	nan[7] = float32(math.NaN())
	cases := map[string]struct {
		x, w, init []float32
		index      Index
		msg        string
	}{
		"k > n":           {x: x[:4*d], index: ix, msg: "at least as large as number of clusters"},
		"ragged":          {x: x[:4*d+1], index: ix, msg: "not a multiple"},
		"index d":         {x: x, index: other, msg: "index dimension 5"},
		"nil index":       {x: x, msg: "no assignment index"},
		"NaN":             {x: nan, index: ix, msg: "NaN's or Inf's (first at row 1, column 3)"},
		"weights length":  {x: x, w: []float32{1}, index: ix, msg: "1 weights for 100"},
		"negative weight": {x: x, w: append(make([]float32, 99), -1), index: ix, msg: "weight 99 is -1"},
		"zero weights":    {x: x, w: make([]float32, 100), index: ix, msg: "all 100 weights are zero"},
		"too many init":   {x: x, init: make([]float32, 6*d), index: ix, msg: "6 initial centroids"},
		"ragged init":     {x: x, init: make([]float32, 3), index: ix, msg: "not a multiple of dimension"},
	}
	for name, tc := range cases {
		c := newClustering(t, d, k, nil)
		c.Centroids = tc.init
		err := c.Train(tc.x, tc.index, tc.w)
		require.ErrorContains(t, err, tc.msg, name)
		require.Equal(t, tc.init, c.Centroids, "%s: centroids unchanged", name)
		require.Nil(t, c.IterationStats, name)
	}
	_, err := NewClustering(d, 0, DefaultClusteringParameters())
	require.ErrorContains(t, err, "k must be positive")
	p := DefaultClusteringParameters()
	p.Nredo = 0
	_, err = NewClustering(d, 3, p)
	require.ErrorContains(t, err, "nredo must be >= 1")
}

func TestClusteringReportsAnIndexThatGivesNoLabel(t *testing.T) {
	rng := rand.New(rand.NewSource(43))
	const d, k = 3, 2
	x := randData(rng, 50, d, false)
	x[10*d] = float32(math.NaN()) // never ranks: label -1
	c := newClustering(t, d, k, func(p *ClusteringParameters) { p.CheckInputDataForNaNs = false })
	ix, _ := NewIndexFlat(d, MetricL2)
	require.ErrorContains(t, c.Train(x, ix, nil), "gave point 10 the label -1")
	require.Nil(t, c.Centroids)
}

// trainCounter is a flat index that counts Train calls.
type trainCounter struct {
	*IndexFlat
	trains int
}

func (c *trainCounter) Train(x []float32) error { c.trains++; return c.IndexFlat.Train(x) }

func TestClusteringUpdateIndexRetrainsEachIteration(t *testing.T) {
	rng := rand.New(rand.NewSource(44))
	const d, k, niter = 4, 3, 5
	x := randData(rng, 300, d, false)
	for _, update := range []bool{false, true} {
		flat, _ := NewIndexFlat(d, MetricL2)
		ix := &trainCounter{IndexFlat: flat}
		c := newClustering(t, d, k, func(p *ClusteringParameters) {
			p.Niter, p.UpdateIndex, p.EarlyStopThreshold = niter, update, -1
		})
		require.NoError(t, c.Train(x, ix, nil))
		want := 0 // a flat index is trained already: faiss only trains untrained ones
		if update {
			want = niter
		}
		require.Equal(t, want, ix.trains, "update_index=%v", update)
	}
}

// BenchmarkKMeans is the ClassKit case: 10,000 x 128 into 500 clusters.
func BenchmarkKMeans(b *testing.B) { benchKMeans(b, 45, 128, 20) }

// BenchmarkKMeans768 is the wide-vector case: 10,000 x 768 into 500.
func BenchmarkKMeans768(b *testing.B) { benchKMeans(b, 46, 768, 10) }

// benchKMeans clusters 10,000 blob points of dimension d into 500 for
// niter iterations (no early stop).
func benchKMeans(b *testing.B, seed int64, d, niter int) {
	rng := rand.New(rand.NewSource(seed))
	const n, k = 10000, 500
	x := blobs(rng, n, d, 1000)
	for i := 0; i < b.N; i++ {
		p := DefaultClusteringParameters()
		p.Niter, p.EarlyStopThreshold = niter, -1
		c, _ := NewClustering(d, k, p)
		c.Warn = func(string) {}
		ix, _ := NewIndexFlat(d, MetricL2)
		_ = c.Train(x, ix, nil)
	}
}
