package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newIVF(t *testing.T, d, nlist int, m Metric, train []float32) *IndexIVF {
	t.Helper()
	q, err := NewIndexFlat(d, m)
	require.NoError(t, err)
	ix, err := NewIndexIVFFlat(q, d, nlist, m)
	require.NoError(t, err)
	require.NoError(t, ix.Train(train))
	return ix
}

// With every list probed, IVF search is exact search.
func TestIVFWithAllListsIsExact(t *testing.T) {
	rng := rand.New(rand.NewSource(41))
	for _, m := range []Metric{MetricL2, MetricInnerProduct, MetricL1} {
		for _, d := range []int{3, 17, 64} {
			xb := blobs(rng, 1500, d, 20)
			xq := randData(rng, 13, d, false)
			ix := newIVF(t, d, 16, m, xb)
			require.NoError(t, ix.Add(xb))
			ix.Nprobe = 16
			for _, k := range []int{1, 7, 40} {
				dist, labels := make([]float32, 13*k), make([]int64, 13*k)
				require.NoError(t, ix.Search(xq, k, dist, labels))
				requireKNNMatches(t, m, 0, xq, xb, d, k, dist, labels)
			}
		}
	}
}

// A batch (searched list by list, distances from dot-product tiles) gives
// the answers of one query at a time (lists shared among workers, direct
// distances), to the rounding of the L2 expansion.
func TestIVFBatchAgreesWithOneQueryAtATime(t *testing.T) {
	rng := rand.New(rand.NewSource(42))
	d := 8
	xb := blobs(rng, 2000, d, 10)
	ix := newIVF(t, d, 32, MetricL2, xb)
	require.NoError(t, ix.Add(xb))
	ix.Nprobe = 5
	xq := randData(rng, 40, d, false)
	all, allL := make([]float32, 40*5), make([]int64, 40*5)
	require.NoError(t, ix.Search(xq, 5, all, allL))
	for q := 0; q < 40; q++ {
		one, oneL := make([]float32, 5), make([]int64, 5)
		require.NoError(t, ix.Search(xq[q*d:(q+1)*d], 5, one, oneL))
		assert.ElementsMatch(t, allL[q*5:(q+1)*5], oneL)
		for r := range one {
			assert.InDelta(t, one[r], all[q*5+r], tol(float64(one[r])))
		}
	}
}

func TestIVFBookkeeping(t *testing.T) {
	rng := rand.New(rand.NewSource(43))
	d := 4
	xb := blobs(rng, 600, d, 6)
	q, _ := NewIndexFlat(d, MetricL2)
	ix, err := NewIndexIVFFlat(q, d, 8, MetricL2)
	require.NoError(t, err)
	assert.False(t, ix.IsTrained())
	assert.ErrorContains(t, ix.Add(xb), "train the index")
	assert.ErrorContains(t, ix.Search(xb[:d], 1, make([]float32, 1), make([]int64, 1)), "train the index")
	assert.ErrorContains(t, ix.Train(xb[:5*d]), "at least one per list")
	require.NoError(t, ix.Train(xb))
	require.True(t, ix.IsTrained())
	require.NoError(t, ix.Add(xb))
	total := 0
	for i := 0; i < 8; i++ {
		n, err := ix.ListSize(i)
		require.NoError(t, err)
		total += n
	}
	assert.Equal(t, 600, total)
	assert.GreaterOrEqual(t, ix.ImbalanceFactor(), 1.0)
	_, err = ix.ListSize(8)
	assert.Error(t, err)

	ix.Nprobe = 0
	assert.ErrorContains(t, ix.Search(xb[:d], 1, make([]float32, 1), make([]int64, 1)), "nprobe must be positive")
	ix.Nprobe = 1000 // clamped to nlist
	require.NoError(t, ix.Search(xb[:d], 1, make([]float32, 1), make([]int64, 1)))

	out := make([]float32, d)
	assert.ErrorContains(t, ix.Reconstruct(3, out), "make_direct_map")
	require.NoError(t, ix.SetDirectMapType(1))
	require.NoError(t, ix.Reconstruct(3, out))
	assert.Equal(t, xb[3*d:4*d], out)
	_, err = ix.RemoveIDs(IDSelectorRange{0, 10})
	assert.ErrorContains(t, err, "array direct map")
	require.NoError(t, ix.SetDirectMapType(2))
	n, err := ix.RemoveIDs(IDSelectorRange{0, 10})
	require.NoError(t, err)
	assert.Equal(t, int64(10), n)
	assert.Equal(t, int64(590), ix.Ntotal())
	assert.Error(t, ix.Reconstruct(3, out))
	require.NoError(t, ix.Reconstruct(30, out))
	assert.Equal(t, xb[30*d:31*d], out)

	require.NoError(t, ix.AddWithIDs(xb[:2*d], []int64{1000, 1001}))
	require.NoError(t, ix.Reconstruct(1001, out))
	assert.Equal(t, xb[d:2*d], out)
	ix.Reset()
	assert.Equal(t, int64(0), ix.Ntotal())
	assert.True(t, ix.IsTrained(), "reset keeps the centroids")
}

func TestIVFFiltersAndRangeSearch(t *testing.T) {
	rng := rand.New(rand.NewSource(44))
	d := 6
	xb := blobs(rng, 800, d, 8)
	ix := newIVF(t, d, 8, MetricL2, xb)
	require.NoError(t, ix.Add(xb))
	xq := xb[:3*d]
	p := &SearchParams{Sel: IDSelectorNot{IDSelectorRange{0, 400}}, Nprobe: 8}
	dist, labels := make([]float32, 3*5), make([]int64, 3*5)
	require.NoError(t, ix.SearchWithParams(xq, 5, dist, labels, p))
	for _, l := range labels {
		assert.GreaterOrEqual(t, l, int64(400))
	}
	requireKNNMatches(t, MetricL2, 0, xq, xb[400*d:], d, 5, dist, shift(labels, -400))

	ix.Nprobe = 8
	res, err := ix.RangeSearch(xq, 4)
	require.NoError(t, err)
	flat := newFlat(t, d, MetricL2, 0, xb)
	want, err := flat.RangeSearch(xq, 4)
	require.NoError(t, err)
	assert.Equal(t, want.Lims, res.Lims)
	for q := 0; q < 3; q++ {
		assert.ElementsMatch(t, want.Labels[want.Lims[q]:want.Lims[q+1]], res.Labels[res.Lims[q]:res.Lims[q+1]])
	}
}

func shift(ids []int64, by int64) []int64 {
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i] = id + by
	}
	return out
}

func TestFlatSearchWithAFilter(t *testing.T) {
	rng := rand.New(rand.NewSource(45))
	d := 5
	xb := randData(rng, 300, d, false)
	xq := randData(rng, 30, d, false)
	flat := newFlat(t, d, MetricInnerProduct, 0, xb)
	evens := make([]int64, 0, 150)
	for i := int64(0); i < 300; i += 2 {
		evens = append(evens, i)
	}
	for _, k := range []int{1, 4} {
		dist, labels := make([]float32, 30*k), make([]int64, 30*k)
		require.NoError(t, flat.SearchWithParams(xq, k, dist, labels, &SearchParams{Sel: NewIDSelectorArray(evens)}))
		sub := make([]float32, 0, 150*d)
		for _, i := range evens {
			sub = append(sub, xb[i*int64(d):(i+1)*int64(d)]...)
		}
		half := make([]int64, len(labels))
		for i, l := range labels {
			require.Equal(t, int64(0), l%2)
			half[i] = l / 2
		}
		requireKNNMatches(t, MetricInnerProduct, 0, xq, sub, d, k, dist, half)
	}
}

func TestIDMapTranslatesIds(t *testing.T) {
	rng := rand.New(rand.NewSource(46))
	d := 4
	xb := randData(rng, 50, d, false)
	ids := make([]int64, 50)
	for i := range ids {
		ids[i] = int64(1000 + 7*i)
	}
	for _, two := range []bool{false, true} {
		sub, _ := NewIndexFlat(d, MetricL2)
		m, err := NewIndexIDMap(sub, two)
		require.NoError(t, err)
		assert.ErrorContains(t, m.Add(xb), "add_with_ids")
		require.NoError(t, m.AddWithIDs(xb, ids))
		dist, labels := make([]float32, 2), make([]int64, 2)
		require.NoError(t, m.Search(xb[10*d:11*d], 2, dist, labels))
		assert.Equal(t, int64(1070), labels[0])
		require.NoError(t, m.SearchWithParams(xb[10*d:11*d], 2, dist, labels,
			&SearchParams{Sel: IDSelectorNot{NewIDSelectorBatch([]int64{1070})}}))
		assert.NotEqual(t, int64(1070), labels[0])
		n, err := m.RemoveIDs(IDSelectorRange{1000, 1035}) // the first 5
		require.NoError(t, err)
		assert.Equal(t, int64(5), n)
		assert.Equal(t, int64(45), m.Ntotal())
		require.NoError(t, m.Search(xb[10*d:11*d], 1, dist[:1], labels[:1]))
		assert.Equal(t, int64(1070), labels[0], "ids survive the sub-index renumbering")
		out := make([]float32, d)
		if two {
			require.NoError(t, m.Reconstruct(1070, out))
			assert.Equal(t, xb[10*d:11*d], out)
			assert.Error(t, m.Reconstruct(1000, out))
		} else {
			assert.ErrorContains(t, m.Reconstruct(1070, out), "IndexIDMap2")
		}
		_, err = NewIndexIDMap(sub, two)
		assert.ErrorContains(t, err, "must be empty")
	}
}

func TestRefineRanksByExactDistance(t *testing.T) {
	rng := rand.New(rand.NewSource(47))
	d := 16
	xb := blobs(rng, 3000, d, 10)
	base, err := NewIndexPQ(d, 4, 4, MetricL2)
	require.NoError(t, err)
	r, err := NewIndexRefineFlat(base)
	require.NoError(t, err)
	require.NoError(t, r.Train(xb))
	require.NoError(t, r.Add(xb))
	r.KFactor = 1000 // every vector is a candidate: exact search
	xq := randData(rng, 7, d, false)
	dist, labels := make([]float32, 7*5), make([]int64, 7*5)
	require.NoError(t, r.Search(xq, 5, dist, labels))
	requireKNNMatches(t, MetricL2, 0, xq, xb, d, 5, dist, labels)
	r.KFactor = 0.5
	assert.ErrorContains(t, r.Search(xq, 5, dist, labels), "k_factor")
	_, err = NewIndexRefineFlat(base)
	assert.ErrorContains(t, err, "must be empty")
}

func TestBitPacking(t *testing.T) {
	rng := rand.New(rand.NewSource(48))
	for _, nbits := range []int{1, 3, 4, 6, 7, 9, 12, 16} {
		n := 37
		vals := make([]uint64, n)
		code := make([]byte, (n*nbits+7)/8)
		for i := range vals {
			vals[i] = uint64(rng.Intn(1 << nbits))
			PutBits(code, i*nbits, nbits, vals[i])
		}
		for i, v := range vals {
			require.Equal(t, v, GetBits(code, i*nbits, nbits), "nbits=%d value %d", nbits, i)
		}
	}
}
