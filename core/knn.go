package core

import "github.com/metalfaiss/metalfaiss/core/kernels"

// keySign turns metric values into keys where smaller is better.
func keySign(m Metric) float32 {
	if m.IsSimilarity() {
		return -1
	}
	return 1
}

// knn fills dist and labels (nq*k each) with the k best database vectors
// of every query, best first; missing results are (±FLT_MAX, -1).
//
// With many queries, workers take disjoint query ranges. With few, they take
// disjoint database ranges with private heaps that are merged afterwards;
// heaps order ties by id, so both give the same result.
func (j *scanJob) knn(k int, dist []float32, labels []int64) {
	if k == 1 && j.bNorms != nil && j.sel == nil && j.d <= transposedMaxDim && j.nb <= transposedMaxRows &&
		kernels.TransposedIsFast() {
		j.knnTop1Transposed(dist, labels)
		return
	}
	sign := keySign(j.metric)
	if k == 1 && j.bNorms != nil && j.sel == nil {
		// One fused pass per row: expansion and first minimum (L2ArgMin).
		j.qNorms = make([]float32, j.nq)
		kernels.Norms(j.xq, j.d, j.qNorms)
		j.dotOnly = true
	}
	if j.nq >= 4*workers() && k >= reservoirMinK && j.sel == nil {
		parallelChunks(j.nq, chunkFor(j.nb*j.d), func(_, lo, hi int) {
			rs := make([]reservoir, hi-lo)
			for i := range rs {
				rs[i] = newReservoir(k)
			}
			j.scan(lo, hi, 0, j.nb, func(q, base int, row []float32) { rs[q-lo].pushRow(row, int64(base), sign) })
			for i := range rs {
				q := lo + i
				rs[i].emit(sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
			}
		})
		return
	}
	if j.nq >= 4*workers() {
		parallelChunks(j.nq, chunkFor(j.nb*j.d), func(_, lo, hi int) {
			heaps := makeHeaps(hi-lo, k)
			j.scan(lo, hi, 0, j.nb, j.visitorFor(k, heaps, lo, sign))
			emitAll(heaps, lo, k, sign, dist, labels)
		})
		return
	}
	parts := make([][]topK, workers())
	used := parallelChunks(j.nb, max(j.dbBlock(), chunkFor(j.nq*j.d)), func(c, lo, hi int) {
		parts[c] = makeHeaps(j.nq, k)
		j.scan(0, j.nq, lo, hi, j.visitorFor(k, parts[c], 0, sign))
	})
	if used == 0 { // empty database: all padding
		parts[0], used = makeHeaps(j.nq, k), 1
	}
	for c := 1; c < used; c++ {
		for q := range parts[0] {
			parts[0][q].merge(&parts[c][q])
		}
	}
	emitAll(parts[0], 0, k, sign, dist, labels)
}

// Short vectors (PQ sub-spaces, low-dimensional k-means) go through a
// dimension-major copy of the database: with d <= 16 a row-major tile spends
// more on its per-row reductions than on arithmetic (k-means of 65,536
// points in 8-d into 256 took 4x faiss's time). The copy costs nb*d floats,
// so the database is bounded.
const (
	transposedMaxDim  = 16
	transposedMaxRows = 1 << 16
)

// knnTop1Transposed is the k = 1 L2 search (nearest row, as L2ArgMin
// expands and picks it) over the dimension-major copy.
func (j *scanJob) knnTop1Transposed(dist []float32, labels []int64) {
	d, nb := j.d, j.nb
	yt := make([]float32, d*nb)
	for c := 0; c < nb; c++ {
		for k := 0; k < d; k++ {
			yt[k*nb+c] = j.xb[c*d+k]
		}
	}
	qn := make([]float32, j.nq)
	kernels.Norms(j.xq, d, qn)
	parallelChunks(j.nq, chunkFor(nb*d), func(_, lo, hi int) {
		for q := lo; q < hi; q++ {
			dist[q], labels[q] = maxFloat, -1
			if nb == 0 {
				continue
			}
			v, c := kernels.L2ArgMinTransposed(j.xq[q*d:(q+1)*d], yt, nb, nb, j.bNorms[:nb], qn[q])
			if c >= 0 && v < maxFloat {
				dist[q], labels[q] = v, int64(c)
			}
		}
	})
}

// makeHeaps returns n empty heaps of size k over two shared arrays (two
// allocations, not 2n: k-means searches every point each iteration).
func makeHeaps(n, k int) []topK {
	hs := make([]topK, n)
	dist, ids := make([]float32, n*k), make([]int64, n*k)
	for i := range hs {
		hs[i] = topK{dist: dist[i*k : (i+1)*k : (i+1)*k], ids: ids[i*k : (i+1)*k : (i+1)*k]}
		hs[i].reset()
	}
	return hs
}

// visitorFor picks how rows reach the heaps: one pass for the best
// candidate when k = 1 (k-means assignment), the heap walk otherwise.
func (j *scanJob) visitorFor(k int, heaps []topK, first int, sign float32) func(q, base int, row []float32) {
	switch {
	case j.sel != nil:
		return heapVisitor(heaps, first, sign, j.sel)
	case j.dotOnly:
		return j.top1L2Visitor(heaps, first)
	case k == 1:
		return top1Visitor(heaps, first, sign)
	}
	return heapVisitor(heaps, first, sign, nil)
}

// top1L2Visitor receives inner products (dotOnly) and offers the row's
// nearest vector, expanded to a squared distance exactly as L2FromDot does.
func (j *scanJob) top1L2Visitor(heaps []topK, first int) func(q, base int, row []float32) {
	return func(q, base int, row []float32) {
		h := &heaps[q-first]
		v, c := kernels.L2ArgMin(row, j.qNorms[q], j.bNorms[base:base+len(row)])
		if c >= 0 && (v < h.dist[0] || (v == h.dist[0] && int64(base+c) < h.ids[0])) {
			h.replaceRoot(v, int64(base+c))
		}
	}
}

// top1Visitor finds the row's best value with one SIMD reduction, then its
// first (lowest id) position, and offers that single candidate.
func top1Visitor(heaps []topK, first int, sign float32) func(q, base int, row []float32) {
	return func(q, base int, row []float32) {
		h := &heaps[q-first]
		var c int
		if sign > 0 {
			m := kernels.MinOf(row)
			if !(m <= h.dist[0]) {
				return
			}
			c = kernels.NextAtMost(row, 0, m)
		} else {
			m := kernels.MaxOf(row)
			if !(-m <= h.dist[0]) {
				return
			}
			c = kernels.NextAtLeast(row, 0, m)
		}
		key := sign * row[c]
		if key < h.dist[0] || (key == h.dist[0] && int64(base+c) < h.ids[0]) {
			h.replaceRoot(key, int64(base+c))
		}
	}
}

// heapVisitor pushes a row of metric values into the heap of query q-first;
// sel, when set, filters the ids.
func heapVisitor(heaps []topK, first int, sign float32, sel IDSelector) func(q, base int, row []float32) {
	return func(q, base int, row []float32) {
		pushRow(&heaps[q-first], row, nil, int64(base), sign, sel)
	}
}

// pushRow offers a row of metric values to h: id base+c, or ids[c] when
// ids is given. Most values lose to the heap's root: a SIMD scan skips to
// the next one that can win (key <= root, ties decided by id), and the
// filter sel (if any) is asked only about those.
func pushRow(h *topK, row []float32, ids []int64, base int64, sign float32, sel IDSelector) {
	for c := 0; ; c++ {
		if sign > 0 {
			c = kernels.NextAtMost(row, c, h.dist[0])
		} else {
			c = kernels.NextAtLeast(row, c, -h.dist[0])
		}
		if c >= len(row) {
			return
		}
		id := base + int64(c)
		if ids != nil {
			id = ids[c]
		}
		if sel != nil && !sel.IsMember(id) {
			continue
		}
		key := sign * row[c]
		if key < h.dist[0] || (key == h.dist[0] && id < h.ids[0]) {
			h.replaceRoot(key, id)
		}
	}
}

func emitAll(heaps []topK, first, k int, sign float32, dist []float32, labels []int64) {
	for i := range heaps {
		q := first + i
		heaps[i].emit(sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
	}
}
