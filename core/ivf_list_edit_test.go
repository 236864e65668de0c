package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func listCopy(t *testing.T, ix *IndexIVF, l int) ([]int64, []byte) {
	t.Helper()
	n, err := ix.ListSize(l)
	require.NoError(t, err)
	ids, codes := make([]int64, n), make([]byte, n*ix.CodeSize())
	require.NoError(t, ix.CopyList(l, ids, codes))
	return ids, codes
}

// Entries copied out and written back through AddEntries / SetListRange
// search exactly as the originals; ntotal follows every edit.
func TestIVFListEditsKeepTheIndexConsistent(t *testing.T) {
	rng := rand.New(rand.NewSource(61))
	d := 6
	xb := blobs(rng, 600, d, 8)
	ix := newIVF(t, d, 8, MetricL2, xb)
	require.NoError(t, ix.Add(xb))
	require.NoError(t, ix.SetDirectMapType(2))

	ids, codes := listCopy(t, ix, 2)
	off, err := ix.AddEntries(5, shift(ids, 1000), codes)
	require.NoError(t, err)
	assert.Equal(t, int64(600+len(ids)), ix.Ntotal())
	got, _ := listCopy(t, ix, 5)
	assert.Equal(t, shift(ids, 1000), got[off:])

	// the copy of a vector is found under its new id, at distance 0
	v := make([]float32, d)
	require.NoError(t, ix.Reconstruct(ids[0]+1000, v))
	want := make([]float32, d)
	require.NoError(t, ix.Reconstruct(ids[0], want))
	assert.Equal(t, want, v)

	require.NoError(t, ix.UpdateEntries(5, off, []int64{-5}, codes[:ix.CodeSize()]))
	got, _ = listCopy(t, ix, 5)
	assert.Equal(t, int64(-5), got[off])

	require.NoError(t, ix.ResizeList(5, off))
	assert.Equal(t, int64(600), ix.Ntotal())
	require.NoError(t, ix.ResizeList(0, ix.lists.size(0)+2))
	got, _ = listCopy(t, ix, 0)
	assert.Equal(t, []int64{-1, -1}, got[len(got)-2:], "padding entries")

	require.NoError(t, ix.SetListRange(0, []int64{0}, nil, nil))
	assert.Equal(t, int64(600)-int64(len(got)-2), ix.Ntotal(), "list 0 emptied")

	assert.Error(t, ix.UpdateEntries(5, off, []int64{1}, codes[:ix.CodeSize()]), "past the list's end")
	_, err = ix.AddEntries(8, ids, codes)
	assert.Error(t, err, "no list 8")
	_, err = ix.AddEntries(1, ids, codes[:1])
	assert.Error(t, err, "short codes")
	assert.Error(t, ix.SetListRange(7, []int64{1, 1}, ids[:2], codes[:2*ix.CodeSize()]), "past the last list")
}

// Updated vectors are found under their ids at their new place; unknown
// ids and indexes without a hashtable map are refused without a change.
func TestIVFUpdateVectors(t *testing.T) {
	rng := rand.New(rand.NewSource(62))
	d := 4
	xb := blobs(rng, 300, d, 6)
	ix := newIVF(t, d, 6, MetricL2, xb)
	require.NoError(t, ix.Add(xb))
	newX := randData(rng, 2, d, false)
	assert.ErrorContains(t, ix.UpdateVectors([]int64{3, 4}, newX), "direct map", "no direct map")
	require.NoError(t, ix.SetDirectMapType(2))
	assert.Error(t, ix.UpdateVectors([]int64{3, 999}, newX), "unknown id")
	require.NoError(t, ix.UpdateVectors([]int64{3, 4}, newX))
	assert.Equal(t, int64(300), ix.Ntotal())
	v := make([]float32, d)
	require.NoError(t, ix.Reconstruct(4, v))
	assert.Equal(t, newX[d:], v)
	ix.Nprobe = 6
	dist, labels := make([]float32, 1), make([]int64, 1)
	require.NoError(t, ix.Search(newX[:d], 1, dist, labels))
	assert.Equal(t, int64(3), labels[0])
	assert.InDelta(t, 0, dist[0], 1e-6)
}

// The codes of ids come with their list numbers, as sa_decode reads them.
func TestIVFCodesOfIDs(t *testing.T) {
	rng := rand.New(rand.NewSource(63))
	d := 4
	xb := blobs(rng, 200, d, 4)
	ix := newIVF(t, d, 4, MetricL2, xb)
	require.NoError(t, ix.Add(xb))
	sa := ix.SaCodeSize()
	codes := make([]byte, 3*sa)
	require.NoError(t, ix.CodesOfIDs([]int64{7, -1, 150}, true, codes))
	back := make([]float32, 3*d)
	require.NoError(t, ix.SaDecode(codes[:sa], back[:d]))
	assert.Equal(t, xb[7*d:8*d], back[:d])
	for _, b := range codes[sa : 2*sa] {
		assert.Equal(t, byte(0xff), b)
	}
	assert.Error(t, ix.CodesOfIDs([]int64{999}, false, make([]byte, ix.CodeSize())), "unknown id")
}
