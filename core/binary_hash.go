package core

import (
	"slices"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// IndexBinaryHash files each code in a bucket keyed by its first B bits
// and searches the buckets whose keys differ from the query's in at most
// Nflip bits (faiss's IndexBinaryHash). With Nflip = B it is exact.
type IndexBinaryHash struct {
	d, cs, b int
	// Nflip is the most key bits a searched bucket may differ by.
	Nflip   int
	buckets map[uint64]*HashBucket
	ntotal  int64
}

// HashBucket is one bucket of an IndexBinaryHash: the ids and codes filed
// under Hash, in the order added.
type HashBucket struct {
	Hash  uint64
	IDs   []int64
	Codes []byte
}

var (
	_ BinaryIndex         = (*IndexBinaryHash)(nil)
	_ BinaryRangeSearcher = (*IndexBinaryHash)(nil)
)

// BinaryHashStats are faiss's IndexBinaryHashStats: totals over every
// hash and multi-hash search since the last reset. N0 counts the empty
// buckets met (a multi-hash: the keys with no bucket), NList the buckets
// scanned and NDis the distances computed.
type BinaryHashStats struct {
	NQ, N0, NList, NDis int64
}

var binaryHashStats totals[BinaryHashStats]

// GetBinaryHashStats returns the totals so far.
func GetBinaryHashStats() BinaryHashStats { return binaryHashStats.get() }

// ResetBinaryHashStats sets the totals to zero.
func ResetBinaryHashStats() { binaryHashStats.reset() }

func (s BinaryHashStats) record() {
	binaryHashStats.add(func(t *BinaryHashStats) {
		t.NQ += s.NQ
		t.N0 += s.N0
		t.NList += s.NList
		t.NDis += s.NDis
	})
}

// checkHashBits validates nhash keys of b bits over codes of d bits.
func checkHashBits(op string, d, nhash, b int) error {
	if err := checkBinaryD(op, d); err != nil {
		return err
	}
	if nhash < 1 {
		return Errorf(KindInvalidArgument, op, "nhash must be positive, got %d", nhash)
	}
	if b < 0 || b > 64 || nhash*b > d {
		return Errorf(KindInvalidArgument, op, "b=%d key bits (x nhash=%d) must be in 0..64 and fit in d=%d bits", b, nhash, d)
	}
	return nil
}

// NewIndexBinaryHash makes an empty hash index of d-bit codes keyed by
// their first b bits.
func NewIndexBinaryHash(d, b int) (*IndexBinaryHash, error) {
	if err := checkHashBits("IndexBinaryHash", d, 1, b); err != nil {
		return nil, err
	}
	return &IndexBinaryHash{d: d, cs: d / 8, b: b, buckets: map[uint64]*HashBucket{}}, nil
}

func (ix *IndexBinaryHash) D() int          { return ix.d }
func (ix *IndexBinaryHash) CodeSize() int   { return ix.cs }
func (ix *IndexBinaryHash) Ntotal() int64   { return ix.ntotal }
func (ix *IndexBinaryHash) IsTrained() bool { return true }
func (ix *IndexBinaryHash) B() int          { return ix.b }

// Name is the faiss class this type is read and written as.
func (ix *IndexBinaryHash) Name() string { return "IndexBinaryHash" }

// Train checks the codes; a hash index learns nothing.
func (ix *IndexBinaryHash) Train(x []byte) error {
	_, err := checkBinaryCodes("IndexBinaryHash.train", x, ix.cs, ix.d)
	return err
}

// Reset removes every code.
func (ix *IndexBinaryHash) Reset() {
	ix.buckets = map[uint64]*HashBucket{}
	ix.ntotal = 0
}

// Add files codes numbered from ntotal.
func (ix *IndexBinaryHash) Add(x []byte) error {
	ids := make([]int64, len(x)/max(1, ix.cs))
	for i := range ids {
		ids[i] = ix.ntotal + int64(i)
	}
	return ix.AddWithIDs(x, ids)
}

// AddWithIDs files each code under its id.
func (ix *IndexBinaryHash) AddWithIDs(x []byte, ids []int64) error {
	const op = "IndexBinaryHash.add"
	n, err := checkBinaryCodes(op, x, ix.cs, ix.d)
	if err != nil {
		return err
	}
	if len(ids) != n {
		return Errorf(KindDimensionMismatch, op, "%d ids for %d codes", len(ids), n)
	}
	for i, id := range ids {
		code := x[i*ix.cs : (i+1)*ix.cs]
		key := GetBits(code, 0, ix.b)
		bk := ix.buckets[key]
		if bk == nil {
			bk = &HashBucket{Hash: key}
			ix.buckets[key] = bk
		}
		bk.IDs = append(bk.IDs, id)
		bk.Codes = append(bk.Codes, code...)
	}
	ix.ntotal += int64(n)
	return nil
}

// HashtableSize is the number of buckets (faiss's hashtable_size).
func (ix *IndexBinaryHash) HashtableSize() int { return len(ix.buckets) }

// Buckets returns the buckets in increasing key order (shared, not
// copied).
func (ix *IndexBinaryHash) Buckets() []*HashBucket {
	out := make([]*HashBucket, 0, len(ix.buckets))
	for _, bk := range ix.buckets {
		out = append(out, bk)
	}
	slices.SortFunc(out, func(a, b *HashBucket) int { return cmpUint64(a.Hash, b.Hash) })
	return out
}

func cmpUint64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// RestoreIndexBinaryHash rebuilds a hash index from its buckets.
func RestoreIndexBinaryHash(d, b, nflip int, buckets []*HashBucket) (*IndexBinaryHash, error) {
	const op = "IndexBinaryHash"
	ix, err := NewIndexBinaryHash(d, b)
	if err != nil {
		return nil, err
	}
	ix.Nflip = nflip
	for _, bk := range buckets {
		if len(bk.Codes) != len(bk.IDs)*ix.cs {
			return nil, Errorf(KindInvalidArgument, op, "bucket %d holds %d code bytes for %d ids", bk.Hash, len(bk.Codes), len(bk.IDs))
		}
		if bk.Hash != bk.Hash&lowMask(b) || ix.buckets[bk.Hash] != nil {
			return nil, Errorf(KindInvalidArgument, op, "bucket key %d is repeated or wider than b=%d bits", bk.Hash, b)
		}
		for i := range bk.IDs {
			if GetBits(bk.Codes[i*ix.cs:], 0, b) != bk.Hash {
				return nil, Errorf(KindInvalidArgument, op, "a code in bucket %d has another key", bk.Hash)
			}
		}
		ix.buckets[bk.Hash] = bk
		ix.ntotal += int64(len(bk.IDs))
	}
	return ix, nil
}

// scan measures q against every code in the buckets within Nflip key bits
// of q's, bucket by bucket in faiss's order, and hands each to visit.
func (ix *IndexBinaryHash) scan(q []byte, buf *[]int32, st *BinaryHashStats, visit func(d int32, id int64)) {
	key := GetBits(q, 0, ix.b)
	var visited int
	forEachFlip(ix.b, ix.Nflip, func(mask uint64) bool {
		if visited++; visited%4096 == 0 && interrupted() {
			return false // many flips of many bits: Ctrl-C stops the walk
		}
		bk := ix.buckets[key^mask]
		if bk == nil {
			return true
		}
		if len(bk.IDs) == 0 {
			st.N0++
			return true
		}
		d := growInt32s(buf, len(bk.IDs))
		kernels.HammingRows(q, bk.Codes, ix.cs, d)
		for i, v := range d {
			visit(v, bk.IDs[i])
		}
		st.NList++
		st.NDis += int64(len(d))
		return true
	})
}

// growInt32s returns (*buf)[:n], growing the buffer when it is short.
func growInt32s(buf *[]int32, n int) []int32 {
	if cap(*buf) < n {
		*buf = make([]int32, n)
	}
	return (*buf)[:n]
}

// Search writes the k nearest codes found in the searched buckets of each
// query into dist and labels (padded with INT32_MAX, -1).
func (ix *IndexBinaryHash) Search(x []byte, k int, dist []int32, labels []int64) error {
	return hashKNN("IndexBinaryHash.search", x, ix.cs, ix.d, k, dist, labels, ix.scan)
}

// RangeSearch returns the codes of the searched buckets at Hamming distance
// below radius, bucket by bucket.
func (ix *IndexBinaryHash) RangeSearch(x []byte, radius int) ([]int64, []int32, []int64, error) {
	return hashRange("IndexBinaryHash.range_search", x, ix.cs, ix.d, radius, int(ix.ntotal)*ix.cs, ix.scan)
}

// hashScan is the per-query scan of a hash or multi-hash index.
type hashScan func(q []byte, buf *[]int32, st *BinaryHashStats, visit func(d int32, id int64))

// hashKNN runs a k-NN search over scan's candidates, queries in parallel.
func hashKNN(op string, x []byte, cs, d, k int, dist []int32, labels []int64, scan hashScan) error {
	nq, err := checkBinaryCodes(op, x, cs, d)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	parallelChunks(nq, 1, func(_, lo, hi int) {
		var st BinaryHashStats
		var buf []int32
		h := newHammingHeap(k)
		for q := lo; q < hi; q++ {
			h.reset()
			scan(x[q*cs:(q+1)*cs], &buf, &st, h.push)
			h.emit(dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
		st.NQ = int64(hi - lo)
		st.record()
	})
	return checkInterrupt(op)
}

// hashRange runs a range search over scan's candidates.
func hashRange(op string, x []byte, cs, d, radius, work int, scan hashScan) ([]int64, []int32, []int64, error) {
	nq, err := checkBinaryCodes(op, x, cs, d)
	if err != nil {
		return nil, nil, nil, err
	}
	r := int32(max(min(radius, 1<<31-1), -1<<31))
	lims, dist, labels, err := collectRanges(nq, func(q int, emit func(int32, int64)) {
		var st BinaryHashStats
		var buf []int32
		scan(x[q*cs:(q+1)*cs], &buf, &st, func(dd int32, id int64) {
			if dd < r {
				emit(dd, id)
			}
		})
		st.NQ = 1
		st.record()
	}, work)
	if err == nil {
		err = checkInterrupt(op)
	}
	return lims, dist, labels, err
}
