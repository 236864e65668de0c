package core

import (
	"fmt"
	"math"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// IndexRefine searches a fast approximate index for KFactor*k candidates,
// then ranks them by their distance in a more precise refine index that
// holds the same vectors under the same numbers (faiss's IndexRefine; with
// a flat refine index, IndexRefineFlat). The base index must number its
// vectors 0..ntotal-1 in the order they were added, as the refine index does.
type IndexRefine struct {
	name   string
	base   Index
	refine Index
	// KFactor is how many more candidates than k the base returns (faiss's
	// default 1); range searches ask the base for radius * KFactor.
	KFactor float32
}

var (
	_ Index              = (*IndexRefine)(nil)
	_ ParamSearcher      = (*IndexRefine)(nil)
	_ ParamRangeSearcher = (*IndexRefine)(nil)
	_ RangeSearcher      = (*IndexRefine)(nil)
	_ Reconstructor      = (*IndexRefine)(nil)
)

// vectorHolder is a refine index whose vectors are at hand (flat ones):
// candidates are ranked from them without a copy.
type vectorHolder interface{ Vectors() []float32 }

// NewIndexRefineFlat wraps base, which must be empty (faiss asks the same),
// with a flat refine index of its own.
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
	return &IndexRefine{name: op, base: base, refine: refine, KFactor: 1}, nil
}

// NewIndexRefine pairs base with refine, which must hold the same vectors
// (both empty, or filled alike) and rank them by the same metric; refine
// must be able to reconstruct them (flat, SQ, PQ, ... indexes).
func NewIndexRefine(base, refine Index) (*IndexRefine, error) {
	return RestoreIndexRefine(base, refine, 1)
}

// RestoreIndexRefine is NewIndexRefine with a k_factor (an index file
// being read). A flat refine index gives faiss's IndexRefineFlat.
func RestoreIndexRefine(base, refine Index, kFactor float32) (*IndexRefine, error) {
	op := "IndexRefine"
	if base == nil || refine == nil {
		return nil, Errorf(KindInvalidArgument, op, "a base and a refine index are required")
	}
	_, flat := refine.(vectorHolder)
	if flat {
		op = "IndexRefineFlat"
	}
	if _, pano := refine.(*IndexFlatPanorama); pano {
		op = "IndexRefinePanorama" // faiss's class for a Panorama refine index
	}
	if _, ok := refine.(Reconstructor); !ok && !flat {
		return nil, Errorf(KindUnsupported, op, "the refine index %T cannot reconstruct its vectors", refine)
	}
	switch {
	case base.D() != refine.D() || base.Metric() != refine.Metric():
		return nil, Errorf(KindDimensionMismatch, op, "the base index (d=%d, %s) and the refine index (d=%d, %s) differ",
			base.D(), base.Metric(), refine.D(), refine.Metric())
	case base.Ntotal() != refine.Ntotal():
		return nil, Errorf(KindDimensionMismatch, op, "the base index holds %d vectors, the refine index %d", base.Ntotal(), refine.Ntotal())
	case !(kFactor >= 1):
		return nil, Errorf(KindInvalidArgument, op, "k_factor must be at least 1, got %v", kFactor)
	}
	return &IndexRefine{name: op, base: base, refine: refine, KFactor: kFactor}, nil
}

// Base returns the approximate index.
func (r *IndexRefine) Base() Index { return r.base }

// SetProgress implements ProgressReporter for the base index.
func (r *IndexRefine) SetProgress(p *Progress) { forwardProgress(r.base, p) }

func (r *IndexRefine) D() int             { return r.base.D() }
func (r *IndexRefine) Ntotal() int64      { return r.refine.Ntotal() }
func (r *IndexRefine) Metric() Metric     { return r.base.Metric() }
func (r *IndexRefine) MetricArg() float32 { return r.base.MetricArg() }
func (r *IndexRefine) IsTrained() bool    { return r.base.IsTrained() && r.refine.IsTrained() }

// Train trains both indexes, as faiss does.
func (r *IndexRefine) Train(x []float32) error {
	if err := r.base.Train(x); err != nil {
		return err
	}
	return r.refine.Train(x)
}

// Add adds the rows of x to the base index and to the refine index.
func (r *IndexRefine) Add(x []float32) error {
	if !r.refine.IsTrained() {
		return Errorf(KindNotTrained, r.name+".add", "train the refine index first")
	}
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

// Reconstruct returns the refine index's vector.
func (r *IndexRefine) Reconstruct(key int64, out []float32) error {
	return r.refine.(Reconstructor).Reconstruct(key, out)
}

// ReconstructN returns the refine index's vectors.
func (r *IndexRefine) ReconstructN(i0, n int64, out []float32) error {
	return r.refine.(Reconstructor).ReconstructN(i0, n, out)
}

// Search implements Index.
func (r *IndexRefine) Search(x []float32, k int, dist []float32, labels []int64) error {
	return r.SearchWithParams(x, k, dist, labels, nil)
}

// kFactorFor is the call's k_factor (p's, else the index's) and p without
// it, for the base index.
func (r *IndexRefine) kFactorFor(op string, p *SearchParams) (float32, *SearchParams, error) {
	kf := r.KFactor
	if p != nil && p.KFactor != 0 {
		kf = p.KFactor
		base := *p
		base.KFactor = 0
		p = &base
	}
	if !(kf >= 1) {
		return 0, nil, Errorf(KindInvalidArgument, op, "k_factor must be at least 1, got %g", kf)
	}
	return kf, p, nil
}

// distancer returns a function giving the refine distance of query xq to
// stored vector id (false: the refine index could not give the vector);
// buf is the caller's d floats (one per worker).
func (r *IndexRefine) distancer() func(xq []float32, id int64, buf []float32) (float32, bool) {
	d := int64(r.D())
	f := pairDistance(r.Metric(), r.MetricArg())
	if h, ok := r.refine.(vectorHolder); ok {
		xb := h.Vectors()
		return func(xq []float32, id int64, _ []float32) (float32, bool) { return f(xq, xb[id*d:(id+1)*d]), true }
	}
	rec := r.refine.(Reconstructor)
	return func(xq []float32, id int64, buf []float32) (float32, bool) {
		if rec.Reconstruct(id, buf) != nil {
			return 0, false
		}
		return f(xq, buf), true
	}
}

// SearchWithParams passes p to the base index and refines its answers.
func (r *IndexRefine) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
	op := r.name + ".search"
	d := r.D()
	nq, err := checkBatch(op, x, d)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	kf, p, err := r.kFactorFor(op, p)
	if err != nil {
		return err
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
	dis := r.distancer()
	nt := r.refine.Ntotal()
	// Flat L2 refinement measures a query's candidates in one gather (the
	// rows lie anywhere in memory: four loads in flight, not one).
	var xb []float32
	if h, ok := r.refine.(vectorHolder); ok && r.Metric() == MetricL2 && nt <= math.MaxInt32 {
		xb = h.Vectors()
	}
	if pano, ok := r.refine.(*IndexFlatPanorama); ok {
		pano.refineCandidates(x, k, kBase, bl, dist, labels)
		return nil
	}
	parallelChunks(nq, chunkFor(kBase*d), func(_, lo, hi int) {
		h := newTopK(k)
		buf := make([]float32, d)
		ids32, ids64, out := make([]int32, 0, kBase), make([]int64, 0, kBase), make([]float32, kBase)
		for q := lo; q < hi; q++ {
			h.reset()
			xq := x[q*d : (q+1)*d]
			if xb != nil {
				ids32, ids64 = ids32[:0], ids64[:0]
				for _, id := range bl[q*kBase : (q+1)*kBase] {
					if id >= 0 && id < nt {
						ids32, ids64 = append(ids32, int32(id)), append(ids64, id)
					}
				}
				kernels.L2SqrGather(xq, xb, ids32, out)
				for i, id := range ids64 {
					h.push(out[i], id)
				}
				h.emit(sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
				continue
			}
			for _, id := range bl[q*kBase : (q+1)*kBase] {
				if id < 0 || id >= nt {
					continue
				}
				if v, ok := dis(xq, id, buf); ok {
					h.push(sign*v, id)
				}
			}
			h.emit(sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
	})
	return nil
}

// RangeSearch implements RangeSearcher.
func (r *IndexRefine) RangeSearch(x []float32, radius float32) (*RangeResult, error) {
	return r.RangeSearchWithParams(x, radius, nil)
}

// RangeSearchWithParams asks the base index for the vectors within radius
// * k_factor and keeps those whose refine distance is within radius.
func (r *IndexRefine) RangeSearchWithParams(x []float32, radius float32, p *SearchParams) (*RangeResult, error) {
	op := r.name + ".range_search"
	d := r.D()
	nq, err := checkBatch(op, x, d)
	if err != nil {
		return nil, err
	}
	kf, p, err := r.kFactorFor(op, p)
	if err != nil {
		return nil, err
	}
	var res *RangeResult
	if sp, ok := r.base.(ParamRangeSearcher); ok {
		res, err = sp.RangeSearchWithParams(x, radius*kf, p)
	} else if rs, ok := r.base.(RangeSearcher); ok && p == nil {
		res, err = rs.RangeSearch(x, radius*kf)
	} else {
		err = Errorf(KindUnsupported, op, "the base index %T has no range search with these parameters", r.base)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: base index: %w", op, err)
	}
	sim := r.Metric().IsSimilarity()
	dis := r.distancer()
	nt := r.refine.Ntotal()
	kept := make([]bool, len(res.Labels))
	parallelChunks(nq, chunkFor(64*d), func(_, lo, hi int) {
		buf := make([]float32, d)
		for q := lo; q < hi; q++ {
			for i := res.Lims[q]; i < res.Lims[q+1]; i++ {
				id := res.Labels[i]
				if id < 0 || id >= nt {
					continue
				}
				v, ok := dis(x[q*d:(q+1)*d], id, buf)
				res.Dist[i] = v
				kept[i] = ok && ((sim && v > radius) || (!sim && v < radius))
			}
		}
	})
	out := &RangeResult{Lims: make([]int64, nq+1)}
	for q := 0; q < nq; q++ {
		for i := res.Lims[q]; i < res.Lims[q+1]; i++ {
			if kept[i] {
				out.Dist = append(out.Dist, res.Dist[i])
				out.Labels = append(out.Labels, res.Labels[i])
			}
		}
		out.Lims[q+1] = int64(len(out.Labels))
	}
	return out, nil
}

// Name is the faiss class this type is read and written as.
func (r *IndexRefine) Name() string { return r.name }

// Members implements Composite.
func (r *IndexRefine) Members() []Index { return []Index{r.base, r.refine} }

// Refine returns the index that ranks the candidates.
func (r *IndexRefine) Refine() Index { return r.refine }
