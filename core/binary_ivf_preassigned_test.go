package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Searching the lists the quantizer would pick gives the plain search's
// results; adding to given lists puts codes there (-1: counted only).
func TestBinaryIVFPreassigned(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	d, n, nlist, nprobe := 64, 500, 8, 3
	x := randomCodes(rng, n, d/8)
	q, _ := NewIndexBinaryFlat(d)
	ivf, err := NewIndexBinaryIVF(q, d, nlist)
	require.NoError(t, err)
	ivf.Warn = func(string) {}
	require.NoError(t, ivf.Train(x))
	require.NoError(t, ivf.Add(x))
	nq, k := 20, 7
	probes := make([]int64, nq*nprobe)
	require.NoError(t, q.Search(x[:nq*d/8], nprobe, make([]int32, nq*nprobe), probes))
	d1, l1 := make([]int32, nq*k), make([]int64, nq*k)
	d2, l2 := make([]int32, nq*k), make([]int64, nq*k)
	require.NoError(t, ivf.SearchNprobe(x[:nq*d/8], k, d1, l1, nprobe, nil))
	require.NoError(t, ivf.SearchPreassigned(x[:nq*d/8], k, probes, nprobe, d2, l2, nil))
	assert.Equal(t, d1, d2)
	assert.Equal(t, l1, l2)
	lims1, rd1, rl1, err := ivf.RangeSearchNprobe(x[:nq*d/8], 25, nprobe, nil)
	require.NoError(t, err)
	lims2, rd2, rl2, err := ivf.RangeSearchPreassigned(x[:nq*d/8], 25, probes, nprobe, nil)
	require.NoError(t, err)
	assert.Equal(t, lims1, lims2)
	assert.Equal(t, rd1, rd2)
	assert.Equal(t, rl1, rl2)
	assert.Error(t, ivf.SearchPreassigned(x[:nq*d/8], k, probes[1:], nprobe, d2, l2, nil))
	bad := append([]int64{}, probes...)
	bad[0] = int64(nlist)
	assert.ErrorContains(t, ivf.SearchPreassigned(x[:nq*d/8], k, bad, nprobe, d2, l2, nil), "out of [-1, 8)")

	before := ivf.Ntotal()
	require.NoError(t, ivf.AddPreassigned(x[:2*d/8], []int64{1000, 1001}, []int64{5, -1}))
	assert.Equal(t, before+2, ivf.Ntotal())
	_, ids := ivf.List(5)
	assert.Equal(t, int64(1000), ids[len(ids)-1])
	assert.Error(t, ivf.AddPreassigned(x[:d/8], nil, []int64{int64(nlist)}))
	assert.Equal(t, before+2, ivf.Ntotal())
}
