package core

import (
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"testing"
)

// BenchmarkIVFFastScanSearch: 100k x 128 in 1024 lists, 1000 queries.
func BenchmarkIVFFastScanSearch(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	const d, nq = 128, 1000
	n := 100_000
	if v := os.Getenv("FS_N"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	x := blobs(rng, n, d, 2000)
	if os.Getenv("FS_NOISE") != "" { // concentrated distances, as in high-dimensional noise
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
	}
	q, _ := NewIndexFlat(d, MetricL2)
	ix, err := NewIndexIVFPQFastScan(q, d, 1024, 32, 4, MetricL2, 32)
	if err != nil {
		b.Fatal(err)
	}
	ix.Warn, ix.PQ().Warn = func(string) {}, func(string) {}
	ix.CP.Niter = 4
	if err := ix.Train(x[:50_000*d]); err != nil {
		b.Fatal(err)
	}
	if err := ix.Add(x); err != nil {
		b.Fatal(err)
	}
	xq := x[:nq*d]
	dist, labels := make([]float32, nq*10), make([]int64, nq*10)
	k := 10
	if os.Getenv("FS_K") != "" {
		k, _ = strconv.Atoi(os.Getenv("FS_K"))
	}
	dist, labels = make([]float32, nq*k), make([]int64, nq*k)
	for _, nprobe := range []int{1, 8, 128} {
		ix.Nprobe = nprobe
		b.Run(fmt.Sprintf("nprobe%03d", nprobe), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if err := ix.Search(xq, k, dist, labels); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(nq*b.N)/b.Elapsed().Seconds(), "QPS")
		})
	}
}
