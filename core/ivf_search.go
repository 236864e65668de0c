package core

import (
	"fmt"
	"math"
	"time"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// Search implements Index: the k best of the Nprobe nearest lists.
func (ix *IndexIVF) Search(x []float32, k int, dist []float32, labels []int64) error {
	return ix.SearchWithParams(x, k, dist, labels, nil)
}

// ivfProbe is what a search of an IVF index needs once its lists are known.
type ivfProbe struct {
	ix        *IndexIVF
	x         []float32
	nprobe    int
	coarse    []int64   // nq x nprobe list numbers, nearest first (-1: none)
	coarseDis []float32 // their distances to the query (the quantizer's metric)
	sel       IDSelector
	sign      float32
	centroids []float32 // for residual codes
	start     time.Time // when the search began, and the quantizer's share
	quantTime time.Duration
	limits    IVFLimits
	// ht > 0: IVFPQ's polysemous filter (see IndexIVF.PolysemousHT)
	ht int
	// qb, centered: an IndexIVFRaBitQ's query quantization
	qb       int
	centered bool
}

// record adds the search to the IVF statistics.
func (pr *ivfProbe) record() { pr.recordVisited(pr.coarse) }

// recordVisited records a search that visited only the lists of probes
// (-1: a probe left out).
func (pr *ivfProbe) recordVisited(probes []int64) {
	ls := pr.ix.lists
	recordIVFSearch(len(pr.x)/pr.ix.d, probes, func(l int) []int64 { return ls.lists[l].ids }, pr.sel,
		pr.quantTime, time.Since(pr.start))
}

// ivfWorker is one goroutine's scratch: the distance row, and for coded
// lists a scanner with the query (or its residual) loaded.
type ivfWorker struct {
	row       []float32
	scanner   codeScanner
	res       []float32
	loaded    int       // the query whose vector the scanner holds (-1: none)
	qcode     []byte    // the PQ code of the query (residual) of qcodeFor
	qcodeFor  [2]int    // (query, list) of qcode; list -1: the query itself
	qTerms    []float32 // -2 <x_m, r_mj> of query qLoaded (precomputed tables)
	qLoaded   int
	listTable []float32
	listBase  []int // where a short multi-index list's terms start, per sub-space
}

func (pr *ivfProbe) newWorker() *ivfWorker {
	w := &ivfWorker{loaded: -1, qLoaded: -1, qcodeFor: [2]int{-1, -1}}
	if q := pr.ix.RBQ(); q != nil {
		w.scanner = newRBQScanner(q, pr.qb, pr.centered)
		w.res = make([]float32, pr.ix.d)
	} else if c := pr.ix.codec; c != nil {
		w.scanner = c.newScanner(pr.ix.metric)
		w.res = make([]float32, pr.ix.d)
	}
	return w
}

// probe validates the call and runs the coarse quantizer.
func (ix *IndexIVF) probe(op string, x []float32, p *SearchParams) (*ivfProbe, error) {
	return ix.probeWith(op, x, p, nil, nil)
}

// probeWith is probe with the coarse lists given (nq x nprobe list numbers
// and their distances) instead of searched; nil: search them.
func (ix *IndexIVF) probeWith(op string, x []float32, p *SearchParams, coarse []int64, coarseDis []float32) (*ivfProbe, error) {
	nq, err := checkBatch(op, x, ix.d)
	if err != nil {
		return nil, err
	}
	if !ix.IsTrained() {
		return nil, Errorf(KindNotTrained, op, "train the index before searching")
	}
	pr := &ivfProbe{ix: ix, x: x, nprobe: ix.Nprobe, sign: keySign(ix.metric), start: time.Now(), ht: ix.PolysemousHT}
	var qp *SearchParams
	if p != nil && p.PQ != nil {
		pr.ht = p.PQ.PolysemousHT
	}
	if pr.ht < 0 || pr.ht > 0 && ix.PQ() == nil {
		return nil, Errorf(KindInvalidArgument, op, "polysemous_ht=%d: a Hamming threshold >= 0, for IVFPQ only", pr.ht)
	}
	if ix.metric != MetricL2 {
		pr.ht = 0 // the codes' Hamming distances stand for L2 distances only: other metrics scan every code
	}
	if p != nil {
		pr.sel, pr.limits, qp = p.Sel, p.IVF, p.Quantizer
		if p.Nprobe != 0 {
			pr.nprobe = p.Nprobe
		}
		if p.IVF.MaxCodes < 0 || p.IVF.MaxListsNum < 0 || p.IVF.MaxEmptyResultBuckets < 0 {
			return nil, Errorf(KindInvalidArgument, op, "max_codes, max_lists_num and max_empty_result_buckets must be >= 0")
		}
	}
	if pr.nprobe <= 0 {
		return nil, Errorf(KindInvalidArgument, op, "nprobe must be positive, got %d", pr.nprobe)
	}
	if ix.rabitq != nil {
		if err := pr.rbqQueryBits(op, p); err != nil {
			return nil, err
		}
	}
	if coarse == nil {
		pr.nprobe = min(pr.nprobe, ix.nlist) // as faiss clamps it
	}
	if ix.codec != nil && ix.ByResidual {
		if pr.centroids, err = ix.readCentroids(false); err != nil {
			return nil, err
		}
	}
	if coarse != nil {
		pr.coarse, pr.coarseDis = coarse, coarseDis
		return pr, nil
	}
	pr.coarse = make([]int64, nq*pr.nprobe)
	pr.coarseDis = make([]float32, nq*pr.nprobe)
	if nq > 0 {
		err := error(nil)
		if ps, ok := ix.quantizer.(ParamSearcher); ok && qp != nil {
			err = ps.SearchWithParams(x, pr.nprobe, pr.coarseDis, pr.coarse, qp)
		} else if qp != nil {
			err = Errorf(KindUnsupported, op, "the quantizer %T takes no search parameters", ix.quantizer)
		} else {
			err = ix.quantizer.Search(x, pr.nprobe, pr.coarseDis, pr.coarse)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: quantizer: %w", op, err)
		}
	}
	pr.quantTime = time.Since(pr.start)
	return pr, nil
}

// SearchWithParams implements ParamSearcher: p may set nprobe and a filter.
func (ix *IndexIVF) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
	op := ix.name + ".search"
	nq, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	pr, err := ix.probe(op, x, p)
	if err != nil {
		return err
	}
	if ix.fastScan != nil && ix.rabitq == nil {
		return pr.searchFastScan(nq, k, dist, labels)
	}
	if ix.pqr != nil {
		return ix.pqr.search(ix, x, k, dist, labels, func(kc int, d []float32, l []int64) error {
			pr.search(nq, kc, d, l)
			return nil
		})
	}
	pr.search(nq, k, dist, labels)
	ix.expandDuplicates(nq, k, dist, labels)
	return nil
}

// SearchPreassigned searches the lists given for each query (coarse: nq x
// nprobe list numbers, -1 skipped; coarseDis their distances, used by
// residual codes under inner product) instead of the quantizer's nearest:
// faiss's IndexIVF.search_preassigned. p may set a filter.
func (ix *IndexIVF) SearchPreassigned(x []float32, k int, coarse []int64, coarseDis []float32, nprobe int,
	dist []float32, labels []int64, p *SearchParams) error {
	op := ix.name + ".search_preassigned"
	pr, err := ix.preassignedProbe(op, x, coarse, coarseDis, nprobe, p)
	if err != nil {
		return err
	}
	nq := len(x) / ix.d
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	if ix.fastScan != nil && ix.rabitq == nil {
		return pr.searchFastScan(nq, k, dist, labels)
	}
	pr.search(nq, k, dist, labels)
	ix.expandDuplicates(nq, k, dist, labels)
	return nil
}

// preassignedProbe checks the lists given for each query and makes the
// probe that scans them.
func (ix *IndexIVF) preassignedProbe(op string, x []float32, coarse []int64, coarseDis []float32, nprobe int,
	p *SearchParams) (*ivfProbe, error) {
	if nprobe <= 0 {
		return nil, Errorf(KindInvalidArgument, op, "nprobe must be positive, got %d", nprobe)
	}
	if err := ix.checkAssign(op, x, coarse, nprobe); err != nil {
		return nil, err
	}
	if len(coarseDis) != len(coarse) {
		return nil, Errorf(KindDimensionMismatch, op, "%d coarse distances for %d list numbers", len(coarseDis), len(coarse))
	}
	pr, err := ix.probeWith(op, x, p, coarse, coarseDis)
	if err != nil {
		return nil, err
	}
	pr.nprobe = nprobe
	return pr, nil
}

// search scans the probed lists of the nq queries for the k best.
func (pr *ivfProbe) search(nq, k int, dist []float32, labels []int64) {
	if pr.limits.MaxCodes > 0 || pr.limits.MaxListsNum > 0 {
		pr.searchBounded(nq, k, dist, labels)
		return
	}
	if pr.ix.sh != nil {
		pr.searchSpectralHash(nq, k, dist, labels)
		return
	}
	if pr.ix.rabitq != nil && pr.ix.fastScan != nil {
		pr.searchRaBitQFastScan(nq, k, dist, labels)
		return
	}
	if pr.ix.rabitq != nil {
		pr.searchRaBitQ(nq, k, dist, labels)
		return
	}
	if pr.ix.pano != nil {
		pr.searchPanorama(nq, k, dist, labels)
		return
	}
	defer pr.record()
	ix := pr.ix
	if ix.metric == MetricL2 || ix.metric == MetricInnerProduct {
		if pr.useByList(nq) {
			pr.searchByList(k, dist, labels)
			return
		}
	}
	perQuery := pr.nprobe * max(1, int(ix.ntotal)/ix.nlist) * ix.d
	if nq >= 2*workers() || nq == 0 {
		parallelChunks(nq, chunkFor(perQuery), func(_, lo, hi int) {
			w := pr.newWorker()
			h := newTopK(k)
			for q := lo; q < hi; q++ {
				h.reset()
				for r := 0; r < pr.nprobe; r++ {
					pr.scanList(&h, w, q, r)
				}
				h.emit(pr.sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
			}
		})
		return
	}
	// Few queries: the lists of each query are shared among the workers,
	// each with its own heap; heaps order ties by id, so the merge gives the
	// same result however the lists were split.
	for q := 0; q < nq; q++ {
		parts := make([]topK, workers())
		used := parallelChunks(pr.nprobe, chunkFor(perQuery/pr.nprobe), func(c, lo, hi int) {
			w := pr.newWorker()
			parts[c] = newTopK(k)
			for r := lo; r < hi; r++ {
				pr.scanList(&parts[c], w, q, r)
			}
		})
		for c := 1; c < used; c++ {
			parts[0].merge(&parts[c])
		}
		parts[0].emit(pr.sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
	}
}

// distances writes the metric values of query q to every entry of its
// r-th probed list into the worker's row and returns it.
func (pr *ivfProbe) distances(w *ivfWorker, q, r int) ([]float32, *invertedList) {
	ix := pr.ix
	list := pr.coarse[q*pr.nprobe+r]
	l := ix.viewList(int(list))
	n := len(l.ids)
	if cap(w.row) < n {
		w.row = make([]float32, n)
	}
	out := w.row[:n]
	xq := pr.x[q*ix.d : (q+1)*ix.d]
	if ix.codec != nil {
		pr.scanCodes(w, q, r, xq, l, out)
		return out, l
	}
	switch ix.metric {
	case MetricL2:
		kernels.L2SqrRows(xq, l.vecs, out)
	case MetricInnerProduct:
		kernels.DotTile(xq, 1, l.vecs, n, ix.d, out, n)
	default:
		f := pairDistance(ix.metric, ix.arg)
		for i := range out {
			out[i] = f(xq, l.vecs[i*ix.d:(i+1)*ix.d])
		}
	}
	return out, l
}

// scanCodes measures query q against the codes of a list. With residual
// codes, L2 compares the query's residual x - c with the codes, and inner
// product adds <x, c> to <x, code> (faiss's decomposition).
func (pr *ivfProbe) scanCodes(w *ivfWorker, q, r int, xq []float32, l *invertedList, out []float32) {
	ix := pr.ix
	list := int(pr.coarse[q*pr.nprobe+r])
	if s, ok := w.scanner.(*rbqScanner); ok {
		s.query.set(xq, pr.centroids[list*ix.d:(list+1)*ix.d])
		w.loaded = -1
		s.scan(l.codes, 0, out)
		return
	}
	if s, ok := w.scanner.(*shScanner); ok {
		if w.loaded != q {
			s.setQuery(xq)
			w.loaded = q
		}
		s.setList(list)
		s.scan(l.codes, 0, out)
		return
	}
	if pr.ht > 0 {
		defer pr.hammingFilter(w, q, list, xq, l.codes, out)
	}
	if ix.hasTables() {
		pr.scanWithTables(w, q, xq, list, pr.coarseDis[q*pr.nprobe+r], l, out)
		return
	}
	var bias float32
	switch {
	case !ix.ByResidual || ix.metric == MetricInnerProduct:
		if w.loaded != q {
			w.scanner.setQuery(xq)
			w.loaded = q
		}
		if ix.ByResidual {
			bias = kernels.Inner(xq, pr.centroids[list*ix.d:(list+1)*ix.d])
		}
	default:
		c := pr.centroids[list*ix.d : (list+1)*ix.d]
		for j := range w.res {
			w.res[j] = xq[j] - c[j]
		}
		w.scanner.setQuery(w.res)
		w.loaded = -1
	}
	if sq := ix.SQ(); sq != nil && sq.Type == QT0bit {
		bias = pr.coarseDis[q*pr.nprobe+r] // an entry is its list's centroid
	}
	w.scanner.scan(l.codes, bias, out)
}

// hammingFilter drops (sets to the worst value) the distances of the codes
// whose Hamming distance to the PQ code of the query, or of its residual
// to the list's centroid, is ht or more: faiss's polysemous IVFPQ scan.
func (pr *ivfProbe) hammingFilter(w *ivfWorker, q, list int, xq []float32, codes []byte, out []float32) {
	ix, pq := pr.ix, pr.ix.PQ()
	key := [2]int{q, -1}
	if ix.ByResidual {
		key[1] = list
	}
	if w.qcodeFor != key {
		v := xq
		if ix.ByResidual {
			c := pr.centroids[list*ix.d : (list+1)*ix.d]
			for j := range w.res {
				w.res[j] = xq[j] - c[j]
			}
			v = w.res
		}
		if cap(w.qcode) < pq.CodeSize {
			w.qcode = make([]byte, pq.CodeSize)
		}
		w.qcode = w.qcode[:pq.CodeSize]
		_ = pq.ComputeCodes(v, w.qcode)
		w.qcodeFor = key
		w.loaded = -1 // w.res was overwritten
	}
	worst := float32(math.Inf(1))
	if ix.metric.IsSimilarity() {
		worst = float32(math.Inf(-1))
	}
	cs := pq.CodeSize
	for i := range out {
		if kernels.Hamming(w.qcode, codes[i*cs:(i+1)*cs]) >= pr.ht {
			out[i] = worst
		}
	}
}

// scanWithTables is scanCodes for IVFPQ with precomputed tables: the
// list's table is the query's terms plus the list's, and the sum over a
// code is added to |x - c|^2, the coarse distance.
func (pr *ivfProbe) scanWithTables(w *ivfWorker, q int, xq []float32, list int, coarse float32, l *invertedList, out []float32) {
	ix := pr.ix
	pq := ix.PQ()
	n := pq.M * pq.Ksub
	if w.qLoaded != q {
		// The products with -2x are exactly -2 times those with x.
		for j, v := range xq {
			w.res[j] = -2 * v
		}
		w.qTerms = grow(w.qTerms, n)
		pq.distanceTable(w.res, MetricInnerProduct, w.qTerms)
		w.qLoaded = q
	}
	if ix.pqTermsMI != nil && pq.Nbits == 8 && len(out) < shortListCodes {
		if len(w.listBase) < pq.M {
			w.listBase = make([]int, pq.M)
		}
		ix.scanMultiIndexShort(list, w.qTerms, l.codes, coarse, out, w.listBase)
		return
	}
	w.listTable = grow(w.listTable, n)
	if ix.pqTermsMI != nil {
		ix.multiIndexTable(list, w.listTable)
	} else {
		copy(w.listTable, ix.pqTerms[list*n:(list+1)*n])
	}
	kernels.AddTo(w.listTable, w.qTerms)
	pq.scanCodes(l.codes, w.listTable, coarse, out)
}

// scanList offers list's vectors to the heap of query q.
func (pr *ivfProbe) scanList(h *topK, w *ivfWorker, q, r int) {
	list := pr.coarse[q*pr.nprobe+r]
	if list < 0 || pr.ix.viewSize(int(list)) == 0 {
		return
	}
	row, l := pr.distances(w, q, r)
	pushRow(h, row, l.ids, 0, pr.sign, pr.sel)
}

// RangeSearch implements RangeSearcher over the Nprobe nearest lists.
func (ix *IndexIVF) RangeSearch(x []float32, radius float32) (*RangeResult, error) {
	return ix.RangeSearchWithParams(x, radius, nil)
}

// RangeSearchWithParams returns, per query, every vector of its probed
// lists within radius (inner product: above it), in the order the lists
// are visited (nearest list first) and stored, as faiss does.
func (ix *IndexIVF) RangeSearchWithParams(x []float32, radius float32, p *SearchParams) (*RangeResult, error) {
	if err := ix.refuseDedup(ix.name + ".range_search"); err != nil {
		return nil, err
	}
	pr, err := ix.probe(ix.name+".range_search", x, p)
	if err != nil {
		return nil, err
	}
	if ix.fastScan != nil && ix.rabitq == nil {
		return pr.rangeSearchFastScan(radius)
	}
	return pr.rangeSearch(radius), nil
}

// RangeSearchPreassigned is RangeSearchWithParams in the lists given for
// each query (coarse, nq x nprobe, -1 skipped; coarseDis as in
// SearchPreassigned): faiss's range_search_preassigned.
func (ix *IndexIVF) RangeSearchPreassigned(x []float32, radius float32, coarse []int64, coarseDis []float32,
	nprobe int, p *SearchParams) (*RangeResult, error) {
	op := ix.name + ".range_search_preassigned"
	if err := ix.refuseDedup(op); err != nil {
		return nil, err
	}
	pr, err := ix.preassignedProbe(op, x, coarse, coarseDis, nprobe, p)
	if err != nil {
		return nil, err
	}
	if ix.fastScan != nil && ix.rabitq == nil {
		return pr.rangeSearchFastScan(radius)
	}
	return pr.rangeSearch(radius), nil
}

// rangeSearch collects every entry of the probed lists within radius.
func (pr *ivfProbe) rangeSearch(radius float32) *RangeResult {
	if pr.limits.active() {
		return pr.rangeSearchBounded(radius)
	}
	if pr.ix.pano != nil {
		return pr.rangeSearchPanorama(radius)
	}
	defer pr.record()
	ix := pr.ix
	nq := len(pr.x) / ix.d
	sim := ix.metric.IsSimilarity()
	hits := &rangeHits{dist: make([][]float32, nq), ids: make([][]int64, nq)}
	perQuery := pr.nprobe * max(1, int(ix.ntotal)/ix.nlist) * ix.d
	parallelChunks(nq, chunkFor(perQuery), func(_, lo, hi int) {
		w := pr.newWorker()
		for q := lo; q < hi; q++ {
			for r, list := range pr.coarse[q*pr.nprobe : (q+1)*pr.nprobe] {
				if list < 0 || ix.viewSize(int(list)) == 0 {
					continue
				}
				row, l := pr.distances(w, q, r)
				for c, v := range row {
					if (sim && v > radius) || (!sim && v < radius) {
						if pr.sel == nil || pr.sel.IsMember(l.ids[c]) {
							hits.dist[q] = append(hits.dist[q], v)
							hits.ids[q] = append(hits.ids[q], l.ids[c])
						}
					}
				}
			}
		}
	})
	return collectByQuery([]*rangeHits{hits}, []int{0}, nq)
}
