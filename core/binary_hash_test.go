package core

import (
	"math/bits"
	"math/rand"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestForEachFlipIsFaissOrder checks the flip masks against their
// definition: every mask of at most nflip bits once, by radius, each radius
// in decreasing value.
func TestForEachFlipIsFaissOrder(t *testing.T) {
	for b := 0; b <= 10; b++ {
		for nflip := 0; nflip <= b+1; nflip++ {
			var want []uint64
			for m := uint64(0); m < 1<<uint(b); m++ {
				if bits.OnesCount64(m) <= nflip {
					want = append(want, m)
				}
			}
			sort.Slice(want, func(i, j int) bool {
				pi, pj := bits.OnesCount64(want[i]), bits.OnesCount64(want[j])
				return pi < pj || pi == pj && want[i] > want[j]
			})
			var got []uint64
			forEachFlip(b, nflip, func(m uint64) bool { got = append(got, m); return true })
			require.Equal(t, want, got, "b=%d nflip=%d", b, nflip)
		}
	}
	n := 0
	forEachFlip(64, 1, func(uint64) bool { n++; return n < 3 })
	assert.Equal(t, 3, n, "fn returning false stops the walk")
}

// hashCase fills a flat index and a hash-family index with the same codes.
func hashCase(t *testing.T, ix BinaryIndex) (*IndexBinaryFlat, []byte) {
	rng := rand.New(rand.NewSource(7))
	d := ix.D()
	xb := make([]byte, 300*d/8)
	rng.Read(xb)
	xq := make([]byte, 20*d/8)
	rng.Read(xq)
	copy(xq, xb[:d/8]) // one query equals a stored code
	flat, _ := NewIndexBinaryFlat(d)
	require.NoError(t, flat.Add(xb))
	require.NoError(t, ix.Add(xb))
	return flat, xq
}

// TestBinaryHashWithAllFlipsIsExact: with Nflip = b every bucket is
// searched, so the k-NN distances and the range results are the flat
// index's.
func TestBinaryHashWithAllFlipsIsExact(t *testing.T) {
	for _, mk := range []func() (BinaryIndex, func()){
		func() (BinaryIndex, func()) {
			ix, err := NewIndexBinaryHash(64, 6)
			require.NoError(t, err)
			return ix, func() { ix.Nflip = 6 }
		},
		func() (BinaryIndex, func()) {
			ix, err := NewIndexBinaryMultiHash(64, 1, 6)
			require.NoError(t, err)
			return ix, func() { ix.Nflip = 6 }
		},
	} {
		ix, all := mk()
		flat, xq := hashCase(t, ix)
		all()
		nq, k := len(xq)/8, 7
		dr, lr := make([]int32, nq*k), make([]int64, nq*k)
		require.NoError(t, flat.Search(xq, k, dr, lr))
		dh, lh := make([]int32, nq*k), make([]int64, nq*k)
		require.NoError(t, ix.Search(xq, k, dh, lh))
		assert.Equal(t, dr, dh, "%T", ix)
		assert.Equal(t, int32(0), dh[0])
		assert.Equal(t, int64(0), lh[0])

		limsR, _, idsR, err := flat.RangeSearch(xq, 28)
		require.NoError(t, err)
		limsH, distH, idsH, err := ix.(BinaryRangeSearcher).RangeSearch(xq, 28)
		require.NoError(t, err)
		assert.Equal(t, limsR, limsH)
		for q := 0; q < nq; q++ {
			want := append([]int64(nil), idsR[limsR[q]:limsR[q+1]]...)
			got := append([]int64(nil), idsH[limsH[q]:limsH[q+1]]...)
			sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
			assert.Equal(t, want, got)
			for j := limsH[q]; j < limsH[q+1]; j++ {
				assert.Less(t, distH[j], int32(28))
			}
		}
	}
}

// TestBinaryHashFindsASubset: with few flips the results are true
// distances of distinct codes, and more flips never find fewer.
func TestBinaryHashFindsASubset(t *testing.T) {
	for _, nhash := range []int{0, 1, 3} {
		prev := int64(-1)
		for nflip := 0; nflip <= 3; nflip++ {
			var ix BinaryIndex
			if nhash == 0 {
				h, err := NewIndexBinaryHash(64, 8)
				require.NoError(t, err)
				h.Nflip = nflip
				ix = h
			} else {
				h, err := NewIndexBinaryMultiHash(64, nhash, 8)
				require.NoError(t, err)
				h.Nflip = nflip
				ix = h
			}
			flat, xq := hashCase(t, ix)
			lims, dist, ids, err := ix.(BinaryRangeSearcher).RangeSearch(xq, 30)
			require.NoError(t, err)
			for q := 0; q+1 < len(lims); q++ {
				seen := map[int64]bool{}
				for j := lims[q]; j < lims[q+1]; j++ {
					require.False(t, seen[ids[j]])
					seen[ids[j]] = true
					code := flat.Codes()[ids[j]*8 : ids[j]*8+8]
					assert.Equal(t, int32(hammingRef(xq[q*8:q*8+8], code)), dist[j])
				}
			}
			assert.GreaterOrEqual(t, lims[len(lims)-1], prev, "nhash=%d nflip=%d", nhash, nflip)
			prev = lims[len(lims)-1]
		}
	}
}

func hammingRef(a, b []byte) int {
	n := 0
	for i := range a {
		n += bits.OnesCount8(a[i] ^ b[i])
	}
	return n
}

func TestBinaryHashStatsAndBadInput(t *testing.T) {
	ix, err := NewIndexBinaryHash(32, 4)
	require.NoError(t, err)
	ResetBinaryHashStats()
	_, xq := hashCase(t, ix)
	ix.Nflip = 4
	nq := len(xq) / 4
	require.NoError(t, ix.Search(xq, 3, make([]int32, nq*3), make([]int64, nq*3)))
	s := GetBinaryHashStats()
	assert.Equal(t, int64(nq), s.NQ)
	assert.Equal(t, int64(nq*300), s.NDis, "all buckets searched: every code measured once")

	_, err = NewIndexBinaryHash(32, 33)
	assert.ErrorContains(t, err, "b=33")
	_, err = NewIndexBinaryMultiHash(32, 5, 7)
	assert.ErrorContains(t, err, "nhash=5")
	assert.Error(t, ix.Add(make([]byte, 5)))
	assert.Error(t, ix.Search(xq, 0, nil, nil))
}

func TestBinaryHashRestore(t *testing.T) {
	ix, _ := NewIndexBinaryHash(32, 5)
	hashCase(t, ix)
	back, err := RestoreIndexBinaryHash(32, 5, 2, ix.Buckets())
	require.NoError(t, err)
	assert.Equal(t, ix.Ntotal(), back.Ntotal())
	bad := ix.Buckets()
	bad[0].Hash ^= 1
	_, err = RestoreIndexBinaryHash(32, 5, 2, bad)
	assert.Error(t, err)

	mh, _ := NewIndexBinaryMultiHash(32, 2, 5)
	hashCase(t, mh)
	maps := [][]HashBucket{mh.Map(0), mh.Map(1)}
	mback, err := RestoreIndexBinaryMultiHash(mh.Storage(), 5, 1, maps)
	require.NoError(t, err)
	assert.Equal(t, 2, mback.Nhash())
	maps[1] = maps[1][1:]
	_, err = RestoreIndexBinaryMultiHash(mh.Storage(), 5, 1, maps)
	assert.ErrorContains(t, err, "leaves stored codes out")
}

// TestBinaryHashFlipWalkStopsOnInterrupt: 64 key bits and nflip=64 would
// walk 2^64 buckets; a stop request ends the search with an error.
func TestBinaryHashFlipWalkStopsOnInterrupt(t *testing.T) {
	ix, err := NewIndexBinaryHash(64, 64)
	require.NoError(t, err)
	require.NoError(t, ix.Add(make([]byte, 8)))
	ix.Nflip = 64
	interruptAfter(t, 3)
	err = ix.Search(make([]byte, 8), 1, make([]int32, 1), make([]int64, 1))
	requireInterrupted(t, err)
}
