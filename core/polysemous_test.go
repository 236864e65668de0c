package core

import (
	"math"
	"math/rand"
	"testing"

	"github.com/metalfaiss/metalfaiss/core/kernels"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func trainedPQIndex(t *testing.T, polysemous bool) (*IndexPQ, []float32) {
	rng := rand.New(rand.NewSource(21))
	x := randData(rng, 3000, 16, false)
	ix, err := NewIndexPQ(16, 4, 8, MetricL2)
	require.NoError(t, err)
	ix.DoPolysemousTraining = polysemous
	ix.Polysemous.NIter, ix.Polysemous.NRedo = 20000, 1
	require.NoError(t, ix.Train(x[:2000*16]))
	require.NoError(t, ix.Add(x[2000*16:]))
	return ix, x[:40*16]
}

// TestPolysemousTrainingRenumbersOnly: the centroids are the same set in
// another order, so ADC results do not change, and the Hamming distance
// between codes follows the centroid distances better than before.
func TestPolysemousTrainingRenumbersOnly(t *testing.T) {
	plain, q := trainedPQIndex(t, false)
	poly, _ := trainedPQIndex(t, true)
	d1, l1 := make([]float32, 40*5), make([]int64, 40*5)
	d2, l2 := make([]float32, 40*5), make([]int64, 40*5)
	require.NoError(t, plain.Search(q, 5, d1, l1))
	require.NoError(t, poly.Search(q, 5, d2, l2))
	assert.Equal(t, l1, l2)
	assert.InDeltaSlice(t, toF64(d1), toF64(d2), 1e-4)
	assert.ElementsMatch(t, plain.PQ.sub(0), poly.PQ.sub(0))

	// The objective of the identity numbering (plain) against the trained
	// one, on sub-quantizer 0.
	cost := func(pq *ProductQuantizer) float64 {
		n, ds, c := pq.Ksub, pq.Dsub, pq.sub(0)
		dis := make([]float64, n*n)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				var s float64
				for k := 0; k < ds; k++ {
					v := float64(c[i*ds+k] - c[j*ds+k])
					s += v * v
				}
				dis[i*n+j] = s
			}
		}
		o := newHammingObjective(pq.Nbits, dis, math.Ln2)
		id := make([]int, n)
		for i := range id {
			id[i] = i
		}
		return o.cost(id)
	}
	assert.Less(t, cost(poly.PQ), 0.8*cost(plain.PQ))
}

// TestHammingObjectiveUpdateIsExact: costUpdate equals the difference of
// two full costs.
func TestHammingObjectiveUpdateIsExact(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	n := 16
	dis := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			v := rng.Float64() * float64(i-j)
			dis[i*n+j], dis[j*n+i] = v, v
		}
	}
	o := newHammingObjective(4, dis, math.Ln2)
	perm := rng.Perm(n)
	for trial := 0; trial < 50; trial++ {
		iw, jw := rng.Intn(n), rng.Intn(n)
		if iw == jw {
			continue
		}
		before := o.cost(perm)
		delta := o.costUpdate(perm, iw, jw)
		perm[iw], perm[jw] = perm[jw], perm[iw]
		assert.InDelta(t, o.cost(perm)-before, delta, 1e-9*(1+math.Abs(before)))
	}
}

func TestPQSearchTypes(t *testing.T) {
	ix, q := trainedPQIndex(t, true)
	nq, k := 40, 8
	run := func(st PQSearchType, ht int) ([]float32, []int64) {
		d, l := make([]float32, nq*k), make([]int64, nq*k)
		require.NoError(t, ix.SearchWithParams(q, k, d, l, &SearchParams{PQ: &PQSearchParams{st, ht}}))
		return d, l
	}
	dADC, lADC := run(PQSearchADC, 0)
	dAll, lAll := run(PQSearchPolysemous, 0) // 0: every code passes
	assert.Equal(t, lADC, lAll)
	assert.InDeltaSlice(t, toF64(dADC), toF64(dAll), 1e-3)

	ResetPQStats()
	dPoly, lPoly := run(PQSearchPolysemous, 12)
	s := GetPQStats()
	assert.Equal(t, int64(nq), s.NQ)
	assert.Equal(t, int64(nq)*ix.Ntotal(), s.NCode)
	assert.Greater(t, s.NHammingPass, int64(0))
	assert.Less(t, s.NHammingPass, s.NCode)
	qcodes := make([]byte, nq*ix.PQ.CodeSize)
	require.NoError(t, ix.PQ.ComputeCodes(q, qcodes))
	for i, id := range lPoly {
		if id < 0 {
			continue
		}
		cs := ix.PQ.CodeSize
		hd := kernels.Hamming(qcodes[i/k*cs:(i/k+1)*cs], ix.codes[id*int64(cs):(id+1)*int64(cs)])
		assert.Less(t, hd, 12, "a result passed the filter")
		assert.GreaterOrEqual(t, dPoly[i], dADC[i/k*k]-1e-4, "no better than the unfiltered best")
	}

	dHE, lHE := run(PQSearchHE, 0)
	for i, id := range lHE {
		cs := ix.PQ.CodeSize
		assert.Equal(t, float32(kernels.Hamming(qcodes[i/k*cs:(i/k+1)*cs], ix.codes[id*int64(cs):(id+1)*int64(cs)])), dHE[i])
	}
	dGH, _ := run(PQSearchGeneralizedHamming, 0)
	assert.LessOrEqual(t, dGH[0], float32(ix.PQ.M))
	dSDC, _ := run(PQSearchSDC, 0)
	assert.GreaterOrEqual(t, dSDC[k-1], dSDC[0])

	d, l := make([]float32, nq*k), make([]int64, nq*k)
	err := ix.SearchWithParams(q, k, d, l, &SearchParams{PQ: &PQSearchParams{9, 0}})
	assert.ErrorContains(t, err, "unknown search_type")
	ip, _ := NewIndexPQ(16, 4, 8, MetricInnerProduct)
	ip.PQ.setTrained(ix.PQ.Centroids)
	err = ip.SearchWithParams(q, k, d, l, &SearchParams{PQ: &PQSearchParams{PQSearchPolysemous, 4}})
	assert.ErrorContains(t, err, "must use L2")
}

func TestPolysemousTrainingLimits(t *testing.T) {
	ix, err := NewIndexPQ(16, 4, 12, MetricL2)
	require.NoError(t, err)
	ix.DoPolysemousTraining = true
	ix.PQ.CP.Niter = 0
	ix.Polysemous.MaxMemory = 1 << 20
	x := randData(rand.New(rand.NewSource(1)), 5000, 16, false)
	require.ErrorContains(t, ix.Train(x), "bytes per sub-quantizer")
	assert.False(t, ix.IsTrained(), "a failed train leaves the index untrained")
	ix.Polysemous = DefaultPolysemousTraining()
	ix.Polysemous.OptimizationType = 2
	require.ErrorContains(t, ix.Train(x), "optimization_type 2")
}

func toF64(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, f := range v {
		out[i] = float64(f)
	}
	return out
}

// TestIVFPQPolysemousFilter: a threshold above any Hamming distance
// changes nothing; a small one keeps a subset of the unfiltered ranking,
// in the same order and with the same distances.
func TestIVFPQPolysemousFilter(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	d, nb, nq, k := 16, 3000, 30, 10
	x := randData(rng, nb+nq, d, false)
	q, _ := NewIndexFlat(d, MetricL2)
	ix, err := NewIndexIVFPQ(q, d, 8, 4, 8, MetricL2)
	require.NoError(t, err)
	ix.ByResidual = true
	ix.DoPolysemousTraining = true
	ix.Polysemous.NIter, ix.Polysemous.NRedo = 20000, 1
	require.NoError(t, ix.Train(x[:nb*d]))
	require.NoError(t, ix.Add(x[:nb*d]))
	ix.Nprobe = 8
	xq := x[nb*d:]
	search := func(ht, k int) ([]float32, []int64) {
		dist, lab := make([]float32, nq*k), make([]int64, nq*k)
		require.NoError(t, ix.SearchWithParams(xq, k, dist, lab, &SearchParams{PQ: &PQSearchParams{PolysemousHT: ht}}))
		return dist, lab
	}
	d0, l0 := search(0, k)
	dAll, lAll := search(33, k)
	assert.Equal(t, l0, lAll)
	assert.InDeltaSlice(t, toF64(d0), toF64(dAll), 1e-4) // the batch path (no filter) rounds otherwise
	full := nb
	dFull, lFull := search(0, full)
	dSmall, lSmall := search(12, k)
	for qi := 0; qi < nq; qi++ {
		pos := map[int64]int{}
		for j, id := range lFull[qi*full : (qi+1)*full] {
			pos[id] = j
		}
		last := -1
		for j, id := range lSmall[qi*k : (qi+1)*k] {
			if id < 0 {
				continue
			}
			p, ok := pos[id]
			require.True(t, ok)
			assert.Greater(t, p, last, "the filter keeps the ranking's order")
			assert.InEpsilon(t, dFull[qi*full+p], dSmall[qi*k+j], 1e-5)
			last = p
		}
	}
	_, err = NewIndexIVFFlat(q, d, 8, MetricL2)
	require.NoError(t, err)
}
