package core

import (
	"time"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// SearchWithParams searches a binary IVF index with faiss's
// SearchParametersIVF: nprobe (0: the index's), a filter, the quantizer's
// parameters (an HNSW quantizer's efSearch) and the early-stop bounds
// (max_codes, ensure_topk_full, max_lists_num), as the float IVF search
// takes them.
func (ix *IndexBinaryIVF) SearchWithParams(x []byte, k int, dist []int32, labels []int64, p *SearchParams) error {
	if p == nil || (p.Quantizer == nil && p.IVF.MaxCodes == 0 && p.IVF.MaxListsNum == 0) {
		var nprobe int
		var sel IDSelector
		if p != nil {
			nprobe, sel = p.Nprobe, p.Sel
		}
		return ix.SearchNprobe(x, k, dist, labels, nprobe, sel)
	}
	const op = "IndexBinaryIVF.search"
	nq, np, err := ix.checkSearch(op, x, p.Nprobe)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	lim := p.IVF
	if lim.MaxCodes < 0 || lim.MaxListsNum < 0 {
		return Errorf(KindInvalidArgument, op, "max_codes and max_lists_num must be >= 0")
	}
	start := time.Now()
	probes, err := ix.assign(x, nq, np, p.Quantizer)
	if err != nil {
		return err
	}
	quant := time.Since(start)
	var counts boundedCounts
	defer func() {
		recordIVFCounts(int64(nq), counts.nlist.Load(), counts.ndis.Load(), quant, time.Since(start))
	}()
	cs := ix.cs
	parallelChunks(nq, chunkFor(ix.scanWork(np)), func(_, lo, hi int) {
		h := newHammingHeap(k)
		var buf []int32
		for q := lo; q < hi; q++ {
			h.reset()
			xq := x[q*cs : (q+1)*cs]
			scanned, valid, lists := 0, 0, 0
			for _, l := range probes[q*np : (q+1)*np] {
				if lim.MaxListsNum > 0 && lists >= lim.MaxListsNum {
					break
				}
				if l < 0 || len(ix.ids[l]) == 0 {
					continue
				}
				ids := ix.ids[l]
				n := len(ids)
				if lim.MaxCodes > 0 && !lim.EnsureTopKFull {
					n = min(n, lim.MaxCodes-scanned)
				}
				if cap(buf) < n {
					buf = make([]int32, n)
				}
				d := buf[:n]
				kernels.HammingRowsMin(xq, ix.codes[l][:n*cs], cs, d)
				if p.Sel != nil {
					dropUnselected(d, 0, ids[:n], p.Sel)
				}
				h.pushIDs(d, ids[:n])
				ok := selectedIn(ids[:n], p.Sel)
				scanned, valid, lists = scanned+n, valid+ok, lists+1
				counts.nlist.Add(1)
				counts.ndis.Add(int64(ok))
				if lim.MaxCodes > 0 && scanned >= lim.MaxCodes && (!lim.EnsureTopKFull || valid >= k) {
					break
				}
			}
			h.emit(dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
	})
	return nil
}
