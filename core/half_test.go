package core

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// refHalf rounds a finite f >= 0 to binary16 bits by searching the grid
// of every non-negative half (whose bits grow with their values, +inf
// standing at 65536), breaking ties to even or away from zero.
func refHalf(f float32, tiesAway bool) uint16 {
	grid := func(h uint16) float64 {
		if h == 0x7c00 {
			return 65536
		}
		return float64(halfToFloat32(h))
	}
	lo, hi := uint16(0), uint16(0x7c00)
	if float64(f) >= 65536 {
		return 0x7c00
	}
	for hi-lo > 1 { // grid(lo) <= f < grid(hi)
		mid := lo + (hi-lo)/2
		if grid(mid) <= float64(f) {
			lo = mid
		} else {
			hi = mid
		}
	}
	below, above := float64(f)-grid(lo), grid(hi)-float64(f)
	switch {
	case below < above:
		return lo
	case above < below:
		return hi
	case tiesAway || hi&1 == 0:
		return hi
	}
	return lo
}

func TestFloat32ToHalfRoundsLikeTheGridSearch(t *testing.T) {
	var values []float32
	for h := uint16(0); h < 0x7c00; h++ { // every half, every tie, and their neighbours
		v := halfToFloat32(h)
		next := float32(65536)
		if h+1 < 0x7c00 {
			next = halfToFloat32(h + 1)
		}
		tie := (v + next) / 2
		values = append(values, v, tie, math.Nextafter32(tie, 0), math.Nextafter32(tie, 1e9))
	}
	rng := rand.New(rand.NewSource(81))
	for range 100000 {
		values = append(values, float32(math.Ldexp(rng.Float64(), rng.Intn(50)-34)))
	}
	for _, f := range values {
		for _, sign := range []float32{1, -1} {
			x := sign * f
			signBit := uint16(0)
			if math.Signbit(float64(x)) {
				signBit = 0x8000
			}
			require.Equal(t, signBit|refHalf(f, false), float32ToHalfEven(x), "ties to even, %g", x)
			require.Equal(t, signBit|refHalf(f, true), float32ToHalfTiesAway(x), "ties away, %g", x)
		}
	}
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	for _, conv := range []func(float32) uint16{float32ToHalfEven, float32ToHalfTiesAway} {
		require.Equal(t, uint16(0x7c00), conv(inf))
		require.Equal(t, uint16(0xfc00), conv(-inf))
		require.Equal(t, uint16(0x7e00), conv(nan))
		require.Equal(t, uint16(0x7c00), conv(1e30))
		require.Equal(t, uint16(0x8000), conv(float32(math.Copysign(0, -1))))
	}
	// The one case that tells them apart: 1 + 2^-11 lies halfway between
	// 1 (even) and the next half.
	require.Equal(t, uint16(0x3c00), float32ToHalfEven(1+0x1p-11))
	require.Equal(t, uint16(0x3c01), float32ToHalfTiesAway(1+0x1p-11))
}

func TestHalfToFloat32IsExactOnEveryHalf(t *testing.T) {
	for h := range uint32(1 << 16) {
		f := halfToFloat32(uint16(h))
		if f != f {
			require.Equal(t, uint32(0x7c00), h&0x7c00, "only the all-ones exponent is NaN")
			continue
		}
		require.Equal(t, uint16(h), float32ToHalfEven(f), "h=%#x", h)
	}
}

// TestBF16IsFaissRounding: the high half of the bits after adding 0x8000
// (a tie rounds up in magnitude, 1.00390625 -> 1.0078125, as faiss's).
func TestBF16IsFaissRounding(t *testing.T) {
	for _, c := range []struct {
		in   float32
		want uint16
	}{{1, 0x3F80}, {1.00390625, 0x3F81}, {-3.7, 0xC06D}, {3.14159, 0x4049}, {0, 0}, {float32(math.Copysign(0, -1)), 0x8000}} {
		require.Equal(t, c.want, float32ToBF16(c.in), "%v", c.in)
	}
	require.Equal(t, float32(-3.703125), bf16ToFloat32(0xC06D))
}
