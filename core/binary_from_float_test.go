package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBinaryFromFloatIsHamming: over a flat L2 index of -1/+1 vectors the
// distances are 4 x Hamming, so the wrapper's results are the binary flat
// index's distances.
func TestBinaryFromFloatIsHamming(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	xb, xq := make([]byte, 500*16), make([]byte, 30*16)
	rng.Read(xb)
	rng.Read(xq)
	inner, _ := NewIndexFlat(128, MetricL2)
	ix, err := NewIndexBinaryFromFloat(inner)
	require.NoError(t, err)
	ref, _ := NewIndexBinaryFlat(128)
	require.NoError(t, ix.Add(xb))
	require.NoError(t, ref.Add(xb))
	assert.Equal(t, int64(500), ix.Ntotal())
	k := 520 // more than stored: the tail is (INT32_MAX, -1)
	d1, l1 := make([]int32, 30*k), make([]int64, 30*k)
	d2, l2 := make([]int32, 30*k), make([]int64, 30*k)
	require.NoError(t, ix.Search(xq, k, d1, l1))
	require.NoError(t, ref.Search(xq, k, d2, l2))
	assert.Equal(t, d2, d1)
	assert.Equal(t, int64(-1), l1[k-1])

	_, err = NewIndexBinaryFromFloat(nil)
	assert.Error(t, err)
	odd, _ := NewIndexFlat(12, MetricL2)
	_, err = NewIndexBinaryFromFloat(odd)
	assert.Error(t, err)
	assert.Error(t, ix.Add(make([]byte, 7)))
}

// TestBinaryIVFClusteringIndex: a flat L2 clustering index trains the
// same centroids as the default; another assigner changes them.
func TestBinaryIVFClusteringIndex(t *testing.T) {
	rng := rand.New(rand.NewSource(8))
	x := make([]byte, 800*8)
	rng.Read(x)
	train := func(assigner Index) []byte {
		q, _ := NewIndexBinaryFlat(64)
		ivf, err := NewIndexBinaryIVF(q, 64, 6)
		require.NoError(t, err)
		ivf.ClusteringIndex = assigner
		require.NoError(t, ivf.Train(x))
		return append([]byte(nil), q.Codes()...)
	}
	ref := train(nil)
	flat, _ := NewIndexFlat(64, MetricL2)
	assert.Equal(t, ref, train(flat))
	ip, _ := NewIndexFlat(64, MetricInnerProduct)
	wrong, _ := NewIndexFlat(32, MetricL2)
	q, _ := NewIndexBinaryFlat(64)
	ivf, _ := NewIndexBinaryIVF(q, 64, 6)
	ivf.ClusteringIndex = wrong
	assert.ErrorContains(t, ivf.Train(x), "d=32")
	_ = train(ip) // any float index assigns
}
