package core

import "github.com/metalfaiss/metalfaiss/core/kernels"

// IndexBinaryFlat stores binary codes of D bits (D/8 bytes) and compares
// every query with all of them by Hamming distance (faiss's
// IndexBinaryFlat). Distances are int32, as in faiss.
type IndexBinaryFlat struct {
	d     int // bits
	codes []byte
}

var (
	_ BinaryIndex         = (*IndexBinaryFlat)(nil)
	_ BinaryRangeSearcher = (*IndexBinaryFlat)(nil)
	_ BinaryReconstructor = (*IndexBinaryFlat)(nil)
)

// D is the number of bits per code.
func (ix *IndexBinaryFlat) D() int { return ix.d }

// NewIndexBinaryFlat makes an empty index of d-bit codes (d a multiple of
// 8, as faiss requires).
func NewIndexBinaryFlat(d int) (*IndexBinaryFlat, error) {
	if err := checkBinaryD("IndexBinaryFlat", d); err != nil {
		return nil, err
	}
	return &IndexBinaryFlat{d: d}, nil
}

// CodeSize is the bytes of one code.
func (ix *IndexBinaryFlat) CodeSize() int { return ix.d / 8 }

// Ntotal is the number of codes stored.
func (ix *IndexBinaryFlat) Ntotal() int64 { return int64(len(ix.codes) / ix.CodeSize()) }

// Codes returns the stored codes, back to back.
func (ix *IndexBinaryFlat) Codes() []byte { return ix.codes }

func (ix *IndexBinaryFlat) checkCodes(op string, x []byte) (int, error) {
	return checkBinaryCodes(op, x, ix.CodeSize(), ix.d)
}

// Add appends codes (n * D/8 bytes).
func (ix *IndexBinaryFlat) Add(x []byte) error {
	if _, err := ix.checkCodes("IndexBinaryFlat.add", x); err != nil {
		return err
	}
	ix.codes = append(ix.codes, x...)
	return nil
}

// Reset removes every code.
func (ix *IndexBinaryFlat) Reset() { ix.codes = ix.codes[:0] }

// IsTrained is always true: a flat index learns nothing.
func (ix *IndexBinaryFlat) IsTrained() bool { return true }

// Train only checks the codes.
func (ix *IndexBinaryFlat) Train(x []byte) error {
	_, err := ix.checkCodes("IndexBinaryFlat.train", x)
	return err
}

// Search writes the k nearest codes of each query (Hamming distance, then
// id, as faiss orders them) into dist and labels; missing results are
// (INT32_MAX, -1), as in faiss.
func (ix *IndexBinaryFlat) Search(x []byte, k int, dist []int32, labels []int64) error {
	return ix.SearchSelected(x, k, dist, labels, nil)
}

// SearchSelected is Search among the codes whose ids sel picks (nil: all).
func (ix *IndexBinaryFlat) SearchSelected(x []byte, k int, dist []int32, labels []int64, sel IDSelector) error {
	const op = "IndexBinaryFlat.search"
	nq, err := ix.checkCodes(op, x)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	parallelChunks(nq, chunkFor(int(ix.Ntotal())*ix.CodeSize()), func(_, lo, hi int) {
		ix.searchQueries(x, lo, hi, k, dist, labels, sel)
	})
	return nil
}

// searchQueries is Search for queries lo..hi-1 on the calling goroutine.
// Queries go in groups, the codes in blocks that stay in cache while a
// group's queries are measured against them; each heap sees the codes in
// id order, so ties keep the lowest ids, as faiss's do. Codes that sel
// (when not nil) leaves out never enter a heap.
func (ix *IndexBinaryFlat) searchQueries(x []byte, lo, hi, k int, dist []int32, labels []int64, sel IDSelector) {
	cs, nb := ix.CodeSize(), int(ix.Ntotal())
	block := max(1, hammingBlockBytes/cs)
	buf := make([]int32, block)
	heaps := make([]*hammingHeap, min(hammingGroup, hi-lo))
	for i := range heaps {
		heaps[i] = newHammingHeap(k)
	}
	for g0 := lo; g0 < hi; g0 += hammingGroup {
		g1 := min(hi, g0+hammingGroup)
		for _, h := range heaps {
			h.reset()
		}
		for b0 := 0; b0 < nb; b0 += block {
			b1 := min(nb, b0+block)
			codes := ix.codes[b0*cs : b1*cs]
			for q := g0; q < g1; q++ {
				d := buf[:b1-b0]
				h := heaps[q-g0]
				least := kernels.HammingRowsMin(x[q*cs:(q+1)*cs], codes, cs, d)
				if sel != nil {
					least = dropUnselected(d, int64(b0), nil, sel)
				}
				if least < h.dis[0] {
					h.pushBlock(d, int64(b0))
				}
			}
		}
		for q := g0; q < g1; q++ {
			heaps[q-g0].emit(dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
	}
}

// The cache blocking of binary scans: codes are measured a block of
// hammingBlockBytes at a time against groups of hammingGroup queries.
const (
	hammingBlockBytes = 64 << 10
	hammingGroup      = 64
)

// RangeSearch returns, per query, every code at Hamming distance below
// radius, in id order (faiss's hamming_range_search).
func (ix *IndexBinaryFlat) RangeSearch(x []byte, radius int) (lims []int64, dist []int32, labels []int64, err error) {
	return ix.RangeSearchSelected(x, radius, nil)
}

// RangeSearchSelected is RangeSearch among the codes whose ids sel picks
// (nil: all).
func (ix *IndexBinaryFlat) RangeSearchSelected(x []byte, radius int, sel IDSelector) (lims []int64, dist []int32, labels []int64, err error) {
	nq, err := ix.checkCodes("IndexBinaryFlat.range_search", x)
	if err != nil {
		return nil, nil, nil, err
	}
	cs, nb := ix.CodeSize(), int(ix.Ntotal())
	return collectRanges(nq, func(q int, emit func(int32, int64)) {
		xq := x[q*cs : (q+1)*cs]
		for i := 0; i < nb; i++ {
			if sel != nil && !sel.IsMember(int64(i)) {
				continue
			}
			if d := kernels.Hamming(xq, ix.codes[i*cs:(i+1)*cs]); d < radius {
				emit(int32(d), int64(i))
			}
		}
	}, nb*cs)
}

// Reconstruct copies code key into out (D/8 bytes).
func (ix *IndexBinaryFlat) Reconstruct(key int64, out []byte) error {
	if key < 0 || key >= ix.Ntotal() {
		return Errorf(KindInvalidArgument, "IndexBinaryFlat.reconstruct", "key %d is outside 0..%d", key, ix.Ntotal()-1)
	}
	cs := ix.CodeSize()
	copy(out, ix.codes[int(key)*cs:int(key+1)*cs])
	return nil
}

// RemoveIDs removes the codes whose ids sel picks; later codes move down
// and take the freed ids, as in faiss's flat indexes.
func (ix *IndexBinaryFlat) RemoveIDs(sel IDSelector) int64 {
	var removed int64
	ix.codes, removed = removeRows(ix.codes, ix.CodeSize(), sel)
	return removed
}

// Name is the faiss class this type is read and written as.
func (ix *IndexBinaryFlat) Name() string { return "IndexBinaryFlat" }

// RestoreIndexBinaryFlat rebuilds a binary flat index over codes.
func RestoreIndexBinaryFlat(d int, codes []byte) (*IndexBinaryFlat, error) {
	ix, err := NewIndexBinaryFlat(d)
	if err != nil {
		return nil, err
	}
	if len(codes)%ix.CodeSize() != 0 {
		return nil, Errorf(KindInvalidArgument, "IndexBinaryFlat", "%d bytes are not whole codes of %d bytes", len(codes), ix.CodeSize())
	}
	ix.codes = codes
	return ix, nil
}
