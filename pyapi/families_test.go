package pyapi

import (
	"math/rand"
	"strings"
	"sync"
	"testing"

	"github.com/metalfaiss/metalfaiss/core"
	"github.com/stretchr/testify/require"
)

func familyOf(t *testing.T, h int64) int64 {
	t.Helper()
	out := make([]int64, 1)
	require.Equal(t, "", HandleFamily(h, addrOf(out)))
	return out[0]
}

func randomVectors(rng *rand.Rand, n, d int) []float32 {
	x := make([]float32, n*d)
	for i := range x {
		x[i] = rng.Float32()
	}
	return x
}

func TestCompositesShareTheirMembersFamily(t *testing.T) {
	const d = 8
	q := newFlat(t, d, 1)
	ivf := make([]int64, 1)
	require.Equal(t, "", IndexIVFFlatNew(q, d, 4, 1, false, addrOf(ivf)))
	t.Cleanup(func() { Free(ivf[0]) })
	require.Equal(t, familyOf(t, q), familyOf(t, ivf[0]), "an IVF index locks with its quantizer")

	sub := make([]int64, 1)
	require.Equal(t, "", IndexIVFQuantizer(ivf[0], addrOf(sub)))
	t.Cleanup(func() { Free(sub[0]) })
	require.Equal(t, familyOf(t, ivf[0]), familyOf(t, sub[0]), "a handle to a part joins the owner's family")

	a, b := newFlat(t, d, 1), newFlat(t, d, 1)
	require.NotEqual(t, familyOf(t, a), familyOf(t, b))
	shards := make([]int64, 1)
	require.Equal(t, "", IndexShardsNew(d, true, false, addrOf(shards)))
	t.Cleanup(func() { Free(shards[0]) })
	require.Equal(t, "", IndexAddMember(shards[0], a))
	require.Equal(t, "", IndexAddMember(shards[0], b))
	require.Equal(t, familyOf(t, shards[0]), familyOf(t, a))
	require.Equal(t, familyOf(t, shards[0]), familyOf(t, b), "shards merge their members' families")
}

func TestSetsRejectThemselvesAndTheirAncestors(t *testing.T) {
	const d = 4
	inner, outer := make([]int64, 1), make([]int64, 1)
	require.Equal(t, "", IndexShardsNew(d, false, true, addrOf(inner)))
	require.Equal(t, "", IndexShardsNew(d, false, true, addrOf(outer)))
	t.Cleanup(func() { Free(inner[0]); Free(outer[0]) })
	require.Contains(t, IndexAddMember(inner[0], inner[0]), "a set cannot hold itself")
	require.Equal(t, "", IndexAddMember(outer[0], inner[0]))
	require.Contains(t, IndexAddMember(inner[0], outer[0]), "a set cannot hold itself")
	idmap := make([]int64, 1)
	require.Equal(t, "", IndexIDMapNew(outer[0], false, addrOf(idmap)))
	t.Cleanup(func() { Free(idmap[0]) })
	require.Contains(t, IndexAddMember(inner[0], idmap[0]), "a set cannot hold itself", "a cycle through a wrapper")

	// The sets still work: nothing was added.
	flat := newFlat(t, d, 1)
	require.Equal(t, "", IndexAddMember(inner[0], flat))
	x := []float32{1, 2, 3, 4}
	dist, labels := make([]float32, 1), make([]int64, 1)
	require.Equal(t, "", IndexAdd(outer[0], 1, addrOf(x)))
	require.Equal(t, "", IndexSearch(outer[0], 1, addrOf(x), 1, addrOf(dist), addrOf(labels)))
	require.Equal(t, int64(0), labels[0])
}

// Searches through a composite while other goroutines write through its
// members' own handles: under -race (make test runs it) a member outside
// its owner's lock is reported as a data race.
func TestWritesThroughMembersWaitForCompositeSearches(t *testing.T) {
	const d, nb = 16, 200
	rng := rand.New(rand.NewSource(7))
	xb := randomVectors(rng, nb, d)
	base := newFlat(t, d, 1)
	require.Equal(t, "", IndexAdd(base, nb, addrOf(xb)))
	wrapper := make([]int64, 1)
	require.Equal(t, "", IndexPreTransformNew(0, base, addrOf(wrapper)))
	t.Cleanup(func() { Free(wrapper[0]) })
	shard := newFlat(t, d, 1)
	shards := make([]int64, 1)
	require.Equal(t, "", IndexShardsNew(d, true, true, addrOf(shards)))
	t.Cleanup(func() { Free(shards[0]) })
	require.Equal(t, "", IndexAddMember(shards[0], shard))

	xq := randomVectors(rng, 4, d)
	var wg sync.WaitGroup
	failures := make(chan string, 64)
	search := func(h int64) {
		defer wg.Done()
		dist, labels := make([]float32, 4*5), make([]int64, 4*5)
		for i := 0; i < 30; i++ {
			if st := IndexSearch(h, 4, addrOf(xq), 5, addrOf(dist), addrOf(labels)); st != "" {
				failures <- st
			}
		}
	}
	write := func(h int64) {
		defer wg.Done()
		x := randomVectors(rand.New(rand.NewSource(h)), 1, d)
		for i := 0; i < 30; i++ {
			if st := IndexAdd(h, 1, addrOf(x)); st != "" {
				failures <- st
			}
			if i%10 == 9 {
				if st := IndexReset(h); st != "" {
					failures <- st
				}
			}
		}
	}
	for _, h := range []int64{wrapper[0], shards[0], wrapper[0], shards[0]} {
		wg.Add(1)
		go search(h)
	}
	for _, h := range []int64{shard, base} {
		wg.Add(1)
		go write(h)
	}
	wg.Wait()
	close(failures)
	for st := range failures {
		t.Error(st)
	}
}

// panicky is an index whose searches panic, as a bug in a kernel would.
type panicky struct{ core.Index }

func (panicky) Search([]float32, int, []float32, []int64) error { panic("kernel bug") }

func TestWorkerPanicsBecomeInternalErrors(t *testing.T) {
	const d = 4
	inner, err := core.NewIndexFlat(d, core.MetricL2)
	require.NoError(t, err)
	bad := register(panicky{inner})
	t.Cleanup(func() { Free(bad) })
	shards := make([]int64, 1)
	require.Equal(t, "", IndexShardsNew(d, true, true, addrOf(shards)))
	t.Cleanup(func() { Free(shards[0]) })
	require.Equal(t, "", IndexAddMember(shards[0], newFlat(t, d, 1)))
	require.Equal(t, "", IndexAddMember(shards[0], bad))
	x := []float32{1, 2, 3, 4}
	dist, labels := make([]float32, 1), make([]int64, 1)
	st := IndexSearch(shards[0], 1, addrOf(x), 1, addrOf(dist), addrOf(labels))
	require.True(t, strings.HasPrefix(st, "internal|"), st)
	require.Contains(t, st, "kernel bug")
}
