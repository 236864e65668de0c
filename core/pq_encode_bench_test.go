package core

import (
	"math/rand"
	"testing"
)

// BenchmarkPQFastScanAdd: PQ32x4fs add of FS_N (100k) x 128 mixture points.
func BenchmarkPQFastScanAdd(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	const d = 128
	x := mixture(rng, envInt("FS_N", 100_000), d, 2000)
	ix, err := NewIndexPQFastScan(d, 32, 4, MetricL2, 32)
	if err != nil {
		b.Fatal(err)
	}
	if err := ix.Train(x[:min(len(x), 65536*d)]); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix.Reset()
		if err := ix.Add(x); err != nil {
			b.Fatal(err)
		}
	}
}
