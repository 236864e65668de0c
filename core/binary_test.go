package core

import (
	"math"
	"math/rand"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func randomCodes(rng *rand.Rand, n, cs int) []byte {
	b := make([]byte, n*cs)
	for i := range b {
		b[i] = byte(rng.Intn(4)) // few bits set: many ties
	}
	return b
}

// TestHammingHeapKeepsTheFirstAmongEquals checks faiss's rule: a pair
// enters only below the worst kept, so among equal distances the ones met
// first stay, and the output is sorted by (distance, id).
func TestHammingHeapKeepsTheFirstAmongEquals(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for trial := 0; trial < 200; trial++ {
		k := 1 + rng.Intn(12)
		n := rng.Intn(40)
		h := newHammingHeap(k)
		type pair struct {
			d  int32
			id int64
		}
		var seen []pair
		for i := 0; i < n; i++ {
			p := pair{int32(rng.Intn(5)), int64(rng.Intn(1000))}
			seen = append(seen, p)
			h.push(p.d, p.id)
		}
		// Reference: keep a list, replacing the worst (d, id) when a
		// strictly smaller d arrives.
		var kept []pair
		worst := func() int {
			w := 0
			for i, p := range kept {
				if p.d > kept[w].d || p.d == kept[w].d && p.id > kept[w].id {
					w = i
				}
			}
			return w
		}
		for _, p := range seen {
			if len(kept) < k {
				kept = append(kept, p)
			} else if w := worst(); p.d < kept[w].d {
				kept[w] = p
			}
		}
		sort.Slice(kept, func(i, j int) bool {
			return kept[i].d < kept[j].d || kept[i].d == kept[j].d && kept[i].id < kept[j].id
		})
		dist, labels := make([]int32, k), make([]int64, k)
		h.emit(dist, labels)
		for i := 0; i < k; i++ {
			if i < len(kept) {
				assert.Equal(t, kept[i].d, dist[i])
				assert.Equal(t, kept[i].id, labels[i])
			} else {
				assert.Equal(t, int32(math.MaxInt32), dist[i])
				assert.Equal(t, int64(-1), labels[i])
			}
		}
	}
}

func TestBinaryRealRoundTrip(t *testing.T) {
	codes := []byte{0b10110001, 0xff, 0}
	x := binaryToReal(codes, 24)
	assert.Equal(t, []float32{1, -1, -1, -1, 1, 1, -1, 1}, x[:8])
	assert.Equal(t, codes, realToBinary(x))
}

func TestBinaryIVFProbingAllListsIsExact(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	const d, n = 64, 2000
	xb, xq := randomCodes(rng, n, d/8), randomCodes(rng, 20, d/8)
	q, _ := NewIndexBinaryFlat(d)
	ivf, err := NewIndexBinaryIVF(q, d, 8)
	require.NoError(t, err)
	ivf.Warn = func(string) {}
	require.Error(t, ivf.Add(xb), "untrained")
	require.NoError(t, ivf.Train(xb))
	require.NoError(t, ivf.Add(xb))
	flat, _ := NewIndexBinaryFlat(d)
	require.NoError(t, flat.Add(xb))
	const k = 7
	d1, l1 := make([]int32, 20*k), make([]int64, 20*k)
	d2, l2 := make([]int32, 20*k), make([]int64, 20*k)
	require.NoError(t, ivf.SearchNprobe(xq, k, d1, l1, 8, nil))
	require.NoError(t, flat.Search(xq, k, d2, l2))
	assert.Equal(t, d2, d1)
	lims, _, labels, err := ivf.RangeSearch(xq, 3)
	require.NoError(t, err)
	assert.Len(t, labels, int(lims[20]))
}

func TestBinaryHNSWFindsExactNeighboursOnSmallSets(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	const d = 32
	xb := make([]byte, 500*d/8)
	rng.Read(xb)
	ix, err := NewIndexBinaryHNSW(d, 8)
	require.NoError(t, err)
	require.NoError(t, ix.Add(xb[:300*d/8]))
	require.NoError(t, ix.Add(xb[300*d/8:]))
	ix.HNSW.EfSearch = 500
	dist, labels := make([]int32, 10*3), make([]int64, 10*3)
	require.NoError(t, ix.Search(xb[:10*d/8], 3, dist, labels))
	for q := 0; q < 10; q++ {
		assert.Equal(t, int32(0), dist[q*3], "a stored code finds itself")
	}
	_, err = NewIndexBinaryHNSW(12, 8)
	assert.Error(t, err)
}

// A binary id map searches under the caller's ids and removes by them.
func TestBinaryIDMap(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	flat, err := NewIndexBinaryFlat(16)
	require.NoError(t, err)
	m, err := NewIndexBinaryIDMap(flat, true)
	require.NoError(t, err)
	codes := make([]byte, 2*20)
	rng.Read(codes)
	ids := make([]int64, 20)
	for i := range ids {
		ids[i] = int64(500 + 3*i)
	}
	require.NoError(t, m.AddWithIDs(codes, ids))
	assert.Error(t, m.Add(codes[:2]), "plain add")
	dist, labels := make([]int32, 1), make([]int64, 1)
	require.NoError(t, m.Search(codes[10:12], 1, dist, labels))
	assert.Equal(t, []int64{515}, labels)
	n, err := m.RemoveIDs(IDSelectorRange{Min: 500, Max: 510})
	require.NoError(t, err)
	assert.Equal(t, int64(4), n)
	out := make([]byte, 2)
	require.NoError(t, m.Reconstruct(515, out))
	assert.Equal(t, codes[10:12], out)
	assert.Error(t, m.Reconstruct(503, out))
}
