package main

import (
	"flag"
	"math/rand"
	"strconv"
	"strings"
	"time"

	"github.com/metalfaiss/metalfaiss/core"
	"github.com/metalfaiss/metalfaiss/core/gpu"
)

var (
	ivfNB   = flag.Int("ivf-nb", 0, "IVF-Flat database vectors (0: no IVF run)")
	nlist   = flag.Int("nlist", 4096, "IVF lists")
	nprobes = flag.String("nprobes", "1,16,64", "IVF nprobe values")
	ivfOnly = flag.Bool("ivf-only", false, "the IVF run alone")
	ivfPQ   = flag.Int("ivf-pq", 0, "IVF-PQ with this many 8-bit sub-quantizers instead of IVF-Flat")
)

// gpuIVF is what the IVF run needs of a GPU IVF index.
type gpuIVF interface {
	core.Index
	Host() *core.IndexIVF
	Close()
}

// ivf times GpuIndexIVFFlat: GPU training (k-means on a sample of 256
// points a list) and add, then at each nprobe the search of every query
// against the host copy's CPU search of cpu-nq of them (the same index,
// so the same recall), and recall@k against exact GPU flat search.
func ivf(e *gpu.Engine, rng *rand.Rand) {
	xb := mixture(rng, *ivfNB, *d)
	xq := mixture(rng, *nq, *d)
	var ix gpuIVF
	var err error
	switch {
	case *ivfPQ > 0:
		ix, err = gpu.NewIndexIVFPQ(e, *d, *nlist, *ivfPQ, 8, core.MetricL2)
	case *f16:
		ix, err = gpu.NewIndexIVFFlatF16(e, *d, *nlist, core.MetricL2)
	default:
		ix, err = gpu.NewIndexIVFFlat(e, *d, *nlist, core.MetricL2)
	}
	check(err)
	host := ix.Host()
	host.Warn = func(string) {}
	if pq := host.PQ(); pq != nil {
		pq.Warn = func(string) {}
	}
	t := time.Now()
	check(ix.Train(xb[:min(len(xb), 256**nlist**d)]))
	emit(map[string]any{"what": "gpu_ivf_train", "seconds": time.Since(t).Seconds()})
	t = time.Now()
	check(ix.Add(xb))
	emit(map[string]any{"what": "gpu_ivf_add", "seconds": time.Since(t).Seconds()})
	truth := exact(e, xb, xq)
	dist, labels := make([]float32, *nq**k), make([]int64, *nq**k)
	m := min(*cpuQ, *nq)
	cd, cl := make([]float32, m**k), make([]int64, m**k)
	for _, s := range strings.Split(*nprobes, ",") {
		np, err := strconv.Atoi(s)
		check(err)
		host.Nprobe = np
		check(ix.Search(xq[:*d], *k, dist[:*k], labels[:*k])) // the lists' upload, the pipelines
		best := 0.0
		for r := 0; r < *repeats; r++ {
			t = time.Now()
			check(ix.Search(xq, *k, dist, labels))
			if s := time.Since(t).Seconds(); best == 0 || s < best {
				best = s
			}
		}
		emit(map[string]any{"what": "gpu_ivf_search", "nprobe": np, "nq": *nq, "seconds": best,
			"qps": float64(*nq) / best, "recall": recall(labels, truth)})
		if *skipCPU {
			continue
		}
		t = time.Now()
		check(host.Search(xq[:m**d], *k, cd, cl))
		s := time.Since(t).Seconds()
		emit(map[string]any{"what": "cpu_ivf_search", "nprobe": np, "nq": m, "seconds": s,
			"qps": float64(m) / s, "recall": recall(cl, truth[:m**k])})
	}
	ix.Close()
}

// exact is the true k nearest of each query (GPU flat search).
func exact(e *gpu.Engine, xb, xq []float32) []int64 {
	f, err := gpu.NewIndexFlat(e, *d, core.MetricL2)
	check(err)
	defer f.Close()
	check(f.Add(xb))
	dist, labels := make([]float32, *nq**k), make([]int64, *nq**k)
	check(f.Search(xq, *k, dist, labels))
	return labels
}

// recall is the share of the true k nearest found in the first k.
func recall(got, truth []int64) float64 {
	hits := 0
	for q := 0; q < len(truth) / *k; q++ {
		want := map[int64]bool{}
		for _, l := range truth[q**k : (q+1)**k] {
			want[l] = true
		}
		for _, l := range got[q**k : (q+1)**k] {
			if want[l] {
				hits++
			}
		}
	}
	return float64(hits) / float64(len(truth))
}
