package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIVFStandaloneCodesNameTheListThenHoldTheVector(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	const d = 8
	xb := blobs(rng, 3000, d, 300)
	for _, nlist := range []int{1, 16, 256, 300} {
		ix := newIVF(t, d, nlist, MetricL2, xb)
		ix.Warn = func(string) {}
		want := map[int]int{1: 0, 16: 1, 256: 1, 300: 2}[nlist]
		assert.Equal(t, want, ix.coarseCodeSize(), "nlist=%d", nlist)
		codes := make([]byte, 50*ix.SaCodeSize())
		require.NoError(t, ix.SaEncode(xb[:50*d], codes))
		back := make([]float32, 50*d)
		require.NoError(t, ix.SaDecode(codes, back))
		assert.Equal(t, xb[:50*d], back, "flat lists code the vector exactly")
		labels := make([]int64, 50)
		require.NoError(t, ix.quantizer.Search(xb[:50*d], 1, make([]float32, 50), labels))
		for i, l := range labels {
			assert.Equal(t, uint64(l), getCoarse(codes[i*ix.SaCodeSize():i*ix.SaCodeSize()+ix.coarseCodeSize()]))
		}
		require.NoError(t, ix.AddSaCodes(codes, nil))
		assert.Equal(t, int64(50), ix.Ntotal())
		assert.Error(t, ix.SaDecode(codes[:len(codes)-1], back), "a partial code")
	}
}
