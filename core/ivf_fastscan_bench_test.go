package core

import (
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"testing"
)

// envInt reads a benchmark size from the environment.
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// mixture is bench_ivf.py's data: n points about k centres drawn at twice
// the noise's scale (the clusters overlap).
func mixture(rng *rand.Rand, n, d, k int) []float32 {
	centres := make([]float32, k*d)
	for i := range centres {
		centres[i] = float32(rng.NormFloat64() * 2)
	}
	x := make([]float32, n*d)
	for i := 0; i < n; i++ {
		c := centres[rng.Intn(k)*d:][:d]
		for j := range d {
			x[i*d+j] = c[j] + float32(rng.NormFloat64())
		}
	}
	return x
}

// benchIVFFastScan builds IVF1024,PQ32x4fs over FS_N (100k) x 128 points
// and returns it trained, with the data and 1000 queries: the first data
// points, or with FS_MIX points of another mixture, as bench_fastscan.py's.
func benchIVFFastScan(b *testing.B) (*IndexIVF, []float32, []float32) {
	rng := rand.New(rand.NewSource(1))
	const d, nq = 128, 1000
	n := envInt("FS_N", 100_000)
	x := blobs(rng, n, d, 2000)
	xq := x[:nq*d]
	switch {
	case os.Getenv("FS_NOISE") != "": // concentrated distances, as in high-dimensional noise
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
	case os.Getenv("FS_MIX") != "":
		x, xq = mixture(rng, n, d, 2000), mixture(rng, nq, d, 2000)
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
	return ix, x, xq
}

// benchSearches times idx.Search of nq queries at each nprobe.
func benchSearches(b *testing.B, idx Index, setNprobe func(int), xq []float32, k int) {
	nq := len(xq) / idx.D()
	dist, labels := make([]float32, nq*k), make([]int64, nq*k)
	for _, nprobe := range []int{1, 8, 128} {
		setNprobe(nprobe)
		b.Run(fmt.Sprintf("nprobe%03d", nprobe), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if err := idx.Search(xq, k, dist, labels); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(nq*b.N)/b.Elapsed().Seconds(), "QPS")
		})
	}
}

// BenchmarkIVFFastScanSearch: FS_N x 128 in 1024 lists, 1000 queries, k FS_K.
func BenchmarkIVFFastScanSearch(b *testing.B) {
	ix, x, xq := benchIVFFastScan(b)
	if err := ix.Add(x); err != nil {
		b.Fatal(err)
	}
	benchSearches(b, ix, func(n int) { ix.Nprobe = n }, xq, envInt("FS_K", 10))
}

// BenchmarkIVFFastScanRefine: the same with ,RFlat on top (k_factor 4).
func BenchmarkIVFFastScanRefine(b *testing.B) {
	ix, x, xq := benchIVFFastScan(b)
	r, err := NewIndexRefineFlat(ix)
	if err != nil {
		b.Fatal(err)
	}
	if err := r.Add(x); err != nil {
		b.Fatal(err)
	}
	r.KFactor = 4
	benchSearches(b, r, func(n int) { ix.Nprobe = n }, xq, envInt("FS_K", 10))
}
