package kernels

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// HammingRows writes the Hamming distance between q (cs bytes) and each of
// the len(out) codes of cs bytes in codes, back to back, into out.
//
// Codes are read as 64-bit words where they can be, with loops written out
// for the common code sizes (8, 16, 32 and 64 bytes), as faiss's
// HammingComputer8..64 are.
func HammingRows(q []byte, codes []byte, cs int, out []int32) {
	n := len(out)
	if n == 0 {
		return
	}
	_, _ = codes[n*cs-1], q[cs-1] // the assembly trusts these sizes
	if hammingRows32Min != nil && cs == 32 {
		hammingRows32Min(q, codes, out)
		return
	}
	if hammingRowsWords != nil && cs%8 == 0 {
		hammingRowsWords(q, codes, cs/8, out)
		return
	}
	switch cs {
	case 8:
		q0 := binary.LittleEndian.Uint64(q)
		for i := range out {
			out[i] = int32(bits.OnesCount64(q0 ^ binary.LittleEndian.Uint64(codes[i*8:])))
		}
	case 16:
		q0, q1 := binary.LittleEndian.Uint64(q), binary.LittleEndian.Uint64(q[8:])
		for i := range out {
			c := codes[i*16 : i*16+16]
			out[i] = int32(bits.OnesCount64(q0^binary.LittleEndian.Uint64(c)) +
				bits.OnesCount64(q1^binary.LittleEndian.Uint64(c[8:])))
		}
	case 32:
		q0, q1 := binary.LittleEndian.Uint64(q), binary.LittleEndian.Uint64(q[8:])
		q2, q3 := binary.LittleEndian.Uint64(q[16:]), binary.LittleEndian.Uint64(q[24:])
		for i := range out {
			c := codes[i*32 : i*32+32]
			out[i] = int32(bits.OnesCount64(q0^binary.LittleEndian.Uint64(c)) +
				bits.OnesCount64(q1^binary.LittleEndian.Uint64(c[8:])) +
				bits.OnesCount64(q2^binary.LittleEndian.Uint64(c[16:])) +
				bits.OnesCount64(q3^binary.LittleEndian.Uint64(c[24:])))
		}
	default:
		for i := range out {
			out[i] = int32(Hamming(q, codes[i*cs:(i+1)*cs]))
		}
	}
}

// hammingRowsWords is a SIMD HammingRows for codes of whole 64-bit
// words, set at start-up where the CPU has one.
var hammingRowsWords func(q, codes []byte, words int, out []int32)

// HammingRowsMin is HammingRows that also returns a lower bound of the
// distances written: their minimum where the kernel finds it for free
// (the AVX-512 one), else math.MinInt32. Scans use it to skip a block
// whose codes all lose to the k kept so far.
func HammingRowsMin(q []byte, codes []byte, cs int, out []int32) int32 {
	if hammingRows32Min != nil && cs == 32 && len(out) >= 8 {
		_, _ = codes[len(out)*cs-1], q[cs-1]
		return hammingRows32Min(q, codes, out)
	}
	HammingRows(q, codes, cs, out)
	return math.MinInt32
}

// hammingRows32Min is a SIMD HammingRows for 32-byte codes (256 bits, the
// common size of binary descriptors) that returns the smallest distance;
// set where the CPU has one.
var hammingRows32Min func(q, codes []byte, out []int32) int32

// Hamming is the number of differing bits of two codes of equal length.
func Hamming(a, b []byte) int {
	n := 0
	i := 0
	for ; i+8 <= len(a); i += 8 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:]))
	}
	for ; i < len(a); i++ {
		n += bits.OnesCount8(a[i] ^ b[i])
	}
	return n
}
