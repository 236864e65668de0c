package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A quantizer holding the same centroids in another order renumbers the
// lists for later adds; a quantizer of another d is refused.
func TestIVFSetQuantizer(t *testing.T) {
	rng := rand.New(rand.NewSource(71))
	d := 4
	xb := blobs(rng, 400, d, 4)
	ix := newIVF(t, d, 4, MetricL2, xb)
	c := make([]float32, 4*d)
	require.NoError(t, ix.quantizer.(Reconstructor).ReconstructN(0, 4, c))
	rev, err := NewIndexFlat(d, MetricL2)
	require.NoError(t, err)
	for l := 3; l >= 0; l-- {
		require.NoError(t, rev.Add(c[l*d:(l+1)*d]))
	}
	require.NoError(t, ix.Add(xb[:d]))
	list := -1
	for l := 0; l < 4; l++ {
		if ix.lists.size(l) == 1 {
			list = l
		}
	}
	require.NotEqual(t, -1, list)
	require.NoError(t, ix.SetQuantizer(rev))
	require.NoError(t, ix.Add(xb[:d]))
	assert.Equal(t, 1, ix.lists.size(list))
	assert.Equal(t, 1, ix.lists.size(3-list), "the same vector lands in the mirrored list")
	other, err := NewIndexFlat(d+1, MetricL2)
	require.NoError(t, err)
	assert.Error(t, ix.SetQuantizer(other))
	assert.Same(t, Index(rev), ix.Quantizer())
}
