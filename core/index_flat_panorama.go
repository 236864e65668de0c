package core

import (
	"slices"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// IndexFlatPanorama is exact search over vectors stored in Panorama's
// layout (faiss's IndexFlatPanorama; IndexFlatL2Panorama and
// IndexFlatIPPanorama by metric): the same results as IndexFlat, with most
// vectors dropped after their first levels.
type IndexFlatPanorama struct {
	p      panorama
	metric Metric
	ntotal int
	codes  []float32 // whole batches, level by level
	cums   []float32 // suffix norms, whole batches
}

// NewIndexFlatPanorama makes an empty index of d dimensions cut into
// nLevels levels, stored in batches of batchSize; metric is L2 or inner
// product.
func NewIndexFlatPanorama(d int, metric Metric, nLevels, batchSize int) (*IndexFlatPanorama, error) {
	const op = "IndexFlatPanorama"
	if metric != MetricL2 && metric != MetricInnerProduct {
		return nil, Errorf(KindInvalidArgument, op, "metric %s: Panorama measures L2 or inner product", metric)
	}
	p, err := newPanorama(op, d, nLevels, batchSize)
	if err != nil {
		return nil, err
	}
	return &IndexFlatPanorama{p: p, metric: metric}, nil
}

// Name is faiss's class name (by metric, as faiss reads it back).
func (ix *IndexFlatPanorama) Name() string {
	if ix.metric == MetricInnerProduct {
		return "IndexFlatIPPanorama"
	}
	return "IndexFlatL2Panorama"
}

func (ix *IndexFlatPanorama) D() int             { return ix.p.d }
func (ix *IndexFlatPanorama) Metric() Metric     { return ix.metric }
func (ix *IndexFlatPanorama) MetricArg() float32 { return 0 }
func (ix *IndexFlatPanorama) Ntotal() int64      { return int64(ix.ntotal) }
func (ix *IndexFlatPanorama) IsTrained() bool    { return true }
func (ix *IndexFlatPanorama) Train([]float32) error {
	return nil
}

// Levels and BatchSize are faiss's n_levels and batch_size.
func (ix *IndexFlatPanorama) Levels() int    { return ix.p.nLevels }
func (ix *IndexFlatPanorama) BatchSize() int { return ix.p.batch }

// Layout returns the stored codes and suffix norms (faiss's codes and
// cum_sums; not to be changed).
func (ix *IndexFlatPanorama) Layout() ([]float32, []float32) { return ix.codes, ix.cums }

// Add stores the rows of x.
func (ix *IndexFlatPanorama) Add(x []float32) error {
	n, err := checkBatch("IndexFlatPanorama.add", x, ix.p.d)
	if err != nil {
		return err
	}
	n0 := ix.ntotal
	nc, ns := ix.p.sizes(n0 + n)
	oc, os := len(ix.codes), len(ix.cums)
	ix.codes = slices.Grow(ix.codes, nc-oc)[:nc]
	ix.cums = slices.Grow(ix.cums, ns-os)[:ns]
	clear(ix.codes[oc:]) // new batches start as zeros, as faiss's resized vectors
	clear(ix.cums[os:])
	d := ix.p.d
	for i := range n {
		ix.p.store(ix.codes, ix.cums, n0+i, x[i*d:(i+1)*d])
	}
	ix.ntotal += n
	return nil
}

// Reset removes every vector.
func (ix *IndexFlatPanorama) Reset() {
	ix.codes, ix.cums, ix.ntotal = ix.codes[:0], ix.cums[:0], 0
}

// Search implements Index.
func (ix *IndexFlatPanorama) Search(x []float32, k int, dist []float32, labels []int64) error {
	return ix.SearchWithParams(x, k, dist, labels, nil)
}

// SearchWithParams implements ParamSearcher (a filter); k must not exceed
// the batch size, as in faiss.
func (ix *IndexFlatPanorama) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
	const op = "IndexFlatPanorama.search"
	nq, err := checkBatch(op, x, ix.p.d)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	if k > ix.p.batch {
		return Errorf(KindInvalidArgument, op, "k=%d exceeds batch_size=%d", k, ix.p.batch)
	}
	keep := keepFilter(p)
	sign := keySign(ix.metric)
	d := ix.p.d
	parallelChunks(nq, chunkFor(ix.ntotal*d/4+1), func(_, lo, hi int) {
		s := ix.p.newPanoramaQuery(ix.metric == MetricInnerProduct)
		res := newTopK(k)
		for q := lo; q < hi; q++ {
			s.setQuery(ix.p, x[q*d:(q+1)*d])
			res.reset()
			ix.scan(s, func() float32 { return res.dist[0] }, keep, func(key float32, id int64) { res.push(key, id) })
			res.emit(sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
		s.record()
	})
	return nil
}

// keepFilter is the id filter of p, or nil.
func keepFilter(p *SearchParams) func(int) bool {
	if p == nil || p.Sel == nil {
		return nil
	}
	sel := p.Sel
	return func(i int) bool { return sel.IsMember(int64(i)) }
}

// scan offers each vector that survives the filter at the batch's start
// threshold to add.
func (ix *IndexFlatPanorama) scan(s *panoramaQuery, threshold func() float32, keep func(int) bool, add func(key float32, id int64)) {
	for b := 0; b*ix.p.batch < ix.ntotal; b++ {
		base := b * ix.p.batch
		n := min(ix.p.batch, ix.ntotal-base)
		for _, j := range ix.p.filterBatch(ix.codes, ix.cums, s, b, n, threshold(), keep) {
			add(s.acc[j], int64(base+int(j)))
		}
	}
}

// RangeSearch implements RangeSearcher.
func (ix *IndexFlatPanorama) RangeSearch(x []float32, radius float32) (*RangeResult, error) {
	return ix.RangeSearchWithParams(x, radius, nil)
}

// RangeSearchWithParams returns every vector within radius (L2 below it,
// inner product above it), filtered by p.Sel.
func (ix *IndexFlatPanorama) RangeSearchWithParams(x []float32, radius float32, p *SearchParams) (*RangeResult, error) {
	const op = "IndexFlatPanorama.range_search"
	nq, err := checkBatch(op, x, ix.p.d)
	if err != nil {
		return nil, err
	}
	keep := keepFilter(p)
	sign := keySign(ix.metric)
	d := ix.p.d
	hits := make([]rangeHits, nq)
	parallelChunks(nq, chunkFor(ix.ntotal*d/4+1), func(_, lo, hi int) {
		s := ix.p.newPanoramaQuery(ix.metric == MetricInnerProduct)
		for q := lo; q < hi; q++ {
			s.setQuery(ix.p, x[q*d:(q+1)*d])
			h := &hits[q]
			h.dist, h.ids = make([][]float32, 1), make([][]int64, 1)
			ix.scan(s, func() float32 { return sign * radius }, keep, func(key float32, id int64) {
				if key < sign*radius {
					h.dist[0] = append(h.dist[0], sign*key)
					h.ids[0] = append(h.ids[0], id)
				}
			})
		}
		s.record()
	})
	res := &RangeResult{Lims: make([]int64, nq+1)}
	for q := range hits {
		if len(hits[q].ids) > 0 {
			res.Dist = append(res.Dist, hits[q].dist[0]...)
			res.Labels = append(res.Labels, hits[q].ids[0]...)
		}
		res.Lims[q+1] = int64(len(res.Labels))
	}
	return res, nil
}

// Reconstruct copies vector key into out.
func (ix *IndexFlatPanorama) Reconstruct(key int64, out []float32) error {
	return ix.ReconstructN(key, 1, out)
}

// ReconstructN copies vectors i0..i0+n-1 into out.
func (ix *IndexFlatPanorama) ReconstructN(i0, n int64, out []float32) error {
	const op = "IndexFlatPanorama.reconstruct"
	nt := int64(ix.ntotal)
	if i0 < 0 || n < 0 || i0 > nt || n > nt-i0 {
		return Errorf(KindInvalidArgument, op, "ids %d..%d out of range, index has ntotal=%d", i0, i0+n-1, nt)
	}
	d := ix.p.d
	if int64(len(out)) != n*int64(d) {
		return Errorf(KindDimensionMismatch, op, "output holds %d floats, need %d", len(out), n*int64(d))
	}
	for i := range int(n) {
		ix.p.load(ix.codes, int(i0)+i, out[i*d:(i+1)*d])
	}
	return nil
}

// RemoveIDs deletes the selected vectors; later ids shift down.
func (ix *IndexFlatPanorama) RemoveIDs(sel IDSelector) (int64, error) {
	kept := 0
	for i := range ix.ntotal {
		if sel.IsMember(int64(i)) {
			continue
		}
		if kept != i {
			ix.p.move(ix.codes, ix.cums, ix.codes, ix.cums, kept, i)
		}
		kept++
	}
	removed := ix.ntotal - kept
	ix.ntotal = kept
	nc, ns := ix.p.sizes(kept)
	ix.codes, ix.cums = ix.codes[:nc], ix.cums[:ns] // as faiss, the last batch keeps what lay past ntotal
	return int64(removed), nil
}

// UpdateVectors replaces the vectors with the given ids (faiss's
// update_vectors).
func (ix *IndexFlatPanorama) UpdateVectors(ids []int64, x []float32) error {
	const op = "IndexFlatPanorama.update_vectors"
	if len(x) != len(ids)*ix.p.d {
		return Errorf(KindDimensionMismatch, op, "%d ids and %d floats for d=%d", len(ids), len(x), ix.p.d)
	}
	for _, id := range ids {
		if id < 0 || id >= int64(ix.ntotal) {
			return Errorf(KindInvalidArgument, op, "id %d is outside 0..%d", id, ix.ntotal-1)
		}
	}
	d := ix.p.d
	for i, id := range ids {
		ix.p.store(ix.codes, ix.cums, int(id), x[i*d:(i+1)*d])
	}
	return nil
}

// PermuteEntries renumbers the vectors: the new vector i is the old
// perm[i].
func (ix *IndexFlatPanorama) PermuteEntries(perm []int64) error {
	const op = "IndexFlatPanorama.permute_entries"
	if len(perm) != ix.ntotal {
		return Errorf(KindDimensionMismatch, op, "perm holds %d entries, ntotal=%d", len(perm), ix.ntotal)
	}
	seen := make([]bool, ix.ntotal)
	for _, v := range perm {
		if v < 0 || v >= int64(ix.ntotal) || seen[v] {
			return Errorf(KindInvalidArgument, op, "perm is not a permutation of 0..%d (entry %d)", ix.ntotal-1, v)
		}
		seen[v] = true
	}
	codes, cums := make([]float32, len(ix.codes)), make([]float32, len(ix.cums))
	for i, from := range perm {
		ix.p.move(codes, cums, ix.codes, ix.cums, i, int(from))
	}
	ix.codes, ix.cums = codes, cums
	return nil
}

// RestoreIndexFlatPanorama makes the index a file describes: ntotal
// vectors in codes and cums laid out for whole batches.
func RestoreIndexFlatPanorama(d int, metric Metric, nLevels, batchSize, ntotal int, codes, cums []float32) (*IndexFlatPanorama, error) {
	ix, err := NewIndexFlatPanorama(d, metric, nLevels, batchSize)
	if err != nil {
		return nil, err
	}
	nc, ns := ix.p.sizes(ntotal)
	if ntotal < 0 || len(codes) != nc || len(cums) != ns {
		return nil, Errorf(KindInvalidArgument, "IndexFlatPanorama", "%d vectors need %d code floats and %d sums, the file has %d and %d",
			ntotal, nc, ns, len(codes), len(cums))
	}
	// copies: the arrays may lie in a read-only mapped file, and edits write in place
	ix.codes, ix.cums, ix.ntotal = slices.Clone(codes), slices.Clone(cums), ntotal
	return ix, nil
}

// MergeIndex appends the vectors of other (an IndexFlatPanorama of the same
// d and metric) and empties it.
func (ix *IndexFlatPanorama) MergeIndex(other Index, addID int64) error {
	if err := checkMergeable(ix, other, addID, true); err != nil {
		return err
	}
	o, ok := other.(*IndexFlatPanorama)
	if !ok {
		return Errorf(KindInvalidArgument, mergeOp(ix), "cannot merge a %s into an IndexFlatPanorama", typeName(other))
	}
	x := make([]float32, o.ntotal*o.p.d)
	if err := o.ReconstructN(0, int64(o.ntotal), x); err != nil {
		return err
	}
	if err := ix.Add(x); err != nil {
		return err
	}
	other.Reset()
	return nil
}

// pointKey is the key (distance, or -similarity) of vector i for the query
// in s, measured level by level; false once its bound reaches threshold
// (faiss's point-wise refinement, search_subset).
func (ix *IndexFlatPanorama) pointKey(s *panoramaQuery, i int, threshold float32) (float32, bool) {
	p := ix.p
	acc := s.first(ix.cums[p.cumSlot(i, 0)])
	s.total += int64(p.d)
	for l := 0; l < p.nLevels; l++ {
		start, w := p.level(l)
		if w == 0 {
			continue
		}
		at := p.slot(i, l)
		s.scanned += int64(w)
		var bound float32
		acc, bound = s.step(acc, kernels.Inner(s.q[start:start+w], ix.codes[at:at+w]), ix.cums[p.cumSlot(i, l+1)], l)
		if bound >= threshold {
			return 0, false
		}
	}
	return acc, true
}

// refineCandidates ranks each query's kBase candidates (ids in cand) and
// writes the k best: IndexRefinePanorama's refinement, which stops reading
// a candidate once it cannot enter the k best.
func (ix *IndexFlatPanorama) refineCandidates(x []float32, k, kBase int, cand []int64, dist []float32, labels []int64) {
	d := ix.p.d
	nq := len(x) / d
	sign := keySign(ix.metric)
	parallelChunks(nq, chunkFor(kBase*d), func(_, lo, hi int) {
		s := ix.p.newPanoramaQuery(ix.metric == MetricInnerProduct)
		h := newTopK(k)
		for q := lo; q < hi; q++ {
			h.reset()
			s.setQuery(ix.p, x[q*d:(q+1)*d])
			for _, id := range cand[q*kBase : (q+1)*kBase] {
				if id < 0 || id >= int64(ix.ntotal) {
					continue
				}
				if key, ok := ix.pointKey(s, int(id), h.dist[0]); ok {
					h.push(key, id)
				}
			}
			h.emit(sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
		s.record()
	})
}
