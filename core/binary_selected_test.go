package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBinarySearchSelectedMatchesAnIndexOfTheSubset: searching with a
// selector gives what an index holding only the selected codes gives (ids
// mapped back), for flat and IVF (every list probed), k-NN and range.
func TestBinarySearchSelectedMatchesAnIndexOfTheSubset(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	const d, n, nq, k = 32, 1500, 30, 6
	cs := d / 8
	xb, xq := randomCodes(rng, n, cs), randomCodes(rng, nq, cs)
	var subset []int64
	var sub []byte
	for i := 0; i < n; i += 3 {
		subset = append(subset, int64(i))
		sub = append(sub, xb[i*cs:(i+1)*cs]...)
	}
	sel := NewIDSelectorBatch(subset)
	ref, _ := NewIndexBinaryFlat(d)
	require.NoError(t, ref.Add(sub))
	refD, refL := make([]int32, nq*k), make([]int64, nq*k)
	require.NoError(t, ref.Search(xq, k, refD, refL))
	for i, l := range refL {
		refL[i] = subset[l]
	}

	flat, _ := NewIndexBinaryFlat(d)
	require.NoError(t, flat.Add(xb))
	gotD, gotL := make([]int32, nq*k), make([]int64, nq*k)
	require.NoError(t, flat.SearchSelected(xq, k, gotD, gotL, sel))
	assert.Equal(t, refD, gotD)
	assert.Equal(t, refL, gotL, "ids ascend in the subset, so ties order alike")

	q, _ := NewIndexBinaryFlat(d)
	ivf, err := NewIndexBinaryIVF(q, d, 6)
	require.NoError(t, err)
	ivf.Warn = func(string) {}
	require.NoError(t, ivf.Train(xb))
	require.NoError(t, ivf.Add(xb))
	ivf.Nprobe = 6
	require.NoError(t, ivf.SearchNprobe(xq, k, gotD, gotL, 0, sel))
	assert.Equal(t, refD, gotD)
	for _, l := range gotL {
		assert.True(t, sel.IsMember(l), "id %d is not selected", l)
	}

	const radius = 3
	refLims, _, refIDs, err := ref.RangeSearch(xq, radius)
	require.NoError(t, err)
	flatLims, _, flatIDs, err := flat.RangeSearchSelected(xq, radius, sel)
	require.NoError(t, err)
	ivfLims, _, ivfIDs, err := ivf.RangeSearchNprobe(xq, radius, 0, sel)
	require.NoError(t, err)
	for _, r := range []struct{ lims, ids []int64 }{{flatLims, flatIDs}, {ivfLims, ivfIDs}} {
		lims, ids := r.lims, r.ids
		require.Equal(t, refLims, lims)
		for qi := 0; qi < nq; qi++ {
			want := map[int64]bool{}
			for _, l := range refIDs[refLims[qi]:refLims[qi+1]] {
				want[subset[l]] = true
			}
			got := map[int64]bool{}
			for _, l := range ids[lims[qi]:lims[qi+1]] {
				got[l] = true
			}
			assert.Equal(t, want, got, "query %d", qi)
		}
	}
}
