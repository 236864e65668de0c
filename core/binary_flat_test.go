package core

import (
	"math"
	"math/rand"
	"sort"
	"testing"

	"github.com/metalfaiss/metalfaiss/core/kernels"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBinaryFlatSearchMatchesASortByDistanceThenID(t *testing.T) {
	rng := rand.New(rand.NewSource(99))
	for _, d := range []int{8, 24, 64, 136} {
		ix, err := NewIndexBinaryFlat(d)
		require.NoError(t, err)
		cs := d / 8
		const nb, nq, k = 300, 7, 12
		xb := make([]byte, nb*cs)
		for i := range xb {
			xb[i] = byte(rng.Intn(4)) // few bits set: many ties
		}
		require.NoError(t, ix.Add(xb))
		xq := xb[:nq*cs]
		dist, labels := make([]int32, nq*k), make([]int64, nq*k)
		require.NoError(t, ix.Search(xq, k, dist, labels))
		for q := 0; q < nq; q++ {
			type pair struct {
				d  int
				id int64
			}
			all := make([]pair, nb)
			for i := range all {
				n := 0
				for j := 0; j < cs; j++ {
					for b := xq[q*cs+j] ^ xb[i*cs+j]; b != 0; b &= b - 1 {
						n++
					}
				}
				all[i] = pair{n, int64(i)}
			}
			sort.Slice(all, func(a, b int) bool {
				return all[a].d < all[b].d || (all[a].d == all[b].d && all[a].id < all[b].id)
			})
			for j := 0; j < k; j++ {
				require.Equal(t, int32(all[j].d), dist[q*k+j], "d=%d q=%d rank %d", d, q, j)
				require.Equal(t, all[j].id, labels[q*k+j])
			}
		}
		lims, rd, rl, err := ix.RangeSearch(xq, 3)
		require.NoError(t, err)
		require.Len(t, lims, nq+1)
		for q := 0; q < nq; q++ {
			for i := lims[q]; i < lims[q+1]; i++ {
				assert.Less(t, rd[i], int32(3))
				assert.Equal(t, int(rd[i]), kernels.Hamming(xq[q*cs:(q+1)*cs], xb[int(rl[i])*cs:int(rl[i]+1)*cs]))
			}
		}
	}
	ix, err := NewIndexBinaryFlat(16)
	require.NoError(t, err)
	require.NoError(t, ix.Add([]byte{1, 2}))
	dist, labels := make([]int32, 3), make([]int64, 3)
	require.NoError(t, ix.Search([]byte{1, 3}, 3, dist, labels))
	assert.Equal(t, []int32{1, math.MaxInt32, math.MaxInt32}, dist)
	assert.Equal(t, []int64{0, -1, -1}, labels)
	_, err = NewIndexBinaryFlat(12)
	assert.ErrorContains(t, err, "multiple of 8")
	assert.Error(t, ix.Add([]byte{1}))
}
