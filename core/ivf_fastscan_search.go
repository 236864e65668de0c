package core

import "math"

// The search of an IndexIVFPQFastScan, after faiss's IndexIVFFastScan:
// per query, float tables (one, or one per probed list for L2 residuals),
// quantized with their coarse terms by quantize_LUT_and_bias, then the
// probed lists' packed codes scanned by the kernels into a fast-scan heap.

// fsIVFTables are one query's quantized tables.
type fsIVFTables struct {
	lut   []byte   // M2*16 bytes, or nprobe of them (lut3d)
	biasq []uint16 // per probe, or nil
	bbuf  []uint16 // biasq's storage, kept from query to query
	a, b  float32
	lut3d bool
}

// lutFor is the table of the query's r-th probe.
func (t *fsIVFTables) lutFor(r, m2 int) []byte {
	if t.lut3d {
		return t.lut[r*m2*16 : (r+1)*m2*16]
	}
	return t.lut[:m2*16]
}

func (t *fsIVFTables) biasFor(r int) uint16 {
	if t.biasq == nil {
		return 0
	}
	return t.biasq[r]
}

// fsIVFWorker is one goroutine's scratch.
type fsIVFWorker struct {
	tab, ip, res, bias []float32
	s                  *fsScratch
}

func (pr *ivfProbe) newFSWorker() *fsIVFWorker {
	ix := pr.ix
	m := ix.fastScan.m
	return &fsIVFWorker{tab: make([]float32, pr.nprobe*m*16), ip: make([]float32, m*16),
		res: make([]float32, ix.d), bias: make([]float32, pr.nprobe), s: newFSScratch(ix.fastScan.Bbs)}
}

// lut3d is faiss's lookup_table_is_3d: PQ residuals under L2 need a table
// per probed list (additive codes store whole norms and need none).
func (ix *IndexIVF) lut3d() bool {
	return ix.ByResidual && ix.metric == MetricL2 && (ix.fastScan == nil || ix.fastScan.aq == nil)
}

// floatTables is faiss's compute_LUT for query q: the float tables into
// w.tab and, when the lists have coarse terms, their biases (nil if none).
func (pr *ivfProbe) floatTables(q int, w *fsIVFWorker) (tab, bias []float32) {
	ix, pq := pr.ix, pr.ix.PQ()
	xq := pr.x[q*ix.d : (q+1)*ix.d]
	if fs := ix.fastScan; fs.aq != nil {
		dim := fs.m * 16
		aqFloatTables(ix.AQ().additive(), ix.metric, fs.tableScale(ix.metric), xq, w.tab[:dim])
		if !ix.ByResidual {
			return w.tab[:dim], nil
		}
		ix.aqBiases(xq, pr.centroids, pr.coarse[q*pr.nprobe:(q+1)*pr.nprobe], w.bias)
		return w.tab[:dim], w.bias
	}
	dim := pq.M * 16
	coarse := pr.coarse[q*pr.nprobe : (q+1)*pr.nprobe]
	switch {
	case !ix.ByResidual:
		pq.distanceTable(xq, ix.metric, w.tab[:dim])
		return w.tab[:dim], nil
	case ix.metric == MetricInnerProduct:
		pq.distanceTable(xq, MetricInnerProduct, w.tab[:dim])
		copy(w.bias, pr.coarseDis[q*pr.nprobe:(q+1)*pr.nprobe])
		return w.tab[:dim], w.bias
	}
	nanTab := func(t []float32) {
		for i := range t {
			t[i] = float32(math.NaN()) // ignored by the quantization, as faiss's memset(-1)
		}
	}
	if ix.pqTerms != nil {
		// faiss's precomputed tables: terms of the list - 2 <x_m, r_mj>
		pq.distanceTable(xq, MetricInnerProduct, w.ip)
		for r, list := range coarse {
			t := w.tab[r*dim : (r+1)*dim]
			if list < 0 || list >= int64(ix.nlist) {
				nanTab(t)
				continue
			}
			terms := ix.pqTerms[int(list)*dim : (int(list)+1)*dim]
			for i := range t {
				t[i] = terms[i] + -2*w.ip[i]
			}
		}
		copy(w.bias, pr.coarseDis[q*pr.nprobe:(q+1)*pr.nprobe])
		return w.tab[:pr.nprobe*dim], w.bias
	}
	for r, list := range coarse {
		t := w.tab[r*dim : (r+1)*dim]
		if list < 0 || list >= int64(ix.nlist) {
			nanTab(t)
			continue
		}
		c := pr.centroids[int(list)*ix.d : (int(list)+1)*ix.d]
		for j := range w.res {
			w.res[j] = xq[j] - c[j]
		}
		pq.distanceTable(w.res, MetricL2, t)
	}
	clear(w.bias)
	return w.tab[:pr.nprobe*dim], w.bias
}

// tables quantizes query q's tables into t (faiss's compute_LUT_uint8).
func (pr *ivfProbe) tables(q int, w *fsIVFWorker, t *fsIVFTables) {
	ix, fs := pr.ix, pr.ix.fastScan
	m := fs.m
	tab, bias := pr.floatTables(q, w)
	t.lut3d = ix.lut3d()
	n := fs.m2 * 16
	if t.lut3d {
		n *= pr.nprobe
	}
	if cap(t.lut) < n {
		t.lut = make([]byte, n)
	}
	t.lut = t.lut[:n]
	t.biasq = nil
	if bias != nil {
		if cap(t.bbuf) < pr.nprobe {
			t.bbuf = make([]uint16, pr.nprobe)
		}
		t.biasq = t.bbuf[:pr.nprobe]
	}
	// the shapes are the index's own: the call cannot fail
	t.a, t.b, _ = QuantizeLUTAndBias(pr.nprobe, m, 16, t.lut3d, tab, bias, t.lut, fs.m2, t.biasq)
	if l := fs.scaledLayout(ix.metric); l != nil && !t.lut3d {
		t.lut = l.extendLUT(t.lut) // the lists' blocks are extended alike
	}
}

// fsImplem resolves faiss's automatic choice (and its one-thread 1xx
// variants, the same here).
func (fs *IVFFastScan) fsImplem(k int) int {
	impl := fs.Implem
	if impl >= 100 {
		impl -= 100
	}
	if impl == 0 {
		impl = 12
		if fs.Bbs != 32 {
			impl = 10
		}
		if k > 20 {
			impl++
		}
	}
	return impl
}

func checkIVFImplem(op string, implem int) error {
	i := implem
	if i >= 100 {
		i -= 100
	}
	switch i {
	case 0, 1, 2, 10, 11, 12, 13, 14, 15:
		return nil
	}
	return Errorf(KindInvalidArgument, op, "implem must be 0, 1, 2 or 10..15 (plus 100: one thread), got %d", implem)
}

// fsVisit is one (query, probe) of a batch.
type fsVisit struct{ list, q, r int }

// visitOrder lists the probes of queries [q0, q1) in the order faiss's
// variant visits them: by list number (12..15: its queries batched per
// list; a counting sort keeps each list's queries in order) or, per
// query, nearest list first (10, 11). buf is reused.
func (pr *ivfProbe) visitOrder(q0, q1 int, byList bool, buf *fsOrder) []fsVisit {
	v, nlist := buf.visits[:0], pr.ix.nlist
	for q := q0; q < q1; q++ {
		for r, l := range pr.coarse[q*pr.nprobe : (q+1)*pr.nprobe] {
			if l >= 0 && l < int64(nlist) { // a quantizer holding more than nlist: those are no list
				v = append(v, fsVisit{int(l), q, r})
			}
		}
	}
	buf.visits = v
	if !byList {
		return v
	}
	if len(buf.starts) != nlist+1 {
		buf.starts = make([]int, nlist+1)
	}
	clear(buf.starts)
	for _, e := range v {
		buf.starts[e.list+1]++
	}
	for l := 0; l < nlist; l++ {
		buf.starts[l+1] += buf.starts[l]
	}
	if cap(buf.sorted) < len(v) {
		buf.sorted = make([]fsVisit, len(v))
	}
	sorted := buf.sorted[:len(v)]
	for _, e := range v {
		sorted[buf.starts[e.list]] = e
		buf.starts[e.list]++
	}
	return sorted
}

// fsOrder is a worker's visit lists.
type fsOrder struct {
	visits, sorted []fsVisit
	starts         []int
}

// fsBatch is how many queries share a pass over their lists: their
// tables stay within a few MiB.
func (pr *ivfProbe) fsBatch() int {
	per := pr.ix.fastScan.m2 * 16
	if pr.ix.lut3d() {
		per *= pr.nprobe
	}
	return max(1, min(64, (4<<20)/per))
}

// searchFastScan is the k-NN search of a fast-scan IVF index.
func (pr *ivfProbe) searchFastScan(nq, k int, dist []float32, labels []int64) error {
	ix, fs := pr.ix, pr.ix.fastScan
	op := ix.name + ".search"
	if err := checkIVFImplem(op, fs.Implem); err != nil {
		return err
	}
	impl := fs.fsImplem(k)
	bounded := pr.limits.MaxCodes > 0 || pr.limits.MaxListsNum > 0 || pr.limits.EnsureTopKFull
	if bounded {
		if fs.Implem != 0 && impl != 10 && impl != 11 {
			return Errorf(KindInvalidArgument, op, "max_codes, max_lists_num and ensure_topk_full need implem 0, 10 or 11, not %d", fs.Implem)
		}
		impl = 10
	}
	if impl == 1 || impl == 2 {
		pr.searchFastScanByCode(nq, k, dist, labels, impl == 1)
		pr.record()
		return nil
	}
	if impl >= 12 && fs.Bbs != 32 && impl <= 13 {
		return Errorf(KindInvalidArgument, op, "implem %d needs bbs=32, the index has %d", impl, fs.Bbs)
	}
	lists := ix.packedLists()
	flip := fsFlip(ix.metric)
	byList := impl >= 12
	visited := pr.coarse
	if bounded {
		visited = make([]int64, len(pr.coarse))
		for i := range visited {
			visited[i] = -1
		}
	}
	batch := pr.fsBatch()
	parallelChunks(nq, 1, func(_, lo, hi int) {
		w := pr.newFSWorker()
		tabs := make([]fsIVFTables, batch)
		var order fsOrder
		heaps := make([]fsSink, batch)
		for i := range heaps {
			heaps[i] = newFSSink(k)
		}
		for q0 := lo; q0 < hi; q0 += batch {
			q1 := min(hi, q0+batch)
			for q := q0; q < q1; q++ {
				pr.tables(q, w, &tabs[q-q0])
				heaps[q-q0].reset(flip)
			}
			if bounded {
				for q := q0; q < q1; q++ {
					pr.scanBounded(q, &tabs[q-q0], &heaps[q-q0], lists, flip, w.s, visited)
				}
			} else {
				visits := pr.visitOrder(q0, q1, byList, &order)
				for i := 0; i < len(visits); {
					v := visits[i]
					n := ix.viewSize(v.list)
					if n == 0 {
						i++
						continue
					}
					b := fs.listBlocks(&lists[v.list], n, ix.metric)
					ids := ix.lists.lists[v.list].ids
					if byList && i+4 <= len(visits) && visits[i+3].list == v.list {
						// sorted visits: four queries in a row on this list, one pass
						pr.scanFour(visits[i:i+4], q0, tabs, heaps, b, ids, flip, w.s)
						i += 4
						continue
					}
					t := &tabs[v.q-q0]
					b.scan(t.lutFor(v.r, b.m2), t.biasFor(v.r), flip, 0, b.nblocks(), ids, 0, pr.sel, &heaps[v.q-q0], w.s)
					i++
				}
			}
			for q := q0; q < q1; q++ {
				t := &tabs[q-q0]
				heaps[q-q0].emit(&fsQuery{a: t.a, b: t.b}, flip, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
			}
		}
	})
	pr.recordVisited(visited)
	return nil
}

// scanFour scans one list for the four visits vs (queries q0 + v.q of the
// batch), their tables copied side by side.
func (pr *ivfProbe) scanFour(vs []fsVisit, q0 int, tabs []fsIVFTables, heaps []fsSink, b pq4Blocks, ids []int64, flip uint16, s *fsScratch) {
	lutBytes := b.m2 * 16
	if cap(s.lut4) < 4*lutBytes {
		s.lut4 = make([]byte, 4*lutBytes)
	}
	var biases [4]uint16
	var hs [4]*fsSink
	for i, v := range vs {
		t := &tabs[v.q-q0]
		copy(s.lut4[i*lutBytes:], t.lutFor(v.r, b.m2))
		biases[i], hs[i] = t.biasFor(v.r), &heaps[v.q-q0]
	}
	b.scan4(s.lut4, lutBytes, &biases, flip, 0, b.nblocks(), ids, 0, pr.sel, &hs, s)
}

// scanBounded scans query q's lists nearest first under the IVF limits:
// at most MaxListsNum lists holding entries, and none past MaxCodes codes
// (unless EnsureTopKFull and the heap is not yet full).
func (pr *ivfProbe) scanBounded(q int, t *fsIVFTables, h *fsSink, lists []fsPackedList, flip uint16, s *fsScratch, visited []int64) {
	ix, fs := pr.ix, pr.ix.fastScan
	nvisited, codes := 0, 0
	for r, l := range pr.coarse[q*pr.nprobe : (q+1)*pr.nprobe] {
		if l < 0 || l >= int64(ix.nlist) {
			continue
		}
		n := ix.viewSize(int(l))
		if n == 0 {
			continue
		}
		if pr.limits.MaxListsNum > 0 && nvisited >= pr.limits.MaxListsNum {
			break
		}
		if pr.limits.MaxCodes > 0 && codes >= pr.limits.MaxCodes && (!pr.limits.EnsureTopKFull || h.full()) {
			break
		}
		b := fs.listBlocks(&lists[l], n, ix.metric)
		b.scan(t.lutFor(r, b.m2), t.biasFor(r), flip, 0, b.nblocks(), ix.lists.lists[l].ids, 0, pr.sel, h, s)
		visited[q*pr.nprobe+r] = l
		nvisited++
		codes += n
	}
}

// searchFastScanByCode is faiss's search_implem_1 (float tables and float
// coarse terms) and 2 (uint8 tables, uint16 terms): codes summed one by
// one, lists nearest first, with the fast-scan heap rules.
func (pr *ivfProbe) searchFastScanByCode(nq, k int, dist []float32, labels []int64, float bool) {
	ix := pr.ix
	m, cs := ix.fastScan.m, ix.codec.codeSize()
	// scaled from: the norm codes' entries are multiplied back, as in the
	// flat index's code-by-code sums
	scale, scaledFrom := ix.fastScan.tableScale(ix.metric), m
	if scale > 1 {
		scaledFrom = m - 2
	}
	ip := ix.metric == MetricInnerProduct
	sign := keySign(ix.metric)
	parallelChunks(nq, 1, func(_, lo, hi int) {
		w := pr.newFSWorker()
		var t fsIVFTables
		h := newTopK(k)
		for q := lo; q < hi; q++ {
			tab, bias := pr.floatTables(q, w)
			lut3d := ix.lut3d()
			if !float {
				pr.tables(q, w, &t)
			}
			noneKey := float32(maxFloat)
			if !float {
				noneKey = fsKeyNone
			}
			resetTies(&h, noneKey, ip)
			for r, l := range pr.coarse[q*pr.nprobe : (q+1)*pr.nprobe] {
				if l < 0 || l >= int64(ix.nlist) {
					continue
				}
				lst := ix.viewList(int(l))
				for i, id := range lst.ids {
					code := lst.codes[i*cs : (i+1)*cs]
					var key float32
					if float {
						tb := tab
						if lut3d {
							tb = tab[r*m*16:]
						}
						s := float32(0)
						if bias != nil {
							s = bias[r]
						}
						for j := 0; j < m; j++ {
							v := tb[j*16+nibble(code, j)]
							if j >= scaledFrom {
								v *= float32(scale)
							}
							s += v
						}
						key = sign * s
					} else {
						lt := t.lutFor(r, ix.fastScan.m2)
						s := t.biasFor(r)
						for j := 0; j < m; j++ {
							v := uint16(lt[j*16+nibble(code, j)])
							if j >= scaledFrom {
								v *= uint16(scale)
							}
							s += v
						}
						key = float32(s ^ fsFlip(ix.metric))
					}
					if key >= h.dist[0] || (pr.sel != nil && !pr.sel.IsMember(id)) {
						continue
					}
					if ip {
						id = -id
					}
					h.replaceRoot(key, id)
				}
			}
			out, lab := dist[q*k:(q+1)*k], labels[q*k:(q+1)*k]
			if float {
				h.emit(sign, out, lab)
				if ip {
					negateIDs(lab)
				}
				continue
			}
			emitHeapFS(&h, &fsQuery{a: t.a, b: t.b}, fsFlip(ix.metric), out, lab)
		}
	})
}
