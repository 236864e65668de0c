package core

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

func trainedFastScan(t *testing.T, rng *rand.Rand, d, m, bbs, n int, metric Metric) (*IndexPQFastScan, []float32) {
	ix, err := NewIndexPQFastScan(d, m, 4, metric, bbs)
	require.NoError(t, err)
	x := blobs(rng, n, d, 20)
	require.NoError(t, ix.Train(x))
	require.NoError(t, ix.Add(x))
	return ix, x
}

func searchFS(t *testing.T, ix *IndexPQFastScan, q []float32, k int, p *SearchParams) ([]float32, []int64) {
	nq := len(q) / ix.D()
	dist, ids := make([]float32, nq*k), make([]int64, nq*k)
	require.NoError(t, ix.SearchWithParams(q, k, dist, ids, p))
	return dist, ids
}

// The kernels' results equal faiss's implem 4 (rounded tables summed code
// by code): the same ids, distances up to the rounding of 1/a.
func TestPQFastScanKernelsMatchCodeByCodeSums(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for _, c := range []struct {
		d, m, bbs, n int
		metric       Metric
	}{{32, 16, 32, 1000, MetricL2}, {30, 15, 64, 777, MetricL2}, {24, 12, 96, 300, MetricInnerProduct}, {16, 16, 32, 33, MetricInnerProduct}} {
		ix, x := trainedFastScan(t, rng, c.d, c.m, c.bbs, c.n, c.metric)
		q := x[:min(40, c.n)*c.d]
		for _, k := range []int{1, 10, 50} {
			ix.Implem = 4
			refD, refI := searchFS(t, ix, q, k, nil)
			ix.Implem = 0
			gotD, gotI := searchFS(t, ix, q, k, nil)
			if k <= fsHeapMaxK {
				require.Equal(t, refI, gotI, "%+v k=%d", c, k)
			} else { // a reservoir: ties at the last distance are cut its own way
				for qi := 0; qi < len(q)/c.d; qi++ {
					requireSameBeforeLast(t, refD[qi*k:(qi+1)*k], refI[qi*k:(qi+1)*k], gotI[qi*k:(qi+1)*k])
				}
			}
			for i := range refD {
				if refI[i] < 0 {
					continue // faiss's variants pad short results differently
				}
				require.InDelta(t, refD[i], gotD[i], 1e-5*math.Abs(float64(refD[i]))+5e-4, "the two differ in rounding 1/a only")
			}
			// one query at a time splits the codes over the workers
			oneD, oneI := searchFS(t, ix, q[:c.d], k, nil)
			require.Equal(t, gotI[:k], oneI)
			require.Equal(t, gotD[:k], oneD)
		}
	}
}

func TestPQFastScanSelectorAndShortResults(t *testing.T) {
	rng := rand.New(rand.NewSource(6))
	ix, x := trainedFastScan(t, rng, 16, 8, 32, 50, MetricL2)
	sel := IDSelectorRange{Min: 10, Max: 15}
	_, ids := searchFS(t, ix, x[:3*16], 8, &SearchParams{Sel: sel})
	for qi := 0; qi < 3; qi++ {
		row := ids[qi*8 : qi*8+8]
		require.ElementsMatch(t, []int64{10, 11, 12, 13, 14, -1, -1, -1}, row)
		require.Equal(t, []int64{-1, -1, -1}, row[5:])
	}
}

func TestPQFastScanFromIndexPQAndEdits(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	x := blobs(rng, 500, 20, 10)
	pq, err := NewIndexPQ(20, 5, 4, MetricL2)
	require.NoError(t, err)
	require.NoError(t, pq.Train(x))
	require.NoError(t, pq.Add(x[:300*20]))
	fs, err := NewIndexPQFastScanFrom(pq, 64)
	require.NoError(t, err)
	require.Equal(t, pq.Codes(), fs.StandardCodes())
	want := make([]float32, 300*20)
	require.NoError(t, pq.ReconstructN(0, 300, want))
	got := make([]float32, 300*20)
	require.NoError(t, fs.ReconstructN(0, 300, got))
	require.Equal(t, want, got)

	// adding to either gives the same packed codes
	require.NoError(t, fs.Add(x[300*20:]))
	require.NoError(t, pq.Add(x[300*20:]))
	fs2, err := NewIndexPQFastScanFrom(pq, 64)
	require.NoError(t, err)
	require.Equal(t, fs2.PackedCodes(), fs.PackedCodes())

	removed, err := fs.RemoveIDs(IDSelectorRange{Min: 0, Max: 100})
	require.NoError(t, err)
	require.EqualValues(t, 100, removed)
	require.Equal(t, pq.Codes()[100*pq.CodeSize():], fs.StandardCodes())

	_, err = NewIndexPQFastScan(20, 5, 8, MetricL2, 32)
	require.ErrorContains(t, err, "nbits=8")
	_, err = NewIndexPQFastScan(20, 6, 4, MetricL2, 32)
	require.ErrorContains(t, err, "must divide")
	_, err = NewIndexPQFastScan(20, 5, 4, MetricL2, 48)
	require.ErrorContains(t, err, "bbs")
	un, err := NewIndexPQFastScan(20, 5, 4, MetricL2, 32)
	require.NoError(t, err)
	require.ErrorContains(t, un.Search(x[:20], 1, make([]float32, 1), make([]int64, 1)), "train")
}

// After a removal the last block's tail keeps stale codes (faiss's bytes);
// adding again must not mix them into the new codes.
func TestPQFastScanAddAfterRemoveKeepsCodesIntact(t *testing.T) {
	rng := rand.New(rand.NewSource(8))
	ix, x := trainedFastScan(t, rng, 16, 8, 32, 100, MetricL2)
	want := append([]byte(nil), ix.StandardCodes()...)
	_, err := ix.RemoveIDs(IDSelectorRange{Min: 0, Max: 10})
	require.NoError(t, err)
	require.NoError(t, ix.Add(x[:10*16]))
	got := ix.StandardCodes()
	require.Equal(t, want[10*ix.PQ.CodeSize:], got[:90*ix.PQ.CodeSize])
	require.Equal(t, want[:10*ix.PQ.CodeSize], got[90*ix.PQ.CodeSize:])
}
