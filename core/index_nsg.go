package core

import "fmt"

// IndexNSG searches an NSG graph over the vectors of a storage index
// (faiss's IndexNSG): IndexNSGFlat, IndexNSGPQ and IndexNSGSQ are this type
// over an IndexFlat, IndexPQ or IndexScalarQuantizer. The graph is built
// once, by the first add (from a kNN graph of GK neighbours found by brute
// force with BuildType 0, by NN-descent with 1) or by Build from a given
// kNN graph; later adds are refused, as in faiss.
type IndexNSG struct {
	graphStorage
	NSG       *NSG
	GK        int
	BuildType int
	// the NN-descent settings of BuildType 1
	NNDescentS, NNDescentR, NNDescentL, NNDescentIter int
}

// NewIndexNSG makes an IndexNSG of R links per node over an empty storage
// (faiss's IndexNSG(storage, R): GK 64, NN-descent kNN graph).
func NewIndexNSG(storage Index, r int) (*IndexNSG, error) {
	op := nsgName(storage)
	switch {
	case r < 1:
		return nil, Errorf(KindInvalidArgument, op, "R must be positive, got %d", r)
	case storage.Ntotal() != 0:
		return nil, Errorf(KindInvalidArgument, op, "the storage must be empty, it holds %d vectors", storage.Ntotal())
	}
	return newIndexNSG(op, storage, r)
}

func newIndexNSG(op string, storage Index, r int) (*IndexNSG, error) {
	if err := checkGraphStorage(op, storage); err != nil {
		return nil, err
	}
	const gk = 64
	return &IndexNSG{graphStorage: graphStorage{name: op, storage: storage}, NSG: newNSG(r), GK: gk, BuildType: 1,
		NNDescentS: 10, NNDescentR: 100, NNDescentL: gk + 50, NNDescentIter: 10}, nil
}

// NewIndexNSGFlat makes an IndexNSGFlat of R links over flat vectors.
func NewIndexNSGFlat(d, r int, metric Metric) (*IndexNSG, error) {
	flat, err := NewIndexFlat(d, metric)
	if err != nil {
		return nil, err
	}
	return NewIndexNSG(flat, r)
}

// NewIndexNSGPQ makes an IndexNSGPQ of R links over PQ codes of pqM
// sub-quantizers of nbits bits (faiss's default 8).
func NewIndexNSGPQ(d, pqM, r, nbits int) (*IndexNSG, error) {
	pq, err := NewIndexPQ(d, pqM, nbits, MetricL2)
	if err != nil {
		return nil, err
	}
	return NewIndexNSG(pq, r)
}

// NewIndexNSGSQ makes an IndexNSGSQ of R links over scalar-quantizer codes.
func NewIndexNSGSQ(d int, t QuantizerType, r int, metric Metric) (*IndexNSG, error) {
	sq, err := NewIndexScalarQuantizer(d, t, metric)
	if err != nil {
		return nil, err
	}
	return NewIndexNSG(sq, r)
}

// nsgName is faiss's class name of an NSG index over storage.
func nsgName(storage Index) string {
	switch storage.(type) {
	case *IndexPQ:
		return "IndexNSGPQ"
	case *IndexScalarQuantizer:
		return "IndexNSGSQ"
	}
	return "IndexNSGFlat"
}

// Add stores x and builds the graph; an index holds one batch.
func (ix *IndexNSG) Add(x []float32) error {
	op := ix.name + ".add"
	n, err := checkBatch(op, x, ix.D())
	if err != nil {
		return err
	}
	if !ix.IsTrained() {
		return Errorf(KindNotTrained, op, "train the index before adding")
	}
	if ix.NSG.IsBuilt || ix.Ntotal() != 0 {
		return Errorf(KindInvalidArgument, op, "NSG does not support incremental addition")
	}
	if ix.GK < 1 {
		return Errorf(KindInvalidArgument, op, "GK must be positive, got %d", ix.GK)
	}
	if ix.BuildType != 0 && ix.BuildType != 1 {
		return Errorf(KindInvalidArgument, op, "build_type should be 0 or 1, got %d", ix.BuildType)
	}
	if n == 0 {
		return nil
	}
	if ix.GK >= n {
		return Errorf(KindInvalidArgument, op, "GK=%d must be below the number of vectors, %d", ix.GK, n)
	}
	if err := ix.storage.Add(x); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	knn, err := ix.knnGraph(op, n)
	if err == nil {
		err = ix.buildFrom(op, knn)
	}
	if err != nil {
		return ix.undoAdd(op, 0, err)
	}
	return nil
}

// knnGraph finds each stored vector's GK neighbours: by searching the
// storage (build type 0; itself left out) or by NN-descent (1).
func (ix *IndexNSG) knnGraph(op string, n int) (fixedGraph, error) {
	gk := ix.GK
	if ix.BuildType == 1 {
		nnd := newNNDescent(ix.D(), gk)
		nnd.S, nnd.R, nnd.L, nnd.Iter = ix.NNDescentS, ix.NNDescentR, max(ix.NNDescentL, gk+50), ix.NNDescentIter
		if err := nnd.build(op, n, ix.distances()); err != nil {
			return fixedGraph{}, err
		}
		return fixedGraph{ids: nnd.FinalGraph, width: gk}, nil
	}
	x := make([]float32, n*ix.D())
	if err := ix.ReconstructN(0, int64(n), x); err != nil {
		return fixedGraph{}, err
	}
	dist, labels := make([]float32, n*(gk+1)), make([]int64, n*(gk+1))
	if err := ix.storage.Search(x, gk+1, dist, labels); err != nil {
		return fixedGraph{}, err
	}
	ids := make([]int32, n*gk)
	for i := range n {
		row, out := labels[i*(gk+1):(i+1)*(gk+1)], ids[i*gk:(i+1)*gk]
		if !ix.Metric().IsSimilarity() {
			row = row[1:] // the nearest of a vector is itself
		}
		c := 0
		for _, id := range row {
			if c < gk && (id != int64(i) || !ix.Metric().IsSimilarity()) {
				out[c] = int32(id)
				c++
			}
		}
		for ; c < gk; c++ {
			out[c] = -1
		}
	}
	return fixedGraph{ids: ids, width: gk}, nil
}

// Build stores x and builds the graph from knn, gk neighbours per vector
// (faiss's IndexNSG::build); entries out of range are ignored.
func (ix *IndexNSG) Build(x []float32, knn []int64, gk int) error {
	op := ix.name + ".build"
	n, err := checkBatch(op, x, ix.D())
	if err != nil {
		return err
	}
	if ix.NSG.IsBuilt || ix.Ntotal() != 0 {
		return Errorf(KindInvalidArgument, op, "The IndexNSG is already built")
	}
	if gk < 1 || len(knn) != n*gk {
		return Errorf(KindDimensionMismatch, op, "the kNN graph must hold %d rows of GK >= 1 ids, got %d ids for GK=%d", n, len(knn), gk)
	}
	if !ix.IsTrained() {
		return Errorf(KindNotTrained, op, "train the index before building")
	}
	if n == 0 {
		return nil
	}
	ids := make([]int32, len(knn))
	for i, v := range knn {
		switch {
		case v < 0:
			ids[i] = -1
		case v >= int64(n):
			ids[i] = int32(n) // skipped by the walks
		default:
			ids[i] = int32(v)
		}
	}
	if err := ix.storage.Add(x); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := ix.buildFrom(op, fixedGraph{ids: ids, width: gk}); err != nil {
		return ix.undoAdd(op, 0, err)
	}
	return nil
}

// buildFrom checks the kNN graph as faiss does (fewer than n/10 entries
// missing, out of range or the node itself) and builds the NSG graph.
func (ix *IndexNSG) buildFrom(op string, knn fixedGraph) error {
	n := int(ix.Ntotal())
	bad := 0
	for i := range n {
		for _, id := range knn.row(int32(i)) {
			if id < 0 || int(id) >= n || int(id) == i {
				bad++
			}
		}
	}
	if bad >= n/10 && bad > 0 {
		return Errorf(KindInvalidArgument, op, "There are too much invalid entries in the knn graph (%d of %d). It may be an invalid knn graph.", bad, n*knn.width)
	}
	g := newNSG(ix.NSG.R)
	g.L, g.C, g.SearchL = ix.NSG.L, ix.NSG.C, ix.NSG.SearchL
	g.rng = ix.NSG.rng
	if err := g.build(op, n, ix.D(), knn, ix.distances(), ix.vector); err != nil {
		return err
	}
	ix.NSG = g
	return nil
}

// Search implements Index: each query walks the graph with a pool of
// max(search_L, k) nodes.
func (ix *IndexNSG) Search(x []float32, k int, dist []float32, labels []int64) error {
	return ix.search(ix.name+".search", x, k, dist, labels, ix.NSG.IsBuilt, func(dc hnswDistances, vt *visited, w *graphWalker, dist []float32, labels []int64) {
		ix.NSG.search(dc, len(dist), vt, w, dist, labels)
	})
}

// Reset removes every vector and the graph.
func (ix *IndexNSG) Reset() {
	ix.storage.Reset()
	ix.NSG.reset()
}

func (g *NSG) reset() {
	g.Graph, g.Ntotal, g.IsBuilt = nil, 0, false
}

// DFS is faiss's NSG::dfs: it marks (with 1) in reached, an entry per node,
// the nodes a depth-first search from root reaches through unmarked nodes,
// and returns count plus how many it marked.
func (g *NSG) DFS(reached []uint8, root int32, count int) int {
	if !g.IsBuilt || root < 0 || int(root) >= g.Ntotal || len(reached) < g.Ntotal {
		return count
	}
	return g.dfs(&visited{gen: reached, cur: 1}, root, count)
}

// RestoreIndexNSG makes an NSG index over storage (holding its vectors)
// with a stored graph, after checking it: ntotal rows of R ids, each a
// stored node or -1, and an entry point among them.
func RestoreIndexNSG(storage Index, g *NSG) (*IndexNSG, error) {
	op := nsgName(storage)
	if g.R < 1 || g.L < 0 || g.C < 0 {
		return nil, Errorf(KindInvalidArgument, op, "R=%d, L=%d, C=%d", g.R, g.L, g.C)
	}
	ix, err := newIndexNSG(op, storage, g.R)
	if err != nil {
		return nil, err
	}
	if g.IsBuilt {
		if int64(g.Ntotal) != storage.Ntotal() || len(g.Graph) != g.Ntotal*g.R {
			return nil, Errorf(KindInvalidArgument, op, "NSG ntotal %d (%d links) != index ntotal %d", g.Ntotal, len(g.Graph), storage.Ntotal())
		}
		if g.EnterPoint < 0 || int(g.EnterPoint) >= g.Ntotal {
			return nil, Errorf(KindInvalidArgument, op, "the entry point %d is not a node of %d", g.EnterPoint, g.Ntotal)
		}
		for _, id := range g.Graph {
			if id < -1 || int(id) >= g.Ntotal {
				return nil, Errorf(KindInvalidArgument, op, "a link to node %d of %d", id, g.Ntotal)
			}
		}
	} else if storage.Ntotal() != 0 {
		return nil, Errorf(KindInvalidArgument, op, "an unbuilt NSG over %d stored vectors", storage.Ntotal())
	}
	g.rng = newMT19937(0x0903)
	ix.NSG = g
	return ix, nil
}
