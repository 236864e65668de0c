package core

import (
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"testing"
)

// BenchmarkIVFRaBitQSearch: 100k x 128 in 1024 lists, 1000 queries, the
// plain and fast-scan RaBitQ indexes (RBQ_FS=1: fast scan only; RBQ_N points; RBQ_NLIST
// sets the lists: 100 gives lists as long as 1M points in 1024 lists).
func BenchmarkIVFRaBitQSearch(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	const d, nq, k = 128, 1000, 10
	n := 100_000
	if v := os.Getenv("RBQ_N"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	x := blobs(rng, n, d, 2000)
	nlist := 1024
	if v := os.Getenv("RBQ_NLIST"); v != "" {
		nlist, _ = strconv.Atoi(v)
	}
	for _, fast := range []bool{false, true} {
		if os.Getenv("RBQ_FS") != "" && !fast {
			continue
		}
		q, _ := NewIndexFlat(d, MetricL2)
		var ix *IndexIVF
		var err error
		if fast {
			ix, err = NewIndexIVFRaBitQFastScan(q, d, nlist, MetricL2, 32, 1)
		} else {
			ix, err = NewIndexIVFRaBitQ(q, d, nlist, MetricL2, 1)
		}
		if err != nil {
			b.Fatal(err)
		}
		ix.Warn = func(string) {}
		ix.CP.Niter = 4
		if err := ix.Train(x[:50_000*d]); err != nil {
			b.Fatal(err)
		}
		if err := ix.Add(x); err != nil {
			b.Fatal(err)
		}
		xq := x[:nq*d]
		dist, labels := make([]float32, nq*k), make([]int64, nq*k)
		for _, nprobe := range []int{1, 32} {
			ix.Nprobe = nprobe
			b.Run(fmt.Sprintf("fs%v/nprobe%03d", fast, nprobe), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if err := ix.Search(xq, k, dist, labels); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(nq*b.N)/b.Elapsed().Seconds(), "QPS")
				st := GetIVFStats()
				b.ReportMetric(float64(st.NDis)/float64(st.NQ), "codes/query")
				ResetIVFStats()
			})
		}
	}
}
