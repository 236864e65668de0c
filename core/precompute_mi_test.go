package core

import (
	"math/rand"
	"testing"

	"github.com/metalfaiss/metalfaiss/core/kernels"
	"github.com/stretchr/testify/require"
)

// A short multi-index list summed term by term gives the table path's
// distances bit for bit, with M a multiple of 4 and not.
func TestShortMultiIndexListsMatchTheTablePath(t *testing.T) {
	for _, m := range []int{4, 6} {
		d := 4 * m
		rng := rand.New(rand.NewSource(int64(m)))
		mi, err := NewMultiIndexQuantizer(d, 2, 3)
		require.NoError(t, err)
		ix, err := NewIndexIVFPQ(mi, d, 64, m, 8, MetricL2)
		require.NoError(t, err)
		x := make([]float32, 10000*d)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		require.NoError(t, ix.Train(x))
		require.NotNil(t, ix.pqTermsMI, "M=%d: the multi-index tables", m)
		pq := ix.PQ()
		qTerms := make([]float32, m*pq.Ksub)
		for i := range qTerms {
			qTerms[i] = float32(rng.NormFloat64())
		}
		codes := make([]byte, 31*m)
		rng.Read(codes)
		table := make([]float32, m*pq.Ksub)
		base := make([]int, m)
		for list := range 64 {
			for _, n := range []int{1, 5, 31} {
				want, got := make([]float32, n), make([]float32, n)
				ix.multiIndexTable(list, table)
				kernels.AddTo(table, qTerms)
				pq.scanCodes(codes[:n*m], table, 0.5, want)
				ix.scanMultiIndexShort(list, qTerms, codes[:n*m], 0.5, got, base)
				require.Equal(t, want, got, "M=%d list %d, %d codes", m, list, n)
			}
		}
	}
}
