package core

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHadamardRotationIsOrthonormal: norms and inner products survive,
// and the rows of the identity become orthonormal columns.
func TestHadamardRotationIsOrthonormal(t *testing.T) {
	for _, d := range []int{1, 5, 16, 100} {
		h, err := NewHadamardRotation(d, 42)
		require.NoError(t, err)
		p := h.DOut()
		assert.GreaterOrEqual(t, p, d)
		assert.Equal(t, 0, p&(p-1), "a power of two")
		eye := make([]float32, d*d)
		for i := 0; i < d; i++ {
			eye[i*d+i] = 1
		}
		out := make([]float32, d*p)
		require.NoError(t, h.Apply(eye, out))
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				var dot float64
				for k := 0; k < p; k++ {
					dot += float64(out[i*p+k]) * float64(out[j*p+k])
				}
				want := 0.0
				if i == j {
					want = 1
				}
				assert.InDelta(t, want, dot, 1e-5, "d=%d rows %d,%d", d, i, j)
			}
		}
	}
	h, _ := NewHadamardRotation(8, 7)
	x := randData(rand.New(rand.NewSource(1)), 3, 8, false)
	a, b := make([]float32, 3*8), make([]float32, 3*8)
	require.NoError(t, h.Apply(x, a))
	h.Seed = 0
	require.NoError(t, h.Train(nil))
	assert.Equal(t, int64(12345), h.Seed)
	require.NoError(t, h.Apply(x, b))
	assert.NotEqual(t, a, b, "other seed, other signs")
	assert.Error(t, h.Apply(x[:5], b))
	var n float64
	for _, v := range a[:8] {
		n += float64(v) * float64(v)
	}
	var nx float64
	for _, v := range x[:8] {
		nx += float64(v) * float64(v)
	}
	assert.InDelta(t, math.Sqrt(nx), math.Sqrt(n), 1e-5)
}
