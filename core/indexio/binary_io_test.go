package indexio

import (
	"math/rand"
	"testing"

	"github.com/metalfaiss/metalfaiss/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func binaryIndexes(t *testing.T) []core.BinaryIndex {
	rng := rand.New(rand.NewSource(4))
	x := make([]byte, 400*8)
	rng.Read(x)
	flat, _ := core.NewIndexBinaryFlat(64)
	q, _ := core.NewIndexBinaryFlat(64)
	ivf, err := core.NewIndexBinaryIVF(q, 64, 4)
	require.NoError(t, err)
	ivf.Warn = func(string) {}
	require.NoError(t, ivf.Train(x))
	hnsw, _ := core.NewIndexBinaryHNSW(64, 4)
	hash, _ := core.NewIndexBinaryHash(64, 5)
	hash.Nflip = 2
	multi, _ := core.NewIndexBinaryMultiHash(64, 3, 6)
	multi.Nflip = 1
	inner, _ := core.NewIndexFlat(64, core.MetricL2)
	fromFloat, _ := core.NewIndexBinaryFromFloat(inner)
	all := []core.BinaryIndex{flat, ivf, hnsw, hash, multi, fromFloat}
	for _, ix := range all {
		require.NoError(t, ix.Add(x[:60*8]))
	}
	// One code in every bucket of its maps: faiss's id width (0 bits for
	// ntotal=1) cannot hold the bucket's size, so the writer widens it.
	one, _ := core.NewIndexBinaryMultiHash(64, 2, 4)
	require.NoError(t, one.Add(x[:8]))
	empty, _ := core.NewIndexBinaryMultiHash(64, 2, 4)
	return append(all, one, empty)
}

func TestBinaryIndexesRoundTripAndTruncationsFailCleanly(t *testing.T) {
	for _, ix := range binaryIndexes(t) {
		b, err := WriteBinary(ix)
		require.NoError(t, err)
		back, err := ReadBinary(b)
		require.NoError(t, err, "%T", ix)
		again, err := WriteBinary(back)
		require.NoError(t, err)
		assert.Equal(t, b, again, "%T", ix)
		for cut := 0; cut < len(b); cut += 5 {
			_, err := ReadBinary(b[:cut])
			require.Error(t, err, "%T cut at %d", ix, cut)
		}
	}
}

func TestTransformsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	x := make([]float32, 300*8)
	for i := range x {
		x[i] = rng.Float32()
	}
	pt := preTransformed(t, x).(*core.IndexPreTransform)
	for _, vt := range pt.Chain() {
		b, err := WriteTransform(vt)
		require.NoError(t, err)
		back, err := ReadTransform(b)
		require.NoError(t, err, "%T", vt)
		again, _ := WriteTransform(back)
		assert.Equal(t, b, again, "%T", vt)
		for cut := 0; cut < len(b); cut += 3 {
			_, err := ReadTransform(b[:cut])
			require.Error(t, err, "%T cut at %d", vt, cut)
		}
	}
}
