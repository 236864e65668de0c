package core

import (
	"math"
	"runtime"
)

// float32ToHalfFaiss converts as faiss's encode_fp16 does on this
// architecture, so that SQfp16 codes are faiss's byte for byte. faiss's
// arm64 build converts in hardware (ties to even); its x86 wheels are built
// without F16C and use a portable conversion that rounds ties away from
// zero.
var float32ToHalfFaiss = float32ToHalfTiesAway

func init() {
	if runtime.GOARCH == "arm64" {
		float32ToHalfFaiss = float32ToHalfEven
	}
}

// float32ToHalfTiesAway rounds to binary16 with ties away from zero, by
// scaling into half's exponent range in float32 arithmetic: float32
// subnormals then stand for half's subnormals (that multiply rounds them to
// even first, as faiss's portable conversion does). Adding half a unit of
// the last place and truncating rounds the rest.
func float32ToHalfTiesAway(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	mag := b &^ 0x80000000
	switch {
	case mag > 0x7f800000: // NaN
		return sign | 0x7e00
	case mag == 0x7f800000:
		return sign | 0x7c00
	}
	scaled := math.Float32frombits(mag&^0xfff) * 0x1p-112
	// The largest value that still rounds below infinity; above it, +inf.
	scaled = min(scaled, math.Float32frombits(31<<23-0x1000))
	return sign | uint16((math.Float32bits(scaled)+0x1000)>>13)
}

// float32ToHalfEven rounds to the nearest IEEE 754 binary16, ties to even
// (what hardware conversions do).
func float32ToHalfEven(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23&0xff) - 127 + 15
	mant := b & 0x7fffff
	switch {
	case b&0x7fffffff > 0x7f800000: // NaN
		return sign | 0x7e00
	case exp >= 31: // overflow or infinity
		return sign | 0x7c00
	case exp <= 0: // subnormal or zero
		if exp < -10 {
			return sign
		}
		mant |= 0x800000
		shift := uint(14 - exp)
		h := mant >> shift
		rem := mant & (1<<shift - 1)
		half := uint32(1) << (shift - 1)
		if rem > half || (rem == half && h&1 == 1) {
			h++
		}
		return sign | uint16(h)
	}
	h := uint32(exp)<<10 | mant>>13
	rem := mant & 0x1fff
	if rem > 0x1000 || (rem == 0x1000 && h&1 == 1) {
		h++ // may carry into the exponent, which is right
	}
	return sign | uint16(h)
}

// halfToFloat32 widens an IEEE 754 binary16.
func halfToFloat32(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h & 0x3ff)
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp == 0:
		if mant == 0 {
			return math.Float32frombits(sign)
		}
		f := float32(mant) / (1 << 24) // subnormal: mant * 2^-24
		if sign != 0 {
			return -f
		}
		return f
	}
	return math.Float32frombits(sign | (exp+112)<<23 | mant<<13)
}

// float32ToBF16 is faiss's encode_bf16: the high 16 bits of the float,
// rounded half up in magnitude (0x8000 added to the bits first).
func float32ToBF16(f float32) uint16 {
	return uint16((math.Float32bits(f) + 0x8000) >> 16)
}

// bf16ToFloat32 widens a bfloat16 (the high half of a float32).
func bf16ToFloat32(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }

// Float32ToHalf rounds f to the nearest binary16, ties to even (as GPUs
// convert): the GPU indexes' float16 storage.
func Float32ToHalf(f float32) uint16 { return float32ToHalfEven(f) }

// HalfToFloat32 widens a binary16.
func HalfToFloat32(h uint16) float32 { return halfToFloat32(h) }
