package kernels

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every level computes the same products and distances (to rounding) and
// reports itself; "go" puts back exactly the start-up Go kernels.
func TestEveryLevelComputesTheSame(t *testing.T) {
	start := Level()
	defer func() { require.NoError(t, SetLevel(start)) }()
	rng := rand.New(rand.NewSource(3))
	const nx, ny, d = 5, 37, 29
	x, y := make([]float32, nx*d), make([]float32, ny*d)
	for i := range x {
		x[i] = rng.Float32()
	}
	for i := range y {
		y[i] = rng.Float32()
	}
	codes := make([]byte, 40*32)
	rng.Read(codes)
	var ref []float32
	var refHam []int32
	for _, level := range Levels() {
		require.NoError(t, SetLevel(level))
		assert.Equal(t, level, Level())
		out := make([]float32, nx*ny)
		DotTile(x, nx, y, ny, d, out, ny)
		ham := make([]int32, 40)
		HammingRowsMin(codes[:32], codes, 32, ham)
		if ref == nil {
			ref, refHam = out, ham
			continue
		}
		assert.InDeltaSlice(t, ref, out, 1e-4, level)
		assert.Equal(t, refHam, ham, level)
	}
	require.NoError(t, SetLevel("go"))
	assert.Equal(t, "go", KernelSet())
	assert.Error(t, SetLevel("sve"))
	assert.Equal(t, "go", Level(), "a refused level changes nothing")
}
