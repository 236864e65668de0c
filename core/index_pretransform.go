package core

// IndexPreTransform applies a chain of vector transforms before a sub-index
// (faiss's IndexPreTransform): vectors added and queries searched go
// through the chain first; reconstruction comes back through the reverse
// chain. Ids and distances are the sub-index's.
type IndexPreTransform struct {
	chain []VectorTransform
	sub   Index
}

var (
	_ Index              = (*IndexPreTransform)(nil)
	_ ParamSearcher      = (*IndexPreTransform)(nil)
	_ ParamRangeSearcher = (*IndexPreTransform)(nil)
	_ Reconstructor      = (*IndexPreTransform)(nil)
	_ IDRemover          = (*IndexPreTransform)(nil)
)

// NewIndexPreTransform puts t in front of sub; t's output dimension must
// be sub's dimension. A nil t gives an empty chain, to prepend to.
func NewIndexPreTransform(t VectorTransform, sub Index) (*IndexPreTransform, error) {
	if sub == nil {
		return nil, Errorf(KindInvalidArgument, "IndexPreTransform", "an index is required")
	}
	ix := &IndexPreTransform{sub: sub}
	if t != nil {
		if err := ix.Prepend(t); err != nil {
			return nil, err
		}
	}
	return ix, nil
}

// Prepend adds t at the front of the chain (faiss's prepend_transform).
func (ix *IndexPreTransform) Prepend(t VectorTransform) error {
	if t.DOut() != ix.D() {
		return Errorf(KindDimensionMismatch, "IndexPreTransform.prepend_transform", "the transform outputs %d dimensions, the index takes %d", t.DOut(), ix.D())
	}
	ix.chain = append([]VectorTransform{t}, ix.chain...)
	return nil
}

// Chain returns the transforms, first applied first.
func (ix *IndexPreTransform) Chain() []VectorTransform { return ix.chain }

// Sub returns the index behind the chain.
func (ix *IndexPreTransform) Sub() Index { return ix.sub }

// SetProgress implements ProgressReporter for the wrapped index.
func (ix *IndexPreTransform) SetProgress(p *Progress) { forwardProgress(ix.sub, p) }

// D is the input dimension of the first transform.
func (ix *IndexPreTransform) D() int {
	if len(ix.chain) == 0 {
		return ix.sub.D()
	}
	return ix.chain[0].DIn()
}

func (ix *IndexPreTransform) Ntotal() int64      { return ix.sub.Ntotal() }
func (ix *IndexPreTransform) Metric() Metric     { return ix.sub.Metric() }
func (ix *IndexPreTransform) MetricArg() float32 { return ix.sub.MetricArg() }

// IsTrained: every transform and the sub-index are trained.
func (ix *IndexPreTransform) IsTrained() bool {
	for _, t := range ix.chain {
		if !t.IsTrained() {
			return false
		}
	}
	return ix.sub.IsTrained()
}

// Train trains, in order, each untrained transform on the output of the
// ones before it, then the sub-index on the whole chain's output; it stops
// after the last thing that needed training, as faiss does.
func (ix *IndexPreTransform) Train(x []float32) error {
	const op = "IndexPreTransform.train"
	if _, err := checkBatch(op, x, ix.D()); err != nil {
		return err
	}
	last := 0
	if !ix.sub.IsTrained() {
		last = len(ix.chain)
	} else {
		for i := len(ix.chain) - 1; i >= 0; i-- {
			if !ix.chain[i].IsTrained() {
				last = i
				break
			}
		}
	}
	cur := x
	for i := 0; i <= last; i++ {
		if i == len(ix.chain) {
			return ix.sub.Train(cur)
		}
		t := ix.chain[i]
		if !t.IsTrained() {
			if err := t.Train(cur); err != nil {
				return err
			}
		}
		if i == last {
			break
		}
		out, err := applyOne(t, cur)
		if err != nil {
			return err
		}
		cur = out
	}
	return nil
}

func applyOne(t VectorTransform, x []float32) ([]float32, error) {
	out := make([]float32, len(x)/t.DIn()*t.DOut())
	return out, t.Apply(x, out)
}

// ApplyChain returns x through every transform (faiss's apply_chain).
func (ix *IndexPreTransform) ApplyChain(x []float32) ([]float32, error) {
	if _, err := checkBatch("IndexPreTransform.apply_chain", x, ix.D()); err != nil {
		return nil, err
	}
	for _, t := range ix.chain {
		var err error
		if x, err = applyOne(t, x); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// ReverseChain maps sub-index vectors back through the chain.
func (ix *IndexPreTransform) ReverseChain(xt []float32) ([]float32, error) {
	const op = "IndexPreTransform.reverse_chain"
	for i := len(ix.chain) - 1; i >= 0; i-- {
		t := ix.chain[i]
		r, ok := t.(Reverser)
		if !ok {
			return nil, Errorf(KindUnsupported, op, "transform %d (%T) has no reverse transform", i, t)
		}
		out := make([]float32, len(xt)/t.DOut()*t.DIn())
		if err := r.Reverse(xt, out); err != nil {
			return nil, err
		}
		xt = out
	}
	return xt, nil
}

// Add implements Index.
func (ix *IndexPreTransform) Add(x []float32) error {
	xt, err := ix.ApplyChain(x)
	if err != nil {
		return err
	}
	return ix.sub.Add(xt)
}

// AddWithIDs passes caller ids to a sub-index that takes them.
func (ix *IndexPreTransform) AddWithIDs(x []float32, ids []int64) error {
	a, ok := ix.sub.(interface {
		AddWithIDs(x []float32, ids []int64) error
	})
	if !ok {
		return Errorf(KindUnsupported, "IndexPreTransform.add_with_ids", "the sub-index (%T) does not take ids", ix.sub)
	}
	xt, err := ix.ApplyChain(x)
	if err != nil {
		return err
	}
	return a.AddWithIDs(xt, ids)
}

// Search implements Index.
func (ix *IndexPreTransform) Search(x []float32, k int, dist []float32, labels []int64) error {
	return ix.SearchWithParams(x, k, dist, labels, nil)
}

// SearchWithParams passes p to the sub-index.
func (ix *IndexPreTransform) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
	const op = "IndexPreTransform.search"
	nq, err := checkBatch(op, x, ix.D())
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	xt, err := ix.ApplyChain(x)
	if err != nil {
		return err
	}
	if ps, ok := ix.sub.(ParamSearcher); ok {
		return ps.SearchWithParams(xt, k, dist, labels, p)
	}
	if p != nil {
		return Errorf(KindUnsupported, op, "the sub-index (%T) takes no search parameters", ix.sub)
	}
	return ix.sub.Search(xt, k, dist, labels)
}

// RangeSearch implements RangeSearcher.
func (ix *IndexPreTransform) RangeSearch(x []float32, radius float32) (*RangeResult, error) {
	return ix.RangeSearchWithParams(x, radius, nil)
}

// RangeSearchWithParams implements ParamRangeSearcher.
func (ix *IndexPreTransform) RangeSearchWithParams(x []float32, radius float32, p *SearchParams) (*RangeResult, error) {
	const op = "IndexPreTransform.range_search"
	xt, err := ix.ApplyChain(x)
	if err != nil {
		return nil, err
	}
	switch s := ix.sub.(type) {
	case ParamRangeSearcher:
		return s.RangeSearchWithParams(xt, radius, p)
	case RangeSearcher:
		if p == nil {
			return s.RangeSearch(xt, radius)
		}
	}
	return nil, Errorf(KindUnsupported, op, "not supported by the sub-index (%T)", ix.sub)
}

// Reconstruct returns a stored vector mapped back through the chain.
func (ix *IndexPreTransform) Reconstruct(key int64, out []float32) error {
	return ix.reconstruct("IndexPreTransform.reconstruct", 1, out, func(r Reconstructor, buf []float32) error {
		return r.Reconstruct(key, buf)
	})
}

// ReconstructN returns n stored vectors from i0, mapped back.
func (ix *IndexPreTransform) ReconstructN(i0, n int64, out []float32) error {
	return ix.reconstruct("IndexPreTransform.reconstruct_n", n, out, func(r Reconstructor, buf []float32) error {
		return r.ReconstructN(i0, n, buf)
	})
}

func (ix *IndexPreTransform) reconstruct(op string, n int64, out []float32, get func(Reconstructor, []float32) error) error {
	r, ok := ix.sub.(Reconstructor)
	if !ok {
		return Errorf(KindUnsupported, op, "the sub-index (%T) cannot reconstruct", ix.sub)
	}
	if int64(len(out)) != n*int64(ix.D()) {
		return Errorf(KindDimensionMismatch, op, "output holds %d floats, need %d", len(out), n*int64(ix.D()))
	}
	buf := make([]float32, n*int64(ix.sub.D()))
	if err := get(r, buf); err != nil {
		return err
	}
	x, err := ix.ReverseChain(buf)
	if err != nil {
		return err
	}
	copy(out, x)
	return nil
}

// RemoveIDs implements IDRemover through the sub-index.
func (ix *IndexPreTransform) RemoveIDs(sel IDSelector) (int64, error) {
	r, ok := ix.sub.(IDRemover)
	if !ok {
		return 0, Errorf(KindUnsupported, "IndexPreTransform.remove_ids", "not supported by the sub-index (%T)", ix.sub)
	}
	return r.RemoveIDs(sel)
}

// Reset empties the sub-index; the transforms stay trained.
func (ix *IndexPreTransform) Reset() { ix.sub.Reset() }

// Name is the faiss class this type is read and written as.
func (ix *IndexPreTransform) Name() string { return "IndexPreTransform" }

// Members implements Composite.
func (ix *IndexPreTransform) Members() []Index { return []Index{ix.sub} }
