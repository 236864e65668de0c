package core

import "github.com/metalfaiss/metalfaiss/core/kernels"

// IndexFlat stores vectors as they are and searches exhaustively (faiss's
// IndexFlat). It keeps the squared norms of its rows so that L2 search by
// tiles needs no per-search norm pass over the database.
type IndexFlat struct {
	d      int
	metric Metric
	arg    float32
	xb     []float32
	norms  []float32
	// backing keeps alive what xb may point into (a mapped index file).
	backing any
	// tileOrder keeps batched scans on the dot-product tile rather than
	// the packed micro-kernel: binary k-means sets it (see
	// IndexBinaryIVF.Train).
	tileOrder bool
}

var (
	_ Index           = (*IndexFlat)(nil)
	_ Reconstructor   = (*IndexFlat)(nil)
	_ RangeSearcher   = (*IndexFlat)(nil)
	_ IDRemover       = (*IndexFlat)(nil)
	_ Assigner        = (*IndexFlat)(nil)
	_ MetricArgSetter = (*IndexFlat)(nil)
	_ ParamSearcher   = (*IndexFlat)(nil)
)

// NewIndexFlat makes an empty flat index of dimension d.
func NewIndexFlat(d int, metric Metric) (*IndexFlat, error) {
	const op = "IndexFlat"
	if d <= 0 {
		return nil, Errorf(KindInvalidArgument, op, "d must be positive, got %d", d)
	}
	if err := checkMetric(op, metric); err != nil {
		return nil, err
	}
	return &IndexFlat{d: d, metric: metric}, nil
}

func (ix *IndexFlat) D() int                   { return ix.d }
func (ix *IndexFlat) Ntotal() int64            { return int64(len(ix.xb) / ix.d) }
func (ix *IndexFlat) Metric() Metric           { return ix.metric }
func (ix *IndexFlat) MetricArg() float32       { return ix.arg }
func (ix *IndexFlat) SetMetricArg(arg float32) { ix.arg = arg }
func (ix *IndexFlat) IsTrained() bool          { return true }

// Vectors returns the stored rows (ntotal*d floats) without copying, for
// accelerators that mirror the index; callers must not modify them.
func (ix *IndexFlat) Vectors() []float32 { return ix.xb }

// Train only checks the input: a flat index needs no training.
func (ix *IndexFlat) Train(x []float32) error {
	_, err := checkBatch("IndexFlat.train", x, ix.d)
	return err
}

// Add appends the rows of x; their ids continue from Ntotal().
func (ix *IndexFlat) Add(x []float32) error {
	n, err := checkBatch("IndexFlat.add", x, ix.d)
	if err != nil || n == 0 {
		return err
	}
	start := len(ix.norms)
	ix.xb = append(ix.xb, x...)
	ix.norms = append(ix.norms, make([]float32, n)...)
	kernels.Norms(x, ix.d, ix.norms[start:])
	return nil
}

// Reset removes every vector. Like faiss (std::vector::clear) it keeps the
// storage for the next Add: k-means refills its index every iteration.
func (ix *IndexFlat) Reset() { ix.xb, ix.norms = ix.xb[:0], ix.norms[:0] }

func (ix *IndexFlat) job(x []float32) *scanJob {
	j := &scanJob{metric: ix.metric, arg: ix.arg, d: ix.d, xq: x, nq: len(x) / ix.d, xb: ix.xb, nb: len(ix.norms)}
	if ix.metric == MetricL2 && j.nq >= directThreshold {
		j.bNorms = ix.norms
	}
	if !ix.tileOrder {
		j.useGemm()
	}
	return j
}

// Search implements Index.
func (ix *IndexFlat) Search(x []float32, k int, dist []float32, labels []int64) error {
	return ix.search("IndexFlat.search", x, k, dist, labels)
}

// SearchWithParams implements ParamSearcher: p.Sel filters the ids (an
// IVF-only nprobe is ignored, as faiss ignores it for a flat index).
func (ix *IndexFlat) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
	const op = "IndexFlat.search"
	nq, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	j := ix.job(x)
	if p != nil {
		j.sel = p.Sel
	}
	j.knn(k, dist, labels)
	return nil
}

// RangeSearchWithParams is RangeSearch with p.Sel filtering the ids.
func (ix *IndexFlat) RangeSearchWithParams(x []float32, radius float32, p *SearchParams) (*RangeResult, error) {
	if _, err := checkBatch("IndexFlat.range_search", x, ix.d); err != nil {
		return nil, err
	}
	j := ix.job(x)
	if p != nil {
		j.sel = p.Sel
	}
	return j.rangeSearch(radius), nil
}

// Assign writes the labels of the k nearest vectors of each row of x.
func (ix *IndexFlat) Assign(x []float32, k int, labels []int64) error {
	return ix.search("IndexFlat.assign", x, k, make([]float32, len(labels)), labels)
}

func (ix *IndexFlat) search(op string, x []float32, k int, dist []float32, labels []int64) error {
	nq, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	ix.job(x).knn(k, dist, labels)
	return nil
}

// RangeSearch implements RangeSearcher.
func (ix *IndexFlat) RangeSearch(x []float32, radius float32) (*RangeResult, error) {
	if _, err := checkBatch("IndexFlat.range_search", x, ix.d); err != nil {
		return nil, err
	}
	return ix.job(x).rangeSearch(radius), nil
}

// Reconstruct copies vector key into out (length d).
func (ix *IndexFlat) Reconstruct(key int64, out []float32) error {
	return ix.reconstructRange("IndexFlat.reconstruct", key, 1, out)
}

// ReconstructN copies vectors i0..i0+n-1 into out (length n*d).
func (ix *IndexFlat) ReconstructN(i0, n int64, out []float32) error {
	return ix.reconstructRange("IndexFlat.reconstruct_n", i0, n, out)
}

func (ix *IndexFlat) reconstructRange(op string, i0, n int64, out []float32) error {
	nt := ix.Ntotal()
	if i0 < 0 || n < 0 || i0 > nt || n > nt-i0 {
		return Errorf(KindInvalidArgument, op, "ids %d..%d out of range, index has ntotal=%d", i0, i0+n-1, nt)
	}
	if int64(len(out)) != n*int64(ix.d) {
		return Errorf(KindDimensionMismatch, op, "output holds %d floats, need %d", len(out), n*int64(ix.d))
	}
	copy(out, ix.xb[i0*int64(ix.d):(i0+n)*int64(ix.d)])
	return nil
}

// RemoveIDs deletes the selected vectors; the ids of the vectors after each
// removed one shift down, as in faiss. It returns how many were removed.
func (ix *IndexFlat) RemoveIDs(sel IDSelector) (int64, error) {
	d, kept := ix.d, 0
	n := len(ix.norms)
	for i := 0; i < n; i++ {
		if sel.IsMember(int64(i)) {
			continue
		}
		if kept != i {
			copy(ix.xb[kept*d:(kept+1)*d], ix.xb[i*d:(i+1)*d])
			ix.norms[kept] = ix.norms[i]
		}
		kept++
	}
	ix.xb, ix.norms = ix.xb[:kept*d], ix.norms[:kept]
	return int64(n - kept), nil
}

// Name is the faiss class this type is read and written as.
func (ix *IndexFlat) Name() string { return "IndexFlat" }

// RestoreIndexFlat makes a flat index that adopts xb (n*d floats, which
// may lie in a mapped file that backing keeps alive): later adds copy
// them elsewhere rather than write past them.
func RestoreIndexFlat(d int, metric Metric, arg float32, xb []float32, backing any) (*IndexFlat, error) {
	ix, err := NewIndexFlat(d, metric)
	if err != nil {
		return nil, err
	}
	if len(xb)%d != 0 {
		return nil, Errorf(KindDimensionMismatch, "IndexFlat", "%d floats are not whole vectors of d=%d", len(xb), d)
	}
	ix.arg, ix.backing = arg, backing
	ix.xb = xb[:len(xb):len(xb)]
	ix.norms = make([]float32, len(xb)/d)
	kernels.Norms(ix.xb, d, ix.norms)
	return ix, nil
}

// distanceComputer implements distanceSource.
func (ix *IndexFlat) distanceComputer() hnswDistances {
	f := &flatDistances{xb: ix.xb, d: ix.d, ip: ix.metric == MetricInnerProduct}
	if ix.metric != MetricL2 && ix.metric != MetricInnerProduct {
		f.pair, f.neg = pairDistance(ix.metric, ix.arg), ix.metric.IsSimilarity()
	}
	return f
}
