package core

// rangeSearchFastScan is faiss's fast-scan range search (its RangeHandler):
// a query's radius becomes a key threshold int(a * (radius - b)), stored
// in 16 bits as faiss stores it; the entries strictly under it (over it
// for inner products) are kept in the order their lists are visited (by
// list number for implem 12, nearest first for 10), with distances key / a
// + b. MaxEmptyResultBuckets stops a query after that many lists in a row
// gave nothing.
func (pr *ivfProbe) rangeSearchFastScan(radius float32) (*RangeResult, error) {
	ix, fs := pr.ix, pr.ix.fastScan
	op := ix.name + ".range_search"
	if err := checkIVFImplem(op, fs.Implem); err != nil {
		return nil, err
	}
	impl := fs.fsImplem(1)
	if impl == 11 || impl == 13 {
		impl--
	}
	if impl != 10 && impl != 12 {
		return nil, Errorf(KindInvalidArgument, op, "range search runs implem 0, 10 or 12, not %d", fs.Implem)
	}
	if pr.limits.MaxEmptyResultBuckets > 0 {
		if fs.Implem != 0 && impl != 10 {
			return nil, Errorf(KindInvalidArgument, op, "max_empty_result_buckets needs implem 0 or 10, not %d", fs.Implem)
		}
		impl = 10
	}
	if pr.limits.MaxCodes > 0 || pr.limits.MaxListsNum > 0 {
		return nil, Errorf(KindInvalidArgument, op, "max_codes and max_lists_num do not apply to a fast-scan range search")
	}
	lists := ix.packedLists()
	flip := fsFlip(ix.metric)
	nq := len(pr.x) / ix.d
	hits := &rangeHits{dist: make([][]float32, nq), ids: make([][]int64, nq)}
	visited := make([]int64, len(pr.coarse))
	for i := range visited {
		visited[i] = -1
	}
	parallelChunks(nq, 1, func(_, lo, hi int) {
		w := pr.newFSWorker()
		var t fsIVFTables
		var order fsOrder
		for q := lo; q < hi; q++ {
			pr.tables(q, w, &t)
			thr := uint16(int32(t.a * (radius - t.b)))
			if flip != 0 {
				thr = ^thr // above the threshold: below its complement
			}
			empty := 0
			for _, v := range pr.visitOrder(q, q+1, impl == 12, &order) {
				n := ix.viewSize(v.list)
				if n == 0 {
					continue
				}
				ids := ix.lists.lists[v.list].ids
				visited[v.q*pr.nprobe+v.r] = int64(v.list)
				found := false
				b := fs.listBlocks(&lists[v.list], n, ix.metric)
				b.scanWith(t.lutFor(v.r, b.m2), t.biasFor(v.r), flip, thr, 0, b.nblocks(), w.s,
					func(pos int, key uint16) {
						id := ids[pos]
						if pr.sel != nil && !pr.sel.IsMember(id) {
							return
						}
						found = true
						hits.dist[q] = append(hits.dist[q], float32(float32(key^flip)*(1/t.a))+t.b)
						hits.ids[q] = append(hits.ids[q], id)
					})
				if found {
					empty = 0
				} else if empty++; pr.limits.MaxEmptyResultBuckets > 0 && empty >= pr.limits.MaxEmptyResultBuckets {
					break
				}
			}
		}
	})
	pr.recordVisited(visited)
	return collectByQuery([]*rangeHits{hits}, []int{0}, nq), nil
}
