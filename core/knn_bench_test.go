package core

import (
	"math/rand"
	"testing"
)

// BenchmarkSearchBatch is the batched flat search of the benchmarks at a
// size a micro-benchmark can repeat: 1,000 queries against 20,000 x 128.
func BenchmarkSearchBatch(b *testing.B) {
	for _, m := range []Metric{MetricL2, MetricInnerProduct} {
		b.Run(m.String(), func(b *testing.B) {
			rng := rand.New(rand.NewSource(1))
			const nb, nq, d, k = 20000, 1000, 128, 10
			ix, _ := NewIndexFlat(d, m)
			_ = ix.Add(randData(rng, nb, d, true))
			xq := randData(rng, nq, d, true)
			dist, labels := make([]float32, nq*k), make([]int64, nq*k)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_ = ix.Search(xq, k, dist, labels)
			}
			b.ReportMetric(float64(2*nb*nq*d)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkSearchTiny is the Go side of one query against 10 vectors: what
// the Python call overhead is measured above.
func BenchmarkSearchTiny(b *testing.B) {
	rng := rand.New(rand.NewSource(2))
	ix, _ := NewIndexFlat(8, MetricL2)
	_ = ix.Add(randData(rng, 10, 8, true))
	xq := randData(rng, 1, 8, true)
	dist, labels := make([]float32, 1), make([]int64, 1)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = ix.Search(xq, 1, dist, labels)
	}
}
