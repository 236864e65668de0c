package core

import (
	"math"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// IndexBinaryHNSW is an HNSW graph over binary codes kept in an
// IndexBinaryFlat (faiss's IndexBinaryHNSW): the graph code is the float
// one, fed Hamming distances, and results come back as int32, as faiss
// rounds them.
type IndexBinaryHNSW struct {
	storage *IndexBinaryFlat
	HNSW    *HNSW
	scratch scratchPool
}

var (
	_ BinaryIndex         = (*IndexBinaryHNSW)(nil)
	_ BinaryRangeSearcher = (*IndexBinaryHNSW)(nil)
	_ BinaryReconstructor = (*IndexBinaryHNSW)(nil)
)

// NewIndexBinaryHNSW makes an empty graph of M links per node over codes
// of d bits.
func NewIndexBinaryHNSW(d, m int) (*IndexBinaryHNSW, error) {
	const op = "IndexBinaryHNSW"
	if err := checkBinaryD(op, d); err != nil {
		return nil, err
	}
	if m < 2 {
		return nil, Errorf(KindInvalidArgument, op, "M must be at least 2, got %d", m)
	}
	storage, _ := NewIndexBinaryFlat(d)
	return &IndexBinaryHNSW{storage: storage, HNSW: newHNSW(m)}, nil
}

// Storage returns the flat index holding the codes.
func (ix *IndexBinaryHNSW) Storage() *IndexBinaryFlat { return ix.storage }

func (ix *IndexBinaryHNSW) D() int               { return ix.storage.D() }
func (ix *IndexBinaryHNSW) CodeSize() int        { return ix.storage.CodeSize() }
func (ix *IndexBinaryHNSW) Ntotal() int64        { return ix.storage.Ntotal() }
func (ix *IndexBinaryHNSW) IsTrained() bool      { return true }
func (ix *IndexBinaryHNSW) Train(x []byte) error { return ix.storage.Train(x) }

// hammingDistances measures binary codes for the graph code; queries come
// as padded float32 rows (see paddedCodes).
type hammingDistances struct {
	codes []byte
	cs    int
	q     []byte
}

func (h *hammingDistances) code(i int32) []byte { return h.codes[int(i)*h.cs : (int(i)+1)*h.cs] }

func (h *hammingDistances) setQuery(q []float32) { h.q = bytesOf(q)[:h.cs] }

func (h *hammingDistances) dist(i int32) float32 { return float32(kernels.Hamming(h.q, h.code(i))) }

func (h *hammingDistances) dists(ids []int32, out []float32) {
	for i, id := range ids {
		out[i] = h.dist(id)
	}
}

func (h *hammingDistances) symmetric(i, j int32) float32 {
	return float32(kernels.Hamming(h.code(i), h.code(j)))
}

func (ix *IndexBinaryHNSW) distances() func() hnswDistances {
	codes, cs := ix.storage.codes, ix.storage.CodeSize()
	return func() hnswDistances { return &hammingDistances{codes: codes, cs: cs} }
}

// Add stores the codes and links them into the graph.
func (ix *IndexBinaryHNSW) Add(x []byte) error {
	const op = "IndexBinaryHNSW.add"
	n, err := checkBinaryCodes(op, x, ix.CodeSize(), ix.D())
	if err != nil || n == 0 {
		return err
	}
	if int(ix.Ntotal())+n > 1<<31-1 {
		return Errorf(KindInvalidArgument, op, "an HNSW graph holds at most 2^31-1 vectors")
	}
	n0 := int(ix.Ntotal())
	if err := ix.storage.Add(x); err != nil {
		return err
	}
	rows, w := paddedCodes(x, ix.CodeSize())
	mark := ix.HNSW.mark()
	ix.HNSW.prepareLevels(n)
	b := ix.HNSW.addVertices(n0, n, rows, w, ix.distances(), false, true, &ix.scratch, nil)
	if err := checkInterrupt(op); err != nil {
		b.rollback(mark) // Ctrl-C: the graph and the codes as they were
		ix.storage.RemoveIDs(IDSelectorRange{Min: int64(n0), Max: int64(n0 + n)})
		return err
	}
	return nil
}

// Search walks the graph for each query with the index's efSearch.
func (ix *IndexBinaryHNSW) Search(x []byte, k int, dist []int32, labels []int64) error {
	return ix.SearchWithParams(x, k, dist, labels, nil)
}

// SearchWithParams is Search with faiss's SearchParametersHNSW (p.HNSW)
// and a filter (p.Sel); nil p: the index's settings.
func (ix *IndexBinaryHNSW) SearchWithParams(x []byte, k int, dist []int32, labels []int64, p *SearchParams) error {
	const op = "IndexBinaryHNSW.search"
	nq, err := checkBinaryCodes(op, x, ix.CodeSize(), ix.D())
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	h := ix.HNSW
	f := hnswSearchFlags{efSearch: h.EfSearch, disCheck: h.CheckRelativeDistance, boundedQueue: h.SearchBoundedQueue}
	if p != nil {
		f.sel = p.Sel
		if p.HNSW != nil {
			f.efSearch, f.disCheck, f.boundedQueue = p.HNSW.EfSearch, p.HNSW.CheckRelativeDistance, p.HNSW.BoundedQueue
		}
	}
	rows, w := paddedCodes(x, ix.CodeSize())
	newDist := ix.distances()
	parallelChunks(nq, chunkFor(200*ix.CodeSize()*max(f.efSearch, k)), func(_, lo, hi int) {
		vt := ix.scratch.get(int(ix.Ntotal()))
		defer ix.scratch.put(vt)
		s := &hnswSearcher{dc: newDist(), vt: vt, candidates: &minimaxHeap{}, res: hnswResults{topK: newTopK(k)}}
		defer s.record()
		fd := make([]float32, k)
		for q := lo; q < hi; q++ {
			s.res.reset()
			s.dc.setQuery(rows[q*w : (q+1)*w])
			h.search(s, k, f)
			s.res.emit(1, fd, labels[q*k:(q+1)*k])
			for j, l := range labels[q*k : (q+1)*k] {
				dist[q*k+j] = math.MaxInt32
				if l >= 0 {
					dist[q*k+j] = int32(math.Round(float64(fd[j])))
				}
			}
		}
	})
	return nil
}

// RangeSearch is exact, over the stored codes (faiss's IndexBinaryHNSW has
// none; the graph cannot bound a radius search).
func (ix *IndexBinaryHNSW) RangeSearch(x []byte, radius int) ([]int64, []int32, []int64, error) {
	return ix.storage.RangeSearch(x, radius)
}

// Reconstruct copies code key into out.
func (ix *IndexBinaryHNSW) Reconstruct(key int64, out []byte) error {
	return ix.storage.Reconstruct(key, out)
}

// Reset removes every code and the graph.
func (ix *IndexBinaryHNSW) Reset() {
	ix.storage.Reset()
	ix.HNSW.reset()
}

// Name is the faiss class this type is read and written as.
func (ix *IndexBinaryHNSW) Name() string { return "IndexBinaryHNSW" }

// RestoreIndexBinaryHNSW rebuilds an IndexBinaryHNSW over the stored codes
// with a stored graph, checked as RestoreIndexHNSW checks it.
func RestoreIndexBinaryHNSW(storage *IndexBinaryFlat, g HNSWGraph) (*IndexBinaryHNSW, error) {
	const op = "IndexBinaryHNSW"
	m, err := graphM(op, g)
	if err != nil {
		return nil, err
	}
	ix, err := NewIndexBinaryHNSW(storage.D(), m)
	if err != nil {
		return nil, err
	}
	ix.storage = storage
	if err := ix.HNSW.restore(op, g, storage.Ntotal()); err != nil {
		return nil, err
	}
	return ix, nil
}
