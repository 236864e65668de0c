package core

import "github.com/metalfaiss/metalfaiss/core/kernels"

// IndexHNSW2Level is faiss's HNSW graph over two-level codes: the storage is
// an Index2Layer (coarse list and PQ code of the residual), or, after the
// storage is swapped, an IndexIVFPQ with a direct map, which searches
// "mixed": the IVF-PQ search of nprobe lists gives the first results, and
// the level-0 graph walk from the best of them adds nodes outside those
// lists.

// reconstructedDistances measures against the vectors a storage
// reconstructs (faiss's generic distance computer; Index2Layer's symmetric
// distances).
type reconstructedDistances struct {
	r    Reconstructor
	q    []float32
	a, b []float32
	ip   bool
}

func newReconstructedDistances(r Reconstructor, d int, m Metric) *reconstructedDistances {
	return &reconstructedDistances{r: r, a: make([]float32, d), b: make([]float32, d), ip: m == MetricInnerProduct}
}

func (c *reconstructedDistances) load(i int32, out []float32) {
	if err := c.r.Reconstruct(int64(i), out); err != nil {
		panic(err) // stored nodes reconstruct (the storage was checked)
	}
}

func (c *reconstructedDistances) setQuery(q []float32) { c.q = q }

func (c *reconstructedDistances) dist(i int32) float32 {
	c.load(i, c.a)
	return c.between(c.q, c.a)
}

func (c *reconstructedDistances) dists(ids []int32, out []float32) {
	for i, id := range ids {
		out[i] = c.dist(id)
	}
}

func (c *reconstructedDistances) symmetric(i, j int32) float32 {
	c.load(i, c.a)
	c.load(j, c.b)
	return c.between(c.a, c.b)
}

func (c *reconstructedDistances) between(a, b []float32) float32 {
	if c.ip {
		return -kernels.Inner(a, b)
	}
	return kernels.L2Sqr(a, b)
}

func (ix *Index2Layer) distanceComputer() hnswDistances {
	return newReconstructedDistances(ix, ix.D(), ix.Metric())
}

// mixedStorage is the IndexIVFPQ storage of an IndexHNSW2Level, or nil.
func mixedStorage(storage Index) *IndexIVF {
	if ivf, ok := storage.(*IndexIVF); ok && ivf.Name() == "IndexIVFPQ" {
		return ivf
	}
	return nil
}

// ivfpqDistances measures an IndexHNSW2Level's IVF-PQ storage through its
// direct map.
func ivfpqDistances(op string, ivf *IndexIVF) (func() hnswDistances, error) {
	if ivf.DirectMapType() == 0 {
		return nil, Errorf(KindInvalidArgument, op, "the IndexIVFPQ storage needs a direct map: call make_direct_map() first")
	}
	return func() hnswDistances { return newReconstructedDistances(ivf, ivf.D(), ivf.Metric()) }, nil
}

// NewIndexHNSW2Level makes an IndexHNSW2Level of M links per node over an
// Index2Layer of nlist lists (quantizer) and residual codes of mPQ 8-bit
// sub-quantizers (faiss's IndexHNSW2Level(quantizer, nlist, m_pq, M)).
func NewIndexHNSW2Level(quantizer Index, nlist, mPQ, m int) (*IndexHNSW, error) {
	const op = "IndexHNSW2Level"
	if err := checkHNSW(op, quantizer.D(), m, MetricL2); err != nil {
		return nil, err
	}
	storage, err := NewIndex2Layer(quantizer, nlist, mPQ, 8, MetricL2)
	if err != nil {
		return nil, err
	}
	return newIndexHNSW(op, storage, m), nil
}

// searchMixed is faiss's IndexHNSW2Level search over an IndexIVFPQ: the
// IVF-PQ results of nprobe lists, then a level-0 walk from the best of
// them (a candidate queue of one node) that skips the nodes of those
// lists.
func (ix *IndexHNSW) searchMixed(ivf *IndexIVF, x []float32, k int, dist []float32, labels []int64, f hnswSearchFlags) error {
	d := ix.D()
	nq := len(x) / d
	nprobe := max(1, min(ivf.Nprobe, ivf.Nlist()))
	coarse, coarseDis := make([]int64, nq*nprobe), make([]float32, nq*nprobe)
	if err := ivf.Quantizer().Search(x, nprobe, coarseDis, coarse); err != nil {
		return err
	}
	if err := ivf.SearchPreassigned(x, k, coarse, coarseDis, nprobe, dist, labels, nil); err != nil {
		return err
	}
	newDist, err := ivfpqDistances(ix.name+".search", ivf)
	if err != nil {
		return err
	}
	sign := keySign(ix.Metric())
	h := ix.HNSW
	parallelChunks(nq, chunkFor(200*d*max(f.efSearch, k)), func(_, lo, hi int) {
		vt := ix.scratch.get(int(ix.Ntotal()))
		defer ix.scratch.put(vt)
		s := &hnswSearcher{dc: newDist(), vt: vt, candidates: &minimaxHeap{}, res: hnswResults{topK: newTopK(k)}}
		defer s.record()
		for q := lo; q < hi; q++ {
			s.res.reset()
			s.dc.setQuery(x[q*d : (q+1)*d])
			for _, l := range coarse[q*nprobe : (q+1)*nprobe] {
				if l < 0 {
					break
				}
				for _, id := range ivf.lists.lists[l].ids {
					vt.set(int32(id))
				}
			}
			ds, ls := dist[q*k:(q+1)*k], labels[q*k:(q+1)*k]
			s.candidates.reset(1) // faiss's upper_beam
			for j, id := range ls {
				if id < 0 {
					break
				}
				if j == 0 {
					s.candidates.push(int32(id), sign*ds[j]) // enters the results as the walk starts
				} else {
					s.res.add(sign*ds[j], int32(id))
				}
			}
			h.searchFromCandidates(s, f)
			s.vt.advance()
			s.res.emit(sign, ds, ls)
		}
	})
	return nil
}

// FlipToIVF replaces an IndexHNSW2Level's Index2Layer storage by an
// IndexIVFPQ over the same quantizer and product quantizer, its lists
// filled with the same codes under ids 0..ntotal-1 and a direct map:
// searches are then the mixed ones (faiss's flip_to_ivf).
func (ix *IndexHNSW) FlipToIVF() error {
	const op = "IndexHNSW2Level.flip_to_ivf"
	two, ok := ix.storage.(*Index2Layer)
	if !ok {
		return Errorf(KindInvalidArgument, op, "the storage is a %T, not an Index2Layer", ix.storage)
	}
	c := two.Layers()
	ivf, err := NewIndexIVFPQ(c.Quantizer, ix.d, c.Nlist, c.PQ.M, c.PQ.Nbits, MetricL2)
	if err != nil {
		return err
	}
	ivf.Warn, ivf.PQ().Warn = func(string) {}, func(string) {}
	if two.IsTrained() {
		if err := ivf.PQ().RestorePQ(c.PQ.Centroids); err != nil {
			return err
		}
		if err := ivf.RefreshTables(); err != nil {
			return err
		}
	}
	if err := two.TransferToIVFPQ(ivf); err != nil {
		return err
	}
	if err := ivf.SetDirectMapType(1); err != nil {
		return err
	}
	ix.storage = ivf
	return nil
}
