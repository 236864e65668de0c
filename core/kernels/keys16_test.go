package kernels

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestKeys16ScansMatchTheirLoops(t *testing.T) {
	rng := rand.New(rand.NewSource(16))
	for _, n := range []int{0, 1, 15, 16, 17, 31, 32, 33, 64, 100, 1000} {
		keys := make([]uint16, n)
		for i := range keys {
			keys[i] = uint16(rng.Intn(1 << 16))
			if rng.Intn(4) == 0 {
				keys[i] = []uint16{0, 0x7fff, 0x8000, 0xffff}[rng.Intn(4)]
			}
		}
		for _, th := range []uint16{0, 1, 0x7fff, 0x8000, uint16(rng.Intn(1 << 16)), 0xfffe, 0xffff} {
			want := 0
			for _, v := range keys {
				if v <= th {
					want++
				}
			}
			require.Equal(t, want, CountAtMost16(keys, th), "n %d t %d", n, th)
			masks := make([]uint32, n/32)
			MaskAtMost16(keys, th, masks)
			ref := make([]uint32, n/32)
			maskAtMost16Go(keys, th, ref)
			require.Equal(t, ref, masks, "n %d t %d", n, th)
			for g, m := range ref {
				for j := 0; j < 32; j++ {
					require.Equal(t, keys[32*g+j] <= th, m>>j&1 == 1)
				}
			}
		}
	}
}
