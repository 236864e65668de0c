package core

import (
	"math"
	"sort"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// InitMethod is how k-means' first centroids are drawn from the points
// (faiss's ClusteringInitMethod, with its numbers).
type InitMethod int

const (
	InitRandom         InitMethod = 0 // k distinct points, uniformly
	InitKMeansPlusPlus InitMethod = 1 // each next point with probability ~ D^2 (Arthur & Vassilvitskii)
	InitAFKMC2         InitMethod = 2 // k-means++ approximated by Markov chains (Bachem et al., 2016)
)

// InitCentroids writes to out (k rows of d) k of the n points of x drawn
// by method from a generator seeded with seed. existing holds centroids
// already chosen (rows of d, possibly none): the D^2 methods measure
// points against them too, so that the new ones complement them.
// chainLength is AFK-MC2's Markov chain length.
func InitCentroids(method InitMethod, x []float32, d, k int, seed int64, chainLength int, existing, out []float32) error {
	const op = "ClusteringInitialization.init_centroids"
	if d <= 0 || len(x)%d != 0 || len(existing)%d != 0 {
		return Errorf(KindDimensionMismatch, op, "%d and %d values are not rows of d=%d", len(x), len(existing), d)
	}
	n := len(x) / d
	switch {
	case k <= 0 || k > n:
		return Errorf(KindInvalidArgument, op, "need 0 < k <= n, got k=%d for n=%d points", k, n)
	case len(out) != k*d:
		return Errorf(KindDimensionMismatch, op, "out holds %d values, need k*d = %d", len(out), k*d)
	case method == InitAFKMC2 && chainLength < 1:
		return Errorf(KindInvalidArgument, op, "afkmc2_chain_length must be >= 1, got %d", chainLength)
	}
	var picked []int
	switch method {
	case InitRandom:
		picked = randPerm(n, seed)[:k]
	case InitKMeansPlusPlus:
		picked = kmeansPlusPlus(x, d, k, seed, existing)
	case InitAFKMC2:
		picked = afkmc2(x, d, k, seed, chainLength, existing)
	default:
		return Errorf(KindInvalidArgument, op, "unknown init method %d (0 random, 1 k-means++, 2 AFK-MC2)", method)
	}
	for i, p := range picked {
		copy(out[i*d:(i+1)*d], x[p*d:(p+1)*d])
	}
	return nil
}

// nearestSq returns, per point, the squared distance to its nearest row of
// cents (+Inf when there is none).
func nearestSq(x []float32, d int, cents []float32) []float64 {
	n := len(x) / d
	best := make([]float64, n)
	for i := range best {
		best[i] = math.Inf(1)
	}
	row := make([]float32, n)
	for c := 0; c+d <= len(cents); c += d {
		lowerTo(best, x, cents[c:c+d], row)
	}
	return best
}

// lowerTo lowers best[i] to the squared distance of point i to c.
func lowerTo(best []float64, x, c, row []float32) {
	kernels.L2SqrRows(c, x, row)
	for i, v := range row {
		best[i] = min(best[i], float64(v))
	}
}

// drawWeighted returns an index drawn with probability proportional to w
// (cum is w's running sum); -1 when all weights are 0.
func drawWeighted(cum []float64, rng *mt19937) int {
	total := cum[len(cum)-1]
	if !(total > 0) {
		return -1
	}
	r := rng.float64() * total
	i := sort.SearchFloat64s(cum, r)
	for i < len(cum)-1 && cum[i] <= r { // skip zero weights at the boundary
		i++
	}
	return min(i, len(cum)-1)
}

func runningSum(w []float64) []float64 {
	cum := make([]float64, len(w))
	var s float64
	for i, v := range w {
		s += v
		cum[i] = s
	}
	return cum
}

// firstPick draws the first centroid uniformly, unless existing ones
// already start the set.
func firstPick(x []float32, d int, rng *mt19937, existing []float32) ([]int, []float64) {
	n := len(x) / d
	if len(existing) > 0 {
		return nil, nearestSq(x, d, existing)
	}
	p := rng.below(n)
	return []int{p}, nearestSq(x, d, x[p*d:(p+1)*d])
}

// kmeansPlusPlus picks each next point with probability proportional to
// its squared distance to the nearest centroid so far; points on a
// centroid (distance 0) are never picked again, so the picks are distinct
// while the data has enough distinct points.
func kmeansPlusPlus(x []float32, d, k int, seed int64, existing []float32) []int {
	rng := newMT19937(uint32(seed))
	picked, best := firstPick(x, d, rng, existing)
	row := make([]float32, len(x)/d)
	for len(picked) < k {
		p := drawWeighted(runningSum(best), rng)
		if p < 0 {
			p = unpicked(picked, len(x)/d, rng)
		}
		picked = append(picked, p)
		lowerTo(best, x, x[p*d:(p+1)*d], row)
	}
	return picked
}

// afkmc2 approximates k-means++ without a pass over the data per pick:
// the proposal mixes D^2 to the first centroid (or the existing ones) with
// the uniform law, and each pick runs a Metropolis chain of chainLength
// proposals, accepting y over x with probability d(y) q(x) / (d(x) q(y)).
func afkmc2(x []float32, d, k int, seed int64, chainLength int, existing []float32) []int {
	n := len(x) / d
	rng := newMT19937(uint32(seed))
	picked, first := firstPick(x, d, rng, existing)
	var sum float64
	for _, v := range first {
		sum += v
	}
	q := make([]float64, n)
	for i, v := range first {
		q[i] = 0.5 / float64(n)
		if sum > 0 {
			q[i] += 0.5 * v / sum
		}
	}
	cum := runningSum(q)
	cents := append([]float32(nil), existing...)
	for _, p := range picked {
		cents = append(cents, x[p*d:(p+1)*d]...)
	}
	distTo := func(i int) float64 { // squared distance of point i to the nearest centroid so far
		best := math.Inf(1)
		xi := x[i*d : (i+1)*d]
		for c := 0; c < len(cents); c += d {
			best = min(best, float64(kernels.L2Sqr(xi, cents[c:c+d])))
		}
		return best
	}
	for len(picked) < k {
		cur := drawWeighted(cum, rng)
		dCur := distTo(cur)
		for step := 1; step < chainLength; step++ {
			y := drawWeighted(cum, rng)
			dy := distTo(y)
			if dCur*q[y] == 0 || rng.float64()*dCur*q[y] < dy*q[cur] {
				cur, dCur = y, dy
			}
		}
		if dCur == 0 { // the chain ended on a centroid (few distinct points): any point not picked
			cur = unpicked(picked, n, rng)
		}
		picked = append(picked, cur)
		cents = append(cents, x[cur*d:(cur+1)*d]...)
	}
	return picked
}

// unpicked draws a point not picked yet (the data has fewer distinct
// points than wanted centroids).
func unpicked(picked []int, n int, rng *mt19937) int {
	taken := make(map[int]bool, len(picked))
	for _, p := range picked {
		taken[p] = true
	}
	for {
		if p := rng.below(n); !taken[p] {
			return p
		}
	}
}
