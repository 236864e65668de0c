package core

// fsFlip is the key transform of a metric: inner products, where larger
// is better, are complemented so that smaller keys are better.
func fsFlip(m Metric) uint16 {
	if m == MetricInnerProduct {
		return 0xffff
	}
	return 0
}

// qbsQueries is how many queries faiss's qbs groups (the sum of its
// 4-bit fields).
func qbsQueries(qbs int) int {
	n := 0
	for ; qbs > 0; qbs >>= 4 {
		n += qbs & 15
	}
	return n
}

func checkImplem(op string, implem int) error {
	switch implem {
	case 0, 1, 2, 3, 4, 12, 13, 14, 15:
		return nil
	}
	return Errorf(KindInvalidArgument, op, "implem must be 0, 1..4 or 12..15, got %d", implem)
}

func (ix *IndexFastScan) Search(x []float32, k int, dist []float32, labels []int64) error {
	return ix.SearchWithParams(x, k, dist, labels, nil)
}

// SearchWithParams implements ParamSearcher (p.Sel filters ids).
func (ix *IndexFastScan) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
	op := ix.name + ".search"
	nq, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	if !ix.codec.IsTrained() {
		return Errorf(KindNotTrained, op, "train the index before searching")
	}
	if err := checkImplem(op, ix.Implem); err != nil {
		return err
	}
	var sel IDSelector
	if p != nil {
		sel = p.Sel
	}
	if ix.Implem >= 1 && ix.Implem <= 4 {
		ix.searchByCode(x, nq, k, dist, labels, sel)
		return nil
	}
	ix.searchFast(x, nq, k, dist, labels, sel)
	return nil
}

// fsTables fills q with the quantized tables of query v, extended for
// ext when not nil; tab is scratch of M*16 floats.
func (ix *IndexFastScan) fsTables(v []float32, tab []float32, q *fsQuery, ext *fsScaledLayout) {
	ix.tables.fsFloatTables(v, tab)
	quantizeFSTable(tab, ix.m, ix.m2, q)
	if ext != nil {
		q.lut = ext.extendLUT(q.lut)
	}
}

// scanBlocks is what the kernels scan: the stored blocks, or under a norm
// scale their extended copy (fastscan_scaled.go, built once per state of
// the codes) and its layout; past that layout's bound, the stored blocks
// with the scale for addScaled.
func (ix *IndexFastScan) scanBlocks() (pq4Blocks, *fsScaledLayout) {
	b := ix.blocks
	if ix.scale <= 1 {
		return b, nil
	}
	l := newFSScaledLayout(ix.m, ix.m2, ix.scale)
	if l == nil {
		b.scale = uint16(ix.scale)
		return b, nil
	}
	c := &ix.scaled
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ext == nil || c.scale != ix.scale || c.n != b.n || c.codes != firstOf(b.codes) {
		c.ext = l.extendBlocks(b.codes, ix.paddedCount(b.n)/ix.Bbs, ix.Bbs)
		c.scale, c.n, c.codes = ix.scale, b.n, firstOf(b.codes)
	}
	return pq4Blocks{codes: c.ext, n: b.n, bbs: ix.Bbs, m2: l.extM2(), m: ix.m}, l
}

// searchFast runs the kernels: with many queries each worker takes a run
// of them and passes over the codes chunk by chunk, every query of a
// group scanning the chunk while it is in cache; with few, the workers
// split the codes and merge their heaps. Merged heaps keep the lower ids
// among equal keys, as faiss's single pass does for L2; for inner
// products its pass keeps a window of the tied ids that only a pass in
// order reproduces, so each query there stays on one worker.
func (ix *IndexFastScan) searchFast(x []float32, nq, k int, dist []float32, labels []int64, sel IDSelector) {
	flip, d, m := fsFlip(ix.metric), ix.d, ix.m
	nblocks := ix.paddedCount(ix.blocks.n) / ix.Bbs
	blocks, ext := ix.scanBlocks()
	blockBytes := ix.Bbs * blocks.m2 / 2
	chunk := max(1, (32<<10)/blockBytes)
	group := qbsQueries(ix.Qbs)
	if group == 0 {
		group = 16
	}
	if nq >= 2*workers() || flip != 0 {
		parallelChunks(nq, 1, func(_, lo, hi int) {
			tab, s := make([]float32, m*16), newFSScratch(ix.Bbs)
			qs, heaps := make([]fsQuery, group), make([]fsSink, group)
			for i := range heaps {
				heaps[i] = newFSSink(k)
			}
			for g0 := lo; g0 < hi; g0 += group {
				g1 := min(hi, g0+group)
				for q := g0; q < g1; q++ {
					ix.fsTables(x[q*d:(q+1)*d], tab, &qs[q-g0], ext)
					heaps[q-g0].reset(flip)
				}
				// four queries a pass over each chunk, their tables side by side
				lutBytes := blocks.m2 * 16
				if cap(s.lut4) < group*lutBytes {
					s.lut4 = make([]byte, group*lutBytes)
				}
				for q := g0; q < g1; q++ {
					copy(s.lut4[(q-g0)*lutBytes:], qs[q-g0].lut)
				}
				var zero [4]uint16
				for b := 0; b < nblocks; b += chunk {
					e := min(nblocks, b+chunk)
					q := g0
					for ; q+4 <= g1; q += 4 {
						hs := [4]*fsSink{&heaps[q-g0], &heaps[q+1-g0], &heaps[q+2-g0], &heaps[q+3-g0]}
						blocks.scan4(s.lut4[(q-g0)*lutBytes:], lutBytes, &zero, flip, b, e, nil, 0, sel, &hs, s)
					}
					for ; q < g1; q++ {
						blocks.scan(qs[q-g0].lut, 0, flip, b, e, nil, 0, sel, &heaps[q-g0], s)
					}
				}
				for q := g0; q < g1; q++ {
					heaps[q-g0].emit(&qs[q-g0], flip, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
				}
			}
		})
		return
	}
	tab := make([]float32, m*16)
	var fq fsQuery
	for q := 0; q < nq; q++ {
		ix.fsTables(x[q*d:(q+1)*d], tab, &fq, ext)
		parts := make([]fsSink, workers())
		used := parallelChunks(nblocks, chunkFor(blockBytes*8), func(c, lo, hi int) {
			parts[c] = newFSSink(k)
			parts[c].reset(flip)
			blocks.scan(fq.lut, 0, flip, lo, hi, nil, 0, sel, &parts[c], newFSScratch(ix.Bbs))
		})
		if used == 0 {
			parts[0], used = newFSSink(k), 1
			parts[0].reset(flip)
		}
		for c := 1; c < used; c++ {
			parts[0].merge(&parts[c])
		}
		parts[0].emit(&fq, flip, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
	}
}

// searchByCode is faiss's search_implem_234 (and 1, float tables as 2):
// each code's table entries summed in float, one code at a time, into a
// heap with the fast-scan heaps' rules (a strict test on the value; for
// inner products the lower id loses ties).
func (ix *IndexFastScan) searchByCode(x []float32, nq, k int, dist []float32, labels []int64, sel IDSelector) {
	d, m, n := ix.d, ix.m, ix.blocks.n
	// faiss's scaler here multiplies the last two of the M fields' entries
	scale, scaledFrom := float32(1), m
	if ix.scale > 1 {
		scale, scaledFrom = float32(ix.scale), m-2
	}
	sign, ip := keySign(ix.metric), ix.metric == MetricInnerProduct
	codes := make([]byte, n*m)
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			codes[i*m+j] = PQ4GetPackedElement(ix.blocks.codes, ix.Bbs, ix.m2, i, j)
		}
	}
	parallelChunks(nq, chunkFor(n*m), func(_, lo, hi int) {
		tab, h := make([]float32, m*16), newTopK(k)
		for q := lo; q < hi; q++ {
			ix.tables.fsFloatTables(x[q*d:(q+1)*d], tab)
			var a, b float32
			if ix.Implem >= 3 {
				a, b = RoundUint8PerColumn(tab, m, 16)
			}
			resetTies(&h, maxFloat, ip)
			for i := 0; i < n; i++ {
				var s float32
				for j, c := range codes[i*m : (i+1)*m] {
					if j >= scaledFrom {
						s += scale * tab[j*16+int(c)]
					} else {
						s += tab[j*16+int(c)]
					}
				}
				if sign*s < h.dist[0] && (sel == nil || sel.IsMember(int64(i))) {
					id := int64(i)
					if ip {
						id = -id
					}
					h.replaceRoot(sign*s, id)
				}
			}
			out := dist[q*k : (q+1)*k]
			h.emit(sign, out, labels[q*k:(q+1)*k])
			if ip {
				negateIDs(labels[q*k : (q+1)*k])
			}
			if ix.Implem == 4 {
				for j, v := range out {
					if labels[q*k+j] >= 0 {
						out[j] = v/a + b
					}
				}
			}
		}
	})
}
