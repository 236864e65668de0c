package core

import (
	"math"
	"slices"
)

// KMeans1D clusters n scalars into k groups with the least total squared
// distance to their means, exactly (faiss's Clustering1D.train_exact): on
// the sorted values a cluster is a run, and the best split into m+1 runs
// comes from the best into m by a dynamic program whose rows are totally
// monotone, so each step is one Smawk pass (O(k n) in all). It returns the
// k means in increasing order and the objective.
func KMeans1D(x []float32, k int) ([]float32, float64, error) {
	const op = "Clustering1D.train_exact"
	n := len(x)
	if k <= 0 || k > n {
		return nil, 0, Errorf(KindInvalidArgument, op, "k=%d clusters for %d values: need 1 <= k <= n", k, n)
	}
	v := make([]float64, n)
	for i, f := range x {
		if f != f || math.IsInf(float64(f), 0) {
			return nil, 0, Errorf(KindInvalidArgument, op, "value %d is %v", i, f)
		}
		v[i] = float64(f)
	}
	slices.Sort(v)
	s1, s2 := make([]float64, n+1), make([]float64, n+1)
	for i, f := range v {
		s1[i+1], s2[i+1] = s1[i]+f, s2[i]+f*f
	}
	// cost(a, b): the squared error of the run v[a:b] around its mean.
	cost := func(a, b int) float64 {
		s := s1[b] - s1[a]
		return max(0, s2[b]-s2[a]-s*s/float64(b-a))
	}
	// prev[b]: the best error of v[:b] in m runs; from[m][b]: where the
	// last run starts.
	prev := make([]float64, n+1)
	for b := 1; b <= n; b++ {
		prev[b] = cost(0, b)
	}
	from := make([][]int64, k)
	for m := 1; m < k; m++ {
		// Row b (m+1 <= b <= n) over columns a (m <= a < b): the last run
		// is v[a:b]; entries with a >= b are +Inf, which keeps the rows
		// totally monotone.
		rows, cols := n-m, n-m
		arg := make([]int64, rows)
		Smawk(rows, cols, func(i, j int) float64 {
			b, a := m+1+i, m+j
			if a >= b {
				return math.Inf(1)
			}
			return prev[a] + cost(a, b)
		}, arg)
		cur := make([]float64, n+1)
		for i := range cur {
			cur[i] = math.Inf(1)
		}
		from[m] = make([]int64, n+1)
		for i, j := range arg {
			b, a := m+1+i, m+int(j)
			cur[b], from[m][b] = prev[a]+cost(a, b), int64(a)
		}
		prev = cur
	}
	centroids := make([]float32, k)
	b := n
	for m := k - 1; m >= 0; m-- {
		a := 0
		if m > 0 {
			a = int(from[m][b])
		}
		centroids[m] = float32((s1[b] - s1[a]) / float64(b-a))
		b = a
	}
	return centroids, prev[n], nil
}
