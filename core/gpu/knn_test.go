package gpu

import (
	"fmt"
	"math"
	"math/rand"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

func searchGPU(t *testing.T, e *Engine, m Metric, xq, xb []float32, d, k int) ([]float32, []int64) {
	t.Helper()
	db := e.NewMatrix(d)
	defer db.Release()
	require.NoError(t, db.Sync(xb, 0))
	nq := len(xq) / d
	dist := make([]float32, nq*k)
	labels := make([]int64, nq*k)
	require.NoError(t, e.Search(db, m, Queries{X: xq}, k, dist, labels))
	return dist, labels
}

func TestSearchMatchesCPUAtAwkwardSizes(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(1))
	for _, c := range []struct{ nq, nb, d int }{
		{1, 1, 1}, {3, 5, 3}, {7, 63, 17}, {65, 64, 16}, {130, 65, 33}, {20, 1000, 64}, {5, 3001, 130},
		{2, 20000, 4}, // long candidate rows: k=32 merges with topk_select_rows
	} {
		for _, k := range []int{1, 5, 32, 33, 100} {
			for _, m := range []Metric{L2, InnerProduct} {
				for _, coarse := range []bool{false, true} {
					xq := randomRows(rng, c.nq, c.d, coarse)
					xb := randomRows(rng, c.nb, c.d, coarse)
					dist, labels := searchGPU(t, e, m, xq, xb, c.d, k)
					msg := fmt.Sprintf("nq=%d nb=%d d=%d k=%d metric=%d coarse=%v", c.nq, c.nb, c.d, k, m, coarse)
					requireSameResults(t, m, xq, xb, c.d, k, dist, labels, msg)
				}
			}
		}
	}
}

func TestSearchLargeKUpToTheLimit(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(2))
	xq := randomRows(rng, 3, 8, false)
	xb := randomRows(rng, 5000, 8, false)
	for _, k := range []int{1024, MaxK} {
		dist, labels := searchGPU(t, e, L2, xq, xb, 8, k)
		requireSameResults(t, L2, xq, xb, 8, k, dist, labels, fmt.Sprintf("k=%d", k))
	}
	db := e.NewMatrix(8)
	defer db.Release()
	require.NoError(t, db.Sync(xb, 0))
	err := e.Search(db, L2, Queries{X: xq}, MaxK+1, make([]float32, 3*(MaxK+1)), make([]int64, 3*(MaxK+1)))
	require.ErrorContains(t, err, "outside 1..2048")
}

// Small limits force several database chunks (with a final merge), several
// query batches and several pieces of the norms pass.
func TestSearchChunksWhenBindingsAreSmall(t *testing.T) {
	e := testEngine(t)
	d := 12
	e.lim.MaxBinding = int64(2 * tileRows * d * 4)
	e.lim.MaxGroups[0] = 40
	rng := rand.New(rand.NewSource(3))
	xq := randomRows(rng, 100, d, false)
	xb := randomRows(rng, 700, d, false)
	for _, k := range []int{1, 10, 40} {
		for _, m := range []Metric{L2, InnerProduct} {
			dist, labels := searchGPU(t, e, m, xq, xb, d, k)
			requireSameResults(t, m, xq, xb, d, k, dist, labels, fmt.Sprintf("chunked k=%d metric=%d", k, m))
		}
	}
}

func TestSearchAfterAppendingRows(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(4))
	d := 5
	xb := randomRows(rng, 300, d, false)
	xq := randomRows(rng, 9, d, false)
	db := e.NewMatrix(d)
	defer db.Release()
	for _, n := range []int{10, 70, 71, 300} {
		require.NoError(t, db.Sync(xb[:n*d], db.Rows()))
		dist := make([]float32, 9*4)
		labels := make([]int64, 9*4)
		require.NoError(t, e.Search(db, L2, Queries{X: xq}, 4, dist, labels))
		requireSameResults(t, L2, xq, xb[:n*d], d, 4, dist, labels, fmt.Sprintf("after growing to %d rows", n))
	}
}

func TestNaNNeverRanks(t *testing.T) {
	e := testEngine(t)
	d := 4
	xb := []float32{0, 0, 0, 0, float32(math.NaN()), 0, 0, 0, 1, 1, 1, 1}
	xq := []float32{0, 0, 0, 0, float32(math.NaN()), 1, 1, 1}
	dist, labels := searchGPU(t, e, L2, xq, xb, d, 3)
	require.Equal(t, []int64{0, 2, -1, -1, -1, -1}, labels)
	require.Equal(t, float32(math.MaxFloat32), dist[2])
}

// Large k over a large database: the bounded search (a sample's k-th key,
// then only the keys under it) gives the exact answers; where ties let too
// many keys pass, the overflowing queries are searched again.
func TestSearchLargeKBoundedByASample(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(5))
	d, nb := 6, filterMinRows+3*tileRows+5
	_, ok := e.plan(40, nb, d, 33).filter(e.lim)
	require.True(t, ok, "the bounded plan applies")
	for _, c := range []struct {
		name    string
		ties    bool
		sorted  bool
		overrun bool
	}{{"random", false, false, false}, {"sorted by the first value", false, true, false}, {"ties", true, false, true}} {
		xb := randomRows(rng, nb, d, false)
		if c.ties { // all rows but every 1000th equal: every key ties
			for i := range xb {
				if i/d%1000 != 0 {
					xb[i] = 0.5
				}
			}
		}
		if c.sorted {
			rows := make([][]float32, nb)
			for i := range rows {
				rows[i] = xb[i*d : (i+1)*d : (i+1)*d]
			}
			sort.Slice(rows, func(a, b int) bool { return rows[a][0] < rows[b][0] })
			sorted := make([]float32, 0, nb*d)
			for _, r := range rows {
				sorted = append(sorted, r...)
			}
			xb = sorted
		}
		xq := randomRows(rng, 40, d, false)
		for _, k := range []int{33, 100} {
			for _, m := range []Metric{L2, InnerProduct} {
				before := e.searchedAgain
				dist, labels := searchGPU(t, e, m, xq, xb, d, k)
				msg := fmt.Sprintf("%s k=%d metric=%d", c.name, k, m)
				requireSameResults(t, m, xq, xb, d, k, dist, labels, msg)
				if c.overrun {
					require.Positive(t, e.searchedAgain-before, msg)
				} else {
					require.Zero(t, e.searchedAgain-before, msg)
				}
			}
		}
	}
}
