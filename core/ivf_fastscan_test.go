package core

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

func fastScanIVF(t *testing.T, rng *rand.Rand, d, m, nlist, bbs, n int, metric Metric, residual bool) (*IndexIVF, []float32) {
	q, err := NewIndexFlat(d, metric)
	require.NoError(t, err)
	ix, err := NewIndexIVFPQFastScan(q, d, nlist, m, 4, metric, bbs)
	require.NoError(t, err)
	ix.ByResidual = residual
	ix.Warn, ix.PQ().Warn = func(string) {}, func(string) {}
	x := blobs(rng, n, d, 30)
	require.NoError(t, ix.Train(x))
	require.NoError(t, ix.Add(x))
	ix.Nprobe = 4
	return ix, x
}

// The kernels (implem 10..13) give implem 2's results (the same uint8
// tables summed code by code): the same distances, and the same ids but
// for the order of equal distances, which depends on the visiting order.
func TestIVFFastScanKernelsMatchCodeByCodeSums(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for _, metric := range []Metric{MetricL2, MetricInnerProduct} {
		for _, residual := range []bool{false, true} {
			for _, bbs := range []int{32, 64} {
				ix, x := fastScanIVF(t, rng, 32, 16, 16, bbs, 2000, metric, residual)
				q := x[:50*32]
				k := 10
				search := func(implem int) ([]float32, []int64) {
					ix.FastScan().Implem = implem
					d, l := make([]float32, 50*k), make([]int64, 50*k)
					require.NoError(t, ix.Search(q, k, d, l))
					return d, l
				}
				refD, refI := search(2)
				impls := []int{10, 11, 110}
				if bbs == 32 {
					impls = append(impls, 0, 12, 13)
				}
				for _, impl := range impls {
					gotD, gotI := search(impl)
					for i := range refD {
						require.InDelta(t, refD[i], gotD[i], 1e-5*math.Abs(float64(refD[i]))+1e-5, "implem %d metric %v residual %v bbs %d i %d", impl, metric, residual, bbs, i)
					}
					for qi := 0; qi < 50; qi++ {
						requireSameBeforeLast(t, refD[qi*k:(qi+1)*k], refI[qi*k:(qi+1)*k], gotI[qi*k:(qi+1)*k])
					}
				}
			}
		}
	}
}

// Packed copies follow the lists through removals and additions.
func TestIVFFastScanRepacksChangedLists(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	ix, x := fastScanIVF(t, rng, 16, 8, 8, 32, 500, MetricL2, false)
	q := x[:5*16]
	d, l := make([]float32, 5), make([]int64, 5)
	require.NoError(t, ix.Search(q, 1, d, l))
	_, err := ix.RemoveIDs(IDSelectorRange{Min: 0, Max: 5})
	require.NoError(t, err)
	require.NoError(t, ix.Search(q, 1, d, l))
	for _, id := range l {
		require.GreaterOrEqual(t, id, int64(5))
	}
	first := append([]float32(nil), d...)
	require.NoError(t, ix.AddWithIDs(q, []int64{100, 101, 102, 103, 104}))
	require.NoError(t, ix.Search(q, 1, d, l))
	require.Equal(t, first, d, "the re-added vectors are found at their distance")
	require.NoError(t, ix.SearchWithParams(q, 1, d, l, &SearchParams{Sel: IDSelectorRange{Min: 100, Max: 105}}))
	require.Equal(t, []int64{100, 101, 102, 103, 104}, l)
}

// requireSameBeforeLast checks that two result rows with distances dist
// hold the same ids at every distance but the last one (ties there may be
// cut differently).
func requireSameBeforeLast(t *testing.T, dist []float32, a, b []int64) {
	last := dist[len(dist)-1]
	var sa, sb []int64
	for i, d := range dist {
		if d != last {
			sa, sb = append(sa, a[i]), append(sb, b[i])
		}
	}
	require.ElementsMatch(t, sa, sb)
}
