package core

// graphStorage is what IndexNSG and IndexNNDescent share: a storage index
// (flat vectors, scalar-quantizer or 8-bit PQ codes) that holds the
// vectors the graph links, and the searches' per-worker scratch.
type graphStorage struct {
	name    string
	storage Index
	scratch scratchPool
}

// checkGraphStorage checks that storage is one a graph index can measure.
func checkGraphStorage(op string, storage Index) error {
	if _, err := hnswDistancesFor(storage); err != nil {
		return Errorf(KindInvalidArgument, op, "%v", err)
	}
	return nil
}

// Name is faiss's class name of the index.
func (s *graphStorage) Name() string { return s.name }

// Storage returns the index holding the vectors or codes.
func (s *graphStorage) Storage() Index { return s.storage }

func (s *graphStorage) D() int             { return s.storage.D() }
func (s *graphStorage) Metric() Metric     { return s.storage.Metric() }
func (s *graphStorage) MetricArg() float32 { return s.storage.MetricArg() }
func (s *graphStorage) Ntotal() int64      { return s.storage.Ntotal() }
func (s *graphStorage) IsTrained() bool    { return s.storage.IsTrained() }

// Train trains the storage's codec (nothing for flat vectors); a PQ
// storage then has its table of centroid distances.
func (s *graphStorage) Train(x []float32) error {
	if err := s.storage.Train(x); err != nil {
		return err
	}
	if pq, ok := s.storage.(*IndexPQ); ok && pq.IsTrained() {
		pq.PQ.computeSDC()
	}
	return nil
}

// Members implements Composite.
func (s *graphStorage) Members() []Index { return []Index{s.storage} }

// Reconstruct implements Reconstructor through the storage.
func (s *graphStorage) Reconstruct(key int64, out []float32) error {
	return s.storage.(Reconstructor).Reconstruct(key, out)
}

// ReconstructN implements Reconstructor through the storage.
func (s *graphStorage) ReconstructN(i0, n int64, out []float32) error {
	return s.storage.(Reconstructor).ReconstructN(i0, n, out)
}

// RemoveIDs is not supported, as in faiss: the graph would keep links to
// the removed nodes.
func (s *graphStorage) RemoveIDs(IDSelector) (int64, error) {
	return 0, Errorf(KindUnsupported, s.name+".remove_ids",
		"graph indexes cannot remove vectors (neither can faiss's); rebuild the index without them")
}

// distances returns the maker of per-worker distance computers; a PQ
// storage gets its symmetric table first.
func (s *graphStorage) distances() func() hnswDistances {
	if pq, ok := s.storage.(*IndexPQ); ok && pq.PQ.sdc == nil {
		pq.PQ.computeSDC()
	}
	f, _ := hnswDistancesFor(s.storage) // checked when the index was made
	return f
}

// vector decodes stored vector i into out.
func (s *graphStorage) vector(i int, out []float32) {
	if err := s.storage.(Reconstructor).Reconstruct(int64(i), out); err != nil {
		panic(err) // i is below ntotal: the storages reconstruct every stored vector
	}
}

// undoAdd drops the vectors from n0 on, after a failed add.
func (s *graphStorage) undoAdd(op string, n0 int64, err error) error {
	if n0 == 0 {
		s.storage.Reset()
		return err
	}
	if r, ok := s.storage.(IDRemover); ok {
		if _, rerr := r.RemoveIDs(IDSelectorRange{Min: n0, Max: s.storage.Ntotal()}); rerr == nil {
			return err
		}
	}
	return Errorf(KindInternal, op, "%v, and the storage could not drop the new vectors", err)
}

// search runs one graph search per query, in parallel; each worker has its
// own distance computer, visited table and pool. Similarity metrics come
// back positive.
func (s *graphStorage) search(op string, x []float32, k int, dist []float32, labels []int64, built bool,
	one func(dc hnswDistances, vt *visited, w *graphWalker, dist []float32, labels []int64)) error {
	d := s.D()
	nq, err := checkBatch(op, x, d)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	if !built {
		return Errorf(KindNotTrained, op, "the graph is not built yet: add vectors first")
	}
	newDist := s.distances()
	n := int(s.Ntotal())
	parallelChunks(nq, chunkFor(100*d*k), func(_, lo, hi int) {
		w := s.scratch.get(n)
		defer s.scratch.put(w)
		dc := newDist()
		var walker graphWalker
		for q := lo; q < hi; q++ {
			dc.setQuery(x[q*d : (q+1)*d])
			one(dc, w.visited, &walker, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
	})
	if keySign(s.Metric()) < 0 {
		for i := range dist {
			dist[i] = -dist[i]
		}
	}
	return nil
}
