package core

// RangeSearch implements RangeSearcher.
func (ix *IndexHNSW) RangeSearch(x []float32, radius float32) (*RangeResult, error) {
	return ix.RangeSearchWithParams(x, radius, nil)
}

// RangeSearchWithParams walks the graph as a search does (efSearch bounds
// the candidate queue) and keeps every visited vector closer than radius
// (inner product: above it), in the order met, as faiss's IndexHNSW
// range_search: approximate, like the graph's k-NN search.
func (ix *IndexHNSW) RangeSearchWithParams(x []float32, radius float32, p *SearchParams) (*RangeResult, error) {
	op := ix.name + ".range_search"
	if err := ix.needStorage("range_search"); err != nil {
		return nil, err
	}
	nq, err := checkBatch(op, x, ix.D())
	if err != nil {
		return nil, err
	}
	if !ix.IsTrained() {
		return nil, Errorf(KindNotTrained, op, "train the index before searching")
	}
	h := ix.HNSW
	f := hnswSearchFlags{efSearch: h.EfSearch, disCheck: h.CheckRelativeDistance, boundedQueue: true}
	if p != nil {
		f.sel = p.Sel
		if p.HNSW != nil {
			f.efSearch, f.disCheck = p.HNSW.EfSearch, p.HNSW.CheckRelativeDistance
		}
	}
	newDist, err := hnswDistancesFor(ix.storage)
	if err != nil {
		return nil, err
	}
	sign := keySign(ix.Metric())
	d := ix.D()
	hits := &rangeHits{dist: make([][]float32, nq), ids: make([][]int64, nq)}
	parallelChunks(nq, chunkFor(200*d*f.efSearch), func(_, lo, hi int) {
		vt := ix.scratch.get(int(ix.Ntotal()))
		defer ix.scratch.put(vt)
		s := &hnswSearcher{dc: newDist(), vt: vt, candidates: &minimaxHeap{},
			res: hnswResults{topK: newTopK(1), ranged: true, radius: sign * radius}}
		defer s.record()
		for q := lo; q < hi; q++ {
			s.res.hitDist, s.res.hitIDs = s.res.hitDist[:0], s.res.hitIDs[:0]
			s.dc.setQuery(x[q*d : (q+1)*d])
			h.search(s, 1, f)
			for i, v := range s.res.hitDist {
				hits.dist[q] = append(hits.dist[q], sign*v)
				hits.ids[q] = append(hits.ids[q], s.res.hitIDs[i])
			}
		}
	})
	return collectByQuery([]*rangeHits{hits}, []int{0}, nq), nil
}
