package gpu

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/metalfaiss/metalfaiss/core"
	"github.com/stretchr/testify/require"
)

// The device decodes the codes as the CPU scan does: same answers as the
// host copy for each supported type, with and without residuals, both
// metrics; copies to and from the CPU keep everything.
func TestIVFSQSearchMatchesTheCPU(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(30))
	for _, qt := range []core.QuantizerType{core.QT8bit, core.QT8bitUniform, core.QTfp16} {
		for _, m := range []Metric{L2, InnerProduct} {
			for _, residual := range []bool{true, false} {
				d := 9
				ix, err := NewIndexIVFScalarQuantizer(e, d, 8, qt, coreMetric(m), residual)
				require.NoError(t, err)
				ix.Warn = func(string) {}
				xb := randomRows(rng, 500, d, false)
				require.NoError(t, ix.Train(xb))
				require.NoError(t, ix.Add(xb))
				require.NoError(t, ix.SetDirectMapType(1))
				ix.Nprobe = 3
				xq := randomRows(rng, 15, d, false)
				msg := fmt.Sprintf("type %d metric %d residual %v", qt, m, residual)
				requireSameIVFOn(t, &ix.ivfOnDevice, m, xq, 10, msg)
				requireSameIVFOn(t, &ix.ivfOnDevice, m, xq, 60, msg+", k above the fused lists")
				back, err := ix.ToCPU()
				require.NoError(t, err)
				again, err := IVFSQFromCPU(e, back)
				require.NoError(t, err)
				require.NoError(t, again.SetDirectMapType(1))
				requireSameIVFOn(t, &again.ivfOnDevice, m, xq, 10, msg+", copied back and forth")
				again.Close()
				ix.Close()
			}
		}
	}
	_, err := NewIndexIVFScalarQuantizer(e, 8, 4, core.QT4bit, core.MetricL2, true)
	require.ErrorContains(t, err, "QT_8bit, QT_8bit_uniform and QT_fp16")
}

// IVF-PQ: the device's tables give the host scan's answers (with and
// without residuals, both metrics, M large enough for tables in parts).
func TestIVFPQSearchMatchesTheCPU(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(31))
	for _, m := range []Metric{L2, InnerProduct} {
		for _, c := range []struct{ d, M int }{{8, 4}, {40, 20}, {34, 17}} {
			for _, residual := range []bool{true, false} {
				ix, err := NewIndexIVFPQ(e, c.d, 8, c.M, 8, coreMetric(m))
				require.NoError(t, err)
				ix.Warn, ix.PQ().Warn = func(string) {}, func(string) {}
				ix.ByResidual = residual
				xb := randomRows(rng, 2000, c.d, false)
				require.NoError(t, ix.Train(xb))
				require.NoError(t, ix.Add(xb[:1200*c.d]))
				require.NoError(t, ix.SetDirectMapType(1))
				ix.Nprobe = 3
				xq := randomRows(rng, 12, c.d, false)
				msg := fmt.Sprintf("metric %d d %d M %d residual %v", m, c.d, c.M, residual)
				requireSameIVFOn(t, &ix.ivfOnDevice, m, xq, 10, msg)
				requireSameIVFOn(t, &ix.ivfOnDevice, m, xq, 70, msg+", k 70")
				back, err := ix.ToCPU()
				require.NoError(t, err)
				again, err := IVFPQFromCPU(e, back)
				require.NoError(t, err)
				require.NoError(t, again.SetDirectMapType(1))
				requireSameIVFOn(t, &again.ivfOnDevice, m, xq, 10, msg+", copied back and forth")
				again.Close()
				ix.Close()
			}
		}
	}
	_, err := NewIndexIVFPQ(e, 8, 4, 2, 4, core.MetricL2)
	require.ErrorContains(t, err, "8-bit codes")
}

// The fused PQ selection over lists of many 256-code rounds, with many
// queries a task and ties (coarse values repeat codes): the host's answers
// for every k up to fusedMaxK, with and without partial sums.
func TestIVFPQFusedSelectionOverLongLists(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewSource(32))
	for _, m := range []Metric{L2, InnerProduct} {
		for _, c := range []struct{ d, M int }{{16, 8}, {40, 20}} {
			ix, err := NewIndexIVFPQ(e, c.d, 3, c.M, 8, coreMetric(m))
			require.NoError(t, err)
			ix.Warn, ix.PQ().Warn = func(string) {}, func(string) {}
			xb := randomRows(rng, 3000, c.d, true)
			require.NoError(t, ix.Train(xb))
			require.NoError(t, ix.Add(xb))
			require.NoError(t, ix.SetDirectMapType(1))
			ix.Nprobe = 2
			xq := randomRows(rng, 150, c.d, true)
			for _, k := range []int{1, 5, fusedMaxK} {
				requireSameIVFOn(t, &ix.ivfOnDevice, m, xq, k, fmt.Sprintf("metric %d M %d k %d", m, c.M, k))
			}
			// Three workgroups, each taking many tasks in turn and reusing
			// its row of partial sums.
			saved := pqScanGroups
			pqScanGroups = 3
			requireSameIVFOn(t, &ix.ivfOnDevice, m, xq, 7, fmt.Sprintf("metric %d M %d, 3 workgroups", m, c.M))
			pqScanGroups = saved
			// New queries in the same slice (same address and length): neither
			// the coarse search nor the scan may take the device's copy of the
			// old ones. The host copy has a CPU quantizer of its own.
			// 100 queries: the coarse search sends them in one block.
			host, err := ix.ToCPU()
			require.NoError(t, err)
			xq = xq[:100*c.d]
			gd, gl := make([]float32, 100*5), make([]int64, 100*5)
			require.NoError(t, ix.Search(xq, 5, gd, gl))
			copy(xq, randomRows(rng, 100, c.d, false))
			hd, hl := make([]float32, 100*5), make([]int64, 100*5)
			require.NoError(t, ix.Search(xq, 5, gd, gl))
			require.NoError(t, host.Search(xq, 5, hd, hl))
			for i := range hd {
				require.InDelta(t, hd[i], gd[i], 1e-3*max(1, math.Abs(float64(hd[i]))), "metric %d M %d, queries rewritten in place, rank %d", m, c.M, i)
			}
			ix.Close()
		}
	}
}
