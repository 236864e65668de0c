package gpu

import (
	"math"
	"math/rand"
	"os"
	"testing"

	"github.com/metalfaiss/metalfaiss/core"
	"github.com/metalfaiss/metalfaiss/metalbridge"
	"github.com/stretchr/testify/require"
)

// testEngine returns a fresh engine on the process's device; tests may
// shrink its limits to force chunking. METALFAISS_REQUIRE_GPU=1 (set by
// `make test`) turns a missing device into a failure.
func testEngine(t *testing.T) *Engine {
	t.Helper()
	dev, err := metalbridge.Default()
	if err != nil {
		if os.Getenv("METALFAISS_REQUIRE_GPU") == "1" {
			t.Fatalf("METALFAISS_REQUIRE_GPU=1 but no GPU: %v", err)
		}
		t.Skipf("no GPU: %v", err)
	}
	e := NewEngine(dev)
	t.Cleanup(e.ReleaseScratch)
	return e
}

// randomRows returns n*d values; coarse ones (a few integers) make many
// exactly tied distances.
func randomRows(rng *rand.Rand, n, d int, coarse bool) []float32 {
	x := make([]float32, n*d)
	for i := range x {
		if coarse {
			x[i] = float32(rng.Intn(3))
		} else {
			x[i] = rng.Float32()*2 - 1
		}
	}
	return x
}

func coreMetric(m Metric) core.Metric {
	if m == L2 {
		return core.MetricL2
	}
	return core.MetricInnerProduct
}

// exactDistance is the reference distance of query row q to database row j.
func exactDistance(m Metric, q, x []float32) float64 {
	var s float64
	for i := range q {
		if m == L2 {
			v := float64(q[i]) - float64(x[i])
			s += v * v
		} else {
			s += float64(q[i]) * float64(x[i])
		}
	}
	return s
}

// requireSameResults checks GPU results against the CPU backend, tie-aware:
// position by position the distances agree within 1e-5 relative (plus the
// rounding of the L2 expansion, relative to the norms), every returned id
// really has the returned distance, ids are distinct, and -1 padding sits
// exactly where the CPU pads.
func requireSameResults(t *testing.T, m Metric, xq, xb []float32, d, k int, dist []float32, labels []int64, msg string) {
	t.Helper()
	nq := len(xq) / d
	ix, err := core.NewIndexFlat(d, coreMetric(m))
	require.NoError(t, err)
	require.NoError(t, ix.Add(xb))
	cd := make([]float32, nq*k)
	cl := make([]int64, nq*k)
	require.NoError(t, ix.Search(xq, k, cd, cl))
	for q := 0; q < nq; q++ {
		qv := xq[q*d : (q+1)*d]
		scale := exactDistance(InnerProduct, qv, qv)
		seen := map[int64]bool{}
		for j := q * k; j < (q+1)*k; j++ {
			if requirePaddingOrNewID(t, msg, q, j-q*k, cd[j], cl[j], dist[j], labels[j], seen) {
				continue
			}
			xv := xb[labels[j]*int64(d) : (labels[j]+1)*int64(d)]
			tol := 1e-5*math.Abs(float64(cd[j])) + 1e-5*(scale+exactDistance(InnerProduct, xv, xv)) + 1e-6
			require.InDelta(t, cd[j], dist[j], tol, "%s: query %d rank %d", msg, q, j-q*k)
			require.InDelta(t, exactDistance(m, qv, xv), dist[j], tol, "%s: query %d rank %d id %d", msg, q, j-q*k, labels[j])
		}
	}
}

// requirePaddingOrNewID checks one rank of query q: padding (-1) exactly
// where the CPU pads, with its distance, else an id not returned before
// (recorded in seen); it reports padding.
func requirePaddingOrNewID(t *testing.T, msg string, q, rank int, cpuDist float32, cpuID int64, dist float32, id int64, seen map[int64]bool) bool {
	t.Helper()
	if cpuID < 0 {
		require.Equal(t, int64(-1), id, "%s: query %d rank %d should be padding", msg, q, rank)
		require.Equal(t, cpuDist, dist, "%s: padding distance", msg)
		return true
	}
	require.GreaterOrEqual(t, id, int64(0), "%s: query %d rank %d is padding, CPU has id %d", msg, q, rank, cpuID)
	require.False(t, seen[id], "%s: query %d returns id %d twice", msg, q, id)
	seen[id] = true
	return false
}
