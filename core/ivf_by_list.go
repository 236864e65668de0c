package core

import "github.com/metalfaiss/metalfaiss/core/kernels"

// Searching a batch of queries list by list: every list is read once for
// all the queries that probe it, and the distances come from dot-product
// tiles (|q|^2 + |x|^2 - 2 q.x for L2) instead of one query at a time. A
// list probed by m queries then costs one pass over its memory instead of
// m, and the tile kernel runs near its arithmetic peak. Coded lists are
// decoded once per list; residual codes are compared with the queries'
// residuals (L2) or get <x, c> added (inner product), as per query.

// byListMinQueries is the smallest batch searched list by list.
const byListMinQueries = 16

// useByList decides when the batch pays. Flat and scalar-quantizer lists
// win even when a list serves a quarter of a query on average (the tile
// kernel outruns the one-query scans); product-quantizer lists must be
// decoded to floats first, which only pays from two queries per list.
// Measured with bench_ivf.py at nprobe=1: on 100k x 128 (IVF1024, 500
// queries) the batch took Flat from 0.77x to 0.91x faiss and PQ16 from
// 0.87x down to 0.65x; for SQ8 the two sizes disagree, and the one the
// target is set at wins: at 1M the batch gives 0.76-0.79x against 0.61x
// for the one-query SIMD scan (at 100k: 0.45x against 0.58x).
func (pr *ivfProbe) useByList(nq int) bool {
	if nq < byListMinQueries || pr.ht > 0 { // the polysemous filter runs per query
		return false
	}
	if pr.ix.hasTables() && pr.ix.UsePrecomputedTable > 0 {
		// Asked for faiss's precomputed tables, which add the coarse
		// distances given (an independent quantizer's may come from
		// another space): the per-query table scan uses them.
		return false
	}
	if sq := pr.ix.SQ(); sq != nil && (sq.Type.tqFull() || sq.Type == QT0bit) {
		return false // faiss's estimator, not a distance to decoded rows
	}
	if q := pr.ix.AQ(); q != nil && q.additive().SearchType != STDecompress {
		return false // look-up tables and stored norms, not distances to decoded rows
	}
	if pr.ix.PQ() != nil || pr.ix.AQ() != nil {
		return nq*pr.nprobe >= 2*pr.ix.nlist
	}
	return 4*nq*pr.nprobe >= pr.ix.nlist
}

// byListTile is the number of queries per dot-product tile.
const byListTile = 64

// byListWorker holds one goroutine's scratch for batched list scans.
type byListWorker struct {
	rows, norms []float32 // the list's vectors (decoded if coded) and norms
	q, qn, bias []float32 // the tile's query rows, norms and added terms
	dots        []float32
	decode      func(codes []byte, x []float32) // coded lists to rows
}

func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// searchByList fills dist and labels for every query; heaps are private to
// each worker (which takes whole lists) and merged at the end: heaps order
// ties by id, so the result does not depend on the split.
func (pr *ivfProbe) searchByList(k int, dist []float32, labels []int64) {
	ix := pr.ix
	nq := len(pr.x) / ix.d
	probing := make([][]int32, ix.nlist)
	for q := 0; q < nq; q++ {
		for _, l := range pr.coarse[q*pr.nprobe : (q+1)*pr.nprobe] {
			if l >= 0 {
				probing[l] = append(probing[l], int32(q))
			}
		}
	}
	decode := func(codes []byte, x []float32) { _ = ix.codec.Decode(codes, x) } // sizes are the index's own
	if sq := ix.SQ(); sq != nil {
		decode = sq.scanDecoder()
	}
	parts := make([][]topK, workers())
	perList := max(1, int(ix.ntotal)/ix.nlist) * ix.d * max(1, nq*pr.nprobe/ix.nlist)
	used := parallelChunks(ix.nlist, chunkFor(perList), func(c, lo, hi int) {
		parts[c] = makeHeaps(nq, k)
		w := &byListWorker{decode: decode}
		for l := lo; l < hi; l++ {
			if len(probing[l]) > 0 && ix.viewSize(l) > 0 {
				pr.scanListBatch(w, l, probing[l], parts[c])
			}
		}
	})
	if used == 0 {
		parts[0], used = makeHeaps(nq, k), 1
	}
	for c := 1; c < used; c++ {
		for q := range parts[0] {
			parts[0][q].merge(&parts[c][q])
		}
	}
	emitAll(parts[0], 0, k, pr.sign, dist, labels)
}

// scanListBatch offers list l to the heaps of the queries qs.
func (pr *ivfProbe) scanListBatch(w *byListWorker, l int, qs []int32, heaps []topK) {
	ix := pr.ix
	d := ix.d
	lst := ix.viewList(l)
	n := len(lst.ids)
	rows := lst.vecs
	if ix.codec != nil {
		w.rows = grow(w.rows, n*d)
		w.decode(lst.codes, w.rows)
		rows = w.rows
	}
	l2 := ix.metric == MetricL2
	norms := lst.norms
	if l2 && (ix.codec != nil || len(norms) != n) {
		w.norms = grow(w.norms, n)
		kernels.Norms(rows, d, w.norms)
		norms = w.norms
	}
	var c []float32
	if ix.codec != nil && ix.ByResidual {
		c = pr.centroids[l*d : (l+1)*d]
	}
	for t0 := 0; t0 < len(qs); t0 += byListTile {
		tile := qs[t0:min(len(qs), t0+byListTile)]
		m := len(tile)
		w.q, w.qn, w.bias = grow(w.q, m*d), grow(w.qn, m), grow(w.bias, m)
		for i, q := range tile {
			xq := pr.x[int(q)*d : (int(q)+1)*d]
			dst := w.q[i*d : (i+1)*d]
			w.bias[i] = 0
			switch {
			case c != nil && l2: // compare the query's residual with the codes
				for j := range dst {
					dst[j] = xq[j] - c[j]
				}
			case c != nil: // inner product: <x, c> + <x, r>
				copy(dst, xq)
				w.bias[i] = kernels.Inner(xq, c)
			default:
				copy(dst, xq)
			}
		}
		if l2 {
			kernels.Norms(w.q, d, w.qn)
		}
		w.dots = grow(w.dots, m*n)
		kernels.DotTile(w.q, m, rows, n, d, w.dots, n)
		for i, q := range tile {
			row := w.dots[i*n : (i+1)*n]
			if l2 {
				kernels.L2FromDot(row, w.qn[i], norms)
			} else if w.bias[i] != 0 {
				for j := range row {
					row[j] += w.bias[i]
				}
			}
			pushRow(&heaps[q], row, lst.ids, 0, pr.sign, pr.sel)
		}
	}
}
