// Command gpubench times exact search and k-means on the GPU (through
// metalbridge) against the CPU backend, in one process, on a Gaussian
// mixture. benchmarks/bench_gpu.py runs it next to PyTorch's cdist+topk.
// It prints one JSON object per measurement.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"time"

	"github.com/metalfaiss/metalfaiss/core"
	"github.com/metalfaiss/metalfaiss/core/gpu"
	"github.com/metalfaiss/metalfaiss/shaders"
)

var (
	nb      = flag.Int("nb", 1_000_000, "database vectors")
	nq      = flag.Int("nq", 10_000, "queries")
	d       = flag.Int("d", 128, "dimension")
	k       = flag.Int("k", 10, "neighbours")
	kmN     = flag.Int("kmeans-n", 1_000_000, "k-means points")
	kmK     = flag.Int("kmeans-k", 1024, "k-means centroids")
	niter   = flag.Int("niter", 10, "k-means iterations")
	repeats = flag.Int("repeats", 3, "timed GPU searches (the best counts)")
	cpuQ    = flag.Int("cpu-nq", 1000, "queries for the CPU timing (QPS is per query)")
	skipCPU = flag.Bool("skip-cpu", false, "GPU only")
	profile = flag.Bool("profile", false, "time the steps of a k-means iteration on the GPU, then stop")
	f16     = flag.Bool("f16", false, "float16 storage for the flat and IVF-Flat indexes")
	spv     = flag.String("spv", "", "kernel=file.spv,... to time variants of kernels without rebuilding")
)

// overrideKernels loads the -spv replacements.
func overrideKernels() {
	if *spv == "" {
		return
	}
	for _, pair := range strings.Split(*spv, ",") {
		name, file, ok := strings.Cut(pair, "=")
		if !ok {
			check(fmt.Errorf("-spv wants kernel=file.spv, got %q", pair))
		}
		code, err := os.ReadFile(file)
		check(err)
		shaders.Override(name, code, "")
		emit(map[string]any{"what": "override", "kernel": name, "file": file})
	}
}

func emit(v map[string]any) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

// mixture draws n points around 256 random centres.
func mixture(rng *rand.Rand, n, d int) []float32 {
	centres := make([]float32, 256*d)
	for i := range centres {
		centres[i] = float32(rng.NormFloat64())
	}
	x := make([]float32, n*d)
	for i := 0; i < n; i++ {
		c := rng.Intn(256)
		for j := 0; j < d; j++ {
			x[i*d+j] = centres[c*d+j] + 0.3*float32(rng.NormFloat64())
		}
	}
	return x
}

func main() {
	flag.Parse()
	overrideKernels()
	e, err := gpu.Default()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gpubench:", err)
		os.Exit(1)
	}
	info := e.Device().Info()
	emit(map[string]any{"what": "device", "name": info.Name, "driver": info.Driver, "kind": info.Kind})
	rng := rand.New(rand.NewSource(1))
	if *profile {
		profileKMeans(e, mixture(rng, *kmN, *d))
		return
	}
	if *ivfNB > 0 {
		ivf(e, rng)
		if *ivfOnly {
			return
		}
	}
	xb := mixture(rng, *nb, *d)
	xq := mixture(rng, *nq, *d)
	search(e, xb, xq)
	kmeans(e, mixture(rng, *kmN, *d))
}

func search(e *gpu.Engine, xb, xq []float32) {
	newFlat := gpu.NewIndexFlat
	if *f16 {
		newFlat = gpu.NewIndexFlatF16
	}
	ix, err := newFlat(e, *d, core.MetricL2)
	check(err)
	t := time.Now()
	check(ix.Add(xb))
	dist, labels := make([]float32, *nq**k), make([]int64, *nq**k)
	check(ix.Search(xq[:*d], *k, dist[:*k], labels[:*k])) // uploads the database, builds the pipelines
	emit(map[string]any{"what": "gpu_add", "seconds": time.Since(t).Seconds()})
	best := 0.0
	for r := 0; r < *repeats; r++ {
		t = time.Now()
		check(ix.Search(xq, *k, dist, labels))
		if s := time.Since(t).Seconds(); best == 0 || s < best {
			best = s
		}
	}
	emit(map[string]any{"what": "gpu_search", "nq": *nq, "nb": *nb, "d": *d, "k": *k, "seconds": best, "qps": float64(*nq) / best})
	if *skipCPU {
		return
	}
	cpu := ix.Host()
	m := min(*cpuQ, *nq)
	cd, cl := make([]float32, m**k), make([]int64, m**k)
	t = time.Now()
	check(cpu.Search(xq[:m**d], *k, cd, cl))
	s := time.Since(t).Seconds()
	agree := 0
	for q := 0; q < m; q++ {
		want := map[int64]bool{}
		for _, l := range cl[q**k : (q+1)**k] {
			want[l] = true
		}
		for _, l := range labels[q**k : (q+1)**k] {
			if want[l] {
				agree++
			}
		}
	}
	emit(map[string]any{"what": "cpu_search", "nq": m, "seconds": s, "qps": float64(m) / s,
		"gpu_cpu_id_agreement": float64(agree) / float64(m**k)})
}

func kmeans(e *gpu.Engine, x []float32) {
	p := core.DefaultClusteringParameters()
	p.Niter = *niter
	p.MaxPointsPerCentroid = 1 << 30 // all points, as the benchmark asks
	p.EarlyStopThreshold = -1        // every iteration on both backends
	run := func(name string, ix core.Index) {
		c, err := core.NewClustering(*d, *kmK, p)
		check(err)
		t := time.Now()
		check(c.Train(x, ix, nil))
		st := c.IterationStats[len(c.IterationStats)-1]
		emit(map[string]any{"what": name, "n": len(x) / *d, "k": *kmK, "niter": *niter,
			"seconds": time.Since(t).Seconds(), "search_seconds": st.TimeSearch, "obj": st.Obj})
	}
	g, err := gpu.NewIndexFlat(e, *d, core.MetricL2)
	check(err)
	// Warm-up: the k-means pipelines are built at their first use (a
	// fresh machine has no driver cache), which is not the k-means' time.
	check(g.Add(x[:*kmK**d]))
	dist, labels := make([]float32, *kmK), make([]int64, *kmK)
	check(g.Search(x[:*kmK**d], 1, dist, labels))
	g.Reset()
	run("gpu_kmeans", g)
	g.Close()
	if !*skipCPU {
		c, err := core.NewIndexFlat(*d, core.MetricL2)
		check(err)
		run("cpu_kmeans", c)
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "gpubench:", err)
		os.Exit(1)
	}
}

// profileKMeans times the GPU steps of one k-means iteration separately.
func profileKMeans(e *gpu.Engine, x []float32) {
	n := len(x) / *d
	ix, err := gpu.NewIndexFlat(e, *d, core.MetricL2)
	check(err)
	check(ix.Add(x[:*kmK**d]))
	dist, labels := make([]float32, n), make([]int64, n)
	timeIt := func(what string, f func()) {
		f() // warm-up: pipelines, scratch buffers
		t := time.Now()
		f()
		emit(map[string]any{"what": "profile", "step": what, "seconds": time.Since(t).Seconds()})
	}
	timeIt("assign, points uploaded", func() { check(ix.Search(x, 1, dist, labels)) })
	t := time.Now()
	check(ix.BindTrainingPoints(x))
	emit(map[string]any{"what": "profile", "step": "bind points", "seconds": time.Since(t).Seconds()})
	timeIt("assign, points resident", func() { check(ix.Search(x, 1, dist, labels)) })
	sums, counts := make([]float32, *kmK**d), make([]float32, *kmK)
	timeIt("centroid sums", func() { check(ix.SumByLabel(labels, nil, *kmK, sums, counts)) })
	q := x[:*nq**d]
	dd, ll := make([]float32, *nq**k), make([]int64, *nq**k)
	timeIt(fmt.Sprintf("search nq=%d nb=%d k=%d", *nq, *kmK, *k), func() { check(ix.Search(q, *k, dd, ll)) })
}
