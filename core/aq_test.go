package core

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

func trainedRQ(t *testing.T, d int, nbits []int, st AQSearchType, x []float32, edit func(*ResidualQuantizer)) *ResidualQuantizer {
	t.Helper()
	rq, err := NewResidualQuantizer(d, nbits, st)
	require.NoError(t, err)
	if edit != nil {
		edit(rq)
	}
	require.NoError(t, rq.Train(x))
	return rq
}

// bruteForceCode is the sum of entries nearest x over every combination.
func bruteForceCode(aq *AdditiveQuantizer, x []float32) ([]int32, float32) {
	best, bestIdx := float32(math.Inf(1)), []int32(nil)
	idx := make([]int32, aq.M)
	rec := make([]float32, aq.D)
	var walk func(m int)
	walk = func(m int) {
		if m == aq.M {
			aq.decodeIndices(idx, rec)
			if v := kernels.L2Sqr(x, rec); v < best {
				best, bestIdx = v, append([]int32(nil), idx...)
			}
			return
		}
		for i := 0; i < 1<<aq.Nbits[m]; i++ {
			idx[m] = int32(i)
			walk(m + 1)
		}
	}
	walk(0)
	return bestIdx, best
}

func TestResidualQuantizerFullBeamFindsTheBestCode(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	d, n := 7, 600
	x := blobs(rng, n, d, 9)
	rq := trainedRQ(t, d, []int{3, 2, 3}, STDecompress, x, func(rq *ResidualQuantizer) { rq.MaxBeamSize = 8 * 4 * 8 })
	codes := make([]byte, 40*rq.CodeSize())
	require.NoError(t, rq.ComputeCodes(x[:40*d], codes))
	idx := make([]int32, rq.M)
	rec := make([]float32, d)
	for i := 0; i < 40; i++ {
		rq.unpack(codes[i*rq.CodeSize():], idx)
		rq.decodeIndices(idx, rec)
		_, best := bruteForceCode(&rq.AdditiveQuantizer, x[i*d:(i+1)*d])
		assert.InDelta(t, best, kernels.L2Sqr(x[i*d:(i+1)*d], rec), 1e-4*float64(best)+1e-5, "point %d", i)
	}
}

func TestResidualQuantizerBeamLUTMatchesResidualBeam(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	d, n := 16, 2000
	x := blobs(rng, n, d, 20)
	rq := trainedRQ(t, d, []int{4, 4, 4}, STDecompress, x, nil)
	a, b := make([]byte, n*rq.CodeSize()), make([]byte, n*rq.CodeSize())
	require.NoError(t, rq.ComputeCodes(x, a))
	rq.UseBeamLUT = 1
	require.NoError(t, rq.ComputeCodes(x, b))
	same := 0
	for i := 0; i < n; i++ {
		if string(a[i*rq.CodeSize():(i+1)*rq.CodeSize()]) == string(b[i*rq.CodeSize():(i+1)*rq.CodeSize()]) {
			same++
		}
	}
	assert.GreaterOrEqual(t, same, n*99/100, "the two beam searches differ only by rounding")
}

func TestAdditiveCodesPackNormsAndScanAsDecoded(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	d, n := 12, 3000
	x := blobs(rng, n, d, 15)
	q := x[:d]
	// {8, 8}: codes read byte by byte as a product quantizer's (the
	// norm's byte through a table of decoded norms)
	for _, st := range []AQSearchType{STDecompress, STLUTNonorm, STNormFloat, STNormQint8, STNormQint4, STNormCqint8, STNormCqint4, STNormRQ2x4, STNormLSQ2x4, STNormFromLUT} {
		for _, nbits := range [][]int{{5, 3, 7}, {8, 8}} {
			rq := trainedRQ(t, d, nbits, st, x, nil)
			codes := make([]byte, n*rq.CodeSize())
			require.NoError(t, rq.ComputeCodes(x, codes))
			rec := make([]float32, n*d)
			require.NoError(t, rq.Decode(codes, rec))
			for _, metric := range []Metric{MetricL2, MetricInnerProduct} {
				s := rq.newScanner(metric)
				s.setQuery(q)
				out := make([]float32, n)
				s.scan(codes, 0.5, out)
				var worst float64
				qn := kernels.Inner(q, q)
				for i := 0; i < n; i++ {
					r := rec[i*d : (i+1)*d]
					// faiss's formulas, with the norm the code stores
					want := kernels.Inner(q, r)
					switch {
					case metric == MetricInnerProduct:
					case st == STDecompress || st == STNormFromLUT:
						want = kernels.L2Sqr(q, r)
					case st == STLUTNonorm:
						want = qn - want
					default:
						want = qn + rq.storedNorm(codes[i*rq.CodeSize():(i+1)*rq.CodeSize()]) - 2*want
					}
					worst = max(worst, math.Abs(float64(out[i]-0.5-want)))
				}
				tol := 1e-3 * float64(1+qn)
				assert.Less(t, worst, tol, "search type %d metric %s nbits %v", st, metric, nbits)
			}
		}
	}
}

func TestPackedCodesRoundTripIndicesAndFloatNorms(t *testing.T) {
	aq, err := newAdditiveQuantizer("test", 3, []int{3, 9, 1, 16}, STNormFloat)
	require.NoError(t, err)
	assert.Equal(t, (3+9+1+16+32+7)/8, aq.CodeSize())
	codes := []int32{5, 300, 1, 65535, 0, 511, 0, 12345}
	norms := []float32{1.25, -3.5}
	out := make([]byte, 2*aq.CodeSize())
	aq.packCodes(2, codes, 4, norms, out)
	idx := make([]int32, 4)
	for i := 0; i < 2; i++ {
		aq.unpack(out[i*aq.CodeSize():], idx)
		assert.Equal(t, codes[i*4:i*4+4], idx)
		assert.Equal(t, norms[i], aq.storedNorm(out[i*aq.CodeSize():(i+1)*aq.CodeSize()]))
	}
}

func TestRefinedCodebooksLowerTheTrainingError(t *testing.T) {
	rng := rand.New(rand.NewSource(6))
	d, n := 8, 3000
	x := blobs(rng, n, d, 12)
	mse := func(rq *ResidualQuantizer) float64 {
		codes := make([]byte, n*rq.CodeSize())
		require.NoError(t, rq.ComputeCodes(x, codes))
		rec := make([]float32, n*d)
		require.NoError(t, rq.Decode(codes, rec))
		var s float64
		for i := range x {
			s += float64((x[i] - rec[i]) * (x[i] - rec[i]))
		}
		return s / float64(n)
	}
	plain := trainedRQ(t, d, []int{4, 4}, STDecompress, x, nil)
	refined := trainedRQ(t, d, []int{4, 4}, STDecompress, x, func(rq *ResidualQuantizer) {
		rq.TrainType = RQTrainProgressiveDim | RQTrainRefineCodebook
	})
	assert.Less(t, mse(refined), mse(plain)*1.001)
}

func TestResidualCoarseQuantizerBeamAgreesWithExhaustive(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	d, n := 10, 2000
	x := blobs(rng, n, d, 30)
	rcq, err := NewResidualCoarseQuantizer(d, []int{3, 4}, MetricL2)
	require.NoError(t, err)
	require.NoError(t, rcq.Train(x))
	assert.Equal(t, int64(128), rcq.Ntotal())
	nq, k := 20, 5
	d1, l1 := make([]float32, nq*k), make([]int64, nq*k)
	d2, l2 := make([]float32, nq*k), make([]int64, nq*k)
	require.NoError(t, rcq.SearchBeam(x[:nq*d], k, d1, l1, 1000))
	require.NoError(t, rcq.SearchBeam(x[:nq*d], k, d2, l2, -1))
	assert.Equal(t, l2, l1)
	assert.InDeltaSlice(t, d2, d1, 1e-3)
	c := make([]float32, d)
	for i, l := range l2 {
		require.NoError(t, rcq.Reconstruct(l, c))
		q := i / k
		assert.InDelta(t, kernels.L2Sqr(x[q*d:(q+1)*d], c), d2[i], 1e-3)
	}
}

func TestResidualQuantizerRejectsBadInput(t *testing.T) {
	_, err := NewResidualQuantizer(8, []int{8, 17}, STDecompress)
	assert.ErrorContains(t, err, "nbits=17")
	_, err = NewResidualQuantizer(8, nil, STDecompress)
	assert.ErrorContains(t, err, "M must be positive")
	_, err = NewResidualCoarseQuantizer(8, []int{16, 16}, MetricL2)
	assert.ErrorContains(t, err, "at most 30 bits")
	rq, err := NewResidualQuantizer(4, []int{2}, STDecompress)
	require.NoError(t, err)
	assert.ErrorContains(t, rq.ComputeCodes(make([]float32, 4), make([]byte, 1)), "not trained")
	x := []float32{1, 2, 3, float32(math.NaN())}
	assert.ErrorContains(t, rq.Train(append(x, 1, 2, 3, 4)), "finite")
	assert.False(t, rq.IsTrained())
}

func TestProductResidualQuantizerCodesEachRangeOnItsOwn(t *testing.T) {
	rng := rand.New(rand.NewSource(8))
	d, n := 12, 1500
	x := blobs(rng, n, d, 10)
	for _, st := range []AQSearchType{STDecompress, STNormFloat, STNormQint8, STNormFromLUT} {
		p, err := NewProductResidualQuantizer(d, 3, 2, 4, st)
		require.NoError(t, err)
		require.NoError(t, p.Train(x))
		codes := make([]byte, n*p.CodeSize())
		require.NoError(t, p.ComputeCodes(x, codes))
		rec := make([]float32, n*d)
		require.NoError(t, p.Decode(codes, rec))
		// each range is its sub-quantizer's reconstruction
		for s, sub := range p.Subs {
			sp := p.splits[s]
			sa := sub.additive()
			xs := columns(x, d, sp.d0, sp.d1)
			sc := make([]byte, n*sa.CodeSize())
			require.NoError(t, sub.ComputeCodes(xs, sc))
			want := make([]float32, len(xs))
			require.NoError(t, sa.Decode(sc, want))
			assert.InDeltaSlice(t, want, columns(rec, d, sp.d0, sp.d1), 1e-5)
		}
		q := x[:d]
		sc := p.newScanner(MetricL2)
		sc.setQuery(q)
		out := make([]float32, n)
		sc.scan(codes, 0, out)
		tol := 1e-3
		if st == STNormQint8 {
			tol = float64(p.NormMax-p.NormMin) / 64
		}
		for i := 0; i < n; i++ {
			if st != STDecompress {
				assert.InDelta(t, kernels.L2Sqr(q, rec[i*d:(i+1)*d]), out[i], tol)
			}
		}
	}
	_, err := NewProductResidualQuantizer(10, 3, 2, 4, STDecompress)
	assert.ErrorContains(t, err, "not a multiple")
}

func TestLocalSearchQuantizerBeatsRandomCodesAndIsReproducible(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	d, n := 8, 1500
	x := blobs(rng, n, d, 12)
	train := func() *LocalSearchQuantizer {
		l, err := NewLocalSearchQuantizer(d, 2, 4, STNormFloat)
		require.NoError(t, err)
		l.TrainIters = 6
		require.NoError(t, l.Train(x))
		return l
	}
	l := train()
	codes := make([]byte, n*l.CodeSize())
	require.NoError(t, l.ComputeCodes(x, codes))
	again := make([]byte, len(codes))
	require.NoError(t, train().ComputeCodes(x, again))
	assert.Equal(t, codes, again, "the same seed gives the same codebooks and codes")
	rec := make([]float32, n*d)
	require.NoError(t, l.Decode(codes, rec))
	var mse float64
	for i := range x {
		mse += float64((x[i] - rec[i]) * (x[i] - rec[i]))
	}
	// ICM codes are at least as good as the best single-entry pick of an
	// RQ with the same budget (observed about 0.8x the RQ's error)
	rq := trainedRQ(t, d, []int{4, 4}, STDecompress, x, nil)
	rc := make([]byte, n*rq.CodeSize())
	require.NoError(t, rq.ComputeCodes(x, rc))
	rrec := make([]float32, n*d)
	require.NoError(t, rq.Decode(rc, rrec))
	var rmse float64
	for i := range x {
		rmse += float64((x[i] - rrec[i]) * (x[i] - rrec[i]))
	}
	assert.Less(t, mse, rmse*1.1)
	// the stored norms are those of the reconstructions
	for i := 0; i < 20; i++ {
		r := rec[i*d : (i+1)*d]
		assert.InDelta(t, kernels.Inner(r, r), l.storedNorm(codes[i*l.CodeSize():(i+1)*l.CodeSize()]), 1e-4)
	}
}

func TestStoredNormsApproximateTheReconstructions(t *testing.T) {
	rng := rand.New(rand.NewSource(10))
	d, n := 12, 3000
	x := blobs(rng, n, d, 15)
	for _, st := range []AQSearchType{STNormFloat, STNormQint8, STNormQint4, STNormCqint8, STNormCqint4, STNormRQ2x4, STNormLSQ2x4} {
		rq := trainedRQ(t, d, []int{5, 3, 7}, st, x, nil)
		codes := make([]byte, n*rq.CodeSize())
		require.NoError(t, rq.ComputeCodes(x, codes))
		rec := make([]float32, n*d)
		require.NoError(t, rq.Decode(codes, rec))
		var errSum, normSum float64
		for i := 0; i < n; i++ {
			r := rec[i*d : (i+1)*d]
			norm := kernels.Inner(r, r)
			errSum += math.Abs(float64(rq.storedNorm(codes[i*rq.CodeSize():(i+1)*rq.CodeSize()]) - norm))
			normSum += float64(norm)
		}
		// mean error: 0 for floats; observed under 1% of the mean norm at
		// 8 bits and 4% at 4 bits
		limit := map[AQSearchType]float64{STNormFloat: 1e-6, STNormQint4: 0.08, STNormCqint4: 0.08}[st]
		if limit == 0 {
			limit = 0.02
		}
		assert.Less(t, errSum/normSum, limit, "search type %d", st)
	}
}
