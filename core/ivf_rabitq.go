package core

// IndexIVFRaBitQ (faiss's class of that name) is an IndexIVF whose lists
// hold RaBitQ codes of the vectors relative to their list's centroid:
// codec is a *RaBitQuantizer with no centroid of its own, and rabitq holds
// the query quantization. Searches prepare the query against each probed
// list's centroid and scan the list in order with faiss's two stages.

// IVFRaBitQ is the RaBitQ part of an IndexIVFRaBitQ.
type IVFRaBitQ struct {
	// Qb is the bits of the query's scalar quantization (0: the float
	// query), faiss's qb (4 by default, 8 for fast scan); Centered is
	// IndexIVFRaBitQFastScan's centred query quantizer (search
	// parameters give both per call).
	Qb       int
	Centered bool
}

// NewIndexIVFRaBitQ makes an IVF index of RaBitQ codes with nbBits (1..9)
// bits per dimension.
func NewIndexIVFRaBitQ(quantizer Index, d, nlist int, metric Metric, nbBits int) (*IndexIVF, error) {
	const op = "IndexIVFRaBitQ"
	if d <= 0 {
		return nil, Errorf(KindInvalidArgument, op, "d must be positive, got %d", d)
	}
	q, err := NewRaBitQuantizer(d, metric, nbBits)
	if err != nil {
		return nil, err
	}
	ix, err := newIndexIVF(op, quantizer, d, nlist, metric, q)
	if err != nil {
		return nil, err
	}
	ix.rabitq = &IVFRaBitQ{Qb: 4}
	return ix, nil
}

// RaBitQ returns the RaBitQ settings of an IndexIVFRaBitQ (nil for other
// IVF indexes).
func (ix *IndexIVF) RaBitQ() *IVFRaBitQ { return ix.rabitq }

// RBQ returns the quantizer of an IndexIVFRaBitQ (nil for others).
func (ix *IndexIVF) RBQ() *RaBitQuantizer {
	if ix.rabitq == nil {
		return nil
	}
	return ix.codec.(*RaBitQuantizer)
}

// rbqQueryBits sets the probe's query quantization from p or the index.
func (pr *ivfProbe) rbqQueryBits(op string, p *SearchParams) error {
	pr.qb, pr.centered = pr.ix.rabitq.Qb, pr.ix.rabitq.Centered
	if p != nil && p.RaBitQ != nil {
		pr.qb, pr.centered = p.RaBitQ.Qb, p.RaBitQ.Centered
	}
	lowest := 0
	if pr.ix.fastScan != nil {
		lowest = 1 // fast scan sums quantized queries only
	}
	if pr.qb < lowest || pr.qb > 8 {
		return Errorf(KindInvalidArgument, op, "qb must be %d..8, got %d", lowest, pr.qb)
	}
	return nil
}

// encodeRaBitQ codes the rows of x relative to their lists' centroids
// (rows without a list: to the origin), whatever by_residual says, as
// faiss does.
func (ix *IndexIVF) encodeRaBitQ(x []float32, assign []int64, codes []byte) error {
	c, err := ix.centroids()
	if err != nil {
		return err
	}
	d := ix.d
	ix.RBQ().computeCodesAt(x, codes, func(i int) []float32 {
		if l := assign[i]; l >= 0 {
			return c[int(l)*d : int(l+1)*d]
		}
		return nil
	})
	return nil
}

// searchRaBitQ is search for RaBitQ lists: queries in parallel, each
// visiting its lists nearest first and their codes in order, so that the
// two-stage filter sees the thresholds faiss's scan does.
func (pr *ivfProbe) searchRaBitQ(nq, k int, dist []float32, labels []int64) {
	defer pr.record()
	ix := pr.ix
	d := ix.d
	perQuery := pr.nprobe * max(1, int(ix.ntotal)/ix.nlist) * d
	type scratch struct {
		rq *rbqQuery
		h  topK
	}
	per := make([]*scratch, workers())
	parallelDynamic(nq, queryGrain(nq, perQuery), func(wk, lo, hi int) {
		if per[wk] == nil {
			per[wk] = &scratch{newRBQQuery(ix.RBQ(), pr.qb, pr.centered), newTopK(k)}
		}
		rq, h := per[wk].rq, &per[wk].h
		for q := lo; q < hi; q++ {
			h.reset()
			xq := pr.x[q*d : (q+1)*d]
			for r := 0; r < pr.nprobe; r++ {
				list := pr.coarse[q*pr.nprobe+r]
				if list < 0 || ix.viewSize(int(list)) == 0 {
					continue
				}
				l := ix.viewList(int(list))
				rq.set(xq, pr.centroids[int(list)*d:int(list+1)*d])
				rq.scanList(h, l.codes, len(l.ids), l.ids, 0, pr.sel, pr.sign)
			}
			h.emit(pr.sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
	})
}

// queryGrain is how many queries a worker takes at a time from a batch
// handed out dynamically: about 16 pieces per worker, fewer when a query
// is little work.
func queryGrain(nq, perQuery int) int {
	return max(chunkFor(perQuery), nq/(16*workers()))
}
