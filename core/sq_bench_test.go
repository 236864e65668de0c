package core

import (
	"math/rand"
	"testing"
)

// BenchmarkSQ8Encode is the coding half of IndexIVFScalarQuantizer.add.
func BenchmarkSQ8Encode(b *testing.B) {
	const n, d = 20000, 128
	x := randData(rand.New(rand.NewSource(5)), n, d, false)
	sq, err := NewScalarQuantizer(d, QT8bit)
	if err != nil {
		b.Fatal(err)
	}
	if err := sq.Train(x); err != nil {
		b.Fatal(err)
	}
	codes := make([]byte, n*sq.CodeSize())
	b.SetBytes(int64(len(x) * 4))
	for b.Loop() {
		if err := sq.ComputeCodes(x, codes); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIVFSQ8Add is IndexIVFScalarQuantizer.add of 200k points into
// 1024 lists: the coarse assignment, the residuals, their codes and the
// list appends.
func BenchmarkIVFSQ8Add(b *testing.B) {
	const n, d, nlist = 200000, 128, 1024
	x := randData(rand.New(rand.NewSource(6)), n, d, false)
	q, err := NewIndexFlat(d, MetricL2)
	if err != nil {
		b.Fatal(err)
	}
	ix, err := NewIndexIVFScalarQuantizer(q, d, nlist, QT8bit, MetricL2, true)
	if err != nil {
		b.Fatal(err)
	}
	ix.CP.Niter = 2
	if err := ix.Train(x[:50000*d]); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ix.Reset()
		if err := ix.Add(x); err != nil {
			b.Fatal(err)
		}
	}
}

// Coded IVF searches at nprobe 1 over 200k points in 256 lists (about 800
// codes a list, as 1M points in 1024 lists).

// BenchmarkIVFSQ8SearchNprobe1: 1000 queries, about four a list (batched
// list scans).
func BenchmarkIVFSQ8SearchNprobe1(b *testing.B) {
	benchIVFSearchNprobe1(b, 1000, 50000, func(q Index, d, nlist int) (*IndexIVF, error) {
		return NewIndexIVFScalarQuantizer(q, d, nlist, QT8bit, MetricL2, true)
	})
}

// BenchmarkIVFPQ16SearchNprobe1: 250 queries, about one a list as 1000
// queries in 1024 lists (precomputed tables, one query at a time).
func BenchmarkIVFPQ16SearchNprobe1(b *testing.B) {
	benchIVFSearchNprobe1(b, 250, 70000, func(q Index, d, nlist int) (*IndexIVF, error) {
		return NewIndexIVFPQ(q, d, nlist, 16, 8, MetricL2)
	})
}

func benchIVFSearchNprobe1(b *testing.B, nq, ntrain int, build func(q Index, d, nlist int) (*IndexIVF, error)) {
	const n, d, nlist, k = 200000, 128, 256, 10
	rng := rand.New(rand.NewSource(7))
	x := randData(rng, n, d, false)
	q, err := NewIndexFlat(d, MetricL2)
	if err != nil {
		b.Fatal(err)
	}
	ix, err := build(q, d, nlist)
	if err != nil {
		b.Fatal(err)
	}
	ix.CP.Niter = 4
	if err := ix.Train(x[:ntrain*d]); err != nil {
		b.Fatal(err)
	}
	if err := ix.Add(x); err != nil {
		b.Fatal(err)
	}
	xq := randData(rng, nq, d, false)
	dist, labels := make([]float32, nq*k), make([]int64, nq*k)
	b.ResetTimer()
	for b.Loop() {
		if err := ix.Search(xq, k, dist, labels); err != nil {
			b.Fatal(err)
		}
	}
}
