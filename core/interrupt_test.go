package core

import (
	"math/rand"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// interruptAfter makes the n-th poll from now (and every later one) see a
// stop request, until the test ends.
func interruptAfter(t *testing.T, n int64) {
	var polls atomic.Int64
	pollInterrupt = func() bool { return polls.Add(1) > n }
	t.Cleanup(func() { pollInterrupt = interruptRequested.Load })
}

func interruptVectors(n, d int, seed int64) []float32 {
	rng := rand.New(rand.NewSource(seed))
	x := make([]float32, n*d)
	for i := range x {
		x[i] = rng.Float32()
	}
	return x
}

func requireInterrupted(t *testing.T, err error) {
	t.Helper()
	var ce *Error
	require.ErrorAs(t, err, &ce)
	require.Equal(t, KindInterrupted, ce.Kind, err.Error())
}

func TestInterruptedHNSWAddLeavesTheGraphAsItWas(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // one worker: the graph is reproducible
	const d = 8
	first, second := interruptVectors(600, d, 1), interruptVectors(400, d, 2)
	build := func() *IndexHNSW {
		ix, err := NewIndexHNSWFlat(d, 8, MetricL2)
		require.NoError(t, err)
		require.NoError(t, ix.Add(first))
		return ix
	}
	ix := build()
	before := graphCopy(ix.HNSW)

	for _, after := range []int64{0, 1, 150, 399} { // stop before the first, after some, before the last point
		interruptAfter(t, after)
		requireInterrupted(t, ix.Add(second))
		pollInterrupt = interruptRequested.Load
		require.Equal(t, int64(600), ix.Ntotal())
		require.Equal(t, before, graphCopy(ix.HNSW), "stopped after %d polls", after)
	}
	// The same add, uninterrupted, gives the graph an untouched index gets.
	require.NoError(t, ix.Add(second))
	ref := build()
	require.NoError(t, ref.Add(second))
	require.Equal(t, graphCopy(ref.HNSW), graphCopy(ix.HNSW))
}

// graphCopy is what an add may change in a graph, copied.
func graphCopy(h *HNSW) HNSWGraph {
	g := h.Graph()
	return HNSWGraph{Levels: append([]int32(nil), g.Levels...), Offsets: append([]int64(nil), g.Offsets...),
		Neighbors: append([]int32(nil), g.Neighbors...), EntryPoint: g.EntryPoint, MaxLevel: g.MaxLevel}
}

func TestInterruptedIVFAddAndTrainChangeNothing(t *testing.T) {
	const d, nlist = 8, 16
	x := interruptVectors(3*interruptBlock, d, 3)
	for _, name := range []string{"flat", "pq"} {
		q, _ := NewIndexFlat(d, MetricL2)
		var ix *IndexIVF
		var err error
		if name == "flat" {
			ix, err = NewIndexIVFFlat(q, d, nlist, MetricL2)
		} else {
			ix, err = NewIndexIVFPQ(q, d, nlist, 4, 4, MetricL2)
		}
		require.NoError(t, err)
		interruptAfter(t, 3) // during k-means
		requireInterrupted(t, ix.Train(x[:4000*d]))
		pollInterrupt = interruptRequested.Load
		require.False(t, ix.IsTrained())
		require.Equal(t, int64(0), q.Ntotal(), "the quantizer is emptied again")
		require.NoError(t, ix.Train(x[:4000*d]))
		require.NoError(t, ix.Add(x[:100*d]))

		interruptAfter(t, 2) // after the first block of the add
		requireInterrupted(t, ix.Add(x))
		pollInterrupt = interruptRequested.Load
		require.Equal(t, int64(100), ix.Ntotal())
		total := 0
		for l := 0; l < nlist; l++ {
			ids, _, _ := ix.IVFList(l)
			total += len(ids)
		}
		require.Equal(t, 100, total, "%s: no list kept a vector of the interrupted add", name)
	}
}

func TestInterruptedCodesAddKeepsTheCodes(t *testing.T) {
	const d = 8
	x := interruptVectors(2*interruptBlock+5, d, 4)
	ix, err := NewIndexPQ(d, 4, 4, MetricL2)
	require.NoError(t, err)
	require.NoError(t, ix.Train(x[:2000*d]))
	require.NoError(t, ix.Add(x[:10*d]))
	codes := append([]byte(nil), ix.codes...)
	interruptAfter(t, 2)
	requireInterrupted(t, ix.Add(x))
	require.Equal(t, codes, ix.codes)
	require.Equal(t, int64(10), ix.Ntotal())
}
