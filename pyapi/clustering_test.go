package pyapi

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func newKMeans(t *testing.T, d, k int64) int64 {
	t.Helper()
	h := make([]int64, 1)
	require.Equal(t, "", ClusteringNew(d, k, addrOf(h)))
	t.Cleanup(func() { Free(h[0]) })
	return h[0]
}

func TestClusteringRunsStepByStepThroughBuffers(t *testing.T) {
	x := []float32{0, 0, 0.1, 0, 10, 10, 10.1, 10, 0, 0.2, 10, 10.2}
	h, ix := newKMeans(t, 2, 2), newFlat(t, 2, 1)
	require.Equal(t, "", ClusteringSet(h, "niter", 3))
	require.Equal(t, "", ClusteringSet(h, "verbose", 1))
	require.Equal(t, "", ClusteringSet(h, "min_points_per_centroid", 1))
	init := []float32{0, 0, 10, 10}
	require.Equal(t, "", ClusteringSetCentroids(h, 2, addrOf(init)))

	out := make([]int64, 2)
	require.Equal(t, "", ClusteringStart(h, ix, 6, addrOf(x), 0, addrOf(out)))
	require.Equal(t, []int64{6, 0}, out)
	require.True(t, strings.HasPrefix(ClusteringMessages(h), "=I|Clustering 6 points in 2D to 2 clusters"))
	require.Equal(t, "=", ClusteringMessages(h), "messages are handed over once")

	stat := make([]float64, 8)
	steps := 0
	for stat[6] == 0 {
		require.Equal(t, "", ClusteringStep(h, addrOf(stat)))
		steps++
	}
	require.LessOrEqual(t, steps, 3)
	require.Contains(t, ClusteringStep(h, addrOf(stat)), "no training in progress")

	info := make([]int64, 4)
	require.Equal(t, "", ClusteringInfo(h, addrOf(info)))
	require.Equal(t, []int64{2, 2, 2, int64(steps)}, info)
	cent := make([]float32, 4)
	require.Equal(t, "", ClusteringCentroids(h, 2, addrOf(cent)))
	require.InDeltaSlice(t, []float64{0.1 / 3, 0.2 / 3, 10 + 0.1/3, 10 + 0.2/3}, []float64{float64(cent[0]), float64(cent[1]), float64(cent[2]), float64(cent[3])}, 1e-6)
	stats := make([]float64, 5*steps)
	require.Equal(t, "", ClusteringStats(h, int64(steps), addrOf(stats)))
	require.Contains(t, ClusteringCentroids(h, 3, addrOf(make([]float32, 6))), "2 centroids held, 3 asked for")
}

func TestClusteringReportsBadCallsAsStatus(t *testing.T) {
	h, ix := newKMeans(t, 2, 3), newFlat(t, 2, 1)
	require.Contains(t, ClusteringSet(h, "nitre", 3), "unknown parameter \"nitre\"")
	require.Contains(t, ClusteringSet(h, "niter", 2.5), "expected an integer")
	require.Contains(t, ClusteringSet(h, "niter", 1e12), "does not fit in 32 bits")
	out := make([]int64, 2)
	x := []float32{1, 2, 3, 4}
	require.Contains(t, ClusteringStart(h, ix, 2, addrOf(x), 0, addrOf(out)), "should be at least as large as number of clusters (3)")
	require.Contains(t, ClusteringStart(h, 99999, 2, addrOf(x), 0, addrOf(out)), "closed|Clustering.train: handle 99999 is closed")
	require.Contains(t, ClusteringStart(h, h, 2, addrOf(x), 0, addrOf(out)), "is not an index")
	require.Contains(t, ClusteringStep(ix, addrOf(make([]float64, 8))), "is not a clustering")
	require.Contains(t, ClusteringNew(2, 0, addrOf(out)), "k must be positive")
	require.True(t, strings.HasPrefix(ClusteringMessages(99999), "closed|"))
}

func TestFreeingAClusteringEndsItsRun(t *testing.T) {
	h := make([]int64, 1)
	require.Equal(t, "", ClusteringNew(2, 2, addrOf(h)))
	ix := newFlat(t, 2, 1)
	x := []float32{0, 0, 0.1, 0.2, 10, 10, 10.1, 10.2, 0, 0.1, 10, 10.1}
	out := make([]int64, 2)
	require.Equal(t, "", ClusteringStart(h[0], ix, 6, addrOf(x), 0, addrOf(out)))
	o, err := lookup("test", h[0])
	require.NoError(t, err)
	km := o.val.(*kmeans)
	require.NotNil(t, km.run, "the run is in progress")

	// Abandoned between start and the first step (an exception in Python):
	// freeing the handle must close the run and forget the caller's buffer.
	require.Equal(t, "", Free(h[0]))
	require.Nil(t, km.run)
	require.Nil(t, km.index)
	require.Equal(t, "", IndexAdd(ix, 1, addrOf(x)), "the assignment index is usable")
}
