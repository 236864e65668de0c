package core

// checkPermutation checks that perm holds each of 0..n-1 once.
func checkPermutation(op string, perm []int64, n int) error {
	if len(perm) != n {
		return Errorf(KindDimensionMismatch, op, "the permutation has %d entries for %d", len(perm), n)
	}
	seen := make([]bool, n)
	for _, p := range perm {
		if p < 0 || p >= int64(n) || seen[p] {
			return Errorf(KindInvalidArgument, op, "not a permutation of 0..%d: %d repeats or is outside", n-1, p)
		}
		seen[p] = true
	}
	return nil
}

// PermuteEntries reorders the stored vectors: the new vector i is the old
// perm[i] (faiss's IndexFlat.permute_entries).
func (ix *IndexFlat) PermuteEntries(perm []int64) error {
	n := int(ix.Ntotal())
	if err := checkPermutation("IndexFlat.permute_entries", perm, n); err != nil {
		return err
	}
	xb := make([]float32, len(ix.xb))
	for i, p := range perm {
		copy(xb[i*ix.d:(i+1)*ix.d], ix.xb[int(p)*ix.d:(int(p)+1)*ix.d])
	}
	ix.xb, ix.backing = xb, nil
	if ix.norms != nil {
		norms := make([]float32, len(ix.norms))
		for i, p := range perm {
			norms[i] = ix.norms[p]
		}
		ix.norms = norms
	}
	return nil
}

// PermuteLists reorders the inverted lists: the new list i is the old
// perm[i] (faiss's ArrayInvertedLists.permute_invlists). The quantizer's
// centroids must be permuted alike (IndexFlat.PermuteEntries), before or
// after: what depends on both (the centroid cache, IVFPQ's tables, the
// direct map) is rebuilt from the quantizer as it is at the end.
func (ix *IndexIVF) PermuteLists(perm []int64) error {
	op := ix.name + ".permute_invlists"
	if err := checkPermutation(op, perm, ix.nlist); err != nil {
		return err
	}
	lists := make([]invertedList, ix.nlist)
	for i, p := range perm {
		lists[i] = ix.lists.lists[p]
	}
	ix.lists.lists = lists
	ix.listsChanged()
	ix.centCache = nil
	if err := ix.precomputeTables(); err != nil {
		return err
	}
	return ix.SetDirectMapType(ix.DirectMapType())
}

// PermuteEntries renumbers the vectors of an HNSW index: the new vector i
// is the old perm[i], in the storage and in the graph (its links follow),
// so that searches give the same neighbours under their new numbers
// (faiss's IndexHNSW.permute_entries; an HNSW quantizer follows its IVF
// lists' permutation so). The storage must be flat.
func (ix *IndexHNSW) PermuteEntries(perm []int64) error {
	op := ix.name + ".permute_entries"
	if err := ix.needStorage("permute_entries"); err != nil {
		return err
	}
	// a flat storage, on the CPU or the GPU (which rebuilds its device copy)
	flat, ok := ix.storage.(interface{ PermuteEntries([]int64) error })
	if !ok {
		return Errorf(KindUnsupported, op, "the storage %T cannot be permuted", ix.storage)
	}
	h := ix.HNSW
	n := h.nodes()
	if err := checkPermutation(op, perm, n); err != nil {
		return err
	}
	if err := flat.PermuteEntries(perm); err != nil {
		return err
	}
	if ix.Panorama != nil {
		ix.Panorama.permute(perm)
	}
	inv := make([]int32, n)
	for i, p := range perm {
		inv[p] = int32(i)
	}
	levels := make([]int32, n)
	offsets := make([]int64, n+1)
	neighbors := make([]int32, 0, h.NeighborCount())
	for i, p := range perm {
		levels[i] = h.Levels[p]
		for _, v := range h.nodeLinks(int32(p)) {
			if v >= 0 {
				v = inv[v]
			}
			neighbors = append(neighbors, v)
		}
		offsets[i+1] = int64(len(neighbors))
	}
	h.Levels, h.Offsets = levels, offsets
	h.setNeighbors(neighbors)
	if h.EntryPoint >= 0 {
		h.EntryPoint = inv[h.EntryPoint]
	}
	return nil
}
