package kernels

import (
	"math/rand"
	"testing"
)

// Micro-benchmarks of the vector kernels at d=128 over 1,024 rows (512 KiB:
// L2-resident), reporting bytes read per second (b.SetBytes).
func BenchmarkVectorKernels(b *testing.B) {
	rng := rand.New(rand.NewSource(6))
	const d, n = 128, 1024
	x, y := randVec(rng, d, false), randVec(rng, n*d, false)
	row, norms := randVec(rng, n, false), randVec(rng, n, true)
	out := make([]float32, n)
	acc := make([]float32, n*d)
	perRow := func(f func(x, y []float32) float32) func() {
		return func() {
			for j := 0; j < n; j++ {
				out[j] = f(x, y[j*d:(j+1)*d])
			}
		}
	}
	cases := []struct {
		name  string
		bytes int
		run   func()
	}{
		{"L2SqrRows", n * d * 4, func() { L2SqrRows(x, y, out) }},
		{"L2Sqr", n * d * 4, perRow(L2Sqr)},
		{"Inner", n * d * 4, perRow(Inner)},
		{"L1", n * d * 4, perRow(L1)},
		{"Linf", n * d * 4, perRow(Linf)},
		{"Norms", n * d * 4, func() { Norms(y, d, out) }},
		{"AddTo", n * d * 8, func() { AddTo(acc, y) }},
		{"AxpyTo", n * d * 8, func() { AxpyTo(acc, 0.5, y) }},
		{"L2FromDot", n * 8, func() { copy(out, row); L2FromDot(out, 1, norms) }},
		{"NextAtMost", n * 4, func() { NextAtMost(row, 0, -10) }},
		{"MinOf", n * 4, func() { MinOf(row) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(c.bytes))
			for i := 0; i < b.N; i++ {
				c.run()
			}
		})
	}
}
