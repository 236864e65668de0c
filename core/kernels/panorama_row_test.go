package kernels

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// suffixNorms is the test's own: sqrt of the squares from each level on.
func suffixNorms(x []float32, width int) []float32 {
	levels := (len(x) + width - 1) / width
	out := make([]float32, levels+1)
	var s float32
	for l := levels - 1; l >= 0; l-- {
		for _, v := range x[l*width : min((l+1)*width, len(x))] {
			s += v * v
		}
		out[l] = float32(math.Sqrt(float64(s)))
	}
	return out
}

// The assembly loop gives the pure-Go loop's bits (same dot products, same
// scalar order) and stops at the same level, thresholds around the key
// included.
func TestPanoramaRowMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewSource(190))
	for _, c := range []struct{ d, width int }{{128, 16}, {65, 17}, {7, 3}, {33, 33}, {100, 8}, {9, 1}} {
		for trial := 0; trial < 200; trial++ {
			q, x := make([]float32, c.d), make([]float32, c.d)
			for i := range q {
				q[i], x[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
			}
			if trial%7 == 0 {
				copy(x, q) // a key of ~0 for L2
			}
			qn, xn := suffixNorms(q, c.width), suffixNorms(x, c.width)
			for _, ip := range []bool{false, true} {
				acc := float32(0)
				if !ip {
					acc = qn[0]*qn[0] + xn[0]*xn[0]
				}
				full, _, _ := panoramaRowGo(q, x, xn, qn, c.width, ip, acc, float32(math.Inf(1)))
				for _, thr := range []float32{float32(math.Inf(1)), full, full + 1e-3, full - 1e-3, full * 0.5, -1e9, float32(math.NaN())} {
					wk, ws, wok := panoramaRowGo(q, x, xn, qn, c.width, ip, acc, thr)
					gk, gs, gok := PanoramaRow(q, x, xn, qn, c.width, ip, acc, thr)
					require.Equal(t, math.Float32bits(wk), math.Float32bits(gk), "%+v ip %v thr %v", c, ip, thr)
					require.Equal(t, ws, gs, "%+v ip %v thr %v", c, ip, thr)
					require.Equal(t, wok, gok, "%+v ip %v thr %v", c, ip, thr)
				}
			}
		}
	}
}
