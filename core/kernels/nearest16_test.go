package kernels

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNearest16MatchesItsLoop: the kernel picks the loop's centroid, or
// (summation differs by a fused multiply-add) one as near to within a
// rounding; ties go to the first centroid, all-NaN sub-vectors to 0.
func TestNearest16MatchesItsLoop(t *testing.T) {
	rng := rand.New(rand.NewSource(16))
	for _, dsub := range []int{1, 2, 3, 4, 7, 8, 16} {
		for _, m := range []int{1, 2, 5, 32} {
			x, yt := make([]float32, m*dsub), make([]float32, m*16*dsub)
			for i := range x {
				x[i] = float32(rng.NormFloat64())
			}
			for i := range yt {
				yt[i] = float32(rng.NormFloat64())
			}
			if m > 1 { // sub-space 1: centroids 3 and 9 equal and exact
				for j := 0; j < dsub; j++ {
					x[dsub+j] = 0.5
					yt[16*dsub+j*16+3], yt[16*dsub+j*16+9] = 0.5, 0.5
				}
			}
			if m > 2 { // sub-space 2: NaN in x
				x[2*dsub] = float32(math.NaN())
			}
			got, want := make([]byte, m), make([]byte, m)
			Nearest16Transposed(x, yt, m, dsub, got)
			nearest16Go(x, yt, m, dsub, want)
			for s := range m {
				if got[s] == want[s] {
					continue
				}
				dg, dw := dist16(x, yt, s, dsub, int(got[s])), dist16(x, yt, s, dsub, int(want[s]))
				require.InDelta(t, dw, dg, 1e-5*float64(dw), "dsub %d m %d sub %d: %d vs %d", dsub, m, s, got[s], want[s])
			}
			if m > 1 {
				require.Equal(t, byte(3), got[1])
			}
			if m > 2 {
				require.Equal(t, byte(0), got[2])
			}
		}
	}
}

func dist16(x, yt []float32, s, dsub, c int) float64 {
	acc := 0.0
	for j := 0; j < dsub; j++ {
		d := float64(x[s*dsub+j]) - float64(yt[s*16*dsub+j*16+c])
		acc += d * d
	}
	return acc
}
