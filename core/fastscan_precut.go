package core

import (
	"math/bits"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// The pre-cut: when a kernel call flags many candidates (the threshold it
// was given is stale, or the heap is still filling), the k-th smallest key
// over the heap and the call's keys is found first, by a binary search on
// SIMD counts, and only keys up to it are flagged. A heap that admits keys
// strictly below its worst ends holding the k smallest key values of all
// it was offered whatever the order, and a pair above that k-th key would
// be evicted again: skipping those leaves the same pairs, ties included,
// and walks ~k flags instead of every key below the stale threshold.

// fsPrecutMin is how many flags make a pre-cut worth its ~16 count passes.
const fsPrecutMin = 32

// precut narrows masks (the groups from block b, keys in out) to the keys
// at or below the k-th smallest of h's and theirs. Reservoir sinks, calls
// with few flags, and sinks and calls holding fewer than k keys in all are
// left as they are; so are calls under an ID selector (a rejected id would
// make the cut too tight), and CPUs without the SIMD counts.
func (c pq4Blocks) precut(h *fsSink, out []uint16, masks []uint32, b int) {
	if h.pairs != nil || !kernels.Keys16IsFast() {
		return
	}
	flagged := 0
	for _, m := range masks {
		flagged += bits.OnesCount32(m)
	}
	if flagged < fsPrecutMin {
		return
	}
	keys := out[:32*len(masks)]
	for i := max(0, c.n-b*c.bbs); i < len(keys); i++ {
		keys[i] = fsKeyNone // padding past the last vector
	}
	held := h.cand[:0]
	for _, d := range h.h.dist {
		held = append(held, uint16(d)) // empty slots are fsKeyNone
	}
	h.cand = held
	count := func(t uint16) int { return kernels.CountAtMost16(keys, t) + kernels.CountAtMost16(held, t) }
	lo, hi := uint16(0), uint16(fsKeyNone-1)
	if count(hi) < h.k {
		return
	}
	for lo < hi { // the least t with count(t) >= k
		mid := lo + (hi-lo)/2
		if count(mid) >= h.k {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	kernels.MaskAtMost16(keys, lo, masks)
}
