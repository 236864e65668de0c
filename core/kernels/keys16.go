package kernels

// Scans of uint16 keys (fast-scan sums) against a threshold: the counts
// behind a binary search for the k-th smallest key, and the bit masks of
// the keys at or below it.

// CountAtMost16 returns how many keys are <= t.
//
//	for _, v := range keys { if v <= t { n++ } }
func CountAtMost16(keys []uint16, t uint16) int {
	n, i := 0, 0
	if n16 := len(keys) / 16; n16 > 0 && countAtMost16SIMD != nil {
		n, i = countAtMost16SIMD(&keys[0], n16, t), 16*n16
	}
	for _, v := range keys[i:] {
		if v <= t {
			n++
		}
	}
	return n
}

// MaskAtMost16 sets bit j of masks[g] when keys[32*g+j] <= t, for every g
// in masks (len(keys) >= 32*len(masks)).
func MaskAtMost16(keys []uint16, t uint16, masks []uint32) {
	keys = keys[:32*len(masks)]
	if len(masks) > 0 && maskAtMost16SIMD != nil {
		maskAtMost16SIMD(&keys[0], len(masks), t, &masks[0])
		return
	}
	maskAtMost16Go(keys, t, masks)
}

func maskAtMost16Go(keys []uint16, t uint16, masks []uint32) {
	for g := range masks {
		var m uint32
		for j, v := range keys[32*g : 32*g+32] {
			if v <= t {
				m |= 1 << j
			}
		}
		masks[g] = m
	}
}

// Keys16IsFast reports whether the scans have SIMD kernels here (a
// binary search of Go count loops costs more than it saves).
func Keys16IsFast() bool { return countAtMost16SIMD != nil && maskAtMost16SIMD != nil }

var (
	// countAtMost16SIMD counts the keys <= t among 16*n16.
	countAtMost16SIMD func(keys *uint16, n16 int, t uint16) int
	// maskAtMost16SIMD writes the masks of ngroups groups of 32 keys.
	maskAtMost16SIMD func(keys *uint16, ngroups int, t uint16, masks *uint32)
)
