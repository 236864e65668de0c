package core

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// The short-list scan of a multi-index IVF-PQ gives the bits of the table
// scan (the list's table plus the query's terms, then kernels.PQScan8).
func TestMultiIndexShortScanMatchesTheTableScan(t *testing.T) {
	rng := rand.New(rand.NewSource(180))
	const d = 24
	for _, m := range []int{4, 6, 8, 12} {
		mi, err := NewMultiIndexQuantizer(d, 2, 4)
		require.NoError(t, err)
		ix, err := NewIndexIVFPQ(mi, d, 256, m, 8, MetricL2)
		require.NoError(t, err)
		ix.Warn, ix.PQ().Warn = func(string) {}, func(string) {}
		xb := randData(rng, 3000, d, false)
		require.NoError(t, ix.Train(xb))
		require.NoError(t, ix.Add(xb))
		require.NotNil(t, ix.pqTermsMI, "mode-2 tables")
		pq := ix.PQ()
		xq := randData(rng, 1, d, false)
		qTerms := make([]float32, pq.M*pq.Ksub)
		neg := make([]float32, d)
		for j, v := range xq {
			neg[j] = -2 * v
		}
		pq.distanceTable(neg, MetricInnerProduct, qTerms)
		table := make([]float32, pq.M*pq.Ksub)
		for list := 0; list < 256; list++ {
			codes := ix.lists.lists[list].codes
			n := len(codes) / pq.CodeSize
			if n == 0 {
				continue
			}
			want, got := make([]float32, n), make([]float32, n)
			ix.multiIndexTable(list, table)
			for i := range table {
				table[i] += qTerms[i]
			}
			pq.scanCodes(codes, table, 0.25, want)
			ix.multiIndexScanShort(list, qTerms, codes, 0.25, got)
			require.Equal(t, want, got, "M %d list %d", m, list)
		}
	}
}
