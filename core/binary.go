package core

import (
	"math"
	"unsafe"
)

// BinaryIndex is what every binary index offers (faiss's IndexBinary):
// codes of D bits, D/8 bytes each, compared by Hamming distance; distances
// are int32.
type BinaryIndex interface {
	D() int
	CodeSize() int
	Ntotal() int64
	IsTrained() bool
	Train(x []byte) error
	Add(x []byte) error
	// Search writes the k nearest codes of each query into dist and labels,
	// best first, padded with (INT32_MAX, -1).
	Search(x []byte, k int, dist []int32, labels []int64) error
	Reset()
}

// BinaryRangeSearcher finds every code within a Hamming radius (distance <
// radius, as faiss counts it).
type BinaryRangeSearcher interface {
	RangeSearch(x []byte, radius int) (lims []int64, dist []int32, labels []int64, err error)
}

// BinaryReconstructor returns stored codes.
type BinaryReconstructor interface {
	Reconstruct(key int64, out []byte) error
}

// checkBinaryCodes returns the number of codes of cs bytes in x.
func checkBinaryCodes(op string, x []byte, cs, d int) (int, error) {
	if len(x)%cs != 0 {
		return 0, Errorf(KindDimensionMismatch, op, "%d bytes are not whole codes of %d bytes (d=%d bits)", len(x), cs, d)
	}
	return len(x) / cs, nil
}

// checkBinaryD validates a binary dimension (a positive multiple of 8).
func checkBinaryD(op string, d int) error {
	if d <= 0 || d%8 != 0 {
		return Errorf(KindInvalidArgument, op, "d must be a positive multiple of 8 bits, got %d", d)
	}
	return nil
}

// binaryToReal writes each bit of the n codes of d bits as -1 or +1
// (faiss's binary_to_real: bit j of byte j/8, low bit first).
func binaryToReal(codes []byte, d int) []float32 {
	out := make([]float32, len(codes)*8)
	for i, b := range codes {
		copy(out[i*8:i*8+8], bitSigns[b][:])
	}
	return out[:len(codes)/(d/8)*d]
}

// bitSigns[b] is byte b widened to eight -1/+1 values, low bit first.
var bitSigns = func() (t [256][8]float32) {
	for b := range t {
		for j := range t[b] {
			t[b][j] = -1
			if b>>j&1 != 0 {
				t[b][j] = 1
			}
		}
	}
	return t
}()

// realToBinary packs each value as a bit: 1 where it is positive (faiss's
// real_to_binary).
func realToBinary(x []float32) []byte {
	out := make([]byte, (len(x)+7)/8)
	for i, v := range x {
		if v > 0 {
			out[i>>3] |= 1 << (i & 7)
		}
	}
	return out
}

// hammingHeap is faiss's CMax<int32, int64> heap of the k best pairs: a
// pair enters only below the worst kept distance, and pairs order by
// (distance, id) inside, so ties resolve as faiss resolves them.
type hammingHeap struct {
	dis []int32
	ids []int64
}

func newHammingHeap(k int) *hammingHeap {
	h := &hammingHeap{dis: make([]int32, k), ids: make([]int64, k)}
	h.reset()
	return h
}

func (h *hammingHeap) reset() {
	for i := range h.dis {
		h.dis[i], h.ids[i] = math.MaxInt32, -1
	}
}

// hammingAbove: (a, ia) sorts after (b, ib) (faiss's CMax::cmp2).
func hammingAbove(a int32, ia int64, b int32, ib int64) bool { return a > b || a == b && ia > ib }

// push offers (d, id); it enters only if d is below the worst kept.
func (h *hammingHeap) push(d int32, id int64) {
	if d < h.dis[0] {
		h.siftDown(len(h.dis), d, id)
	}
}

// pushBlock offers the distances of a block of codes numbered from id0.
func (h *hammingHeap) pushBlock(d []int32, id0 int64) {
	n := len(h.dis)
	top := h.dis[0]
	for j, v := range d {
		if v < top {
			h.siftDown(n, v, id0+int64(j))
			top = h.dis[0]
		}
	}
}

// pushIDs offers distances with their ids.
func (h *hammingHeap) pushIDs(d []int32, ids []int64) {
	n := len(h.dis)
	top := h.dis[0]
	for j, v := range d {
		if v < top {
			h.siftDown(n, v, ids[j])
			top = h.dis[0]
		}
	}
}

// siftDown puts (d, id) at the root of the first n slots and moves it down
// to its place.
func (h *hammingHeap) siftDown(n int, d int32, id int64) {
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && hammingAbove(h.dis[r], h.ids[r], h.dis[l], h.ids[l]) {
			c = r
		}
		if !hammingAbove(h.dis[c], h.ids[c], d, id) {
			break
		}
		h.dis[i], h.ids[i] = h.dis[c], h.ids[c]
		i = c
	}
	h.dis[i], h.ids[i] = d, id
}

// emit writes the kept pairs best first (faiss's heap_reorder), unfilled
// slots last as (INT32_MAX, -1); reset the heap before reusing it.
func (h *hammingHeap) emit(dist []int32, labels []int64) {
	// A heap sort: pop the worst to the end each time.
	for n := len(h.dis); n > 0; n-- {
		last := n - 1
		dist[last], labels[last] = h.dis[0], h.ids[0]
		if last > 0 {
			h.siftDown(last, h.dis[last], h.ids[last])
		}
	}
}

// bytesOf views float32 storage as bytes (queries padded for the HNSW
// machinery, which hands queries around as float32 rows).
func bytesOf(x []float32) []byte {
	if len(x) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&x[0])), len(x)*4)
}

// paddedCodes copies n codes of cs bytes into float32 rows of (cs+3)/4
// floats each, and returns them with the row width.
func paddedCodes(x []byte, cs int) ([]float32, int) {
	w := (cs + 3) / 4
	n := len(x) / cs
	out := make([]float32, n*w)
	b := bytesOf(out)
	for i := 0; i < n; i++ {
		copy(b[i*w*4:], x[i*cs:(i+1)*cs])
	}
	return out, w
}

// dropUnselected sets the distance of every code that sel leaves out to
// INT32_MAX, which no heap admits, and returns the least distance left.
// Code j's id is ids[j], or id0+j when ids is nil.
func dropUnselected(d []int32, id0 int64, ids []int64, sel IDSelector) int32 {
	least := int32(math.MaxInt32)
	for j, v := range d {
		id := id0 + int64(j)
		if ids != nil {
			id = ids[j]
		}
		if !sel.IsMember(id) {
			d[j] = math.MaxInt32
		} else if v < least {
			least = v
		}
	}
	return least
}
