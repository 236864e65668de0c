package core

import "math/bits"

// IndexRaBitQ stores RaBitQ codes of the vectors relative to their mean
// (faiss's IndexRaBitQ) and searches them all: with one bit per dimension
// by the one-bit estimate, with more by faiss's two stages (the one-bit
// estimate and its error bound decide which codes get the full estimate).
type IndexRaBitQ struct {
	indexFlatCodes
	RBQ *RaBitQuantizer
	// Qb is the bits of the query's scalar quantization (0: the float
	// query), faiss's qb (4 by default); Centered picks faiss's centred
	// query quantizer.
	Qb       int
	Centered bool
	trained  bool
}

// RaBitQParams are faiss's RaBitQSearchParameters /
// IVFRaBitQSearchParameters fields.
type RaBitQParams struct {
	Qb       int
	Centered bool
}

// rbqCodec is the index's view of its quantizer: trained when the index
// is, scanned with the index's query bits.
type rbqCodec struct {
	*RaBitQuantizer
	ix *IndexRaBitQ
}

func (c rbqCodec) IsTrained() bool { return c.ix.trained }
func (c rbqCodec) Train(x []float32) error {
	c.ix.train(x)
	return nil
}
func (c rbqCodec) newScanner(Metric) codeScanner {
	return newRBQScanner(c.RaBitQuantizer, c.ix.Qb, false)
}

// NewIndexRaBitQ makes an index of d dimensions coded with nbBits (1..9)
// bits per dimension, for L2 or inner product.
func NewIndexRaBitQ(d int, metric Metric, nbBits int) (*IndexRaBitQ, error) {
	const op = "IndexRaBitQ"
	if d <= 0 {
		return nil, Errorf(KindInvalidArgument, op, "d must be positive, got %d", d)
	}
	q, err := NewRaBitQuantizer(d, metric, nbBits)
	if err != nil {
		return nil, err
	}
	ix := &IndexRaBitQ{RBQ: q, Qb: 4}
	ix.indexFlatCodes = indexFlatCodes{name: op, d: d, metric: metric, codec: rbqCodec{q, ix}}
	return ix, nil
}

// Name is the faiss class this type is read and written as.
func (ix *IndexRaBitQ) Name() string { return "IndexRaBitQ" }

// Center is the mean of the training vectors, which codes are relative
// to (nil before training).
func (ix *IndexRaBitQ) Center() []float32 { return ix.RBQ.Centroid }

// train sets the center to the mean of x, summed in float32 in row order
// as faiss does (no rows: the origin).
func (ix *IndexRaBitQ) train(x []float32) {
	d := ix.d
	c := make([]float32, d)
	n := len(x) / d
	for i := 0; i < n; i++ {
		for j, v := range x[i*d : (i+1)*d] {
			c[j] += v
		}
	}
	if n > 0 {
		for j := range c {
			c[j] /= float32(n)
		}
	}
	ix.RBQ.Centroid, ix.trained = c, true
}

// Restore sets the center and codes read from a file.
func (ix *IndexRaBitQ) Restore(trained bool, center []float32, codes []byte) error {
	const op = "IndexRaBitQ"
	if trained && len(center) != ix.d {
		return Errorf(KindDimensionMismatch, op, "the center has %d values, d=%d", len(center), ix.d)
	}
	if len(codes)%ix.RBQ.CodeSize != 0 {
		return Errorf(KindDimensionMismatch, op, "%d code bytes are not whole codes of %d bytes", len(codes), ix.RBQ.CodeSize)
	}
	if !trained && len(codes) > 0 {
		return Errorf(KindInvalidArgument, op, "an untrained index cannot hold codes")
	}
	ix.trained, ix.codes = trained, codes
	ix.gen++
	ix.RBQ.Centroid = nil
	if trained {
		ix.RBQ.Centroid = center
	}
	return nil
}

// queryBits returns the query quantization of a search: p's when given.
func (ix *IndexRaBitQ) queryBits(op string, p *SearchParams) (int, bool, error) {
	qb, centered := ix.Qb, ix.Centered
	if p != nil && p.RaBitQ != nil {
		qb, centered = p.RaBitQ.Qb, p.RaBitQ.Centered
	}
	if qb < 0 || qb > 8 {
		return 0, false, Errorf(KindInvalidArgument, op, "qb must be 0..8, got %d", qb)
	}
	return qb, centered, nil
}

// Search implements Index.
func (ix *IndexRaBitQ) Search(x []float32, k int, dist []float32, labels []int64) error {
	return ix.SearchWithParams(x, k, dist, labels, nil)
}

// SearchWithParams implements ParamSearcher: p may set the query bits
// (p.RaBitQ) and a selector. Queries run in parallel, each scanning the
// codes in order, so the two-stage filter sees the thresholds faiss's does.
func (ix *IndexRaBitQ) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
	op := ix.name + ".search"
	nq, err := ix.checkSearch(op, x, k, dist, labels)
	if err != nil {
		return err
	}
	qb, centered, err := ix.queryBits(op, p)
	if err != nil {
		return err
	}
	var sel IDSelector
	if p != nil {
		sel = p.Sel
	}
	n := int(ix.Ntotal())
	sign := keySign(ix.metric)
	parallelChunks(nq, chunkFor(n*ix.d), func(_, lo, hi int) {
		rq := newRBQQuery(ix.RBQ, qb, centered)
		h := newTopK(k)
		for q := lo; q < hi; q++ {
			h.reset()
			rq.set(x[q*ix.d:(q+1)*ix.d], ix.RBQ.Centroid)
			rq.scanList(&h, ix.codes, n, nil, 0, sel, sign)
			h.emit(sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
	})
	return nil
}

// checkSearch checks a search's arguments and returns the query count.
func (ix *IndexRaBitQ) checkSearch(op string, x []float32, k int, dist []float32, labels []int64) (int, error) {
	nq, err := checkBatch(op, x, ix.d)
	if err == nil {
		err = checkResults(op, nq, k, len(dist), len(labels))
	}
	if err == nil && !ix.trained {
		err = Errorf(KindNotTrained, op, "train the index before searching")
	}
	return nq, err
}

// offer pushes code's distance to h, through the two stages when the
// codes have magnitude bits.
func (r *rbqQuery) offer(h *topK, code []byte, id int64, sign float32) {
	est := r.estimate1(code)
	if r.l.exBits > 0 {
		if !r.refine(code, est, h.dist[0]) {
			return
		}
		est = r.full(code)
	}
	if key := sign * est; key < h.dist[0] || (key == h.dist[0] && id < h.ids[0]) {
		h.replaceRoot(key, id)
	}
}

// RangeSearch implements RangeSearcher.
func (ix *IndexRaBitQ) RangeSearch(x []float32, radius float32) (*RangeResult, error) {
	return ix.RangeSearchWithParams(x, radius, nil)
}

// RangeSearchWithParams returns the codes whose full estimate is within
// radius (above it for inner product), with p's query bits (faiss's range
// search quantizes the query uncentred).
func (ix *IndexRaBitQ) RangeSearchWithParams(x []float32, radius float32, p *SearchParams) (*RangeResult, error) {
	op := ix.name + ".range_search"
	nq, err := checkBatch(op, x, ix.d)
	if err != nil {
		return nil, err
	}
	if !ix.trained {
		return nil, Errorf(KindNotTrained, op, "train the index before searching")
	}
	qb, _, err := ix.queryBits(op, p)
	if err != nil {
		return nil, err
	}
	var sel IDSelector
	if p != nil {
		sel = p.Sel
	}
	cs, n := ix.RBQ.CodeSize, int(ix.Ntotal())
	sim := ix.metric.IsSimilarity()
	hits := &rangeHits{dist: make([][]float32, nq), ids: make([][]int64, nq)}
	parallelChunks(nq, chunkFor(n*ix.d), func(_, lo, hi int) {
		rq := newRBQQuery(ix.RBQ, qb, false)
		for q := lo; q < hi; q++ {
			rq.set(x[q*ix.d:(q+1)*ix.d], ix.RBQ.Centroid)
			for i := 0; i < n; i++ {
				v := rq.full(ix.codes[i*cs : (i+1)*cs])
				if ((sim && v > radius) || (!sim && v < radius)) && (sel == nil || sel.IsMember(int64(i))) {
					hits.dist[q] = append(hits.dist[q], v)
					hits.ids[q] = append(hits.ids[q], int64(i))
				}
			}
		}
	})
	return collectByQuery([]*rangeHits{hits}, []int{0}, nq), nil
}

// rbqSymmetric is faiss's symmetric distance of two one-bit codes (L2):
// the sign vectors' agreement scaled by each code's L1 estimate of its
// norm.
func rbqSymmetric(d int, a, b []byte) float32 {
	sb := (d + 7) / 8
	diff := 0
	for i := 0; i < sb; i++ {
		diff += bits.OnesCount8(a[i] ^ b[i])
	}
	signDot := float32(d) - 2*float32(diff)
	orA, mulA := getF32(a, sb), getF32(a, sb+4)
	orB, mulB := getF32(b, sb), getF32(b, sb+4)
	var cross float32
	if mulA != 0 && mulB != 0 {
		cross = float32(orA/mulA*float32(signDot/float32(d))) * (orB / mulB)
	}
	return clampPos(orA + orB - 2*cross)
}
