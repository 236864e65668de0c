package kernels

import "math"

// NextAtMost returns the first index i >= from with row[i] <= t, or
// len(row) if there is none (NaN never qualifies). Top-k scans use it to
// skip, eight or more values per instruction, the candidates that cannot
// enter the heap.
//
//	for i := from; i < len(row); i++ { if row[i] <= t { return i } }
//	return len(row)
func NextAtMost(row []float32, from int, t float32) int {
	if from >= len(row) {
		return len(row)
	}
	r := row[from:]
	i := scanAtMost(r, t)
	for ; i < len(r); i++ {
		if r[i] <= t {
			break
		}
	}
	return from + i
}

// NextAtLeast is NextAtMost with row[i] >= t (for similarities).
func NextAtLeast(row []float32, from int, t float32) int {
	if from >= len(row) {
		return len(row)
	}
	r := row[from:]
	i := scanAtLeast(r, t)
	for ; i < len(r); i++ {
		if r[i] >= t {
			break
		}
	}
	return from + i
}

// scanAtMost and scanAtLeast return the index of the first hit among the
// whole SIMD-width chunks of r, or where those chunks end; the callers
// finish the tail. Without SIMD they check nothing.
var (
	scanAtMost  = func(r []float32, t float32) int { return 0 }
	scanAtLeast = func(r []float32, t float32) int { return 0 }
)

// MinOf returns the smallest value of row, ignoring NaN; +Inf when row is
// empty or all NaN. MaxOf is the same for the largest (-Inf).
//
//	m := +Inf; for _, v := range row { if v < m { m = v } }
func MinOf(row []float32) float32 {
	m := float32(math.Inf(1))
	i := 0
	if n8 := len(row) / 8; n8 > 0 && minOfSIMD != nil {
		m, i = minOfSIMD(&row[0], n8), 8*n8
	}
	for _, v := range row[i:] {
		if v < m {
			m = v
		}
	}
	return m
}

// MaxOf: see MinOf.
func MaxOf(row []float32) float32 {
	m := float32(math.Inf(-1))
	i := 0
	if n8 := len(row) / 8; n8 > 0 && maxOfSIMD != nil {
		m, i = maxOfSIMD(&row[0], n8), 8*n8
	}
	for _, v := range row[i:] {
		if v > m {
			m = v
		}
	}
	return m
}

// minOfSIMD and maxOfSIMD reduce n8 whole chunks of 8 (nil without SIMD).
var minOfSIMD, maxOfSIMD func(r *float32, n8 int) float32

// FirstNonFinite returns the index of the first NaN or ±Inf in x, or
// len(x) if every value is finite.
//
//	for i, v := range x { if v-v != 0 { return i } }  // NaN and Inf give NaN
func FirstNonFinite(x []float32) int {
	i := 0
	if n8 := len(x) / 8; n8 > 0 && nonFiniteSIMD != nil {
		i = nonFiniteSIMD(&x[0], n8)
	}
	for ; i < len(x); i++ {
		if v := x[i]; v-v != 0 {
			return i
		}
	}
	return len(x)
}

// nonFiniteSIMD returns the start of the first chunk of 8 holding a
// non-finite value, or 8*n8 (nil without SIMD).
var nonFiniteSIMD func(x *float32, n8 int) int
