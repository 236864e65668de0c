package gpu

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/metalfaiss/metalfaiss/core"
	"github.com/metalfaiss/metalfaiss/core/kernels"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The device copy follows every change of the host copy: adds, removals,
// reset; metrics the GPU lacks and k beyond MaxK answer on the CPU.
func TestIndexFlatFollowsItsHostCopy(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(7))
	d := 6
	ix, err := NewIndexFlat(e, d, core.MetricL2)
	require.NoError(t, err)
	defer ix.Close()
	xq := randomRows(rng, 4, d, false)
	check := func(msg string) {
		dist, labels := make([]float32, 4*3), make([]int64, 4*3)
		require.NoError(t, ix.Search(xq, 3, dist, labels))
		requireSameResults(t, L2, xq, ix.Vectors(), d, 3, dist, labels, msg)
	}
	require.NoError(t, ix.Add(randomRows(rng, 50, d, false)))
	check("after add")
	require.NoError(t, ix.Add(randomRows(rng, 30, d, false)))
	check("after a second add")
	n, err := ix.RemoveIDs(core.IDSelectorRange{Min: 0, Max: 10})
	require.NoError(t, err)
	require.Equal(t, int64(10), n)
	check("after remove_ids")
	ix.Reset()
	require.NoError(t, ix.Add(randomRows(rng, 5, d, false)))
	check("after reset")

	require.ErrorContains(t, ix.Search(xq[:5], 3, make([]float32, 3), make([]int64, 3)), "multiple of d=6")
	require.ErrorContains(t, ix.Search(xq, 0, nil, nil), "k must be positive")

	l1, err := NewIndexFlat(e, d, core.MetricL1)
	require.NoError(t, err)
	require.NoError(t, l1.Add(randomRows(rng, 20, d, false)))
	dist, labels := make([]float32, 4*2), make([]int64, 4*2)
	require.NoError(t, l1.Search(xq, 2, dist, labels))
	wantD, wantL := make([]float32, 4*2), make([]int64, 4*2)
	require.NoError(t, l1.Host().Search(xq, 2, wantD, wantL))
	require.Equal(t, wantL, labels)
}

// Callers may search one index from several goroutines at once (pyapi
// holds only a read lock for search); every search sees the same rows.
func TestConcurrentSearches(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(8))
	d := 8
	ix, err := NewIndexFlat(e, d, core.MetricL2)
	require.NoError(t, err)
	defer ix.Close()
	require.NoError(t, ix.Add(randomRows(rng, 500, d, false)))
	xq := randomRows(rng, 20, d, false)
	want, wantL := make([]float32, 20*5), make([]int64, 20*5)
	require.NoError(t, ix.Search(xq, 5, want, wantL))
	errs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		go func() {
			dist, labels := make([]float32, 20*5), make([]int64, 20*5)
			err := ix.Search(xq, 5, dist, labels)
			if err == nil && !assert.ObjectsAreEqual(wantL, labels) {
				err = fmt.Errorf("labels differ: %v", labels)
			}
			errs <- err
		}()
	}
	for g := 0; g < 4; g++ {
		require.NoError(t, <-errs)
	}
}

// L2 answers are measured again on the host by direct differences: the
// distances are exactly kernels.L2Sqr's, in (distance, id) order.
func TestFlatL2DistancesAreDirectSums(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(9))
	d, k := 64, 10
	ix, err := NewIndexFlat(e, d, core.MetricL2)
	require.NoError(t, err)
	defer ix.Close()
	xb := randomRows(rng, 1000, d, false)
	for i := range xb {
		xb[i] = (xb[i] + 1) / 2 // all positive: large norms, small distances
	}
	require.NoError(t, ix.Add(xb))
	xq := xb[:5*d]
	dist, labels := make([]float32, 5*k), make([]int64, 5*k)
	require.NoError(t, ix.Search(xq, k, dist, labels))
	for q := range 5 {
		require.Equal(t, int64(q), labels[q*k])
		for j := q * k; j < (q+1)*k; j++ {
			require.Equal(t, kernels.L2Sqr(xq[q*d:(q+1)*d], xb[labels[j]*int64(d):(labels[j]+1)*int64(d)]), dist[j])
			if j > q*k {
				require.LessOrEqual(t, dist[j-1], dist[j])
			}
		}
	}
}
