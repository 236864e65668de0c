package core

import (
	"math"
	"sort"
	"time"

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

// drawCumulative draws an index with probability proportional to the
// weights whose running sum is cum (first index whose sum reaches the
// draw), uniformly when they are all 0: faiss's sample_from_cumsum.
func drawCumulative(cum []float64, rng *mt19937_64) int {
	n := len(cum)
	total := cum[n-1]
	if !(total > 0) {
		return rng.below(n)
	}
	r := total * rng.canonical()
	return min(sort.SearchFloat64s(cum, r), n-1)
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
// already start the set; it returns the picks and every point's squared
// distance to its nearest centroid.
func firstPick(x []float32, d int, rng *mt19937_64, existing []float32) ([]int, []float64) {
	n := len(x) / d
	if len(existing) > 0 {
		return nil, nearestSq(x, d, existing)
	}
	p := rng.below(n)
	return []int{p}, nearestSq(x, d, x[p*d:(p+1)*d])
}

// initRNG is the generator faiss seeds its initialisations with: the seed
// itself, or the clock for a negative one.
func initRNG(seed int64) *mt19937_64 {
	if seed < 0 {
		seed = time.Now().UnixNano()
	}
	return newMT19937_64(uint64(seed))
}

// kmeansPlusPlus picks each next point with probability proportional to
// its squared distance to the nearest centroid so far (faiss's draws, in
// faiss's order).
func kmeansPlusPlus(x []float32, d, k int, seed int64, existing []float32) []int {
	rng := initRNG(seed)
	picked, best := firstPick(x, d, rng, existing)
	row := make([]float32, len(x)/d)
	for len(picked) < k {
		p := drawCumulative(runningSum(best), rng)
		picked = append(picked, p)
		lowerTo(best, x, x[p*d:(p+1)*d], row)
	}
	return picked
}

// afkmc2 approximates k-means++ without a pass over the data per pick:
// the proposal q mixes D^2 to the first centroid (or the existing ones)
// with the uniform law, and each pick runs a Metropolis chain of
// chainLength proposals from a start not picked yet, accepting y over x
// with probability d(y) q(x) / (d(x) q(y)); proposals already picked are
// skipped. The draws are faiss's, in faiss's order.
func afkmc2(x []float32, d, k int, seed int64, chainLength int, existing []float32) []int {
	n := len(x) / d
	rng := initRNG(seed)
	picked, first := firstPick(x, d, rng, existing)
	taken := map[int]bool{}
	for _, p := range picked {
		taken[p] = true
	}
	var sum float64
	for _, v := range first {
		sum += v
	}
	q := make([]float64, n)
	for i, v := range first {
		if sum > 0 {
			q[i] = 0.5 * v / sum
		}
		q[i] += 0.5 / float64(n)
	}
	cum := runningSum(q)
	cents := append([]float32(nil), existing...)
	for _, p := range picked {
		cents = append(cents, x[p*d:(p+1)*d]...)
	}
	distTo := func(i int) float64 { // squared distance of point i to the nearest centroid so far
		best := float32(math.MaxFloat32)
		xi := x[i*d : (i+1)*d]
		for c := 0; c < len(cents); c += d {
			best = min(best, kernels.L2Sqr(xi, cents[c:c+d]))
		}
		return float64(best)
	}
	for len(picked) < k {
		cur := drawCumulative(cum, rng)
		for taken[cur] {
			cur = drawCumulative(cum, rng)
		}
		dCur, qCur := distTo(cur), q[cur]
		for step := 0; step < chainLength; step++ {
			y := drawCumulative(cum, rng)
			if taken[y] {
				continue
			}
			dy := distTo(y)
			accept := 0.0
			if dCur > 0 && q[y] > 0 {
				accept = min(1, dy*qCur/(dCur*q[y]))
			}
			if rng.canonical() < accept {
				cur, dCur, qCur = y, dy, q[y]
			}
		}
		taken[cur] = true
		picked = append(picked, cur)
		cents = append(cents, x[cur*d:(cur+1)*d]...)
	}
	return picked
}
