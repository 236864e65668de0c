package core

import (
	"math/rand"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Searches through a view find only what the view shows: capped lists
// their first entries, stop words the short lists; the lists keep all.
func TestIVFListViews(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	d, nlist := 8, 8
	xb := blobs(rng, 800, d, 8)
	xq := randData(rng, 40, d, false)
	flat := newIVF(t, d, nlist, MetricL2, xb)
	q, _ := NewIndexFlat(d, MetricL2)
	sq, err := NewIndexIVFScalarQuantizer(q, d, nlist, QT8bit, MetricL2, true)
	require.NoError(t, err)
	require.NoError(t, sq.Train(xb))
	for _, ix := range []*IndexIVF{flat, sq} {
		require.NoError(t, ix.Add(xb))
		ix.Nprobe = nlist
		sizes := make([]int, nlist)
		for l := range sizes {
			sizes[l] = ix.lists.size(l)
		}
		limit := slices.Sorted(slices.Values(sizes))[nlist/2]
		for _, v := range []ListView{{ViewCapped, limit}, {ViewStopWords, limit}} {
			require.NoError(t, ix.SetListView(v))
			visible := map[int64]bool{}
			for l := range sizes {
				ids := ix.lists.lists[l].ids
				if v.Kind == ViewCapped {
					ids = ids[:min(len(ids), limit)]
				} else if len(ids) >= limit {
					ids = nil
				}
				for _, id := range ids {
					visible[id] = true
				}
			}
			// one query at a time and the batched list-by-list scan
			for _, nq := range []int{1, 40} {
				k := 20
				dist, labels := make([]float32, nq*k), make([]int64, nq*k)
				require.NoError(t, ix.Search(xq[:nq*d], k, dist, labels))
				for _, id := range labels {
					if id >= 0 {
						assert.True(t, visible[id], "view %v: id %d is hidden", v, id)
					}
				}
			}
			assert.Equal(t, int64(800), ix.Ntotal())
		}
		require.NoError(t, ix.SetListView(ListView{}))
		assert.Error(t, ix.SetListView(ListView{ViewCapped, -1}))
		assert.Error(t, ix.SetListView(ListView{Kind: 7}))
	}
}
