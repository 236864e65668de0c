package gpu

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalfaiss/metalfaiss/core"
)

// Float16 flat indexes search the halves of what was added: the same
// answers as the CPU over the rounded vectors, which the host copy holds;
// odd dimensions pad each row to a whole word.
func TestFloat16FlatSearchesTheRoundedVectors(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(16))
	for _, m := range []Metric{L2, InnerProduct} {
		for _, d := range []int{1, 3, 16, 33} {
			ix, err := NewIndexFlatF16(e, d, coreMetric(m))
			require.NoError(t, err)
			xb := randomRows(rng, 300, d, false)
			require.NoError(t, ix.Add(xb[:130*d]))
			require.NoError(t, ix.Add(xb[130*d:])) // appended rows only
			require.True(t, ix.Float16())
			require.Equal(t, RoundToHalf(xb), ix.Vectors())
			xq := randomRows(rng, 9, d, false)
			for _, k := range []int{1, 10, 40} {
				dist, labels := make([]float32, 9*k), make([]int64, 9*k)
				require.NoError(t, ix.Search(xq, k, dist, labels))
				requireSameResults(t, m, xq, RoundToHalf(xb), d, k, dist, labels, fmt.Sprintf("metric %d d %d k %d", m, d, k))
			}
			ix.Close()
		}
	}
}

// The bounded large-k search over float16 rows (knn_filter_tiled_f16).
func TestFloat16FlatLargeKBoundedByASample(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(18))
	d, nb := 3, filterMinRows+7
	ix, err := NewIndexFlatF16(e, d, core.MetricL2)
	require.NoError(t, err)
	defer ix.Close()
	xb := randomRows(rng, nb, d, false)
	require.NoError(t, ix.Add(xb))
	xq := randomRows(rng, 20, d, false)
	k := 64
	dist, labels := make([]float32, 20*k), make([]int64, 20*k)
	require.NoError(t, ix.Search(xq, k, dist, labels))
	requireSameResults(t, L2, xq, RoundToHalf(xb), d, k, dist, labels, "float16, bounded")
}

func TestFloat16IVFFlatSearchesTheRoundedLists(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(17))
	d := 7
	cpu, xb := trainedCPUIVF(t, rng, d, 8, 600)
	require.NoError(t, cpu.Add(xb))
	ix, err := IVFFlatFromCPU(e, cpu, true)
	require.NoError(t, err)
	defer ix.Close()
	require.True(t, ix.Float16())
	require.NoError(t, ix.SetDirectMapType(1))
	ix.Nprobe = 3
	xq := randomRows(rng, 20, d, false)
	requireSameIVF(t, ix, L2, xq, 10, nil, "float16 lists")
	requireSameIVF(t, ix, L2, xq, 50, nil, "float16 lists, k above the fused lists")
	v := make([]float32, d)
	require.NoError(t, ix.Reconstruct(5, v))
	require.Equal(t, RoundToHalf(xb[5*d:6*d]), v)
}
