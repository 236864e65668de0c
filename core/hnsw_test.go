package core

import (
	"math/rand"
	"runtime"
	"slices"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStdHeapPopsInOrderLikeAPriorityQueue(t *testing.T) {
	rng := rand.New(rand.NewSource(90))
	for _, farthest := range []bool{true, false} {
		h := newStdHeap(farthest, false)
		var all []float32
		for i := range 500 {
			d := float32(rng.Intn(40)) // many ties
			h.push(nodeDist{d, int32(i)})
			all = append(all, d)
			if rng.Intn(3) == 0 {
				top := h.pop()
				i := slices.Index(all, top.d)
				require.GreaterOrEqual(t, i, 0)
				all = slices.Delete(all, i, i+1)
				for _, v := range all {
					if farthest {
						require.LessOrEqual(t, v, top.d)
					} else {
						require.GreaterOrEqual(t, v, top.d)
					}
				}
			}
		}
	}
}

func TestMinimaxHeapKeepsTheNearestAndPopsTheMinimum(t *testing.T) {
	rng := rand.New(rand.NewSource(91))
	h := &minimaxHeap{}
	h.reset(8)
	var pushed []float32
	for i := range 30 {
		d := float32(rng.Intn(100))
		h.push(int32(i), d)
		pushed = append(pushed, d)
	}
	sort.Slice(pushed, func(a, b int) bool { return pushed[a] < pushed[b] })
	require.Equal(t, 8, h.nvalid)
	assert.Equal(t, 8, h.countBelow(pushed[7]+0.5), "the 8 nearest are kept")
	assert.Equal(t, 0, h.countBelow(pushed[0]))
	for i := 0; i < 8; i++ {
		_, d := h.popMin()
		require.Equal(t, pushed[i], d, "pop %d", i)
	}
	id, _ := h.popMin()
	assert.Equal(t, int32(-1), id)
	assert.Equal(t, 8, h.countBelow(1000), "popped entries still count, as in faiss")
}

// hnswRecall is the share of the true 10 nearest that the index returns.
func hnswRecall(t *testing.T, ix Index, xq, xb []float32, d int) float64 {
	const k = 10
	nq := len(xq) / d
	dist, labels := make([]float32, nq*k), make([]int64, nq*k)
	require.NoError(t, ix.Search(xq, k, dist, labels))
	exact, err := NewIndexFlat(d, ix.Metric())
	require.NoError(t, err)
	require.NoError(t, exact.Add(xb))
	edist, elabels := make([]float32, nq*k), make([]int64, nq*k)
	require.NoError(t, exact.Search(xq, k, edist, elabels))
	hits := 0
	for q := 0; q < nq; q++ {
		for _, l := range labels[q*k : (q+1)*k] {
			if slices.Contains(elabels[q*k:(q+1)*k], l) {
				hits++
			}
		}
	}
	return float64(hits) / float64(nq*k)
}

func TestHNSWFlatRecallAndGraphInvariants(t *testing.T) {
	// Uniform data: recall on clustered data is compared with faiss's in
	// the Python tests.
	rng := rand.New(rand.NewSource(92))
	const n, d, m = 4000, 16, 12
	xb := randData(rng, n, d, false)
	xq := randData(rng, 200, d, false)
	for _, metric := range []Metric{MetricL2, MetricInnerProduct} {
		ix, err := NewIndexHNSWFlat(d, m, metric)
		require.NoError(t, err)
		require.NoError(t, ix.Add(xb[:n/2*d]))
		require.NoError(t, ix.Add(xb[n/2*d:])) // incremental
		h := ix.HNSW
		require.Len(t, h.Levels, n)
		require.Equal(t, int32(h.MaxLevel+1), h.Levels[h.EntryPoint], "the entry point lives on the top level")
		for node := int32(0); node < n; node++ {
			for level := 0; level < int(h.Levels[node]); level++ {
				list := h.list(node, level)
				require.Len(t, list, h.NbNeighbors(level))
				filled := slices.Index(list, -1)
				if filled < 0 {
					filled = len(list)
				}
				require.Positive(t, filled, "node %d level %d has neighbours", node, level)
				for i, v := range list {
					if i >= filled {
						require.Equal(t, int32(-1), v, "padding only at the end")
						continue
					}
					require.NotEqual(t, node, v, "no self link")
					require.Greater(t, h.Levels[v], int32(level), "a neighbour lives on the level")
				}
			}
		}
		h.EfSearch = 64
		r := hnswRecall(t, ix, xq, xb, d)
		assert.Greater(t, r, 0.95, "metric %s recall@10 at efSearch 64: %.3f", metric, r)
	}
}

func TestHNSWBuildIsDeterministicWithOneWorker(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	rng := rand.New(rand.NewSource(93))
	const n, d = 3000, 16
	xb := blobs(rng, n, d, 20)
	var graphs [][]int32
	for range 2 {
		ix, err := NewIndexHNSWFlat(d, 8, MetricL2)
		require.NoError(t, err)
		require.NoError(t, ix.Add(xb))
		graphs = append(graphs, ix.HNSW.Neighbors())
	}
	require.Equal(t, graphs[0], graphs[1])
}

func TestHNSWParallelBuildKeepsRecall(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	rng := rand.New(rand.NewSource(94))
	const n, d = 5000, 16
	xb := randData(rng, n, d, false)
	xq := randData(rng, 200, d, false)
	ix, err := NewIndexHNSWFlat(d, 16, MetricL2)
	require.NoError(t, err)
	require.NoError(t, ix.Add(xb))
	ix.HNSW.EfSearch = 64
	assert.Greater(t, hnswRecall(t, ix, xq, xb, d), 0.95)
}

func TestHNSWCodedStoragesAndBadInput(t *testing.T) {
	rng := rand.New(rand.NewSource(95))
	const n, d = 3000, 16
	xb := randData(rng, n, d, false)
	xq := randData(rng, 100, d, false)
	sq, err := NewIndexHNSWSQ(d, QT8bit, 16, MetricL2)
	require.NoError(t, err)
	pq, err := NewIndexHNSWPQ(d, 8, 16, 8, MetricL2)
	require.NoError(t, err)
	pq.Storage().(*IndexPQ).PQ.Warn = func(string) {} // 3,000 points for 256 centroids is enough here
	for _, ix := range []*IndexHNSW{sq, pq} {
		assert.ErrorContains(t, ix.Add(xb), "train")
		require.NoError(t, ix.Train(xb))
		require.NoError(t, ix.Add(xb))
		ix.HNSW.EfSearch = 64
		r := hnswRecall(t, ix, xq, xb, d)
		assert.Greater(t, r, 0.6, "%s recall@10 %.3f", ix.name, r)
	}
	_, err = NewIndexHNSWFlat(d, 1, MetricL2)
	assert.ErrorContains(t, err, "M must be at least 2")
	_, err = NewIndexHNSWSQ(d, QT8bit, 16, MetricL1)
	assert.ErrorContains(t, err, "not supported", "coded storages take L2 or inner product")
	flat, err := NewIndexHNSWFlat(d, 16, MetricL2)
	require.NoError(t, err)
	assert.Error(t, flat.Add(xb[:d+1]))
	_, err = flat.RemoveIDs(IDSelectorRange{0, 1})
	assert.ErrorContains(t, err, "IndexIDMap2")
	// An empty index returns padding; k above efSearch still gives k.
	dist, labels := make([]float32, 40), make([]int64, 40)
	require.NoError(t, flat.Search(xq[:d], 40, dist, labels))
	assert.Equal(t, int64(-1), labels[0])
	require.NoError(t, flat.Add(xb))
	require.NoError(t, flat.Search(xq[:d], 40, dist, labels))
	assert.NotContains(t, labels, int64(-1), "efSearch 16 < k = 40 is raised to k")
}

func BenchmarkHNSWFlatBuild(b *testing.B) {
	rng := rand.New(rand.NewSource(96))
	const n, d = 20000, 128
	xb := blobs(rng, n, d, 200)
	for b.Loop() {
		ix, err := NewIndexHNSWFlat(d, 16, MetricL2)
		if err != nil {
			b.Fatal(err)
		}
		if err := ix.Add(xb); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHNSWFlatSearch: 500 queries at efSearch 128 over 200k x 128
// (100 MB of vectors: the neighbours come from memory, not cache).
func BenchmarkHNSWFlatSearch(b *testing.B) {
	rng := rand.New(rand.NewSource(97))
	const n, d, nq, k = 200000, 128, 500, 10
	xb := blobs(rng, n, d, 200)
	xq := blobs(rng, nq, d, 200)
	ix, err := NewIndexHNSWFlat(d, 32, MetricL2)
	if err != nil {
		b.Fatal(err)
	}
	if err := ix.Add(xb); err != nil {
		b.Fatal(err)
	}
	ix.HNSW.EfSearch = 128
	dist, labels := make([]float32, nq*k), make([]int64, nq*k)
	b.ResetTimer()
	for b.Loop() {
		if err := ix.Search(xq, k, dist, labels); err != nil {
			b.Fatal(err)
		}
	}
}

// Without its storage an HNSW index refuses what needs vectors, and takes
// back a storage holding its graph's vectors.
func TestHNSWWithoutStorageTakesItBack(t *testing.T) {
	rng := rand.New(rand.NewSource(91))
	d := 8
	xb := randData(rng, 300, d, false)
	ix, err := NewIndexHNSWFlat(d, 8, MetricL2)
	require.NoError(t, err)
	require.NoError(t, ix.Add(xb))
	bare, err := RestoreIndexHNSWWithoutStorage("IndexHNSWFlat", d, MetricL2, ix.HNSW.Graph())
	require.NoError(t, err)
	assert.Equal(t, int64(300), bare.Ntotal())
	dist, labels := make([]float32, 3), make([]int64, 3)
	assert.ErrorContains(t, bare.Search(xb[:d], 3, dist, labels), "no storage")
	assert.ErrorContains(t, bare.Add(xb[:d]), "no storage")
	short, err := NewIndexFlat(d, MetricL2)
	require.NoError(t, err)
	assert.ErrorContains(t, bare.SetStorage(short), "300 nodes")
	require.NoError(t, bare.SetStorage(ix.Storage()))
	require.NoError(t, bare.Search(xb[:d], 3, dist, labels))
	assert.Equal(t, int64(0), labels[0])
}

// A range walk returns only vectors within the radius; with efSearch
// covering the whole graph, all of them.
func TestHNSWRangeSearch(t *testing.T) {
	rng := rand.New(rand.NewSource(92))
	d := 6
	xb := randData(rng, 400, d, false)
	ix, err := NewIndexHNSWFlat(d, 8, MetricL2)
	require.NoError(t, err)
	require.NoError(t, ix.Add(xb))
	ix.HNSW.EfSearch = 400
	xq := randData(rng, 3, d, false)
	res, err := ix.RangeSearch(xq, 0.3)
	require.NoError(t, err)
	for q := 0; q < 3; q++ {
		want := 0
		for i := 0; i < 400; i++ {
			if refDistance(MetricL2, 0, xq[q*d:(q+1)*d], xb[i*d:(i+1)*d]) < 0.3 {
				want++
			}
		}
		assert.Equal(t, want, int(res.Lims[q+1]-res.Lims[q]), "query %d", q)
		for i := res.Lims[q]; i < res.Lims[q+1]; i++ {
			assert.Less(t, res.Dist[i], float32(0.3))
		}
	}
}

// Over flat vectors the graph takes any metric (faiss's extra metrics).
func TestHNSWFlatWithAnExtraMetric(t *testing.T) {
	rng := rand.New(rand.NewSource(93))
	d := 8
	xb := randData(rng, 500, d, true)
	ix, err := NewIndexHNSWFlat(d, 16, MetricL1)
	require.NoError(t, err)
	require.NoError(t, ix.Add(xb))
	ix.HNSW.EfSearch = 200
	xq := randData(rng, 10, d, true)
	dist, labels := make([]float32, 10*5), make([]int64, 10*5)
	require.NoError(t, ix.Search(xq, 5, dist, labels))
	for q := 0; q < 10; q++ {
		for j := 0; j < 5; j++ {
			id := labels[q*5+j]
			require.GreaterOrEqual(t, id, int64(0))
			assert.InDelta(t, refDistance(MetricL1, 0, xq[q*d:(q+1)*d], xb[id*int64(d):(id+1)*int64(d)]), dist[q*5+j], 1e-4)
		}
	}
	requireKNNMatches(t, MetricL1, 0, xq[:d], xb, d, 5, dist[:5], labels[:5])
}

// A renumbered HNSW index finds the same neighbours under their new ids.
func TestHNSWPermuteEntries(t *testing.T) {
	rng := rand.New(rand.NewSource(94))
	d := 8
	xb := randData(rng, 300, d, false)
	ix, err := NewIndexHNSWFlat(d, 8, MetricL2)
	require.NoError(t, err)
	require.NoError(t, ix.Add(xb))
	xq := randData(rng, 5, d, false)
	dist, labels := make([]float32, 5*4), make([]int64, 5*4)
	require.NoError(t, ix.Search(xq, 4, dist, labels))
	perm := make([]int64, 300)
	for i, p := range rng.Perm(300) {
		perm[i] = int64(p)
	}
	require.NoError(t, ix.PermuteEntries(perm))
	dist2, labels2 := make([]float32, 5*4), make([]int64, 5*4)
	require.NoError(t, ix.Search(xq, 4, dist2, labels2))
	assert.Equal(t, dist, dist2)
	for i, l := range labels2 {
		assert.Equal(t, labels[i], perm[l])
	}
	assert.Error(t, ix.PermuteEntries(perm[:10]), "not a permutation of 0..ntotal-1")
}

// faiss's IndexHNSW over a filled storage counts nothing until its first
// add; metalfaiss's first add then links the stored vectors too.
func TestHNSWOverAFilledStorage(t *testing.T) {
	rng := rand.New(rand.NewSource(170))
	const d, n = 16, 300
	xb := randData(rng, n, d, false)
	flat, err := NewIndexFlat(d, MetricL2)
	require.NoError(t, err)
	require.NoError(t, flat.Add(xb))
	ix, err := NewIndexHNSW(flat, 16)
	require.NoError(t, err)
	assert.Equal(t, int64(0), ix.Ntotal())
	dist, lab := make([]float32, 2), make([]int64, 2)
	require.NoError(t, ix.Search(xb[:d], 2, dist, lab))
	assert.Equal(t, []int64{-1, -1}, lab)

	require.NoError(t, ix.Add(xb))
	assert.Equal(t, int64(2*n), ix.Ntotal())
	assert.Equal(t, int64(2*n), flat.Ntotal())
	for q := 0; q < n; q += 37 {
		require.NoError(t, ix.Search(xb[q*d:(q+1)*d], 2, dist, lab))
		assert.Equal(t, []int64{int64(q), int64(q + n)}, lab, "query %d: the stored vector and its copy", q)
		assert.Equal(t, []float32{0, 0}, dist)
	}
	ix.Reset()
	assert.Equal(t, int64(0), ix.Ntotal())
	assert.Equal(t, int64(0), flat.Ntotal())
}
