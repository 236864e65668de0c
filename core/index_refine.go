package core

import "fmt"

// IndexRefine searches a fast approximate index for KFactor*k candidates,
// then ranks them by their exact distance to vectors kept in a flat index
// (faiss's IndexRefineFlat). The base index must number its vectors
// 0..ntotal-1 in the order they were added, as the flat copy does.
type IndexRefine struct {
	base   Index
	refine *IndexFlat
	// KFactor is how many more candidates than k the base returns (faiss's
	// default 1).
	KFactor float32
}

var (
	_ Index         = (*IndexRefine)(nil)
	_ ParamSearcher = (*IndexRefine)(nil)
	_ Reconstructor = (*IndexRefine)(nil)
)

// NewIndexRefineFlat wraps base, which must be empty (faiss asks the same).
func NewIndexRefineFlat(base Index) (*IndexRefine, error) {
	const op = "IndexRefineFlat"
	if base == nil {
		return nil, Errorf(KindInvalidArgument, op, "a base index is required")
	}
	if base.Ntotal() != 0 {
		return nil, Errorf(KindInvalidArgument, op, "the base index must be empty, it holds %d vectors", base.Ntotal())
	}
	refine, err := NewIndexFlat(base.D(), base.Metric())
	if err != nil {
		return nil, err
	}
	refine.SetMetricArg(base.MetricArg())
	return &IndexRefine{base: base, refine: refine, KFactor: 1}, nil
}

// Base returns the approximate index.
func (r *IndexRefine) Base() Index { return r.base }

func (r *IndexRefine) D() int                  { return r.base.D() }
func (r *IndexRefine) Ntotal() int64           { return r.refine.Ntotal() }
func (r *IndexRefine) Metric() Metric          { return r.base.Metric() }
func (r *IndexRefine) MetricArg() float32      { return r.base.MetricArg() }
func (r *IndexRefine) IsTrained() bool         { return r.base.IsTrained() }
func (r *IndexRefine) Train(x []float32) error { return r.base.Train(x) }

// Add adds the rows of x to the base index and to the exact copy.
func (r *IndexRefine) Add(x []float32) error {
	if err := r.base.Add(x); err != nil {
		return err
	}
	return r.refine.Add(x)
}

// Reset empties both indexes.
func (r *IndexRefine) Reset() {
	r.base.Reset()
	r.refine.Reset()
}

// Reconstruct returns the exact vector.
func (r *IndexRefine) Reconstruct(key int64, out []float32) error {
	return r.refine.Reconstruct(key, out)
}

// ReconstructN returns exact vectors.
func (r *IndexRefine) ReconstructN(i0, n int64, out []float32) error {
	return r.refine.ReconstructN(i0, n, out)
}

// Search implements Index.
func (r *IndexRefine) Search(x []float32, k int, dist []float32, labels []int64) error {
	return r.SearchWithParams(x, k, dist, labels, nil)
}

// SearchWithParams passes p to the base index and refines its answers.
func (r *IndexRefine) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
	const op = "IndexRefineFlat.search"
	d := r.D()
	nq, err := checkBatch(op, x, d)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	kf := r.KFactor
	if p != nil && p.KFactor != 0 {
		kf = p.KFactor
		base := *p
		base.KFactor = 0
		p = &base
	}
	if kf < 1 {
		return Errorf(KindInvalidArgument, op, "k_factor must be at least 1, got %g", kf)
	}
	kBase := max(k, int(float32(k)*kf))
	bd, bl := make([]float32, nq*kBase), make([]int64, nq*kBase)
	if sp, ok := r.base.(ParamSearcher); ok {
		err = sp.SearchWithParams(x, kBase, bd, bl, p)
	} else if p != nil {
		err = Errorf(KindUnsupported, op, "the base index %T takes no search parameters", r.base)
	} else {
		err = r.base.Search(x, kBase, bd, bl)
	}
	if err != nil {
		return fmt.Errorf("%s: base index: %w", op, err)
	}
	sign := keySign(r.Metric())
	f := pairDistance(r.Metric(), r.MetricArg())
	nt := r.refine.Ntotal()
	xb := r.refine.Vectors()
	parallelChunks(nq, chunkFor(kBase*d), func(_, lo, hi int) {
		h := newTopK(k)
		for q := lo; q < hi; q++ {
			h.reset()
			xq := x[q*d : (q+1)*d]
			for _, id := range bl[q*kBase : (q+1)*kBase] {
				if id < 0 || id >= nt {
					continue
				}
				h.push(sign*f(xq, xb[id*int64(d):(id+1)*int64(d)]), id)
			}
			h.emit(sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
	})
	return nil
}

// Name is the faiss class this type is read and written as.
func (r *IndexRefine) Name() string { return "IndexRefineFlat" }

// Members implements Composite.
func (r *IndexRefine) Members() []Index { return []Index{r.base, r.refine} }

// Refine returns the flat index that ranks the candidates.
func (r *IndexRefine) Refine() *IndexFlat { return r.refine }

// RestoreIndexRefine pairs a base index with the flat index holding the
// same vectors (an index file being read).
func RestoreIndexRefine(base Index, refine *IndexFlat, kFactor float32) (*IndexRefine, error) {
	const op = "IndexRefineFlat"
	switch {
	case base.D() != refine.D() || base.Metric() != refine.Metric():
		return nil, Errorf(KindDimensionMismatch, op, "the base index (d=%d, %s) and the refine index (d=%d, %s) differ",
			base.D(), base.Metric(), refine.D(), refine.Metric())
	case base.Ntotal() != refine.Ntotal():
		return nil, Errorf(KindDimensionMismatch, op, "the base index holds %d vectors, the refine index %d", base.Ntotal(), refine.Ntotal())
	case !(kFactor >= 1):
		return nil, Errorf(KindInvalidArgument, op, "k_factor must be at least 1, got %v", kFactor)
	}
	return &IndexRefine{base: base, refine: refine, KFactor: kFactor}, nil
}
