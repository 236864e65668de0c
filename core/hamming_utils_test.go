package core

import (
	"math/bits"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHammingsAreThePopcountOfTheXor(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	const cs, na, nb = 5, 7, 13 // 5 bytes: no whole word fits
	a, b := make([]byte, na*cs), make([]byte, nb*cs)
	rng.Read(a)
	rng.Read(b)
	dis := make([]int32, na*nb)
	require.NoError(t, Hammings(a, b, cs, dis))
	for i := 0; i < na; i++ {
		for j := 0; j < nb; j++ {
			want := 0
			for c := 0; c < cs; c++ {
				want += bits.OnesCount8(a[i*cs+c] ^ b[j*cs+c])
			}
			assert.Equal(t, int32(want), dis[i*nb+j], "pair %d,%d", i, j)
		}
	}
	assert.Error(t, Hammings(a[:cs+1], b, cs, dis), "a partial code")
	assert.Error(t, Hammings(a, b, cs, dis[:1]), "a short output")

	k := 4
	d, l := make([]int32, na*k), make([]int64, na*k)
	require.NoError(t, HammingsKNN(a, b, cs, k, d, l, nil))
	for i := 0; i < na; i++ {
		for r := 0; r < k; r++ {
			assert.Equal(t, dis[i*nb+int(l[i*k+r])], d[i*k+r])
		}
	}
}
