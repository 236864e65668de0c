package core

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every type decodes within its step (half a step inside the trained
// range), and a code scan gives the distances to the decoded vectors.
func TestScalarQuantizerRoundTripAndScan(t *testing.T) {
	rng := rand.New(rand.NewSource(51))
	d, n := 13, 400
	x := make([]float32, n*d)
	for i := range x {
		x[i] = float32(rng.NormFloat64()*10 + 50)
	}
	for qt := QT8bit; qt <= QT8bitDirectSigned; qt++ {
		sq, err := NewScalarQuantizer(d, qt)
		require.NoError(t, err)
		require.NoError(t, sq.Train(x))
		codes := make([]byte, n*sq.CodeSize())
		require.NoError(t, sq.ComputeCodes(x, codes))
		back := make([]float32, n*d)
		require.NoError(t, sq.Decode(codes, back))
		for i, v := range x {
			var step float64
			switch qt {
			case QTfp16:
				step = 1e-3 * math.Abs(float64(v))
			case QTbf16:
				step = 4e-3 * math.Abs(float64(v))
			case QT8bitDirect, QT8bitDirectSigned:
				step = 1
			default:
				_, vdiff := sq.rangeOf(i % d)
				step = float64(vdiff) / float64(sq.levels())
			}
			require.InDelta(t, v, back[i], step+1e-4, "type %d value %d", qt, i)
		}
		for _, m := range []Metric{MetricL2, MetricInnerProduct} {
			s := sq.newScanner(m)
			q := x[:d]
			s.setQuery(q)
			out := make([]float32, n)
			s.scan(codes, 0.5, out)
			for i := range out {
				want := float64(0.5) + refDistance(m, 0, q, back[i*d:(i+1)*d])
				require.InDelta(t, want, out[i], tol(want), "type %d metric %s code %d", qt, m, i)
			}
		}
	}
	_, err := NewScalarQuantizer(d, qtLastNumber+1)
	assert.ErrorContains(t, err, "unknown quantizer type")
}

// A batch (codes decoded, dot-product tiles) and one query at a time (ADC
// tables) agree for IVFPQ, both metrics.
func TestIVFPQBatchAgreesWithADC(t *testing.T) {
	rng := rand.New(rand.NewSource(52))
	d := 16
	xb := blobs(rng, 4000, d, 20)
	for _, m := range []Metric{MetricL2, MetricInnerProduct} {
		q, _ := NewIndexFlat(d, m)
		ix, err := NewIndexIVFPQ(q, d, 16, 4, 6, m)
		require.NoError(t, err)
		ix.CP.Niter = 3
		ix.PQ().CP.Niter = 3
		require.NoError(t, ix.Train(xb))
		require.NoError(t, ix.Add(xb))
		ix.Nprobe = 16 // a batch of 40 then probes every list 40 times: by list
		xq := xb[:40*d]
		all, allL := make([]float32, 40*5), make([]int64, 40*5)
		require.NoError(t, ix.Search(xq, 5, all, allL))
		for i := 0; i < 40; i++ {
			one, oneL := make([]float32, 5), make([]int64, 5)
			require.NoError(t, ix.Search(xq[i*d:(i+1)*d], 5, one, oneL))
			for r := range one {
				require.InDelta(t, one[r], all[i*5+r], 1e-3*math.Max(1, math.Abs(float64(one[r]))), "metric %s query %d rank %d", m, i, r)
			}
		}
		out := make([]float32, d)
		require.NoError(t, ix.SetDirectMapType(1))
		require.NoError(t, ix.Reconstruct(7, out))
		for j := range out {
			assert.InDelta(t, xb[7*d+j], out[j], 3, "a coarse reconstruction")
		}
	}
}
