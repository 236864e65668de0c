package gpu

import (
	"math/rand"
	"testing"

	"github.com/metalfaiss/metalfaiss/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSumByLabelMatchesTheLoop(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(5))
	for _, c := range []struct {
		n, d, k  int
		weighted bool
	}{{1, 1, 1, false}, {100, 3, 7, true}, {1000, 33, 10, false}, {5000, 16, 300, true}} {
		x := randomRows(rng, c.n, c.d, false)
		labels := make([]int64, c.n)
		var weights []float32
		if c.weighted {
			weights = make([]float32, c.n)
		}
		for i := range labels {
			labels[i] = int64(rng.Intn(c.k))
			if weights != nil {
				weights[i] = rng.Float32()
			}
		}
		m := e.NewMatrix(c.d)
		require.NoError(t, m.Sync(x, 0))
		sums, counts := make([]float32, c.k*c.d), make([]float32, c.k)
		require.NoError(t, e.SumByLabel(m, labels, weights, c.k, sums, counts))
		wantSums, wantCounts := make([]float64, c.k*c.d), make([]float64, c.k)
		for i, l := range labels {
			w := 1.0
			if weights != nil {
				w = float64(weights[i])
			}
			wantCounts[l] += w
			for j := 0; j < c.d; j++ {
				wantSums[int(l)*c.d+j] += w * float64(x[i*c.d+j])
			}
		}
		for i := range wantSums {
			assert.InDelta(t, wantSums[i], sums[i], 1e-4*float64(c.n/c.k+1), "sum %d (%+v)", i, c)
		}
		for i := range wantCounts {
			assert.InDelta(t, wantCounts[i], counts[i], 1e-3, "count %d (%+v)", i, c)
		}
		again := make([]float32, c.k*c.d)
		require.NoError(t, e.SumByLabel(m, labels, weights, c.k, again, counts))
		assert.Equal(t, sums, again, "sums are the same on every run")
		labels[0] = int64(c.k)
		assert.ErrorContains(t, e.SumByLabel(m, labels, weights, c.k, sums, counts), "outside")
		m.Release()
	}
}

// k-means through the GPU index converges to the CPU result on separated
// clusters: same objective within float rounding, same centroids.
func TestKMeansOnTheGPUMatchesTheCPU(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(6))
	d, k, n := 8, 5, 2000
	x := make([]float32, n*d)
	for i := 0; i < n; i++ {
		c := i % k
		for j := 0; j < d; j++ {
			x[i*d+j] = float32(10*c*(j%2)) + rng.Float32()
		}
	}
	p := core.DefaultClusteringParameters()
	p.Niter = 10
	p.EarlyStopThreshold = -1 // every iteration on both: their last digits differ
	run := func(ix core.Index) *core.Clustering {
		c, err := core.NewClustering(d, k, p)
		require.NoError(t, err)
		require.NoError(t, c.Train(x, ix, nil))
		return c
	}
	cpuIx, _ := core.NewIndexFlat(d, core.MetricL2)
	gpuIx, err := NewIndexFlat(e, d, core.MetricL2)
	require.NoError(t, err)
	defer gpuIx.Close()
	cpu, gpu := run(cpuIx), run(gpuIx)
	require.Len(t, gpu.IterationStats, len(cpu.IterationStats))
	last := len(cpu.IterationStats) - 1
	assert.InEpsilon(t, cpu.IterationStats[last].Obj, gpu.IterationStats[last].Obj, 1e-4)
	assert.InDeltaSlice(t, cpu.Centroids, gpu.Centroids, 1e-4)
	assert.Nil(t, gpuIx.points, "a finished run releases its points")
}

// Blocks of the bound training points (k-means assigns in blocks) search
// from the resident rows: the same answers as the points sent again,
// whether the block starts on an aligned row or not.
func TestBoundPointsSearchedInBlocks(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(12))
	d := 5
	ix, err := NewIndexFlat(e, d, core.MetricL2)
	require.NoError(t, err)
	defer ix.Close()
	require.NoError(t, ix.Add(randomRows(rng, 40, d, false)))
	x := randomRows(rng, 300, d, false)
	want, wantL := make([]float32, 300), make([]int64, 300)
	require.NoError(t, ix.Search(append([]float32(nil), x...), 1, want, wantL))
	require.NoError(t, ix.BindTrainingPoints(x))
	defer ix.ReleaseTrainingPoints()
	for _, b := range [][2]int{{0, 300}, {64, 192}, {128, 300}, {3, 100}} {
		got, gotL := make([]float32, b[1]-b[0]), make([]int64, b[1]-b[0])
		require.NoError(t, ix.Search(x[b[0]*d:b[1]*d], 1, got, gotL))
		require.Equal(t, wantL[b[0]:b[1]], gotL, "rows %v", b)
		require.InDeltaSlice(t, want[b[0]:b[1]], got, 1e-5, "rows %v", b)
	}
}
