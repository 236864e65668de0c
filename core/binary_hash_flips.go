package core

import "math/bits"

// forEachFlip calls fn with every b-bit mask of at most nflip set bits:
// first 0, then the masks of one bit, of two bits, and so on, each radius
// in decreasing numeric order (the order faiss's FlipEnumerator visits
// them, so that hash buckets are scanned in faiss's order and equal
// distances at the k-th place keep the same ids). It stops early when fn
// returns false.
func forEachFlip(b, nflip int, fn func(mask uint64) bool) {
	if !fn(0) {
		return
	}
	full := lowMask(b)
	for r := 1; r <= min(nflip, b); r++ {
		// The masks of r bits in decreasing order are the complements of
		// the masks of b-r bits in increasing order, which Gosper's step
		// walks from the smallest, (1<<(b-r))-1, to the largest.
		if r == b { // one mask: all bits
			if !fn(full) {
				return
			}
			continue
		}
		last := full &^ lowMask(r)
		for c := lowMask(b - r); ; c = nextSamePopcount(c) {
			if !fn(full &^ c) {
				return
			}
			if c == last {
				break
			}
		}
	}
}

// lowMask is the mask of the n lowest bits (n <= 64).
func lowMask(n int) uint64 {
	if n >= 64 {
		return ^uint64(0)
	}
	return 1<<uint(n) - 1
}

// nextSamePopcount is the smallest number above c with as many set bits
// (Gosper's hack); c must be non-zero and not the largest such number
// that fits.
func nextSamePopcount(c uint64) uint64 {
	low := c & -c
	r := c + low
	return r | (c^r)>>uint(2+bits.TrailingZeros64(low))
}
