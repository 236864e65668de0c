package core

import (
	"slices"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// IndexBinaryMultiHash keeps the codes in a flat storage and files their
// numbers in nhash maps, map h keyed by bits h*B .. h*B+B-1 of the code; a
// search measures the codes filed within Nflip key bits of the query's in
// any map (faiss's IndexBinaryMultiHash). Each candidate is measured once,
// in id order, so equal distances keep the lowest ids.
type IndexBinaryMultiHash struct {
	storage *IndexBinaryFlat
	b       int
	// Nflip is the most key bits a searched bucket may differ by.
	Nflip int
	maps  []map[uint64][]int64
}

var (
	_ BinaryIndex         = (*IndexBinaryMultiHash)(nil)
	_ BinaryRangeSearcher = (*IndexBinaryMultiHash)(nil)
)

// NewIndexBinaryMultiHash makes an empty multi-hash index of d-bit codes
// with nhash maps keyed by b bits each (nhash*b <= d).
func NewIndexBinaryMultiHash(d, nhash, b int) (*IndexBinaryMultiHash, error) {
	if err := checkHashBits("IndexBinaryMultiHash", d, nhash, b); err != nil {
		return nil, err
	}
	storage, _ := NewIndexBinaryFlat(d)
	ix := &IndexBinaryMultiHash{storage: storage, b: b, maps: make([]map[uint64][]int64, nhash)}
	ix.Reset()
	return ix, nil
}

func (ix *IndexBinaryMultiHash) D() int                    { return ix.storage.D() }
func (ix *IndexBinaryMultiHash) CodeSize() int             { return ix.storage.CodeSize() }
func (ix *IndexBinaryMultiHash) Ntotal() int64             { return ix.storage.Ntotal() }
func (ix *IndexBinaryMultiHash) IsTrained() bool           { return true }
func (ix *IndexBinaryMultiHash) B() int                    { return ix.b }
func (ix *IndexBinaryMultiHash) Nhash() int                { return len(ix.maps) }
func (ix *IndexBinaryMultiHash) Storage() *IndexBinaryFlat { return ix.storage }

// Name is the faiss class this type is read and written as.
func (ix *IndexBinaryMultiHash) Name() string { return "IndexBinaryMultiHash" }

// Train checks the codes; a hash index learns nothing.
func (ix *IndexBinaryMultiHash) Train(x []byte) error {
	_, err := checkBinaryCodes("IndexBinaryMultiHash.train", x, ix.CodeSize(), ix.D())
	return err
}

// Reset removes every code.
func (ix *IndexBinaryMultiHash) Reset() {
	ix.storage.Reset()
	for h := range ix.maps {
		ix.maps[h] = map[uint64][]int64{}
	}
}

// Add stores codes numbered from ntotal and files them in every map.
func (ix *IndexBinaryMultiHash) Add(x []byte) error {
	cs := ix.CodeSize()
	n, err := checkBinaryCodes("IndexBinaryMultiHash.add", x, cs, ix.D())
	if err != nil {
		return err
	}
	n0 := ix.Ntotal()
	if err := ix.storage.Add(x); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		code := x[i*cs : (i+1)*cs]
		for h, m := range ix.maps {
			key := GetBits(code, h*ix.b, ix.b)
			m[key] = append(m[key], n0+int64(i))
		}
	}
	return nil
}

// HashtableSize is the number of buckets over all maps (faiss's
// hashtable_size).
func (ix *IndexBinaryMultiHash) HashtableSize() int {
	n := 0
	for _, m := range ix.maps {
		n += len(m)
	}
	return n
}

// Map returns map h's buckets in increasing key order (ids shared, not
// copied).
func (ix *IndexBinaryMultiHash) Map(h int) []HashBucket {
	out := make([]HashBucket, 0, len(ix.maps[h]))
	for key, ids := range ix.maps[h] {
		out = append(out, HashBucket{Hash: key, IDs: ids})
	}
	slices.SortFunc(out, func(a, b HashBucket) int { return cmpUint64(a.Hash, b.Hash) })
	return out
}

// RestoreIndexBinaryMultiHash rebuilds a multi-hash index over storage
// from its maps' buckets (bucket codes unused), checking that every map
// files each stored code once, under the code's key.
func RestoreIndexBinaryMultiHash(storage *IndexBinaryFlat, b, nflip int, maps [][]HashBucket) (*IndexBinaryMultiHash, error) {
	const op = "IndexBinaryMultiHash"
	if err := checkHashBits(op, storage.D(), len(maps), b); err != nil {
		return nil, err
	}
	ix := &IndexBinaryMultiHash{storage: storage, b: b, Nflip: nflip, maps: make([]map[uint64][]int64, len(maps))}
	n, cs, codes := ix.Ntotal(), ix.CodeSize(), storage.Codes()
	for h, buckets := range maps {
		m := map[uint64][]int64{}
		seen := make([]bool, n)
		for _, bk := range buckets {
			if _, dup := m[bk.Hash]; dup {
				return nil, Errorf(KindInvalidArgument, op, "map %d repeats key %d", h, bk.Hash)
			}
			for _, id := range bk.IDs {
				if id < 0 || id >= n || seen[id] || GetBits(codes[id*int64(cs):], h*b, b) != bk.Hash {
					return nil, Errorf(KindInvalidArgument, op, "map %d files code %d (of %d) twice or under key %d, not its own", h, id, n, bk.Hash)
				}
				seen[id] = true
			}
			m[bk.Hash] = bk.IDs
		}
		if slices.Contains(seen, false) {
			return nil, Errorf(KindInvalidArgument, op, "map %d leaves stored codes out", h)
		}
		ix.maps[h] = m
	}
	return ix, nil
}

// scan gathers the ids filed near q's keys in every map, then measures
// them in id order.
func (ix *IndexBinaryMultiHash) scan(q []byte, buf *[]int32, st *BinaryHashStats, visit func(d int32, id int64)) {
	var cand []int64
	var visited int
	for h, m := range ix.maps {
		key := GetBits(q, h*ix.b, ix.b)
		forEachFlip(ix.b, ix.Nflip, func(mask uint64) bool {
			if visited++; visited%4096 == 0 && interrupted() {
				return false // Ctrl-C stops a walk over many flips
			}
			ids, ok := m[key^mask]
			if !ok {
				st.N0++
				return true
			}
			cand = append(cand, ids...)
			st.NList++
			return true
		})
	}
	slices.Sort(cand)
	cand = slices.Compact(cand)
	st.NDis += int64(len(cand))
	cs, codes, n := ix.CodeSize(), ix.storage.Codes(), ix.Ntotal()
	for _, id := range cand {
		if id >= n { // the storage was emptied behind the maps' back
			break
		}
		visit(int32(kernels.Hamming(q, codes[id*int64(cs):(id+1)*int64(cs)])), id)
	}
}

// Search writes the k nearest candidates of each query into dist and
// labels (padded with INT32_MAX, -1).
func (ix *IndexBinaryMultiHash) Search(x []byte, k int, dist []int32, labels []int64) error {
	return hashKNN("IndexBinaryMultiHash.search", x, ix.CodeSize(), ix.D(), k, dist, labels, ix.scan)
}

// RangeSearch returns the candidates at Hamming distance below radius, in
// id order.
func (ix *IndexBinaryMultiHash) RangeSearch(x []byte, radius int) ([]int64, []int32, []int64, error) {
	return hashRange("IndexBinaryMultiHash.range_search", x, ix.CodeSize(), ix.D(), radius,
		int(ix.Ntotal())*ix.CodeSize(), ix.scan)
}
