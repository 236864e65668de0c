package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// The generators of faiss's utils/random: the same values as faiss for
// the same seed (core/random.go), written into a caller's buffer of n values.

// drawInto fills the n values of type T at x with draw.
func drawInto[T float32 | int64 | int32 | byte](op string, x uintptr, n int64, draw func([]T) error) string {
	return guard(op, func() error {
		xs, err := view[T](x, n)
		if err != nil {
			return err
		}
		return draw(xs)
	})
}

// FloatRand fills n float32 at x with uniform values in [0, 1].
func FloatRand(x uintptr, n, seed int64) string {
	return drawInto("float_rand", x, n, func(xs []float32) error { core.FloatRand(xs, seed); return nil })
}

// FloatRandn fills n float32 at x with standard normal values.
func FloatRandn(x uintptr, n, seed int64) string {
	return drawInto("float_randn", x, n, func(xs []float32) error { core.FloatRandn(xs, seed); return nil })
}

// Int64Rand fills n int64 at x with values in [0, 2^62); with vmax > 0,
// in [0, vmax) (faiss's int64_rand_max).
func Int64Rand(x uintptr, n int64, vmax uint64, seed int64) string {
	return drawInto("int64_rand", x, n, func(xs []int64) error {
		if vmax == 0 {
			core.Int64Rand(xs, seed)
			return nil
		}
		return core.Int64RandMax(xs, vmax, seed)
	})
}

// RandSmoothVectors fills n rows of d float32 at x.
func RandSmoothVectors(x uintptr, n, d, seed int64) string {
	return drawInto("rand_smooth_vectors", x, n*d, func(xs []float32) error {
		return core.RandSmoothVectors(xs, int(n), int(d), seed)
	})
}

// ByteRand fills n bytes at x with faiss's byte_rand values.
func ByteRand(x uintptr, n, seed int64) string {
	return drawInto("byte_rand", x, n, func(xs []byte) error { core.ByteRand(xs, seed); return nil })
}

// RandPerm fills n int32 at x with faiss's rand_perm permutation.
func RandPerm(x uintptr, n, seed int64) string {
	return drawInto("rand_perm", x, n, func(xs []int32) error { core.RandPerm(xs, seed); return nil })
}
