package kernels

import "math"

// Jaccard returns sum min(x[i], y[i]) / sum max(x[i], y[i]), faiss's
// METRIC_Jaccard (a similarity, for non-negative vectors).
func Jaccard(x, y []float32) float32 {
	y = y[:len(x)]
	var num, den float32
	for i := range x {
		num += min(x[i], y[i])
		den += max(x[i], y[i])
	}
	return num / den
}

// NaNEuclidean returns the squared L2 distance over the coordinates where
// neither vector is NaN, scaled by d over their number (faiss's
// METRIC_NaNEuclidean, scikit-learn's nan_euclidean); NaN when there are
// none.
func NaNEuclidean(x, y []float32) float32 {
	y = y[:len(x)]
	var s float32
	present := 0
	for i := range x {
		if isNaN(x[i]) || isNaN(y[i]) {
			continue
		}
		d := x[i] - y[i]
		s += d * d
		present++
	}
	if present == 0 {
		return float32(math.NaN())
	}
	return float32(len(x)) / float32(present) * s
}

// Gower returns faiss's METRIC_GOWER: the mean over the coordinates where
// neither vector is NaN of |x[i]-y[i]| for numeric values (both in [0, 1])
// and of 0 or 1 (equal or not) for categories (both negative integers);
// NaN for a numeric value outside [0, 1], a coordinate numeric in one
// vector and categorical in the other, or no coordinate at all.
func Gower(x, y []float32) float32 {
	y = y[:len(x)]
	nan := float32(math.NaN())
	var s float32
	n := 0
	for i := range x {
		a, b := x[i], y[i]
		switch {
		case isNaN(a) || isNaN(b):
			continue
		case a >= 0 && b >= 0:
			if a > 1 || b > 1 {
				return nan
			}
			s += abs32(a - b)
		case a < 0 && b < 0:
			if int(a) != int(b) {
				s++
			}
		default:
			return nan
		}
		n++
	}
	if n == 0 {
		return nan
	}
	return s / float32(n)
}

func isNaN(v float32) bool { return v != v }
