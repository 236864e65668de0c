package core

import (
	"math"
	"math/rand"
	"testing"

	"github.com/metalfaiss/metalfaiss/core/kernels"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rbqSigns and rbqMagnitudes unpack a code the plain way, for references.
func rbqSigns(code []byte, d int) []int {
	s := make([]int, d)
	for j := range s {
		s[j] = int(code[j/8] >> (j % 8) & 1)
	}
	return s
}

func rbqMagnitudes(q *RaBitQuantizer, code []byte) []int {
	l := q.layout()
	m := make([]int, q.D)
	for j := range m {
		for b := 0; b < l.exBits; b++ {
			bit := j*l.exBits + b
			m[j] |= int(code[l.exAt+bit/8]>>(bit%8)&1) << b
		}
	}
	return m
}

// The estimators against their definitions: the one-bit estimate from the
// (quantized) query's values summed over the set bits, the full one from
// the reconstructed levels; bit-plane popcounts are exact integers.
func TestRaBitQEstimatesMatchDefinitions(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for _, d := range []int{5, 64, 100} {
		for _, nb := range []int{1, 2, 4, 9} {
			for _, metric := range []Metric{MetricL2, MetricInnerProduct} {
				q, err := NewRaBitQuantizer(d, metric, nb)
				require.NoError(t, err)
				x := blobs(rng, 20, d, 3)
				c := x[:d]
				codes := make([]byte, 20*q.CodeSize)
				q.computeCodesAt(x, codes, func(int) []float32 { return c })
				query := blobs(rng, 1, d, 3)
				for _, qb := range []int{0, 3, 8} {
					for _, centered := range []bool{false, true} {
						rq := newRBQQuery(q, qb, centered)
						rq.set(query, c)
						for i := 0; i < 20; i++ {
							code := codes[i*q.CodeSize : (i+1)*q.CodeSize]
							want := rbqReference(q, rq, query, c, code)
							// float32 rounding of the terms, which cancel
							tol := 1e-5 * (1 + float64(rq.qrToC+rq.qrNorm) + math.Abs(float64(getF32(code, (d+7)/8))))
							assert.InDelta(t, want[0], rq.estimate1(code), tol, "d=%d nb=%d qb=%d", d, nb, qb)
							assert.InDelta(t, want[1], rq.full(code), 1e-4*(1+math.Abs(want[1])), "d=%d nb=%d", d, nb)
						}
					}
				}
			}
		}
	}
}

// rbqReference computes the one-bit and full estimates in float64 from the
// unpacked code and the query quantization rq chose.
func rbqReference(q *RaBitQuantizer, rq *rbqQuery, x, c []float32, code []byte) [2]float64 {
	d := q.D
	s := rbqSigns(code, d)
	sb := (d + 7) / 8
	orMinusC, mul := float64(getF32(code, sb)), float64(getF32(code, sb+4))
	var dot float64
	switch {
	case rq.qb == 0:
		var sum float64
		for j := range s {
			sum += float64(x[j] - c[j])
			if s[j] == 1 {
				dot += 2 * float64(x[j]-c[j])
			}
		}
		dot = (dot - sum) / math.Sqrt(float64(d))
	default:
		// the quantized query values rq chose, summed the plain way
		var qq = make([]int64, d)
		for j := range qq {
			qq[j] = int64(rq.qq[j])
		}
		maxCode := int64(1)<<rq.qb - 1
		if rq.centered {
			var acc int64
			for j := range s {
				acc += (2*int64(s[j]) - 1) * (2*qq[j] - maxCode)
			}
			dot = float64(acc) * float64(rq.intDotScale)
		} else {
			var a, pop int64
			for j := range s {
				a += qq[j] * int64(s[j])
				pop += int64(s[j])
			}
			dot = float64(rq.c1)*float64(a) + float64(rq.c2)*float64(pop) - float64(rq.c34)
		}
	}
	pre := orMinusC + float64(rq.qrToC) - 2*mul*dot
	var one float64
	if q.Metric == MetricL2 {
		one = math.Max(0, pre)
	} else {
		one = -0.5 * (pre - float64(rq.qrNorm))
	}
	if q.NbBits == 1 {
		return [2]float64{one, one}
	}
	l := q.layout()
	mags := rbqMagnitudes(q, code)
	var ip float64
	for j := range s {
		level := float64(s[j]<<l.exBits+mags[j]) - (float64(int(1)<<l.exBits) - 0.5)
		ip += float64(x[j]-c[j]) * level
	}
	add, rescale := float64(getF32(code, l.exFactorsAt)), float64(getF32(code, l.exFactorsAt+4))
	var base float64
	if q.Metric == MetricL2 {
		base = float64(rq.qrToC)
	} else {
		base = float64(rq.qDotC)
	}
	full := base + add + rescale*ip
	if q.Metric == MetricL2 {
		full = math.Max(0, full)
	}
	return [2]float64{one, full}
}

// The magnitude codes estimate the residual well: the full estimate of
// the inner product <q - c, x - c> approaches the truth as bits are added.
func TestRaBitQMoreBitsEstimateBetter(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	d := 128
	x := blobs(rng, 200, d, 5)
	query := blobs(rng, 1, d, 5)
	var prev float64 = math.Inf(1)
	for _, nb := range []int{1, 3, 6, 9} {
		q, err := NewRaBitQuantizer(d, MetricL2, nb)
		require.NoError(t, err)
		codes := make([]byte, 200*q.CodeSize)
		require.NoError(t, q.ComputeCodes(x, codes))
		rq := newRBQQuery(q, 0, false)
		rq.set(query, nil)
		var errSum float64
		for i := 0; i < 200; i++ {
			truth := float64(kernels.L2Sqr(query, x[i*d:(i+1)*d]))
			errSum += math.Abs(float64(rq.full(codes[i*q.CodeSize:(i+1)*q.CodeSize])) - truth)
		}
		assert.Less(t, errSum, prev, "nb=%d", nb)
		prev = errSum
	}
}

// faiss's scale search finds a t whose rounded-down levels align with |r|
// nearly as well as the best level-change point of its range.
func TestRaBitQScalingFactorIsBest(t *testing.T) {
	rng := rand.New(rand.NewSource(6))
	for _, exBits := range []int{1, 3, 8} {
		o := make([]float32, 40)
		var n float64
		for j := range o {
			o[j] = float32(math.Abs(rng.NormFloat64()))
			n += float64(o[j] * o[j])
		}
		for j := range o {
			o[j] /= float32(math.Sqrt(n))
		}
		score := func(t float32) float64 {
			var num, den float64
			for _, v := range o {
				c := math.Min(math.Floor(float64(t*v)+rbqEps), float64(int(1)<<exBits-1))
				num += (c + 0.5) * float64(v)
				den += (c + 0.5) * (c + 0.5)
			}
			return num / math.Sqrt(den)
		}
		best := rbqScalingFactor(o, exBits)
		// faiss searches t in [start, end): end puts the largest value ten
		// levels past the top one
		var maxO float32
		for _, v := range o {
			maxO = max(maxO, v)
		}
		end := float32(int(1)<<exBits-1+10) / maxO
		start := end * rbqTightStart[exBits]
		top := 0.0
		for _, v := range o {
			for lv := 1; lv < 1<<exBits; lv++ {
				if c := float32(lv) / v; c >= start && c < end {
					top = math.Max(top, score(c))
				}
			}
		}
		// faiss's walk scores levels it has not clamped yet, so its pick
		// may miss the best clamped one, by little
		assert.GreaterOrEqual(t, score(best), 0.99*top, "exBits=%d", exBits)
	}
}

// IndexRaBitQ's two-stage search returns what scoring every code by its
// full estimate returns, up to the rare candidate the error bound drops.
func TestIndexRaBitQTwoStageKeepsTheBest(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	d, n, k := 48, 2000, 10
	x := blobs(rng, n, d, 10)
	for _, metric := range []Metric{MetricL2, MetricInnerProduct} {
		ix, err := NewIndexRaBitQ(d, metric, 4)
		require.NoError(t, err)
		require.NoError(t, ix.Train(x))
		require.NoError(t, ix.Add(x))
		q := x[:20*d]
		dist, ids := make([]float32, 20*k), make([]int64, 20*k)
		require.NoError(t, ix.Search(q, k, dist, ids))
		hits := 0
		for i := 0; i < 20; i++ {
			rq := newRBQQuery(ix.RBQ, ix.Qb, false)
			rq.set(q[i*d:(i+1)*d], ix.Center())
			h := newTopK(k)
			sign := keySign(metric)
			for j := 0; j < n; j++ {
				h.push(sign*rq.full(ix.codes[j*ix.RBQ.CodeSize:(j+1)*ix.RBQ.CodeSize]), int64(j))
			}
			wd, wi := make([]float32, k), make([]int64, k)
			h.emit(sign, wd, wi)
			for j := range wi {
				if wi[j] == ids[i*k+j] {
					hits++
				}
			}
		}
		assert.GreaterOrEqual(t, hits, 20*k*98/100, "metric %v", metric)
	}
}

func TestRaBitQDecodeSignVectors(t *testing.T) {
	q, err := NewRaBitQuantizer(16, MetricL2, 1)
	require.NoError(t, err)
	rng := rand.New(rand.NewSource(8))
	x := make([]float32, 3*16)
	for i := range x {
		x[i] = float32(2*rng.Intn(2)-1) * 7
	}
	codes := make([]byte, 3*q.CodeSize)
	require.NoError(t, q.ComputeCodes(x, codes))
	y := make([]float32, len(x))
	require.NoError(t, q.Decode(codes, y))
	assert.Equal(t, x, y)
	_, err = NewRaBitQuantizer(16, MetricL2, 10)
	assert.ErrorContains(t, err, "nb_bits")
}

// scanList (its unrolled loop, or the SIMD filter where the CPU has one)
// keeps exactly what offering the codes one by one keeps.
func TestRaBitQScanListMatchesOffers(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	for _, d := range []int{64, 100, 128, 200} {
		for _, metric := range []Metric{MetricL2, MetricInnerProduct} {
			for _, qb := range []int{1, 4, 8} {
				q, err := NewRaBitQuantizer(d, metric, 1)
				require.NoError(t, err)
				n := 1000 + rng.Intn(30)
				x := blobs(rng, n, d, 5)
				codes := make([]byte, n*q.CodeSize)
				require.NoError(t, q.ComputeCodes(x, codes))
				rq := newRBQQuery(q, qb, false)
				rq.set(x[:d], nil)
				sign := keySign(metric)
				for _, k := range []int{1, 10, 100} {
					a, b := newTopK(k), newTopK(k)
					rq.scanList(&a, codes, n, nil, 7, nil, sign)
					for i := 0; i < n; i++ {
						rq.offer(&b, codes[i*q.CodeSize:(i+1)*q.CodeSize], int64(7+i), sign)
					}
					da, ia, db, ib := make([]float32, k), make([]int64, k), make([]float32, k), make([]int64, k)
					a.emit(sign, da, ia)
					b.emit(sign, db, ib)
					require.Equal(t, ib, ia, "d=%d qb=%d k=%d", d, qb, k)
					require.Equal(t, db, da)
				}
			}
		}
	}
}
