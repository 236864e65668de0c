package core

// AddPreassigned stores the codes in the lists assign gives (one per code;
// -1: counted, not stored) instead of the quantizer's nearest, under ids
// (nil: numbered on from ntotal).
func (ix *IndexBinaryIVF) AddPreassigned(x []byte, ids, assign []int64) error {
	const op = "IndexBinaryIVF.add_preassigned"
	n := len(x) / max(1, ix.cs)
	if len(assign) != n {
		return Errorf(KindDimensionMismatch, op, "%d list numbers for %d codes", len(assign), n)
	}
	if ids == nil {
		ids = make([]int64, n)
		for i := range ids {
			ids[i] = ix.ntotal + int64(i)
		}
	}
	return ix.addAssigned(op, x, ids, assign)
}

// checkProbes checks a preassigned search: nprobe list numbers per query,
// each in [-1, nlist).
func (ix *IndexBinaryIVF) checkProbes(op string, x []byte, probes []int64, nprobe int) (int, error) {
	nq, _, err := ix.checkSearch(op, x, nprobe)
	if err != nil {
		return 0, err
	}
	if nprobe <= 0 || len(probes) != nq*nprobe {
		return 0, Errorf(KindDimensionMismatch, op, "%d list numbers for %d queries of nprobe=%d", len(probes), nq, nprobe)
	}
	for _, l := range probes {
		if l < -1 || l >= int64(ix.nlist) {
			return 0, Errorf(KindInvalidArgument, op, "list number %d out of [-1, %d)", l, ix.nlist)
		}
	}
	return nq, nil
}

// SearchPreassigned searches each query in the nprobe lists of its row of
// probes (-1 skipped), as faiss's search_preassigned; sel (nil: all)
// limits the candidates.
func (ix *IndexBinaryIVF) SearchPreassigned(x []byte, k int, probes []int64, nprobe int, dist []int32, labels []int64, sel IDSelector) error {
	const op = "IndexBinaryIVF.search_preassigned"
	nq, err := ix.checkProbes(op, x, probes, nprobe)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	ix.searchProbes(x, nq, nprobe, k, probes, dist, labels, sel, nil)
	return nil
}

// RangeSearchPreassigned is the range search (Hamming distance below
// radius) of each query in the lists of its row of probes.
func (ix *IndexBinaryIVF) RangeSearchPreassigned(x []byte, radius int, probes []int64, nprobe int, sel IDSelector) ([]int64, []int32, []int64, error) {
	const op = "IndexBinaryIVF.range_search_preassigned"
	nq, err := ix.checkProbes(op, x, probes, nprobe)
	if err != nil {
		return nil, nil, nil, err
	}
	return ix.rangeProbes(x, nq, nprobe, radius, probes, sel)
}
