package gpu

import (
	"github.com/metalfaiss/metalfaiss/metalbridge"
	"github.com/metalfaiss/metalfaiss/shaders"
)

// sumGroups is how many workgroups kmeans_partial_sums spreads the rows of
// a piece over (each sums its rows in order into its own slab).
const sumGroups = 256

// SumByLabel adds each row of pts (times weights[i], when weights is not
// nil) into sums[labels[i]] (k*d) and its weight (or 1) into
// counts[labels[i]]. Rows are summed in a fixed order, so repeated calls
// agree bit for bit. Labels must lie in 0..k-1.
func (e *Engine) SumByLabel(pts *Matrix, labels []int64, weights []float32, k int, sums, counts []float32) error {
	const op = "gpu.SumByLabel"
	d, n := pts.d, pts.n
	if len(labels) != n || (weights != nil && len(weights) != n) || len(sums) != k*d || len(counts) != k {
		return errorf(op, "sizes disagree: %d points, %d labels, %d weights, %d sums, %d counts for k=%d d=%d",
			n, len(labels), len(weights), len(sums), len(counts), k, d)
	}
	lab := make([]int32, n)
	for i, l := range labels {
		if l < 0 || l >= int64(k) {
			return errorf(op, "label %d of point %d is outside 0..%d", l, i, k-1)
		}
		lab[i] = int32(l)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(sums)
	clear(counts)
	slab := int64(k) * int64(d) * 4
	budget := min(e.lim.MaxBinding, scratchBudget)
	if slab > budget {
		return errorf(op, "k*d=%d floats exceed one binding of %d bytes", k*d, budget)
	}
	nGroups := int(min(int64(sumGroups), budget/slab))
	per := int(e.lim.MaxBinding/int64(4*d)) / tileRows * tileRows
	pieceSums := make([]float32, k*d)
	pieceCounts := make([]float32, k)
	for r0 := 0; r0 < n; r0 += per {
		rn := min(per, n-r0)
		if err := e.sumPiece(pts, lab[r0:r0+rn], weightsOf(weights, r0, rn), r0, k, nGroups, pieceSums, pieceCounts); err != nil {
			return wrap(op, err)
		}
		for i, v := range pieceSums {
			sums[i] += v
		}
		for i, v := range pieceCounts {
			counts[i] += v
		}
	}
	return nil
}

func weightsOf(w []float32, r0, n int) []float32 {
	if w == nil {
		return nil
	}
	return w[r0 : r0+n]
}

// sumPiece sums rows [r0, r0+len(lab)) of pts: partial sums per group, then
// their reduction in group order.
func (e *Engine) sumPiece(pts *Matrix, lab []int32, weights []float32, r0, k, nGroups int, sums, counts []float32) error {
	d, rn := pts.d, len(lab)
	rowsPerGroup := groups(rn, nGroups)
	nGroups = groups(rn, rowsPerGroup)
	bufs := map[string]int64{
		"labels": int64(rn) * 4, "weights": int64(max(len(weights), 1)) * 4,
		"partialSums": int64(nGroups) * int64(k*d) * 4, "partialCounts": int64(nGroups*k) * 4,
		"sums": int64(k*d) * 4, "counts": int64(k) * 4,
	}
	b := map[string]metalbridge.Binding{}
	for role, size := range bufs {
		buf, err := e.buffer(role, size)
		if err != nil {
			return err
		}
		b[role] = metalbridge.Binding{Buffer: buf, Size: size}
	}
	if err := b["labels"].Buffer.Write(0, metalbridge.Bytes(lab)); err != nil {
		return err
	}
	weighted := uint32(0)
	if weights != nil {
		weighted = 1
		if err := b["weights"].Buffer.Write(0, metalbridge.Bytes(weights)); err != nil {
			return err
		}
	}
	rows := metalbridge.Binding{Buffer: pts.rows, Offset: int64(r0) * int64(d) * 4, Size: int64(rn) * int64(d) * 4}
	err := e.dev.Run([]metalbridge.Dispatch{{
		Kernel: "kmeans_partial_sums",
		Params: shaders.Bytes(shaders.KmeansPartialParams{N: uint32(rn), D: uint32(d), K: uint32(k),
			RowsPerGroup: uint32(rowsPerGroup), Weighted: weighted}),
		Bindings: []metalbridge.Binding{rows, b["labels"], b["weights"], b["partialSums"], b["partialCounts"]},
		Groups:   [3]int{nGroups, 1, 1},
	}, {
		Kernel:   "kmeans_reduce_sums",
		Params:   shaders.Bytes(shaders.KmeansReduceParams{K: uint32(k), D: uint32(d), Groups: uint32(nGroups)}),
		Bindings: []metalbridge.Binding{b["partialSums"], b["partialCounts"], b["sums"], b["counts"]},
		Groups:   [3]int{groups(k*d, shaders.WorkgroupSize), 1, 1},
	}})
	if err != nil {
		return err
	}
	if err := b["sums"].Buffer.Read(0, metalbridge.Bytes(sums)); err != nil {
		return err
	}
	return b["counts"].Buffer.Read(0, metalbridge.Bytes(counts))
}
