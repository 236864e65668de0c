package core

import (
	"encoding/binary"
	"math"
	"math/bits"
)

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

// hamming is the number of differing bits of two codes of equal length.
func hamming(a, b []byte) int {
	n := 0
	i := 0
	for ; i+8 <= len(a); i += 8 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:]))
	}
	for ; i < len(a); i++ {
		n += bits.OnesCount8(a[i] ^ b[i])
	}
	return n
}

// Search writes the k nearest codes of each query (Hamming distance, then
// id, as faiss orders them) into dist and labels; missing results are
// (INT32_MAX, -1), as in faiss.
func (ix *IndexBinaryFlat) Search(x []byte, k int, dist []int32, labels []int64) error {
	const op = "IndexBinaryFlat.search"
	nq, err := ix.checkCodes(op, x)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	cs, nb := ix.CodeSize(), int(ix.Ntotal())
	parallelChunks(nq, chunkFor(nb*cs), func(_, lo, hi int) {
		h := newTopK(k)
		out := make([]float32, k)
		for q := lo; q < hi; q++ {
			h.reset()
			xq := x[q*cs : (q+1)*cs]
			for i := 0; i < nb; i++ {
				h.push(float32(hamming(xq, ix.codes[i*cs:(i+1)*cs])), int64(i))
			}
			h.emit(1, out, labels[q*k:(q+1)*k])
			for j, l := range labels[q*k : (q+1)*k] {
				dist[q*k+j] = math.MaxInt32
				if l >= 0 {
					dist[q*k+j] = int32(out[j])
				}
			}
		}
	})
	return nil
}

// RangeSearch returns, per query, every code at Hamming distance below
// radius, in id order (faiss's hamming_range_search).
func (ix *IndexBinaryFlat) RangeSearch(x []byte, radius int) (lims []int64, dist []int32, labels []int64, err error) {
	nq, err := ix.checkCodes("IndexBinaryFlat.range_search", x)
	if err != nil {
		return nil, nil, nil, err
	}
	cs, nb := ix.CodeSize(), int(ix.Ntotal())
	return collectRanges(nq, func(q int, emit func(int32, int64)) {
		xq := x[q*cs : (q+1)*cs]
		for i := 0; i < nb; i++ {
			if d := hamming(xq, ix.codes[i*cs:(i+1)*cs]); d < radius {
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
