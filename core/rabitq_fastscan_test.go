package core

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The table-sum estimate of a code is its one-bit estimate up to the
// tables' uint8 rounding: at most M half-steps of the table scale, times
// the code's multiplier.
func TestRaBitQFastScanEstimatesWithinRounding(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for _, d := range []int{13, 64} {
		for _, metric := range []Metric{MetricL2, MetricInnerProduct} {
			for _, centered := range []bool{false, true} {
				ix, err := NewIndexRaBitQFastScan(d, metric, 32, 1)
				require.NoError(t, err)
				x := blobs(rng, 300, d, 4)
				require.NoError(t, ix.Train(x))
				require.NoError(t, ix.Add(x))
				c := ix.packedBlocks()
				rq := newRBQFSQuery(ix.RBQ, 8, centered)
				rq.set(x[:d], ix.Center())
				rq.buildPlanes() // for estimate1, the reference
				var tabs rbqFSTables
				oneA, b := tabs.prepare(rq, ix.m, ix.m2)
				cs := ix.RBQ.CodeSize
				c.sums(tabs.fq.lut, 0, 0, c.nblocks(), newFSScratch(32), func(pos int, sum uint16) {
					code := ix.codes[pos*cs : (pos+1)*cs]
					got := rq.adjusted(float32(sum)*oneA+b, code)
					want := rq.estimate1(code)
					mul := math.Abs(float64(getF32(code, (d+7)/8+4)))
					step := float64(oneA) * float64(ix.m) * 2 * mul
					if centered {
						step *= 2 * float64(rq.intDotScale)
					}
					assert.InDelta(t, want, got, step+1e-3*(1+math.Abs(float64(want))), "d=%d pos=%d", d, pos)
				})
			}
		}
	}
}

// faiss's block layout (sign bits, then per vector the rest of its code)
// and back.
func TestRaBitQFaissBlocksRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	for _, nb := range []int{1, 4} {
		for _, bbs := range []int{32, 96} {
			ix, err := NewIndexRaBitQFastScan(21, MetricL2, bbs, nb)
			require.NoError(t, err)
			x := blobs(rng, 130, 21, 3)
			require.NoError(t, ix.Train(x))
			require.NoError(t, ix.Add(x))
			blocks := ix.FaissBlocks()
			codes, err := RaBitQCodesFromBlocks(blocks, 130, 21, nb, bbs)
			require.NoError(t, err)
			assert.Equal(t, ix.Codes(), codes)
			_, err = RaBitQCodesFromBlocks(blocks[1:], 130, 21, nb, bbs)
			assert.Error(t, err)
		}
	}
}

// The IVF fast-scan search finds what the IVF search by full estimates
// finds, up to the tables' rounding.
func TestIVFRaBitQFastScanAgreesWithIVFRaBitQ(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	d, n, k := 32, 3000, 10
	x := blobs(rng, n, d, 16)
	q1, _ := NewIndexFlat(d, MetricL2)
	fs, err := NewIndexIVFRaBitQFastScan(q1, d, 16, MetricL2, 32, 1)
	require.NoError(t, err)
	fs.Warn = func(string) {}
	require.NoError(t, fs.Train(x))
	require.NoError(t, fs.Add(x))
	ref, err := NewIndexIVFRaBitQ(fs.Quantizer(), d, 16, MetricL2, 1)
	require.NoError(t, err)
	require.NoError(t, ref.Add(x))
	ref.rabitq.Qb, fs.Nprobe, ref.Nprobe = 8, 4, 4
	nq := 50
	d1, i1 := make([]float32, nq*k), make([]int64, nq*k)
	d2, i2 := make([]float32, nq*k), make([]int64, nq*k)
	require.NoError(t, fs.Search(x[:nq*d], k, d1, i1))
	require.NoError(t, ref.Search(x[:nq*d], k, d2, i2))
	same := 0
	for qi := 0; qi < nq; qi++ {
		set := map[int64]bool{}
		for _, id := range i2[qi*k : (qi+1)*k] {
			set[id] = true
		}
		for _, id := range i1[qi*k : (qi+1)*k] {
			if set[id] {
				same++
			}
		}
	}
	assert.Greater(t, same, nq*k*8/10)
}

// The fast path (the SIMD filter where the CPU has one) and the path a
// selector takes (every vector through faiss's handler one by one) keep
// the same results, flat and IVF, for both metrics.
func TestRaBitQFastScanFastPathMatchesHandler(t *testing.T) {
	rng := rand.New(rand.NewSource(14))
	d, n, nq, k := 64, 3000, 20, 10
	x := blobs(rng, n, d, 8)
	for _, metric := range []Metric{MetricL2, MetricInnerProduct} {
		sign := keySign(metric)
		flat, err := NewIndexRaBitQFastScan(d, metric, 32, 1)
		require.NoError(t, err)
		require.NoError(t, flat.Train(x))
		require.NoError(t, flat.Add(x))
		c := flat.packedBlocks()
		rq, tabs, s := newRBQFSQuery(flat.RBQ, 8, false), &rbqFSTables{}, newFSScratch(32)
		for qi := 0; qi < nq; qi++ {
			rq.set(x[qi*d:(qi+1)*d], flat.Center())
			oneA, b := tabs.prepare(rq, flat.m, flat.m2)
			h1, h2 := newTopK(k), newTopK(k)
			rq.scanFS(&h1, c, tabs.fq.lut, 0, oneA, b, 0, c.nblocks(), flat.codes, flat.aux, nil, nil, sign, s)
			rq.scanFS(&h2, c, tabs.fq.lut, 0, oneA, b, 0, c.nblocks(), flat.codes, flat.aux, nil, IDSelectorAll{}, sign, s)
			assert.Equal(t, h2, h1, "metric %v query %d", metric, qi)
		}
		q, _ := NewIndexFlat(d, metric)
		ivf, err := NewIndexIVFRaBitQFastScan(q, d, 8, metric, 64, 1)
		require.NoError(t, err)
		ivf.Warn, ivf.Nprobe = func(string) {}, 3
		require.NoError(t, ivf.Train(x))
		require.NoError(t, ivf.Add(x))
		d1, i1 := make([]float32, nq*k), make([]int64, nq*k)
		d2, i2 := make([]float32, nq*k), make([]int64, nq*k)
		require.NoError(t, ivf.Search(x[:nq*d], k, d1, i1))
		require.NoError(t, ivf.SearchWithParams(x[:nq*d], k, d2, i2, &SearchParams{Sel: IDSelectorAll{}}))
		assert.Equal(t, i1, i2, "metric %v", metric)
		assert.Equal(t, d1, d2)
	}
}

// sums runs the kernel over blocks [b0, b1) of c with table lut (plus
// bias) and calls each with every vector's position and sum.
func (c pq4Blocks) sums(lut []byte, bias uint16, b0, b1 int, s *fsScratch, each func(pos int, sum uint16)) {
	for b := b0; b < b1; {
		groups, next := c.chunk(lut, bias, 0, 0, b, b1, rbqScanGroups, s)
		base := b * c.bbs
		for i, v := range s.out[:min(groups*32, c.n-base)] {
			each(base+i, v)
		}
		b = next
	}
}
