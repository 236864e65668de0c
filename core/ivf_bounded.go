package core

import (
	"sync/atomic"
	"time"
)

// Searches bounded by faiss's SearchParametersIVF early-stop fields: each
// query walks its lists nearest first, one at a time, and stops when its
// budget of codes or lists is spent (range search: also after a run of
// lists without a hit). The statistics count what was actually scanned.

// boundedCounts accumulates a bounded search's statistics.
type boundedCounts struct{ nlist, ndis atomic.Int64 }

func (c *boundedCounts) record(pr *ivfProbe, nq int) {
	recordIVFCounts(int64(nq), c.nlist.Load(), c.ndis.Load(), pr.quantTime, time.Since(pr.start))
}

// selectedIn is how many of ids the filter passes.
func selectedIn(ids []int64, sel IDSelector) int {
	if sel == nil {
		return len(ids)
	}
	n := 0
	for _, id := range ids {
		if sel.IsMember(id) {
			n++
		}
	}
	return n
}

func (pr *ivfProbe) searchBounded(nq, k int, dist []float32, labels []int64) {
	var counts boundedCounts
	defer counts.record(pr, nq)
	lim := pr.limits
	parallelChunks(nq, chunkFor(pr.nprobe*max(1, int(pr.ix.ntotal)/pr.ix.nlist)*pr.ix.d), func(_, lo, hi int) {
		w := pr.newWorker()
		h := newTopK(k)
		for q := lo; q < hi; q++ {
			h.reset()
			scanned, valid, lists := 0, 0, 0
			for r := 0; r < pr.nprobe; r++ {
				if lim.MaxListsNum > 0 && lists >= lim.MaxListsNum {
					break
				}
				list := pr.coarse[q*pr.nprobe+r]
				if list < 0 || pr.ix.viewSize(int(list)) == 0 {
					continue
				}
				row, l := pr.distances(w, q, r)
				n := len(row)
				if lim.MaxCodes > 0 && !lim.EnsureTopKFull {
					n = min(n, lim.MaxCodes-scanned)
				}
				pushRow(&h, row[:n], l.ids[:n], 0, pr.sign, pr.sel)
				ok := selectedIn(l.ids[:n], pr.sel)
				scanned, valid, lists = scanned+n, valid+ok, lists+1
				counts.nlist.Add(1)
				counts.ndis.Add(int64(ok))
				if lim.MaxCodes > 0 && scanned >= lim.MaxCodes && (!lim.EnsureTopKFull || valid >= k) {
					break
				}
			}
			h.emit(pr.sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
	})
}

func (pr *ivfProbe) rangeSearchBounded(radius float32) *RangeResult {
	ix, lim := pr.ix, pr.limits
	nq := len(pr.x) / ix.d
	var counts boundedCounts
	defer counts.record(pr, nq)
	sim := ix.metric.IsSimilarity()
	hits := &rangeHits{dist: make([][]float32, nq), ids: make([][]int64, nq)}
	parallelChunks(nq, chunkFor(pr.nprobe*max(1, int(ix.ntotal)/ix.nlist)*ix.d), func(_, lo, hi int) {
		w := pr.newWorker()
		for q := lo; q < hi; q++ {
			scanned, lists, empty := 0, 0, 0
			for r, list := range pr.coarse[q*pr.nprobe : (q+1)*pr.nprobe] {
				if lim.MaxListsNum > 0 && lists >= lim.MaxListsNum {
					break
				}
				if list < 0 || ix.viewSize(int(list)) == 0 {
					continue
				}
				row, l := pr.distances(w, q, r)
				found := 0
				for c, v := range row {
					if ((sim && v > radius) || (!sim && v < radius)) && (pr.sel == nil || pr.sel.IsMember(l.ids[c])) {
						hits.dist[q] = append(hits.dist[q], v)
						hits.ids[q] = append(hits.ids[q], l.ids[c])
						found++
					}
				}
				scanned, lists = scanned+len(row), lists+1
				counts.nlist.Add(1)
				counts.ndis.Add(int64(selectedIn(l.ids, pr.sel)))
				if found > 0 {
					empty = 0
				} else {
					empty++
				}
				if (lim.MaxEmptyResultBuckets > 0 && empty >= lim.MaxEmptyResultBuckets) ||
					(lim.MaxCodes > 0 && scanned >= lim.MaxCodes) {
					break
				}
			}
		}
	})
	return collectByQuery([]*rangeHits{hits}, []int{0}, nq)
}
