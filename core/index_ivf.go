package core

import "fmt"

// IndexIVFFlat partitions the vectors into nlist inverted lists by their
// nearest centroid (held by a coarse quantizer, normally a flat index) and
// searches only the Nprobe lists closest to each query (faiss's
// IndexIVFFlat: vectors stored as they are, no residuals).
type IndexIVFFlat struct {
	d         int
	metric    Metric
	arg       float32
	nlist     int
	quantizer Index
	// Nprobe is how many lists a search visits (faiss's default 1).
	Nprobe int
	// CP trains the quantizer: faiss's defaults for IVF (10 iterations,
	// spherical for inner product).
	CP ClusteringParameters
	// Log and Warn receive the clustering's progress and warnings.
	Log, Warn func(string)

	lists     invertedLists
	ntotal    int64
	directMap directMap
}

var (
	_ Index         = (*IndexIVFFlat)(nil)
	_ ParamSearcher = (*IndexIVFFlat)(nil)
	_ RangeSearcher = (*IndexIVFFlat)(nil)
	_ IDRemover     = (*IndexIVFFlat)(nil)
	_ Reconstructor = (*IndexIVFFlat)(nil)
)

// ivfClusteringParameters are the parameters faiss's IVF indexes train
// their quantizer with.
func ivfClusteringParameters(metric Metric) ClusteringParameters {
	p := DefaultClusteringParameters()
	p.Niter = 10
	p.Spherical = metric == MetricInnerProduct
	return p
}

// NewIndexIVFFlat makes an IVF index over quantizer, which must have
// dimension d and the index's metric. If the quantizer already holds nlist
// centroids, the index is trained.
func NewIndexIVFFlat(quantizer Index, d, nlist int, metric Metric) (*IndexIVFFlat, error) {
	const op = "IndexIVFFlat"
	switch {
	case quantizer == nil:
		return nil, Errorf(KindInvalidArgument, op, "a quantizer index is required")
	case d <= 0:
		return nil, Errorf(KindInvalidArgument, op, "d must be positive, got %d", d)
	case nlist <= 0:
		return nil, Errorf(KindInvalidArgument, op, "nlist must be positive, got %d", nlist)
	case quantizer.D() != d:
		return nil, Errorf(KindDimensionMismatch, op, "the quantizer has d=%d, the index d=%d", quantizer.D(), d)
	}
	if err := checkMetric(op, metric); err != nil {
		return nil, err
	}
	return &IndexIVFFlat{
		d: d, metric: metric, nlist: nlist, quantizer: quantizer, Nprobe: 1,
		CP: ivfClusteringParameters(metric), lists: newInvertedLists(nlist, d),
	}, nil
}

func (ix *IndexIVFFlat) D() int                   { return ix.d }
func (ix *IndexIVFFlat) Ntotal() int64            { return ix.ntotal }
func (ix *IndexIVFFlat) Metric() Metric           { return ix.metric }
func (ix *IndexIVFFlat) MetricArg() float32       { return ix.arg }
func (ix *IndexIVFFlat) SetMetricArg(arg float32) { ix.arg = arg }
func (ix *IndexIVFFlat) Nlist() int               { return ix.nlist }
func (ix *IndexIVFFlat) Quantizer() Index         { return ix.quantizer }

// IsTrained is faiss's rule: the quantizer is trained and holds nlist
// centroids.
func (ix *IndexIVFFlat) IsTrained() bool {
	return ix.quantizer.IsTrained() && ix.quantizer.Ntotal() == int64(ix.nlist)
}

// ListSize is the number of vectors in list i.
func (ix *IndexIVFFlat) ListSize(i int) (int, error) {
	if i < 0 || i >= ix.nlist {
		return 0, Errorf(KindInvalidArgument, "IndexIVFFlat.get_list_size", "list %d is outside 0..%d", i, ix.nlist-1)
	}
	return ix.lists.size(i), nil
}

// ImbalanceFactor is 1 when the lists are equally full, larger otherwise.
func (ix *IndexIVFFlat) ImbalanceFactor() float64 { return ix.lists.imbalanceFactor() }

// Train runs k-means on x to place the nlist centroids in the quantizer,
// unless it already holds them (faiss then skips training, and so do we).
func (ix *IndexIVFFlat) Train(x []float32) error {
	const op = "IndexIVFFlat.train"
	n, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if ix.IsTrained() {
		return nil
	}
	if n < ix.nlist {
		return Errorf(KindInvalidArgument, op, "%d training points for nlist=%d lists: need at least one per list", n, ix.nlist)
	}
	c, err := NewClustering(ix.d, ix.nlist, ix.CP)
	if err != nil {
		return err
	}
	c.Log, c.Warn = ix.Log, ix.Warn
	ix.quantizer.Reset()
	return c.Train(x, ix.quantizer, nil)
}

// Add appends the rows of x with ids ntotal, ntotal+1, ...
func (ix *IndexIVFFlat) Add(x []float32) error { return ix.add("IndexIVFFlat.add", x, nil) }

// AddWithIDs appends the rows of x with the given ids.
func (ix *IndexIVFFlat) AddWithIDs(x []float32, ids []int64) error {
	return ix.add("IndexIVFFlat.add_with_ids", x, ids)
}

func (ix *IndexIVFFlat) add(op string, x []float32, ids []int64) error {
	n, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if ids != nil && len(ids) != n {
		return Errorf(KindDimensionMismatch, op, "%d ids for %d vectors", len(ids), n)
	}
	if !ix.IsTrained() {
		return Errorf(KindNotTrained, op, "train the index (or give it a quantizer holding nlist=%d centroids) before adding", ix.nlist)
	}
	if n == 0 {
		return nil
	}
	if ids == nil && ix.directMap.kind == directMapHash {
		return Errorf(KindInvalidArgument, op, "a hashtable direct map needs explicit ids: use add_with_ids")
	}
	assign := make([]int64, n)
	if err := assignOne(ix.quantizer, x, assign); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	for i, list := range assign {
		id := ix.ntotal + int64(i)
		if ids != nil {
			id = ids[i]
		}
		if list < 0 { // no centroid (NaN row): counted, not stored, as faiss does
			continue
		}
		off := ix.lists.add(int(list), id, x[i*ix.d:(i+1)*ix.d])
		ix.directMap.record(id, int(list), off)
	}
	ix.ntotal += int64(n)
	return nil
}

// assignOne writes the nearest quantizer entry of each row of x.
func assignOne(q Index, x []float32, labels []int64) error {
	if a, ok := q.(Assigner); ok {
		return a.Assign(x, 1, labels)
	}
	return q.Search(x, 1, make([]float32, len(labels)), labels)
}

// Reset removes every vector; the quantizer keeps its centroids.
func (ix *IndexIVFFlat) Reset() {
	ix.lists.reset()
	ix.ntotal = 0
	ix.directMap.clear()
}

// RemoveIDs deletes the selected vectors (ids are kept by the others) and
// returns how many went. Like faiss, not with an array direct map.
func (ix *IndexIVFFlat) RemoveIDs(sel IDSelector) (int64, error) {
	if ix.directMap.kind == directMapArray {
		return 0, Errorf(KindUnsupported, "IndexIVFFlat.remove_ids",
			"not supported with an array direct map; use set_direct_map_type(DirectMap.Hashtable)")
	}
	n := ix.lists.removeIf(sel)
	ix.ntotal -= n
	if ix.directMap.kind == directMapHash {
		ix.directMap.rebuild(&ix.lists)
	}
	return n, nil
}
