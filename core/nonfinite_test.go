package core

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// The first non-finite value is found whichever chunk holds it, and the
// earliest of several wins.
func TestFirstNonFiniteAcrossChunks(t *testing.T) {
	defer func(m int) { minParallelWork = m }(minParallelWork)
	minParallelWork = 16
	x := make([]float32, 1000)
	require.Equal(t, len(x), firstNonFinite(x))
	for _, at := range []int{0, 7, 499, 500, 999} {
		y := append([]float32(nil), x...)
		y[at] = float32(math.NaN())
		require.Equal(t, at, firstNonFinite(y), "NaN at %d", at)
		if at+300 < len(y) {
			y[at+300] = float32(math.Inf(1))
			require.Equal(t, at, firstNonFinite(y), "NaN at %d, Inf after it", at)
		}
	}
	require.Equal(t, 0, firstNonFinite(nil))
}
