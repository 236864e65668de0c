package pyapi

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

func addrOf[T any](s []T) uintptr { return uintptr(unsafe.Pointer(&s[0])) }

func newFlat(t *testing.T, d int64, metric int64) int64 {
	t.Helper()
	h := make([]int64, 1)
	require.Equal(t, "", IndexFlatNew(d, metric, addrOf(h)))
	t.Cleanup(func() { Free(h[0]) })
	return h[0]
}

func TestIndexLifecycleThroughBuffers(t *testing.T) {
	h := newFlat(t, 2, 1)
	xb := []float32{0, 0, 1, 1, 5, 5}
	require.Equal(t, "", IndexAdd(h, 3, addrOf(xb)))
	info := make([]int64, 4)
	require.Equal(t, "", IndexInfo(h, addrOf(info)))
	require.Equal(t, []int64{2, 3, 1, 1}, info)

	xq := []float32{0.9, 0.9}
	dist, labels := make([]float32, 2), make([]int64, 2)
	require.Equal(t, "", IndexSearch(h, 1, addrOf(xq), 2, addrOf(dist), addrOf(labels)))
	require.Equal(t, []int64{1, 0}, labels)

	out := make([]int64, 2)
	require.Equal(t, "", IndexRangeSearch(h, 1, addrOf(xq), 2.0, addrOf(out)))
	require.Equal(t, int64(2), out[1])
	lims, rd, rl := make([]int64, 2), make([]float32, 2), make([]int64, 2)
	require.Equal(t, "", RangeResultFetch(out[0], 1, addrOf(lims), addrOf(rd), addrOf(rl)))
	require.Equal(t, []int64{0, 2}, lims)
	require.Equal(t, []int64{0, 1}, rl)
	require.Contains(t, Free(out[0]), "closed", "fetch frees the result handle")

	removed := make([]int64, 1)
	ids := []int64{0, 7}
	require.Equal(t, "", IndexRemoveIDs(h, 2, addrOf(ids), addrOf(removed)))
	require.Equal(t, int64(1), removed[0])
	require.Equal(t, "", IndexRemoveRange(h, 0, 1, addrOf(removed)))
	require.Equal(t, "", IndexInfo(h, addrOf(info)))
	require.Equal(t, int64(1), info[1])
}

func TestErrorsBecomeKindPrefixedStatus(t *testing.T) {
	h := newFlat(t, 4, 1)
	x := make([]float32, 4)
	require.Equal(t, "invalid|IndexFlat.search: k must be positive, got 0", IndexSearch(h, 1, addrOf(x), 0, 0, 0))
	require.Equal(t, "invalid|IndexFlat: d must be positive, got 0", IndexFlatNew(0, 1, addrOf(make([]int64, 1))))
	require.Contains(t, IndexAdd(h, 1, 0), "null buffer")
	require.Contains(t, IndexAdd(12345, 1, addrOf(x)), "Index.add: handle 12345 is closed")
}

func TestPanicsAreRecoveredIntoStatus(t *testing.T) {
	st := guard("op", func() error { panic("boom") })
	require.Equal(t, "internal|op: internal error: boom", st)
}

func TestFreedHandleIsRejected(t *testing.T) {
	h := make([]int64, 1)
	require.Equal(t, "", IndexFlatNew(3, 0, addrOf(h)))
	require.Equal(t, "", Free(h[0]))
	require.Contains(t, IndexReset(h[0]), "closed")
	require.Contains(t, Free(h[0]), "closed")
}
