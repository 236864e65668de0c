package gpu

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/metalfaiss/metalfaiss/core"
	"github.com/stretchr/testify/require"
)

// newTestIVF trains a GPU IVF-Flat index of nlist lists on n random rows
// (GPU k-means through its GPU quantizer) and adds them.
func newTestIVF(t *testing.T, e *Engine, rng *rand.Rand, m Metric, d, nlist, n int) (*IndexIVFFlat, []float32) {
	t.Helper()
	ix, err := NewIndexIVFFlat(e, d, nlist, coreMetric(m))
	require.NoError(t, err)
	t.Cleanup(ix.Close)
	ix.Warn = func(string) {}
	xb := randomRows(rng, n, d, false)
	require.NoError(t, ix.Train(xb))
	require.NoError(t, ix.Add(xb))
	return ix, xb
}

// requireSameIVF compares the device's answers with the host copy's
// (the CPU IVF scan over the same centroids and lists), tie-aware: rank
// by rank the distances agree within 1e-5 relative, each returned id has
// the returned distance, ids are distinct, padding sits where the CPU's
// does.
func requireSameIVF(t *testing.T, ix *IndexIVFFlat, m Metric, xq []float32, k int, p *core.SearchParams, msg string) {
	t.Helper()
	requireSameIVFWith(t, &ix.ivfOnDevice, m, xq, k, p, msg)
}

// requireSameIVFOn is requireSameIVF for any GPU IVF index, without
// search parameters.
func requireSameIVFOn(t *testing.T, ix *ivfOnDevice, m Metric, xq []float32, k int, msg string) {
	t.Helper()
	requireSameIVFWith(t, ix, m, xq, k, nil, msg)
}

func requireSameIVFWith(t *testing.T, ix *ivfOnDevice, m Metric, xq []float32, k int, p *core.SearchParams, msg string) {
	t.Helper()
	d := ix.D()
	nq := len(xq) / d
	dist, labels := make([]float32, nq*k), make([]int64, nq*k)
	require.NoError(t, ix.SearchWithParams(xq, k, dist, labels, p), msg)
	cd, cl := make([]float32, nq*k), make([]int64, nq*k)
	require.NoError(t, ix.IndexIVF.SearchWithParams(xq, k, cd, cl, p), msg)
	v := make([]float32, d)
	for q := range nq {
		qv := xq[q*d : (q+1)*d]
		seen := map[int64]bool{}
		for j := q * k; j < (q+1)*k; j++ {
			if requirePaddingOrNewID(t, msg, q, j-q*k, cd[j], cl[j], dist[j], labels[j], seen) {
				continue
			}
			require.NoError(t, ix.Reconstruct(labels[j], v))
			tol := 1e-5*math.Abs(float64(cd[j])) + 1e-6
			require.InDelta(t, cd[j], dist[j], tol, "%s: query %d rank %d", msg, q, j-q*k)
			require.InDelta(t, exactDistance(m, qv, v), dist[j], tol, "%s: query %d rank %d id %d", msg, q, j-q*k, labels[j])
		}
	}
}

func TestIVFFlatSearchMatchesTheCPU(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(22))
	for _, m := range []Metric{L2, InnerProduct} {
		for _, d := range []int{3, 17, 64} {
			ix, _ := newTestIVF(t, e, rng, m, d, 16, 700)
			require.NoError(t, ix.SetDirectMapType(1))
			xq := randomRows(rng, 37, d, false)
			for _, nprobe := range []int{1, 4, 16, 40} {
				for _, k := range []int{1, 10, 32, 33, 100} {
					ix.Nprobe = nprobe
					requireSameIVF(t, ix, m, xq, k, nil, fmt.Sprintf("metric %d d %d nprobe %d k %d", m, d, nprobe, k))
				}
			}
			ix.Nprobe = 1
			requireSameIVF(t, ix, m, xq, 5, &core.SearchParams{Nprobe: 8}, "nprobe from the parameters")
		}
	}
}

// Lists longer than a tile, many queries on one list (several tasks), an
// empty list, and batches cut small by a tight binding limit.
func TestIVFFlatSearchBatchesAndTasks(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(23))
	d := 8
	ix, _ := newTestIVF(t, e, rng, L2, d, 4, 1500)
	require.NoError(t, ix.SetDirectMapType(1))
	xq := randomRows(rng, 300, d, false)
	ix.Nprobe = 2
	requireSameIVF(t, ix, L2, xq, 20, nil, "whole batch")
	requireSameIVF(t, ix, L2, xq, 64, nil, "k above the fused lists")
	e.lim.MaxBinding = 64 << 10
	requireSameIVF(t, ix, L2, xq, 20, nil, "small batches")
	requireSameIVF(t, ix, L2, xq, 64, nil, "small batches, k above the fused lists")
}

// The device copy follows the host's lists: adds, removals, reset; what
// the device cannot take answers on the CPU.
func TestIVFFlatFollowsItsHostCopy(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(24))
	d := 5
	ix, _ := newTestIVF(t, e, rng, L2, d, 8, 300)
	require.NoError(t, ix.SetDirectMapType(2))
	ix.Nprobe = 3
	xq := randomRows(rng, 11, d, false)
	requireSameIVF(t, ix, L2, xq, 7, nil, "after add")
	more := make([]int64, 40)
	for i := range more {
		more[i] = int64(300 + i)
	}
	require.NoError(t, ix.AddWithIDs(randomRows(rng, 40, d, false), more))
	requireSameIVF(t, ix, L2, xq, 7, nil, "after a second add")
	n, err := ix.RemoveIDs(core.IDSelectorRange{Min: 0, Max: 100})
	require.NoError(t, err)
	require.Equal(t, int64(100), n)
	requireSameIVF(t, ix, L2, xq, 7, nil, "after remove_ids")
	requireSameIVF(t, ix, L2, xq, 7, &core.SearchParams{Sel: core.IDSelectorRange{Min: 150, Max: 250}}, "with a selector (on the CPU)")
	requireSameIVF(t, ix, L2, xq, MaxK+1, nil, "k above MaxK (on the CPU)")
	ix.Reset()
	requireSameIVF(t, ix, L2, xq, 7, nil, "after reset")
	require.ErrorContains(t, ix.Search(xq[:4], 3, make([]float32, 3), make([]int64, 3)), "multiple of d=5")
	require.ErrorContains(t, ix.SearchWithParams(xq, 3, make([]float32, 33), make([]int64, 33), &core.SearchParams{Nprobe: -1}), "nprobe")
}

// index_cpu_to_gpu and back keep centroids, lists, ids and nprobe.
func TestIVFFlatCopiesToAndFromTheCPU(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(25))
	d := 6
	cpu, xb := trainedCPUIVF(t, rng, d, 8, 400)
	ids := make([]int64, 400)
	for i := range ids {
		ids[i] = int64(1000 + 3*i)
	}
	require.NoError(t, cpu.AddWithIDs(xb, ids))
	cpu.Nprobe = 3
	g, err := IVFFlatFromCPU(e, cpu, false)
	require.NoError(t, err)
	defer g.Close()
	require.Equal(t, 3, g.Nprobe)
	xq := randomRows(rng, 9, d, false)
	dist, labels := make([]float32, 9*5), make([]int64, 9*5)
	cd, cl := make([]float32, 9*5), make([]int64, 9*5)
	require.NoError(t, g.Search(xq, 5, dist, labels))
	require.NoError(t, cpu.Search(xq, 5, cd, cl))
	require.Equal(t, cl, labels)
	require.InDeltaSlice(t, cd, dist, 1e-4)
	back, err := g.ToCPU()
	require.NoError(t, err)
	require.NoError(t, back.Search(xq, 5, cd, cl))
	require.Equal(t, labels, cl)
	require.Equal(t, int64(400), back.Ntotal())
}

// Lists that do not fit one binding are cut into shards of whole lists,
// one dispatch each.
func TestIVFFlatListsInShards(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(26))
	d := 8
	ix, _ := newTestIVF(t, e, rng, L2, d, 16, 1500)
	require.NoError(t, ix.SetDirectMapType(1))
	e.lim.MaxBinding = 256 * int64(d) * 4 // 256 rows a shard
	ix.Nprobe = 5
	xq := randomRows(rng, 90, d, false)
	requireSameIVF(t, ix, L2, xq, 10, nil, "shards")
	require.Greater(t, len(ix.lists.shards), 4)
	requireSameIVF(t, ix, L2, xq, 40, nil, "shards, k above the fused lists")
	e.lim.MaxBinding = 4 * int64(d) * 4 // a list longer than a binding
	ix.lists.release()
	_, err := ix.lists.sync(ix.IndexIVF)
	require.ErrorContains(t, err, "more than the device's largest binding")
}

// trainedCPUIVF is a CPU IVF-Flat index of nlist lists trained on n
// random rows (returned), still empty.
func trainedCPUIVF(t *testing.T, rng *rand.Rand, d, nlist, n int) (*core.IndexIVF, []float32) {
	t.Helper()
	q, err := core.NewIndexFlat(d, core.MetricL2)
	require.NoError(t, err)
	cpu, err := core.NewIndexIVFFlat(q, d, nlist, core.MetricL2)
	require.NoError(t, err)
	cpu.Warn = func(string) {}
	xb := randomRows(rng, n, d, false)
	require.NoError(t, cpu.Train(xb))
	return cpu, xb
}

// nprobe above MaxK (faiss's GPU refuses it) answers on the host.
func TestIVFFlatNprobeAboveTheGPULimit(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(27))
	d, nlist := 4, MaxK+20
	ix, _ := newTestIVF(t, e, rng, L2, d, nlist, 2*nlist)
	require.NoError(t, ix.SetDirectMapType(1))
	ix.Nprobe = nlist
	requireSameIVF(t, ix, L2, randomRows(rng, 3, d, false), 5, nil, "nprobe above MaxK")
}
