package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPrecutKeepsTheHeapsPairs: offering kernel-call-sized runs of keys
// with the pre-cut leaves exactly the pairs (ties included) that offering
// every key one at a time under the heap's rules leaves.
func TestPrecutKeepsTheHeapsPairs(t *testing.T) {
	rng := rand.New(rand.NewSource(40))
	for trial := 0; trial < 200; trial++ {
		k := 1 + rng.Intn(fsHeapMaxK)
		n := 1 + rng.Intn(3000)
		spread := []int{4, 50, 1000, 60000}[rng.Intn(4)] // few distinct keys: many ties
		keys := make([]uint16, (n+31)/32*32)
		for i := range keys {
			keys[i] = uint16(rng.Intn(spread))
		}
		flip := uint16(0)
		if rng.Intn(2) == 0 {
			flip = 0xffff
		}
		c := pq4Blocks{n: n, bbs: 32}
		want, got := newFSSink(k), newFSSink(k)
		want.reset(flip)
		got.reset(flip)
		for pos := 0; pos < n; pos++ {
			key, id := float32(keys[pos]), int64(pos)
			if flip != 0 {
				id = -id
			}
			if key < want.root() {
				want.add(key, id)
			}
		}
		for g0 := 0; g0 < len(keys)/32; g0 += fsScanGroups {
			g1 := min(len(keys)/32, g0+fsScanGroups)
			out := append([]uint16(nil), keys[32*g0:32*g1]...)
			masks := make([]uint32, g1-g0)
			thr := uint16(got.root())
			for i, v := range out {
				if v < thr {
					masks[i/32] |= 1 << (i % 32)
				}
			}
			c.offer(&got, out, masks, g0, flip, nil, 0, nil)
		}
		q := &fsQuery{a: 1}
		wd, wl, gd, gl := make([]float32, k), make([]int64, k), make([]float32, k), make([]int64, k)
		want.emit(q, flip, wd, wl)
		got.emit(q, flip, gd, gl)
		require.Equal(t, wl, gl, "trial %d k %d n %d spread %d", trial, k, n, spread)
		require.Equal(t, wd, gd)
	}
}
