package core

// codec turns vectors into fixed-size codes and back, and measures a query
// against codes without decoding them all first (faiss's
// IndexFlatCodes + Quantizer). ProductQuantizer and ScalarQuantizer are
// codecs.
type codec interface {
	codeSize() int
	IsTrained() bool
	Train(x []float32) error
	ComputeCodes(x []float32, codes []byte) error
	Decode(codes []byte, x []float32) error
	// newScanner returns a per-worker object computing the metric values
	// between one query and many codes.
	newScanner(metric Metric) codeScanner
}

// codeScanner computes distances from the query set by setQuery; bias is
// added to every value (the IVF by-residual terms).
type codeScanner interface {
	setQuery(q []float32)
	scan(codes []byte, bias float32, out []float32)
}

// indexFlatCodes stores codes contiguously and searches them all: the
// common part of IndexPQ and IndexScalarQuantizer.
type indexFlatCodes struct {
	name   string
	d      int
	metric Metric
	codec  codec
	codes  []byte
	// backing keeps alive what codes may point into (a mapped index file).
	backing any
	// gen counts the changes to codes, for copies derived from them (the
	// packed codes of IndexRaBitQFastScan).
	gen uint64
}

// KeepAlive ties b's life to the index (a mapped file its codes use).
func (ix *indexFlatCodes) KeepAlive(b any) { ix.backing = b }

func (ix *indexFlatCodes) D() int             { return ix.d }
func (ix *indexFlatCodes) Ntotal() int64      { return int64(len(ix.codes) / ix.codec.codeSize()) }
func (ix *indexFlatCodes) Metric() Metric     { return ix.metric }
func (ix *indexFlatCodes) MetricArg() float32 { return 0 }
func (ix *indexFlatCodes) IsTrained() bool    { return ix.codec.IsTrained() }
func (ix *indexFlatCodes) Reset()             { ix.codes, ix.gen = ix.codes[:0], ix.gen+1 }

// CodeSize is the bytes per vector.
func (ix *indexFlatCodes) CodeSize() int { return ix.codec.codeSize() }

// Codes returns the stored codes (ntotal*CodeSize bytes), not a copy.
func (ix *indexFlatCodes) Codes() []byte { return ix.codes }

func (ix *indexFlatCodes) Train(x []float32) error {
	if _, err := checkBatch(ix.name+".train", x, ix.d); err != nil {
		return err
	}
	return ix.codec.Train(x)
}

func (ix *indexFlatCodes) Add(x []float32) error {
	op := ix.name + ".add"
	n, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if !ix.codec.IsTrained() {
		return Errorf(KindNotTrained, op, "train the index before adding")
	}
	start, cs := len(ix.codes), ix.codec.codeSize()
	ix.codes = append(ix.codes, make([]byte, n*cs)...)
	ix.gen++
	err = inInterruptibleBlocks(op, n, func(lo, hi int) error {
		return ix.codec.ComputeCodes(x[lo*ix.d:hi*ix.d], ix.codes[start+lo*cs:start+hi*cs])
	})
	if err != nil {
		ix.codes = ix.codes[:start]
		return err
	}
	return nil
}

func (ix *indexFlatCodes) Search(x []float32, k int, dist []float32, labels []int64) error {
	return ix.SearchWithParams(x, k, dist, labels, nil)
}

// SearchWithParams implements ParamSearcher (p.Sel filters ids).
func (ix *indexFlatCodes) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
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
	var sel IDSelector
	if p != nil {
		sel = p.Sel
	}
	cs, n := ix.codec.codeSize(), int(ix.Ntotal())
	sign := keySign(ix.metric)
	// Workers share the queries when there are many, the codes otherwise
	// (private heaps, merged: ties go to the lower id either way).
	scanRange := func(s codeScanner, h *topK, lo, hi int, out []float32) {
		for b := lo; b < hi; b += codeBlock {
			e := min(hi, b+codeBlock)
			row := out[:e-b]
			s.scan(ix.codes[b*cs:e*cs], 0, row)
			pushRow(h, row, nil, int64(b), sign, sel)
		}
	}
	if nq >= 2*workers() {
		parallelChunks(nq, chunkFor(n*cs), func(_, lo, hi int) {
			s, h, out := ix.codec.newScanner(ix.metric), newTopK(k), make([]float32, codeBlock)
			for q := lo; q < hi; q++ {
				h.reset()
				s.setQuery(x[q*ix.d : (q+1)*ix.d])
				scanRange(s, &h, 0, n, out)
				h.emit(sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
			}
		})
		return nil
	}
	for q := 0; q < nq; q++ {
		parts := make([]topK, workers())
		used := parallelChunks(n, chunkFor(cs), func(c, lo, hi int) {
			s, out := ix.codec.newScanner(ix.metric), make([]float32, codeBlock)
			parts[c] = newTopK(k)
			s.setQuery(x[q*ix.d : (q+1)*ix.d])
			scanRange(s, &parts[c], lo, hi, out)
		})
		if used == 0 {
			parts[0], used = newTopK(k), 1
		}
		for c := 1; c < used; c++ {
			parts[0].merge(&parts[c])
		}
		parts[0].emit(sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
	}
	return nil
}

// codeBlock is how many codes are scanned into one row of distances.
const codeBlock = 1024

// RangeSearch implements RangeSearcher.
func (ix *indexFlatCodes) RangeSearch(x []float32, radius float32) (*RangeResult, error) {
	return ix.RangeSearchWithParams(x, radius, nil)
}

// RangeSearchWithParams is RangeSearch among the codes p.Sel picks.
func (ix *indexFlatCodes) RangeSearchWithParams(x []float32, radius float32, p *SearchParams) (*RangeResult, error) {
	op := ix.name + ".range_search"
	var sel IDSelector
	if p != nil {
		sel = p.Sel
	}
	nq, err := checkBatch(op, x, ix.d)
	if err != nil {
		return nil, err
	}
	if !ix.codec.IsTrained() {
		return nil, Errorf(KindNotTrained, op, "train the index before searching")
	}
	cs, n := ix.codec.codeSize(), int(ix.Ntotal())
	sim := ix.metric.IsSimilarity()
	hits := &rangeHits{dist: make([][]float32, nq), ids: make([][]int64, nq)}
	parallelChunks(nq, chunkFor(n*cs), func(_, lo, hi int) {
		s, out := ix.codec.newScanner(ix.metric), make([]float32, codeBlock)
		for q := lo; q < hi; q++ {
			s.setQuery(x[q*ix.d : (q+1)*ix.d])
			for b := 0; b < n; b += codeBlock {
				e := min(n, b+codeBlock)
				row := out[:e-b]
				s.scan(ix.codes[b*cs:e*cs], 0, row)
				for c, v := range row {
					if ((sim && v > radius) || (!sim && v < radius)) && (sel == nil || sel.IsMember(int64(b+c))) {
						hits.dist[q] = append(hits.dist[q], v)
						hits.ids[q] = append(hits.ids[q], int64(b+c))
					}
				}
			}
		}
	})
	return collectByQuery([]*rangeHits{hits}, []int{0}, nq), nil
}

// Reconstruct decodes vector key into out.
func (ix *indexFlatCodes) Reconstruct(key int64, out []float32) error {
	return ix.ReconstructN(key, 1, out)
}

// ReconstructN decodes vectors i0..i0+n-1 into out.
func (ix *indexFlatCodes) ReconstructN(i0, n int64, out []float32) error {
	op := ix.name + ".reconstruct"
	nt := ix.Ntotal()
	if i0 < 0 || n < 0 || i0 > nt || n > nt-i0 {
		return Errorf(KindInvalidArgument, op, "ids %d..%d out of range, index has ntotal=%d", i0, i0+n-1, nt)
	}
	if int64(len(out)) != n*int64(ix.d) {
		return Errorf(KindDimensionMismatch, op, "output holds %d floats, need %d", len(out), n*int64(ix.d))
	}
	cs := int64(ix.codec.codeSize())
	return ix.codec.Decode(ix.codes[i0*cs:(i0+n)*cs], out)
}

// RemoveIDs deletes the selected codes; later ids shift down (faiss's
// IndexFlatCodes::remove_ids).
func (ix *indexFlatCodes) RemoveIDs(sel IDSelector) (int64, error) {
	var removed int64
	ix.codes, removed = removeRows(ix.codes, ix.codec.codeSize(), sel)
	ix.gen++
	return removed, nil
}

// removeRows drops the rows of cs bytes whose positions sel picks, moving
// the later rows down in place, and returns the shortened slice and the
// count removed.
func removeRows(rows []byte, cs int, sel IDSelector) ([]byte, int64) {
	n, kept := len(rows)/cs, 0
	for i := 0; i < n; i++ {
		if sel.IsMember(int64(i)) {
			continue
		}
		if kept != i {
			copy(rows[kept*cs:(kept+1)*cs], rows[i*cs:(i+1)*cs])
		}
		kept++
	}
	return rows[:kept*cs], int64(n - kept)
}

// IndexPQ stores product-quantizer codes and searches them with
// asymmetric distance tables (faiss's IndexPQ, search type ST_PQ).
type IndexPQ struct {
	indexFlatCodes
	PQ *ProductQuantizer
	// DoPolysemousTraining renumbers the centroids after training (see
	// PolysemousTraining), which a polysemous search needs.
	DoPolysemousTraining bool
	Polysemous           PolysemousTraining
	// SearchType (PQSearchType) and PolysemousHT are the defaults of
	// searches without search parameters.
	SearchType   PQSearchType
	PolysemousHT int
	// progress receives train's progress (nil: none); see SetProgress.
	progress *Progress
}

// NewIndexPQ makes an IndexPQ with M sub-quantizers of nbits bits; metric
// is L2 or inner product.
func NewIndexPQ(d, m, nbits int, metric Metric) (*IndexPQ, error) {
	const op = "IndexPQ"
	if metric != MetricL2 && metric != MetricInnerProduct {
		return nil, Errorf(KindInvalidArgument, op, "metric %s is not supported: L2 or inner product", metric)
	}
	pq, err := NewProductQuantizer(d, m, nbits)
	if err != nil {
		return nil, err
	}
	return &IndexPQ{indexFlatCodes: indexFlatCodes{name: op, d: d, metric: metric, codec: pq}, PQ: pq,
		Polysemous: DefaultPolysemousTraining(), PolysemousHT: m*nbits + 1}, nil
}

var (
	_ Index         = (*IndexPQ)(nil)
	_ ParamSearcher = (*IndexPQ)(nil)
	_ RangeSearcher = (*IndexPQ)(nil)
	_ Reconstructor = (*IndexPQ)(nil)
	_ IDRemover     = (*IndexPQ)(nil)
)

func (pq *ProductQuantizer) codeSize() int { return pq.CodeSize }

// pqScanner is a query's distance table and the sum over codes.
type pqScanner struct {
	pq     *ProductQuantizer
	metric Metric
	table  []float32
}

func (pq *ProductQuantizer) newScanner(metric Metric) codeScanner {
	return &pqScanner{pq: pq, metric: metric, table: make([]float32, pq.M*pq.Ksub)}
}

func (s *pqScanner) setQuery(q []float32) { s.pq.distanceTable(q, s.metric, s.table) }

func (s *pqScanner) scan(codes []byte, bias float32, out []float32) {
	s.pq.scanCodes(codes, s.table, bias, out)
}

// Name is the faiss class this type is read and written as.
func (ix *IndexPQ) Name() string { return "IndexPQ" }

// RestoreIndexPQ makes an IndexPQ with centroids (M * 2^nbits * d/M
// floats; ignored unless trained) holding codes (whole codes of the
// quantizer's size).
func RestoreIndexPQ(d, m, nbits int, metric Metric, trained bool, centroids []float32, codes []byte) (*IndexPQ, error) {
	ix, err := NewIndexPQ(d, m, nbits, metric)
	if err != nil {
		return nil, err
	}
	pq := ix.PQ
	if len(codes)%pq.CodeSize != 0 {
		return nil, Errorf(KindDimensionMismatch, "IndexPQ", "%d code bytes are not whole codes of %d bytes", len(codes), pq.CodeSize)
	}
	if !trained && len(codes) > 0 {
		return nil, Errorf(KindInvalidArgument, "IndexPQ", "an untrained quantizer cannot hold codes")
	}
	if trained {
		if err := pq.RestorePQ(centroids); err != nil {
			return nil, err
		}
	}
	ix.codes = codes
	return ix, nil
}

// distanceComputer implements distanceSource: two stored codes compare by
// symmetric distances (PQ.computeSDC must have run).
func (ix *IndexPQ) distanceComputer() hnswDistances {
	return &codeDistances{codes: ix.codes, cs: ix.CodeSize(), ip: ix.metric == MetricInnerProduct,
		scanner: ix.PQ.newScanner(ix.metric), pq: ix.PQ}
}
