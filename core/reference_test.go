package core

import (
	"math"
	"math/rand"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

// refDistance is the plain float64 loop for every metric: the oracle of
// the blocked kernels.
func refDistance(m Metric, arg float64, x, y []float32) float64 {
	var s, s2 float64
	for i := range x {
		a, b := float64(x[i]), float64(y[i])
		switch m {
		case MetricL2:
			s += (a - b) * (a - b)
		case MetricInnerProduct:
			s += a * b
		case MetricL1:
			s += math.Abs(a - b)
		case MetricLinf:
			s = math.Max(s, math.Abs(a-b))
		case MetricLp:
			s += math.Pow(math.Abs(a-b), arg)
		case MetricCanberra:
			s += math.Abs(a-b) / (math.Abs(a) + math.Abs(b))
		case MetricBrayCurtis:
			s += math.Abs(a - b)
			s2 += math.Abs(a + b)
		case MetricJensenShannon:
			mid := (a + b) / 2
			s += -a*math.Log(mid/a) - b*math.Log(mid/b)
		}
	}
	switch m {
	case MetricBrayCurtis:
		return s / s2
	case MetricJensenShannon:
		return s / 2
	}
	return s
}

type pair struct {
	d  float64
	id int64
}

// refKNN sorts every database vector by (key, id) and keeps k, padding
// with (±FLT_MAX, -1).
func refKNN(m Metric, arg float64, xq, xb []float32, d, k int) [][]pair {
	nq, nb := len(xq)/d, len(xb)/d
	out := make([][]pair, nq)
	for q := 0; q < nq; q++ {
		all := make([]pair, nb)
		for b := 0; b < nb; b++ {
			all[b] = pair{refDistance(m, arg, xq[q*d:(q+1)*d], xb[b*d:(b+1)*d]), int64(b)}
		}
		sim := m.IsSimilarity()
		sort.Slice(all, func(i, j int) bool {
			if all[i].d != all[j].d {
				return (all[i].d < all[j].d) != sim
			}
			return all[i].id < all[j].id
		})
		for len(all) < k {
			pad := float64(maxFloat)
			if sim {
				pad = -pad
			}
			all = append(all, pair{pad, -1})
		}
		out[q] = all[:k]
	}
	return out
}

func tol(v float64) float64 { return 1e-4 * math.Max(1, math.Abs(v)) }

// requireKNNMatches compares results with the reference tie-aware: the
// distances agree position by position, and every returned id really has
// the returned distance (so swapping equal-distance ids is accepted).
func requireKNNMatches(t *testing.T, m Metric, arg float64, xq, xb []float32, d, k int, dist []float32, labels []int64) {
	t.Helper()
	ref := refKNN(m, arg, xq, xb, d, k)
	for q := range ref {
		seen := map[int64]bool{}
		for r, want := range ref[q] {
			got, id := float64(dist[q*k+r]), labels[q*k+r]
			require.InDelta(t, want.d, got, tol(want.d), "metric=%v d=%d q=%d rank=%d", m, d, q, r)
			if want.id == -1 {
				require.Equal(t, int64(-1), id, "padding label q=%d rank=%d", q, r)
				continue
			}
			require.False(t, seen[id], "duplicate id %d", id)
			seen[id] = true
			actual := refDistance(m, arg, xq[q*d:(q+1)*d], xb[int(id)*d:(int(id)+1)*d])
			require.InDelta(t, actual, got, tol(actual), "id %d has another distance", id)
		}
	}
}

func randData(rng *rand.Rand, n, d int, positive bool) []float32 {
	x := make([]float32, n*d)
	for i := range x {
		if positive {
			x[i] = rng.Float32() + 0.05
		} else {
			x[i] = rng.Float32()*2 - 1
		}
	}
	return x
}

var allMetrics = []Metric{MetricL2, MetricInnerProduct, MetricL1, MetricLinf, MetricLp, MetricCanberra, MetricBrayCurtis, MetricJensenShannon}
