package core

import (
	"math"
	"math/rand"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSmawkFindsLeftmostRowMinima on Monge matrices (totally monotone):
// random row and column terms plus a convex function of j - i, integer
// valued so that ties are common.
func TestSmawkFindsLeftmostRowMinima(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for trial := 0; trial < 300; trial++ {
		nr, nc := 1+rng.Intn(30), 1+rng.Intn(30)
		ra, cb := make([]float64, nr), make([]float64, nc)
		for i := range ra {
			ra[i] = float64(rng.Intn(5))
		}
		for j := range cb {
			cb[j] = float64(rng.Intn(5))
		}
		shift := rng.Intn(20) - 10
		at := func(i, j int) float64 { d := float64(j - i - shift); return ra[i] + cb[j] + d*d/4 }
		got := make([]int64, nr)
		Smawk(nr, nc, at, got)
		for i := 0; i < nr; i++ {
			best := 0
			for j := 1; j < nc; j++ {
				if at(i, j) < at(i, best) {
					best = j
				}
			}
			require.Equal(t, int64(best), got[i], "trial %d row %d", trial, i)
		}
	}
	Smawk(0, 3, nil, nil) // nothing to do
}

// kmeans1DRef is the plain O(k n^2) dynamic program.
func kmeans1DRef(x []float32, k int) float64 {
	v := make([]float64, len(x))
	for i, f := range x {
		v[i] = float64(f)
	}
	sort.Float64s(v)
	n := len(v)
	cost := func(a, b int) float64 {
		var s, s2 float64
		for _, f := range v[a:b] {
			s += f
			s2 += f * f
		}
		return s2 - s*s/float64(b-a)
	}
	prev := make([]float64, n+1)
	for b := 1; b <= n; b++ {
		prev[b] = cost(0, b)
	}
	for m := 1; m < k; m++ {
		cur := make([]float64, n+1)
		for b := range cur {
			cur[b] = math.Inf(1)
		}
		for b := m + 1; b <= n; b++ {
			for a := m; a < b; a++ {
				cur[b] = min(cur[b], prev[a]+cost(a, b))
			}
		}
		prev = cur
	}
	return prev[n]
}

func TestKMeans1DIsOptimal(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for trial := 0; trial < 60; trial++ {
		n := 1 + rng.Intn(40)
		k := 1 + rng.Intn(n)
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.Intn(20)) / 4 // repeated values too
		}
		c, obj, err := KMeans1D(x, k)
		require.NoError(t, err)
		require.Len(t, c, k)
		assert.InDelta(t, kmeans1DRef(x, k), obj, 1e-9*(1+obj), "n=%d k=%d", n, k)
		assert.True(t, sort.SliceIsSorted(c, func(i, j int) bool { return c[i] < c[j] }))
		// the objective is the error of assigning each value to its nearest mean
		var e float64
		for _, f := range x {
			best := math.Inf(1)
			for _, m := range c {
				best = min(best, float64((f-m)*(f-m)))
			}
			e += best
		}
		assert.InDelta(t, obj, e, 1e-4*(1+obj))
	}
	_, _, err := KMeans1D([]float32{1, 2}, 3)
	assert.ErrorContains(t, err, "k=3")
	_, _, err = KMeans1D([]float32{1, float32(math.NaN())}, 1)
	assert.Error(t, err)
}
