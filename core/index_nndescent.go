package core

import "fmt"

// IndexNNDescent searches an NN-descent kNN graph over the vectors of a
// storage index (faiss's IndexNNDescent; IndexNNDescentFlat over an
// IndexFlat). Every add rebuilds the graph over all the stored vectors,
// as faiss's does.
type IndexNNDescent struct {
	graphStorage
	NND *NNDescent
}

// NewIndexNNDescentFlat makes an IndexNNDescentFlat of K neighbours per
// node over flat vectors.
func NewIndexNNDescentFlat(d, k int, metric Metric) (*IndexNNDescent, error) {
	const op = "IndexNNDescentFlat"
	if k < 1 {
		return nil, Errorf(KindInvalidArgument, op, "K must be positive, got %d", k)
	}
	flat, err := NewIndexFlat(d, metric)
	if err != nil {
		return nil, err
	}
	if err := checkGraphStorage(op, flat); err != nil {
		return nil, err
	}
	return &IndexNNDescent{graphStorage: graphStorage{name: op, storage: flat}, NND: newNNDescent(d, k)}, nil
}

// Add stores x and builds the graph over every stored vector.
func (ix *IndexNNDescent) Add(x []float32) error {
	op := ix.name + ".add"
	n, err := checkBatch(op, x, ix.D())
	if err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	n0 := ix.Ntotal()
	if total := int(n0) + n; total <= nndMinPoints {
		return Errorf(KindInvalidArgument, op, "NNDescent.build cannot build a graph smaller than %d, got %d vectors", nndMinPoints, total)
	}
	if n0+int64(n) > 1<<31-1 {
		return Errorf(KindInvalidArgument, op, "an NN-descent graph holds at most 2^31-1 vectors")
	}
	if err := ix.storage.Add(x); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	g := *ix.NND
	g.FinalGraph, g.HasBuilt = nil, false
	if err := g.build(op, int(ix.Ntotal()), ix.distances()); err != nil {
		return ix.undoAdd(op, n0, err)
	}
	*ix.NND = g
	return nil
}

// Search implements Index: each query walks the graph from max(search_L,
// k) random nodes.
func (ix *IndexNNDescent) Search(x []float32, k int, dist []float32, labels []int64) error {
	var starts []int32
	if ix.NND.HasBuilt && k > 0 {
		starts = ix.NND.startIDs(k)
	}
	return ix.search(ix.name+".search", x, k, dist, labels, ix.NND.HasBuilt, func(dc hnswDistances, vt *visited, w *graphWalker, dist []float32, labels []int64) {
		ix.NND.search(dc, starts, vt, w, dist, labels)
	})
}

// Reset removes every vector and the graph.
func (ix *IndexNNDescent) Reset() {
	ix.storage.Reset()
	ix.NND.HasBuilt, ix.NND.Ntotal, ix.NND.FinalGraph = false, 0, nil
}

// RestoreIndexNNDescent makes an NN-descent index over flat storage
// (holding its vectors) with a stored graph, after checking it.
func RestoreIndexNNDescent(storage *IndexFlat, g *NNDescent) (*IndexNNDescent, error) {
	const op = "IndexNNDescentFlat"
	if err := checkGraphStorage(op, storage); err != nil {
		return nil, err
	}
	switch {
	case g.K < 1 || g.D != storage.D():
		return nil, Errorf(KindInvalidArgument, op, "K=%d, d=%d over a storage of d=%d", g.K, g.D, storage.D())
	case g.HasBuilt && (int64(g.Ntotal) != storage.Ntotal() || len(g.FinalGraph) != g.Ntotal*g.K):
		return nil, Errorf(KindInvalidArgument, op, "a graph of ntotal %d (%d links, K=%d) over %d stored vectors", g.Ntotal, len(g.FinalGraph), g.K, storage.Ntotal())
	case !g.HasBuilt && storage.Ntotal() != 0:
		return nil, Errorf(KindInvalidArgument, op, "an unbuilt graph over %d stored vectors", storage.Ntotal())
	}
	for _, id := range g.FinalGraph {
		if id < -1 || int(id) >= g.Ntotal {
			return nil, Errorf(KindInvalidArgument, op, "a link to node %d of %d", id, g.Ntotal)
		}
	}
	return &IndexNNDescent{graphStorage: graphStorage{name: op, storage: storage}, NND: g}, nil
}
