package core

import "time"

// IVFStats are faiss's IndexIVFStats: totals over every IVF search (float
// and binary, k-NN and range) since the last reset. NList counts the
// non-empty lists scanned and NDis the distances computed: entries a
// selector leaves out are not measured, so they are not counted.
type IVFStats struct {
	NQ, NList, NDis  int64
	QuantizationTime float64 // milliseconds in the coarse quantizer
	SearchTime       float64 // milliseconds in the whole search
}

var ivfStats totals[IVFStats]

// GetIVFStats returns the totals so far.
func GetIVFStats() IVFStats { return ivfStats.get() }

// ResetIVFStats sets the totals to zero.
func ResetIVFStats() { ivfStats.reset() }

// recordIVFSearch adds one search of nq queries whose probed lists are
// probes (nq rows, -1 skipped): each non-empty list counts once per query
// and adds its entries (with sel, its selected entries) to NDis. The counts
// come from the assignment, not from the scan loops, so they cost nothing
// there and are the same however the scan was split.
func recordIVFSearch(nq int, probes []int64, ids func(list int) []int64, sel IDSelector, quant, total time.Duration) {
	var nlist, ndis int64
	var selected map[int64]int64
	if sel != nil {
		selected = map[int64]int64{}
	}
	for _, l := range probes {
		if l < 0 {
			continue
		}
		lst := ids(int(l))
		if len(lst) == 0 {
			continue
		}
		nlist++
		if sel == nil {
			ndis += int64(len(lst))
			continue
		}
		n, ok := selected[l]
		if !ok {
			for _, id := range lst {
				if sel.IsMember(id) {
					n++
				}
			}
			selected[l] = n
		}
		ndis += n
	}
	recordIVFCounts(int64(nq), nlist, ndis, quant, total)
}

// recordIVFCounts adds a search's counts to the IVF statistics: queries,
// lists visited, distances computed (entries that passed the filter).
func recordIVFCounts(nq, nlist, ndis int64, quant, total time.Duration) {
	ivfStats.add(func(s *IVFStats) {
		s.NQ += nq
		s.NList += nlist
		s.NDis += ndis
		s.QuantizationTime += float64(quant) / float64(time.Millisecond)
		s.SearchTime += float64(total) / float64(time.Millisecond)
	})
}
