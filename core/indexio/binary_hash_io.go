package indexio

import (
	"math/bits"

	"github.com/metalfaiss/metalfaiss/core"
)

// Hash indexes in faiss's format. IndexBinaryHash ("IBHh"): header, b,
// nflip, the bucket count, the bits of a bucket size, a bit string of
// (key, size) pairs, then each bucket's ids and codes as vectors.
// IndexBinaryMultiHash ("IBHm"): header, the flat storage, b, nhash,
// nflip, then per map: the bits of an id, the bucket count and a bit
// string of (key, size, ids...) entries. Buckets are written in key order
// (faiss writes its hash table's order; either reads back the same).

const (
	codeBinaryHash      = "IBHh"
	codeBinaryMultiHash = "IBHm"
)

func writeBinaryHash(w *writer, x *core.IndexBinaryHash) {
	w.fourcc(codeBinaryHash)
	writeBinaryHeader(w, x)
	w.i32(int32(x.B()))
	w.i32(int32(x.Nflip))
	buckets := x.Buckets()
	maxSize := 0
	for _, bk := range buckets {
		maxSize = max(maxSize, len(bk.IDs))
	}
	sizeBits := bits.Len(uint(maxSize)) // faiss's il_nbit: maxSize < 1<<sizeBits
	buf := make([]byte, ((x.B()+sizeBits)*len(buckets)+7)/8)
	off := 0
	for _, bk := range buckets {
		core.PutBits(buf, off, x.B(), bk.Hash)
		core.PutBits(buf, off+x.B(), sizeBits, uint64(len(bk.IDs)))
		off += x.B() + sizeBits
	}
	w.u64(uint64(len(buckets)))
	w.i32(int32(sizeBits))
	w.bytes(buf)
	for _, bk := range buckets {
		w.int64Vec(bk.IDs)
		w.bytes(bk.Codes)
	}
}

// readHashBits reads b (a key width) and checks it fits codes of d bits.
func readHashBits(r *reader, d int) int {
	at := r.off
	b := r.i32("b")
	if r.err == nil && (b < 0 || int(b) > min(64, d)) {
		r.off = at
		r.fail("b must be 0..%d for codes of d=%d bits, the file says %d", min(64, d), d, b)
	}
	return int(b)
}

// readWidth reads a bit width of sizes or ids (0..64).
func readWidth(r *reader, what string) int {
	at := r.off
	v := r.i32(what)
	if r.err == nil && (v < 0 || v > 64) {
		r.off = at
		r.fail("%s must be 0..64, the file says %d", what, v)
	}
	return int(v)
}

// bitString reads a vector of bytes that must hold nbits bits.
func bitString(r *reader, nbits uint64, what string) []byte {
	buf := r.bytes(r.count(1, what), what)
	if r.err == nil && uint64(len(buf)) < (nbits+7)/8 {
		r.fail("%s holds %d bytes, %d bits are needed", what, len(buf), nbits)
	}
	return buf
}

func readBinaryHash(r *reader) core.BinaryIndex {
	h := readBinaryHeader(r)
	b := readHashBits(r, h.d)
	nflip := int(r.i32("nflip"))
	nb := r.count(16, "the buckets") // each bucket holds two vector lengths at least
	sizeBits := readWidth(r, "the bits of a bucket size")
	if r.err == nil && nb > 0 && sizeBits == 0 {
		r.fail("%d buckets with sizes of 0 bits", nb)
	}
	buf := bitString(r, uint64(b+sizeBits)*nb, "the bucket keys")
	if r.err != nil {
		return nil
	}
	buckets := make([]*core.HashBucket, nb)
	cs := h.d / 8
	for i := range buckets {
		off := i * (b + sizeBits)
		bk := &core.HashBucket{Hash: core.GetBits(buf, off, b)}
		size := core.GetBits(buf, off+b, sizeBits)
		bk.IDs = r.int64s(r.count(8, "a bucket's ids"), "a bucket's ids")
		bk.Codes = r.bytes(r.count(1, "a bucket's codes"), "a bucket's codes")
		if r.err == nil && (uint64(len(bk.IDs)) != size || len(bk.Codes) != len(bk.IDs)*cs) {
			r.fail("bucket %d says %d entries and holds %d ids and %d code bytes", i, size, len(bk.IDs), len(bk.Codes))
		}
		if r.err != nil {
			return nil
		}
		buckets[i] = bk
	}
	ix, err := core.RestoreIndexBinaryHash(h.d, b, nflip, buckets)
	if err == nil && ix.Ntotal() != h.ntotal {
		r.fail("the buckets hold %d codes, the header says ntotal=%d", ix.Ntotal(), h.ntotal)
		return nil
	}
	return restoredBinary(r, ix, err)
}

// multiHashIDBits is the bits of an id and of a bucket size in a map of
// ntotal codes whose largest bucket holds maxSize: faiss's width (ids <
// ntotal), one more when a bucket of every code would not fit.
func multiHashIDBits(ntotal int64, maxSize int) int {
	return bits.Len64(uint64(max(ntotal-1, int64(maxSize), 0)))
}

func writeBinaryMultiHash(w *writer, x *core.IndexBinaryMultiHash) error {
	w.fourcc(codeBinaryMultiHash)
	writeBinaryHeader(w, x)
	if err := writeBinary(w, x.Storage()); err != nil {
		return err
	}
	b := x.B()
	w.i32(int32(b))
	w.i32(int32(x.Nhash()))
	w.i32(int32(x.Nflip))
	n := x.Ntotal()
	for h := 0; h < x.Nhash(); h++ {
		buckets := x.Map(h)
		maxSize := 0
		for _, bk := range buckets {
			maxSize = max(maxSize, len(bk.IDs))
		}
		idBits := multiHashIDBits(n, maxSize)
		buf := make([]byte, ((b+idBits)*len(buckets)+int(n)*idBits+7)/8)
		off := 0
		for _, bk := range buckets {
			core.PutBits(buf, off, b, bk.Hash)
			core.PutBits(buf, off+b, idBits, uint64(len(bk.IDs)))
			off += b + idBits
			for _, id := range bk.IDs {
				core.PutBits(buf, off, idBits, uint64(id))
				off += idBits
			}
		}
		w.i32(int32(idBits))
		w.u64(uint64(len(buckets)))
		w.bytes(buf)
	}
	return nil
}

func readBinaryMultiHash(r *reader, depth int) core.BinaryIndex {
	h := readBinaryHeader(r)
	storage, _ := readBinary(r, depth+1).(*core.IndexBinaryFlat)
	if r.err == nil && (storage == nil || storage.D() != h.d || storage.Ntotal() != h.ntotal) {
		r.fail("the multi-hash header (d=%d, ntotal=%d) needs a flat binary storage of the same size", h.d, h.ntotal)
	}
	b := readHashBits(r, h.d)
	at := r.off
	nhash := r.i32("nhash")
	if r.err == nil && (nhash < 1 || int(nhash)*b > h.d) {
		r.off = at
		r.fail("nhash=%d maps of b=%d bits do not fit codes of d=%d bits", nhash, b, h.d)
	}
	nflip := int(r.i32("nflip"))
	if r.err != nil {
		return nil
	}
	n := uint64(h.ntotal)
	maps := make([][]core.HashBucket, nhash)
	for m := range maps {
		idBits := readWidth(r, "the bits of an id")
		nb := r.size("the map's bucket count", 0, n)
		buf := r.bytes(r.count(1, "the map's entries"), "the map's entries")
		need := uint64(b+idBits)*uint64(nb) + n*uint64(idBits)
		if r.err == nil && uint64(len(buf)) != (need+7)/8 {
			r.fail("map %d holds %d bytes of entries, %d buckets of %d codes need %d", m, len(buf), nb, n, (need+7)/8)
		}
		if r.err != nil {
			return nil
		}
		off, left := 0, n
		for range nb {
			bk := core.HashBucket{Hash: core.GetBits(buf, off, b)}
			size := core.GetBits(buf, off+b, idBits)
			off += b + idBits
			if size > left {
				r.fail("map %d files more than its %d codes", m, n)
				return nil
			}
			left -= size
			bk.IDs = make([]int64, size)
			for j := range bk.IDs {
				bk.IDs[j] = int64(core.GetBits(buf, off, idBits))
				off += idBits
			}
			maps[m] = append(maps[m], bk)
		}
	}
	ix, err := core.RestoreIndexBinaryMultiHash(storage, b, nflip, maps)
	return restoredBinary(r, ix, err)
}
