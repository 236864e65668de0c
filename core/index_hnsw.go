package core

import "fmt"

// IndexHNSW searches an HNSW graph over the vectors of a storage index
// (faiss's IndexHNSW): IndexHNSWFlat, IndexHNSWSQ and IndexHNSWPQ are this
// type over an IndexFlat, IndexScalarQuantizer or IndexPQ.
type IndexHNSW struct {
	name    string
	storage Index // nil: written without it (IO_FLAG_SKIP_STORAGE), see SetStorage
	d       int
	metric  Metric
	HNSW    *HNSW
	// KeepMaxSizeLevel0 tops level-0 lists up to 2*M with nodes the
	// heuristic rejected (faiss's keep_max_size_level0, default false).
	KeepMaxSizeLevel0 bool
	// Cagra is set for an IndexHNSWCagra (index_hnsw_cagra.go).
	Cagra *HNSWCagra
	// Panorama is set for an IndexHNSWFlatPanorama (hnsw_panorama.go).
	Panorama *hnswPanorama
	// progress receives add's progress (nil: none); see SetProgress.
	progress *Progress
	scratch  scratchPool
	// unlinked counts the vectors the storage held when the index was made
	// over it: faiss's IndexHNSW starts at ntotal 0 over them; the first
	// add links them into the graph ahead of the new ones.
	unlinked int
}

// NewIndexHNSWFlat makes an HNSW index of M links per node over flat
// vectors; metric is L2 or inner product.
func NewIndexHNSWFlat(d, m int, metric Metric) (*IndexHNSW, error) {
	if err := checkHNSW("IndexHNSWFlat", d, m, metric); err != nil {
		return nil, err
	}
	flat, err := NewIndexFlat(d, metric)
	if err != nil {
		return nil, err
	}
	return newIndexHNSW("IndexHNSWFlat", flat, m), nil
}

// NewIndexHNSWSQ makes an HNSW index over scalar-quantizer codes.
func NewIndexHNSWSQ(d int, t QuantizerType, m int, metric Metric) (*IndexHNSW, error) {
	if err := checkHNSW("IndexHNSWSQ", d, m, metric); err != nil {
		return nil, err
	}
	sq, err := NewIndexScalarQuantizer(d, t, metric)
	if err != nil {
		return nil, err
	}
	return newIndexHNSW("IndexHNSWSQ", sq, m), nil
}

// NewIndexHNSWPQ makes an HNSW index over product-quantizer codes of pqM
// sub-quantizers of pqBits bits.
func NewIndexHNSWPQ(d, pqM, m, pqBits int, metric Metric) (*IndexHNSW, error) {
	if err := checkHNSW("IndexHNSWPQ", d, m, metric); err != nil {
		return nil, err
	}
	pq, err := NewIndexPQ(d, pqM, pqBits, metric)
	if err != nil {
		return nil, err
	}
	return newIndexHNSW("IndexHNSWPQ", pq, m), nil
}

func checkHNSW(op string, d, m int, metric Metric) error {
	switch {
	case d <= 0:
		return Errorf(KindInvalidArgument, op, "d must be positive, got %d", d)
	case m < 2:
		// M = 1 makes the level multiplier 1/ln(1) infinite.
		return Errorf(KindInvalidArgument, op, "M must be at least 2, got %d", m)
	}
	// any metric over flat vectors; the coded storages check theirs
	return checkMetric(op, metric)
}

func newIndexHNSW(name string, storage Index, m int) *IndexHNSW {
	return &IndexHNSW{name: name, storage: storage, d: storage.D(), metric: storage.Metric(), HNSW: newHNSW(m)}
}

// NewIndexHNSW builds an HNSW graph of M links per node over a storage
// index (faiss's IndexHNSW(storage, M)). Over a storage that holds vectors
// already, the index counts none until its first add, which links them
// into the graph too (faiss's graph would cover only the added ones; it
// needs a storage that can reconstruct them).
func NewIndexHNSW(storage Index, m int) (*IndexHNSW, error) {
	const op = "IndexHNSW"
	if err := checkHNSW(op, storage.D(), m, storage.Metric()); err != nil {
		return nil, err
	}
	if _, err := hnswDistancesFor(storage); err != nil {
		return nil, err
	}
	ix := newIndexHNSW(hnswName(storage), storage, m)
	if n := storage.Ntotal(); n != 0 {
		if _, ok := storage.(Reconstructor); !ok || n > 1<<31-1 {
			return nil, Errorf(KindInvalidArgument, op, "the storage holds %d vectors it cannot give back for the graph", n)
		}
		ix.unlinked = int(n)
	}
	return ix, nil
}

// linkStored links the vectors the storage held at construction into the
// graph (the first add).
func (ix *IndexHNSW) linkStored(op string) error {
	n := ix.unlinked
	x := make([]float32, n*ix.d)
	if err := ix.storage.(Reconstructor).ReconstructN(0, int64(n), x); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	newDist, err := hnswDistancesFor(ix.storage)
	if err != nil {
		return err
	}
	ix.HNSW.prepareLevels(n)
	ix.HNSW.addVertices(0, n, x, ix.d, newDist, ix.KeepMaxSizeLevel0, false, &ix.scratch, ix.progress)
	ix.unlinked = 0
	return nil
}

// hnswName is faiss's class name of an HNSW index over storage.
func hnswName(storage Index) string {
	switch storage.(type) {
	case *IndexScalarQuantizer:
		return "IndexHNSWSQ"
	case *IndexPQ:
		return "IndexHNSWPQ"
	case *Index2Layer:
		return "IndexHNSW2Level"
	}
	if mixedStorage(storage) != nil {
		return "IndexHNSW2Level"
	}
	return "IndexHNSWFlat"
}

// Name is faiss's class name of the index.
func (ix *IndexHNSW) Name() string { return ix.name }

// Storage returns the index holding the vectors or codes.
func (ix *IndexHNSW) Storage() Index { return ix.storage }

func (ix *IndexHNSW) D() int             { return ix.d }
func (ix *IndexHNSW) Metric() Metric     { return ix.metric }
func (ix *IndexHNSW) MetricArg() float32 { return 0 }

// Ntotal is the storage's count (the graph's nodes without a storage; 0
// over a storage filled before the index was made, until an add).
func (ix *IndexHNSW) Ntotal() int64 {
	if ix.storage == nil {
		return int64(ix.HNSW.nodes())
	}
	if ix.unlinked > 0 {
		return 0
	}
	return ix.storage.Ntotal()
}

// IsTrained is the storage's state (true without a storage: the graph
// was built).
func (ix *IndexHNSW) IsTrained() bool { return ix.storage == nil || ix.storage.IsTrained() }

// Train trains the storage's codec (nothing for flat vectors).
func (ix *IndexHNSW) Train(x []float32) error {
	if err := ix.needStorage("train"); err != nil {
		return err
	}
	if err := ix.storage.Train(x); err != nil {
		return err
	}
	if pq, ok := ix.storage.(*IndexPQ); ok && pq.IsTrained() {
		pq.PQ.computeSDC()
	}
	return nil
}

// Add stores the rows of x and links them into the graph.
func (ix *IndexHNSW) Add(x []float32) error {
	op := ix.name + ".add"
	if ix.Cagra != nil && ix.Cagra.BaseLevelOnly {
		return Errorf(KindInvalidArgument, op, "Cannot add vectors when base_level_only is set to True")
	}
	if err := ix.needStorage("add"); err != nil {
		return err
	}
	n, err := checkBatch(op, x, ix.D())
	if err != nil {
		return err
	}
	if !ix.IsTrained() {
		return Errorf(KindNotTrained, op, "train the index before adding")
	}
	if n == 0 {
		return nil
	}
	if int(ix.Ntotal())+n > 1<<31-1 {
		return Errorf(KindInvalidArgument, op, "an HNSW graph holds at most 2^31-1 vectors")
	}
	if pq, ok := ix.storage.(*IndexPQ); ok && pq.PQ.sdc == nil {
		pq.PQ.computeSDC()
	}
	if ix.unlinked > 0 {
		if int(ix.storage.Ntotal())+n > 1<<31-1 {
			return Errorf(KindInvalidArgument, op, "an HNSW graph holds at most 2^31-1 vectors")
		}
		if err := ix.linkStored(op); err != nil {
			return err
		}
	}
	n0 := int(ix.Ntotal())
	newDist, err := hnswDistancesFor(ix.storage)
	if err != nil {
		return err
	}
	remover, canUndo := ix.storage.(IDRemover)
	if err := ix.storage.Add(x); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if ix.Panorama != nil {
		ix.Panorama.addNorms(x)
	}
	mark := ix.HNSW.mark()
	ix.HNSW.prepareLevels(n)
	ix.progress.Stage("add", int64(n))
	ix.progress.Logf("hnsw_add_vertices: adding %d elements on top of %d", n, n0)
	b := ix.HNSW.addVertices(n0, n, x, ix.D(), newDist, ix.KeepMaxSizeLevel0, canUndo, &ix.scratch, ix.progress)
	if err := checkInterrupt(op); err != nil && canUndo {
		// Ctrl-C: the graph and the storage as they were.
		b.rollback(mark)
		if ix.Panorama != nil {
			ix.Panorama.cums = ix.Panorama.cums[:n0*(ix.Panorama.p.nLevels+1)]
		}
		if _, rerr := remover.RemoveIDs(IDSelectorRange{Min: int64(n0), Max: int64(n0 + n)}); rerr != nil {
			return Errorf(KindInternal, op, "interrupted, and the storage could not drop the new vectors: %v", rerr)
		}
		return err
	}
	return nil
}

// SetProgress implements ProgressReporter: add reports the vertices
// linked, and faiss's verbose lines, to p.
func (ix *IndexHNSW) SetProgress(p *Progress) { ix.progress = p }

// Search implements Index.
func (ix *IndexHNSW) Search(x []float32, k int, dist []float32, labels []int64) error {
	return ix.SearchWithParams(x, k, dist, labels, nil)
}

// SearchWithParams implements ParamSearcher: p may carry a filter and
// HNSW settings (efSearch below k is raised to k, as faiss does).
func (ix *IndexHNSW) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
	op := ix.name + ".search"
	nq, err := checkBatch(op, x, ix.D())
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	if err := ix.needStorage("search"); err != nil {
		return err
	}
	if !ix.IsTrained() {
		return Errorf(KindNotTrained, op, "train the index before searching")
	}
	h := ix.HNSW
	f := hnswSearchFlags{efSearch: h.EfSearch, disCheck: h.CheckRelativeDistance, boundedQueue: h.SearchBoundedQueue}
	if p != nil {
		f.sel = p.Sel
		if p.HNSW != nil {
			f.efSearch, f.disCheck, f.boundedQueue = p.HNSW.EfSearch, p.HNSW.CheckRelativeDistance, p.HNSW.BoundedQueue
		}
	}
	newDist, err := hnswDistancesFor(ix.storage)
	if err != nil {
		return err
	}
	if ivf := mixedStorage(ix.storage); ivf != nil {
		if f.sel != nil {
			return Errorf(KindUnsupported, op, "a mixed IndexHNSW2Level search takes no selector")
		}
		return ix.searchMixed(ivf, x, k, dist, labels, f)
	}
	sign := keySign(ix.Metric())
	d := ix.D()
	parallelChunks(nq, chunkFor(200*d*max(f.efSearch, k)), func(_, lo, hi int) {
		vt := ix.scratch.get(int(ix.Ntotal()))
		defer ix.scratch.put(vt)
		s := &hnswSearcher{dc: newDist(), vt: vt, candidates: &minimaxHeap{}, res: hnswResults{topK: newTopK(k)}}
		if ix.Panorama != nil {
			s.pano = ix.Panorama.distances(ix.storage.(*IndexFlat))
			s.dc = s.pano
			defer s.pano.stats.record()
		}
		defer s.record()
		for q := lo; q < hi; q++ {
			s.res.reset()
			s.dc.setQuery(x[q*d : (q+1)*d])
			if c := ix.Cagra; c != nil && c.BaseLevelOnly {
				h.searchBaseLevel(s, k, f, c.NumEntryPoints, int64(q))
			} else {
				h.search(s, k, f)
			}
			s.res.emit(sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
	})
	return nil
}

// Reset removes every vector and the graph.
func (ix *IndexHNSW) Reset() {
	if ix.storage != nil {
		ix.storage.Reset()
	}
	if ix.Panorama != nil {
		ix.Panorama.cums = ix.Panorama.cums[:0]
	}
	ix.HNSW.reset()
	ix.unlinked = 0
}

// Reconstruct implements Reconstructor through the storage.
func (ix *IndexHNSW) Reconstruct(key int64, out []float32) error {
	if err := ix.needStorage("reconstruct"); err != nil {
		return err
	}
	r, ok := ix.storage.(Reconstructor)
	if !ok {
		return Errorf(KindUnsupported, ix.name+".reconstruct", "the storage %T cannot reconstruct", ix.storage)
	}
	return r.Reconstruct(key, out)
}

// ReconstructN implements Reconstructor through the storage.
func (ix *IndexHNSW) ReconstructN(i0, n int64, out []float32) error {
	if err := ix.needStorage("reconstruct_n"); err != nil {
		return err
	}
	r, ok := ix.storage.(Reconstructor)
	if !ok {
		return Errorf(KindUnsupported, ix.name+".reconstruct_n", "the storage %T cannot reconstruct", ix.storage)
	}
	return r.ReconstructN(i0, n, out)
}

// RemoveIDs is not supported, as in faiss: removing a node would leave
// holes in its neighbours' lists.
func (ix *IndexHNSW) RemoveIDs(IDSelector) (int64, error) {
	return 0, Errorf(KindUnsupported, ix.name+".remove_ids",
		"HNSW indexes cannot remove vectors (neither can faiss's); wrap the index in IndexIDMap2 and rebuild it without them")
}

// Members implements Composite.
func (ix *IndexHNSW) Members() []Index {
	if ix.storage == nil {
		return nil
	}
	return []Index{ix.storage}
}

// RestoreIndexHNSW makes an HNSW index over storage (holding its vectors)
// with a stored graph, after checking that the graph is whole: a node per
// vector, lists where the offsets say, links to existing nodes on levels
// they live on, and an entry point on the top level.
func RestoreIndexHNSW(storage Index, g HNSWGraph) (*IndexHNSW, error) {
	const op = "IndexHNSW"
	m, err := graphM(op, g)
	if err != nil {
		return nil, err
	}
	if err := checkHNSW(op, storage.D(), m, storage.Metric()); err != nil {
		return nil, err
	}
	if _, err := hnswDistancesFor(storage); err != nil {
		return nil, err
	}
	ix := newIndexHNSW(hnswName(storage), storage, m)
	if err := ix.HNSW.restore(op, g, storage.Ntotal()); err != nil {
		return nil, err
	}
	return ix, nil
}
