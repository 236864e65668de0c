package core

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// The scaled norm codes, both ways (the kernel's candidates finished by
// addScaled; the blocks and tables extended with copies of the norm
// pairs): exactly the vectors whose full sum (the last two fields times
// the scale) is below the threshold are flagged, with those sums as keys.
func TestFastScanScaledPairKeys(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for _, c := range []struct{ m, bbs, n int }{{6, 32, 200}, {5, 64, 150}, {10, 96, 96}} {
		m2 := (c.m + 1) &^ 1
		nb := (c.n + c.bbs - 1) / c.bbs * c.bbs
		blocks := make([]byte, nb*m2/2)
		PQ4PackCodes(randomCodes(rng, c.n, (c.m+1)/2), c.n, c.m, nb, c.bbs, m2, blocks)
		lut := make([]byte, m2*16)
		for i := range lut[:c.m*16] {
			lut[i] = byte(rng.Intn(256))
		}
		const scale = 3
		ref := make([]uint16, c.n)
		for i := range ref {
			for sq := 0; sq < m2; sq++ {
				v := uint16(lut[sq*16+int(PQ4GetPackedElement(blocks, c.bbs, m2, i, sq))])
				if sq >= c.m-2 {
					v *= scale
				}
				ref[i] += v
			}
		}
		packed := make([]byte, m2*16)
		PQ4PackLUT(1, m2, lut, packed)
		// the fix-up of the kernel's candidates, and the extended layout
		fixup := pq4Blocks{codes: blocks, n: c.n, bbs: c.bbs, m2: m2, scale: scale, m: c.m}
		l := newFSScaledLayout(c.m, m2, scale)
		require.NotNil(t, l)
		extended := pq4Blocks{codes: l.extendBlocks(blocks, nb/c.bbs, c.bbs), n: c.n, bbs: c.bbs, m2: l.extM2(), m: c.m}
		extLUT := l.extendLUT(append([]byte(nil), lut...))
		extPacked := make([]byte, len(extLUT))
		PQ4PackLUT(1, l.extM2(), extLUT, extPacked)
		for _, thr := range []uint16{fsKeyNone, ref[0], ref[c.n/2] + 1} {
			want := map[int]uint16{}
			for i, v := range ref {
				if v < thr {
					want[i] = v
				}
			}
			for _, v := range []struct {
				b   pq4Blocks
				lut []byte
			}{{fixup, packed}, {extended, extPacked}} {
				s := newFSScratch(c.bbs)
				got := map[int]uint16{}
				v.b.scanWith(v.lut, 0, 0, thr, 0, v.b.nblocks(), s, func(pos int, key uint16) { got[pos] = key })
				require.Equal(t, want, got, "m=%d bbs=%d thr=%d m2=%d", c.m, c.bbs, thr, v.b.m2)
			}
		}
	}
}

func trainedRQFastScan(t *testing.T, rng *rand.Rand, d, m int, metric Metric, n int) (*IndexAQFastScan, []float32) {
	st := STNormRQ2x4
	if metric == MetricInnerProduct {
		st = STLUTNonorm
	}
	ix, err := NewIndexResidualQuantizerFastScan(d, m, 4, metric, st, 32)
	require.NoError(t, err)
	x := blobs(rng, n, d, 20)
	require.NoError(t, ix.Train(x))
	require.NoError(t, ix.Add(x))
	return ix, x
}

// The kernels and the code-by-code sums (implem 4) scale the same two norm
// codes, for an even M and an odd one: the same neighbours, distances up
// to 1/a.
func TestAQFastScanKernelsMatchCodeByCode(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for _, c := range []struct {
		m      int
		metric Metric
	}{{4, MetricL2}, {3, MetricL2}, {4, MetricInnerProduct}} {
		metric := c.metric
		ix, x := trainedRQFastScan(t, rng, 16, c.m, metric, 2000)
		if metric == MetricL2 {
			require.NoError(t, ix.SetNormScale(true, 3))
		}
		q := x[:30*16]
		const k = 10
		dist := func(implem int) ([]float32, []int64) {
			ix.Implem = implem
			d, l := make([]float32, 30*k), make([]int64, 30*k)
			require.NoError(t, ix.Search(q, k, d, l))
			return d, l
		}
		refD, refI := dist(4)
		gotD, gotI := dist(0)
		require.InDeltaSlice(t, refD, gotD, 1e-3*float64(absMax(refD)+1))
		same := 0
		for i := range refI {
			if refI[i] == gotI[i] {
				same++
			}
		}
		require.Greater(t, same, len(refI)*9/10, "metric %s", metric)
	}
}

func absMax(v []float32) float32 {
	var m float32
	for _, x := range v {
		m = max(m, x, -x)
	}
	return m
}

// Bad shapes and search types are refused; a failed train leaves the
// index untrained.
func TestAQFastScanRefuses(t *testing.T) {
	_, err := NewIndexResidualQuantizerFastScan(16, 4, 8, MetricL2, STNormRQ2x4, 32)
	require.Error(t, err)
	_, err = NewIndexResidualQuantizerFastScan(16, 4, 4, MetricL2, STNormFloat, 32)
	require.Error(t, err)
	_, err = NewIndexResidualQuantizerFastScan(16, 4, 4, MetricInnerProduct, STNormRQ2x4, 32)
	require.Error(t, err)
	_, err = NewIndexResidualQuantizerFastScan(16, 4, 4, MetricL2, STNormRQ2x4, 48)
	require.Error(t, err)
	ix, err := NewIndexLocalSearchQuantizerFastScan(16, 4, 4, MetricL2, STNormLSQ2x4, 32)
	require.NoError(t, err)
	require.Error(t, ix.Add(make([]float32, 16)))
	require.Error(t, ix.SetNormScale(true, 1<<16))
	require.False(t, ix.IsTrained())
}

// The norm scale rounds as faiss's (int)roundf(max(s, 1)), INT_MIN where a
// flat table made the mean infinite.
func TestFaissRoundScale(t *testing.T) {
	require.Equal(t, 1, faissRoundScale(0.3))
	require.Equal(t, 2, faissRoundScale(2.4))
	require.Equal(t, 3, faissRoundScale(2.5))
	require.Equal(t, math.MinInt32, faissRoundScale(math.Inf(1)))
	require.Equal(t, math.MinInt32, faissRoundScale(math.NaN()))
	require.Equal(t, 1, scaleInForce(true, math.MinInt32, MetricL2))
}
