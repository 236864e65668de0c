package core

import (
	"math"
	"sync"
)

// lloydMaxIterations is the number of Lloyd updates after the equal-mass
// start. faiss 1.15 ships codebooks that stop there: at 1 to 4 bits they
// have long converged, at 8 bits the outermost level is still moving
// (4.2735 standard deviations where the limit is 4.6019), and matching
// faiss's codes needs faiss's levels.
const lloydMaxIterations = 1999

var lloydMaxCache struct {
	sync.Mutex
	books map[int][]float64
}

// lloydMaxNormal returns the 2^nbits sorted reproduction levels of the
// Lloyd-Max quantizer of a standard normal variable: boundaries start at
// the quantiles i/k, then each round sets every level to the mean of its
// cell and every boundary to the midpoint of its neighbours.
func lloydMaxNormal(nbits int) []float64 {
	lloydMaxCache.Lock()
	defer lloydMaxCache.Unlock()
	if c, ok := lloydMaxCache.books[nbits]; ok {
		return c
	}
	k := 1 << nbits
	b := make([]float64, k-1)
	for i := range b {
		b[i] = -math.Sqrt2 * math.Erfcinv(2*float64(i+1)/float64(k))
	}
	c := make([]float64, k)
	normalCellMeans(b, c)
	for it := 0; it < lloydMaxIterations; it++ {
		for i := range b {
			b[i] = 0.5 * (c[i] + c[i+1])
		}
		normalCellMeans(b, c)
	}
	if lloydMaxCache.books == nil {
		lloydMaxCache.books = map[int][]float64{}
	}
	lloydMaxCache.books[nbits] = c
	return c
}

// normalCellMeans sets c[i] to the mean of a standard normal variable
// restricted to the cell between boundaries i-1 and i (the outer cells are
// open): (phi(lo) - phi(hi)) / (Phi(hi) - Phi(lo)).
func normalCellMeans(b, c []float64) {
	for i := range c {
		lo, hi := math.Inf(-1), math.Inf(1)
		if i > 0 {
			lo = b[i-1]
		}
		if i < len(b) {
			hi = b[i]
		}
		c[i] = (normalDensity(lo) - normalDensity(hi)) / normalMass(lo, hi)
	}
}

func normalDensity(x float64) float64 {
	if math.IsInf(x, 0) {
		return 0
	}
	return math.Exp(-0.5*x*x) / math.Sqrt(2*math.Pi)
}

// normalMass is Phi(hi) - Phi(lo), taken from the tail it lies in so that
// the outer cells keep their precision.
func normalMass(lo, hi float64) float64 {
	upper := func(x float64) float64 { return 0.5 * math.Erfc(x/math.Sqrt2) } // 1 - Phi(x)
	switch {
	case lo >= 0:
		return upper(lo) - upper(hi)
	case hi <= 0:
		return upper(-hi) - upper(-lo)
	}
	return 1 - upper(hi) - upper(-lo)
}

// turboQuantCodebook returns the float32 levels and boundaries of a
// TurboQuant codebook: the Lloyd-Max levels scaled by scale (1/sqrt(d) for
// the MSE types, whose inputs are unit vectors; 1 for the full types,
// which scale the input instead), and the midpoints between them.
func turboQuantCodebook(nbits int, scale float32) (levels, bounds []float32) {
	c := lloydMaxNormal(nbits)
	levels = make([]float32, len(c))
	for i, v := range c {
		levels[i] = float32(v) * scale
	}
	bounds = make([]float32, len(c)-1)
	for i := range bounds {
		bounds[i] = float32(0.5 * (float64(float32(c[i])) + float64(float32(c[i+1]))) * float64(scale))
	}
	return levels, bounds
}

// codebookIndex is the number of boundaries at or below x (C++'s
// upper_bound); NaN takes the last level, as it does in faiss.
func codebookIndex(bounds []float32, x float32) int {
	lo, hi := 0, len(bounds)
	for lo < hi {
		mid := (lo + hi) / 2
		if x < bounds[mid] {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}
