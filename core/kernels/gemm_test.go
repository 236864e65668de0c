package kernels

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// gemmRef is the order every GemmPacked value is summed in: blocks of
// GemmKC dimensions, each from zero with one fused multiply-add per term
// in order, the blocks' sums added in turn.
func gemmRef(x, y []float32, d int) float32 {
	var total float32
	for k0 := 0; k0 < d; k0 += GemmKC {
		var acc float32
		for k := k0; k < min(d, k0+GemmKC); k++ {
			acc = fmaf(x[k], y[k], acc)
		}
		if k0 == 0 {
			total = acc
		} else {
			total += acc
		}
	}
	return total
}

// Every level gives the reference loop's values bit for bit, for sizes
// around the block edges and rows at any offset of out.
func TestGemmPackedIsTheReferenceLoop(t *testing.T) {
	start := Level()
	defer func() { SetLevel(start) }()
	rng := rand.New(rand.NewSource(17))
	for _, level := range Levels() {
		require.NoError(t, SetLevel(level))
		s := &GemmScratch{}
		for _, d := range []int{0, 1, 3, 16, 31, 128, 300, 513} {
			for _, nx := range []int{1, 13, 14, 15, 29} {
				for _, ny := range []int{1, 31, 32, 33, 70} {
					x, y := randFloats(rng, nx*d), randFloats(rng, ny*d)
					yp := make([]float32, PackedSize(ny, d))
					for i := range yp {
						yp[i] = float32(rng.NormFloat64()) // packing must overwrite the padding
					}
					PackPanels(y, ny, d, yp)
					ldo, off := ny+3, 2
					out := make([]float32, off+nx*ldo)
					for i := range out {
						out[i] = -7
					}
					GemmPacked(x, nx, yp, ny, d, out[off:], ldo, s)
					for i := 0; i < nx; i++ {
						for j := 0; j < ny; j++ {
							want := gemmRef(x[i*d:(i+1)*d], y[j*d:(j+1)*d], d)
							require.Equal(t, want, out[off+i*ldo+j], "level %s d=%d nx=%d ny=%d (%d,%d)", level, d, nx, ny, i, j)
						}
						for j := ny; j < ldo && off+i*ldo+j < len(out); j++ {
							require.Equal(t, float32(-7), out[off+i*ldo+j], "a value past the row was written")
						}
					}
					require.Equal(t, float32(-7), out[0])
				}
			}
		}
	}
}

func randFloats(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

func TestGemmPackedChecksLengths(t *testing.T) {
	x, yp, out := make([]float32, 8), make([]float32, PackedSize(3, 4)), make([]float32, 6)
	require.Panics(t, func() { GemmPacked(x, 2, yp, 3, 4, out[:5], 3, nil) })
	require.NotPanics(t, func() { GemmPacked(x, 2, yp, 3, 4, out, 3, nil) })
}
