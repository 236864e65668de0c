package core

// IndexIVFRaBitQFastScan (faiss's class of that name) is an
// IndexIVFRaBitQ whose lists also keep their sign bits packed in fast-scan
// blocks (IVFFastScan): a query's tables against each probed list's
// centroid are quantized together (faiss's 3-D tables, one scale per
// query and a bias per list) and summed by the kernels.

// NewIndexIVFRaBitQFastScan makes an IVF index of RaBitQ codes with nbBits
// (1..9) bits per dimension searched by fast scan in blocks of bbs; qb is
// 8, as in faiss.
func NewIndexIVFRaBitQFastScan(quantizer Index, d, nlist int, metric Metric, bbs, nbBits int) (*IndexIVF, error) {
	const op = "IndexIVFRaBitQFastScan"
	if err := checkRaBitQFastScan(op, d, bbs); err != nil {
		return nil, err
	}
	ix, err := NewIndexIVFRaBitQ(quantizer, d, nlist, metric, nbBits)
	if err != nil {
		return nil, err
	}
	m := (d + 3) / 4
	ix.name, ix.rabitq.Qb = op, 8
	ix.fastScan = &IVFFastScan{Bbs: bbs, m: m, m2: (m + 1) &^ 1}
	return ix, nil
}

// NewIndexIVFRaBitQFastScanFrom is faiss's IndexIVFRaBitQFastScan(const
// IndexIVFRaBitQ&, bbs): the same quantizer (shared), a copy of the lists
// and settings.
func NewIndexIVFRaBitQFastScanFrom(src *IndexIVF, bbs int) (*IndexIVF, error) {
	const op = "IndexIVFRaBitQFastScan"
	q := src.RBQ()
	if q == nil || src.fastScan != nil {
		return nil, Errorf(KindInvalidArgument, op, "expected an IndexIVFRaBitQ, got a %s", src.name)
	}
	ix, err := NewIndexIVFRaBitQFastScan(src.quantizer, src.d, src.nlist, src.metric, bbs, q.NbBits)
	if err != nil {
		return nil, err
	}
	ix.Nprobe, ix.CP, ix.rabitq.Qb = src.Nprobe, src.CP, src.rabitq.Qb
	for l := range src.lists.lists {
		s, d := &src.lists.lists[l], &ix.lists.lists[l]
		d.ids, d.codes = append([]int64(nil), s.ids...), append([]byte(nil), s.codes...)
	}
	ix.ntotal = src.ntotal
	return ix, nil
}

// rbqFSWorker is a goroutine's scratch for searchRaBitQFastScan.
type rbqFSWorker struct {
	queries []*rbqQuery // one per probe
	tab     []float32   // nprobe x M x 16
	zeros   []float32
	lutq    []byte
	biasq   []uint16
	s       *fsScratch
	h       topK
}

// searchRaBitQFastScan is the search of an IndexIVFRaBitQFastScan: per
// query (in parallel), the tables of its probed lists quantized together,
// then its lists nearest first through the kernels and faiss's handler.
func (pr *ivfProbe) searchRaBitQFastScan(nq, k int, dist []float32, labels []int64) {
	defer pr.record()
	ix := pr.ix
	fs := ix.fastScan
	packed := ix.packedLists()
	m, m2 := fs.m, fs.m2
	perQuery := pr.nprobe * max(1, int(ix.ntotal)/ix.nlist) * m
	per := make([]*rbqFSWorker, workers())
	parallelDynamic(nq, queryGrain(nq, perQuery), func(wk, lo, hi int) {
		if per[wk] == nil {
			per[wk] = &rbqFSWorker{s: newFSScratch(fs.Bbs), h: newTopK(k)}
		}
		w := per[wk]
		h := &w.h
		for qi := lo; qi < hi; qi++ {
			h.reset()
			probes := pr.coarse[qi*pr.nprobe : (qi+1)*pr.nprobe]
			oneA, b := pr.rbqTables(w, qi, probes, m, m2)
			at := 0
			for _, list := range probes {
				if list < 0 {
					continue
				}
				rq, lut, bias := w.queries[at], w.lutq[at*m2*16:(at+1)*m2*16], w.biasq[at]
				at++
				n := ix.viewSize(int(list))
				if n == 0 {
					continue
				}
				l := ix.viewList(int(list))
				c := fs.listBlocks(&packed[list], n, MetricL2)
				rq.scanFS(h, c, lut, bias, oneA, b, 0, c.nblocks(), l.codes, packed[list].aux, l.ids, pr.sel, pr.sign, w.s)
			}
			h.emit(pr.sign, dist[qi*k:(qi+1)*k], labels[qi*k:(qi+1)*k])
		}
	})
}

// rbqTables prepares query qi against each probed list (skipping -1) and
// quantizes the tables together with faiss's quantize_LUT_and_bias (3-D,
// zero biases); it returns 1/a and b.
func (pr *ivfProbe) rbqTables(w *rbqFSWorker, qi int, probes []int64, m, m2 int) (oneA, b float32) {
	ix, d := pr.ix, pr.ix.d
	xq := pr.x[qi*d : (qi+1)*d]
	valid := 0
	for _, l := range probes {
		if l >= 0 {
			valid++
		}
	}
	for len(w.queries) < valid {
		w.queries = append(w.queries, newRBQFSQuery(ix.RBQ(), pr.qb, pr.centered))
	}
	w.tab = grow(w.tab, valid*m*16)
	w.zeros = grow(w.zeros, valid)
	clear(w.zeros)
	if len(w.lutq) < valid*m2*16 {
		w.lutq = make([]byte, valid*m2*16)
	}
	if len(w.biasq) < valid {
		w.biasq = make([]uint16, valid)
	}
	at := 0
	for _, l := range probes {
		if l < 0 {
			continue
		}
		rq := w.queries[at]
		rq.set(xq, pr.centroids[int(l)*d:int(l+1)*d])
		rq.fsLUT(w.tab[at*m*16 : (at+1)*m*16])
		at++
	}
	if valid == 0 {
		return 0, 0
	}
	a, b, _ := QuantizeLUTAndBias(valid, m, 16, true, w.tab, w.zeros, w.lutq, m2, w.biasq)
	return invScale(a), b
}

// rbqFaissBlocks returns list l of an IndexIVFRaBitQFastScan as faiss's
// BlockInvertedLists holds it: per block the packed sign bits, then each
// vector's factors (and magnitude codes).
func (ix *IndexIVF) rbqFaissBlocks(l int) []byte {
	p := &ix.packedLists()[l]
	q := ix.RBQ()
	return rbqFaissBlocks(ix.fastScan.listBlocks(p, p.n, MetricL2), ix.lists.lists[l].codes, q.CodeSize, q.layout().signBytes)
}
