package core

// An HNSW index may be written without its storage (faiss's
// IO_FLAG_SKIP_STORAGE: the graph alone, when the vectors are kept
// elsewhere); read back, it holds the graph and waits for SetStorage.

// nodes is the number of vertices in the graph.
func (h *HNSW) nodes() int { return max(len(h.Offsets)-1, 0) }

// needStorage fails the operations that read or write vectors while the
// index has no storage.
func (ix *IndexHNSW) needStorage(method string) error {
	if ix.storage == nil {
		return Errorf(KindInvalidArgument, ix.name+"."+method,
			"the index has no storage (it was written with IO_FLAG_SKIP_STORAGE): give it one first")
	}
	return nil
}

// SetStorage gives the index the storage holding its graph's vectors (the
// same d, metric and number of vectors; faiss's index.storage = ...).
func (ix *IndexHNSW) SetStorage(storage Index) error {
	op := ix.name + ".storage"
	if storage == nil {
		return Errorf(KindInvalidArgument, op, "a storage index is required")
	}
	if storage.D() != ix.d || storage.Metric() != ix.metric {
		return Errorf(KindDimensionMismatch, op, "the storage has d=%d, %s; the index d=%d, %s",
			storage.D(), storage.Metric(), ix.d, ix.metric)
	}
	if n := ix.HNSW.nodes(); storage.Ntotal() != int64(n) {
		return Errorf(KindDimensionMismatch, op, "the graph has %d nodes, the storage %d vectors", n, storage.Ntotal())
	}
	if hnswName(storage) != ix.name {
		return Errorf(KindInvalidArgument, op, "an %s needs the storage it was built over, not %T", ix.name, storage)
	}
	if _, err := hnswDistancesFor(storage); err != nil {
		return err
	}
	ix.storage = storage
	return nil
}

// RestoreIndexHNSWWithoutStorage makes the index of a stored graph whose
// storage was not written: name is faiss's class, d and metric the
// header's.
func RestoreIndexHNSWWithoutStorage(name string, d int, metric Metric, g HNSWGraph) (*IndexHNSW, error) {
	op := name
	m, err := graphM(op, g)
	if err != nil {
		return nil, err
	}
	if err := checkHNSW(op, d, m, metric); err != nil {
		return nil, err
	}
	ix := &IndexHNSW{name: name, d: d, metric: metric, HNSW: newHNSW(m)}
	if err := ix.HNSW.restore(op, g, int64(len(g.Levels))); err != nil {
		return nil, err
	}
	return ix, nil
}
