package indexio

import "github.com/metalfaiss/metalfaiss/core"

// IndexIVFPQFastScan: the IVF header, by_residual, code_size, bbs, M2,
// implem, qbs2, the product quantizer, then the lists packed as faiss's
// BlockInvertedLists ("ilbl": per list its ids and whole blocks of codes).

// invalidCodeSize is faiss's InvertedLists::INVALID_CODE_SIZE.
const invalidCodeSize = ^uint64(0)

func writeIVFFastScanFields(w *writer, ix *core.IndexIVF, byResidual uint8) {
	fs, pq := ix.FastScan(), ix.PQ()
	w.u8(byResidual)
	w.u64(uint64(fs.M2() / 2))
	w.i32(int32(fs.Bbs))
	w.u64(uint64(fs.M2()))
	w.i32(int32(fs.Implem))
	w.u64(uint64(fs.Qbs2))
	writePQFields(w, pq)
}

// writeBlockLists writes the lists as faiss's BlockInvertedLists, blocks
// of blockSize bytes (ix.PackedList's).
func writeBlockLists(w *writer, ix *core.IndexIVF, blockSize int) {
	fs := ix.FastScan()
	w.fourcc(codeBlockLists)
	w.u64(uint64(ix.Nlist()))
	w.u64(invalidCodeSize) // block lists have no per-entry size
	w.u64(uint64(fs.Bbs))
	w.u64(uint64(blockSize))
	for l := 0; l < ix.Nlist(); l++ {
		ids, _, _ := ix.IVFList(l)
		w.u64(uint64(len(ids)))
		w.int64s(ids)
		packed := ix.PackedList(l)
		w.u64(uint64(len(packed)))
		w.b = append(w.b, packed...)
	}
}

func readIVFFastScan(r *reader, h header, quantizer core.Index, nlist, nprobe, dmType int) core.Index {
	byResidual := r.u8("by_residual") != 0
	r.size("code_size", 1, maxD)
	bbs := r.i32("bbs")
	m2 := r.size("M2", 2, maxD+1)
	implem := r.i32("implem")
	qbs2 := r.size("qbs2", 0, 1<<30)
	f := readPQFields(r)
	if r.err != nil {
		return nil
	}
	ix, err := core.NewIndexIVFPQFastScan(quantizer, h.d, nlist, f.m, f.nbits, h.metric, int(bbs))
	if err == nil && h.trained {
		err = ix.PQ().RestorePQ(f.centroids)
	}
	if err == nil && m2 != ix.FastScan().M2() {
		err = core.Errorf(core.KindInvalidArgument, "IndexIVFPQFastScan", "M2=%d, expected %d for M=%d", m2, ix.FastScan().M2(), f.m)
	}
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	fs := ix.FastScan()
	fs.Implem, fs.Qbs2 = int(implem), qbs2
	ids, codes := readBlockLists(r, nlist, int(bbs), int(bbs)*m2/2, func(packed []byte, n int) ([]byte, error) {
		return fs.UnpackList(packed, n, f.m), nil
	})
	if r.err != nil || !listsHold(r, ids, h.ntotal) {
		return nil
	}
	if err := ix.RestoreIVF(nprobe, byResidual, ids, nil, codes, dmType); err != nil {
		r.fail("%v", err)
		return nil
	}
	return ix
}

// readBlockLists reads faiss's BlockInvertedLists of nlist lists in blocks
// of bbs vectors, blockSize bytes each; unpack turns a list's whole blocks
// into its n standard codes.
func readBlockLists(r *reader, nlist, bbs, blockSize int, unpack func(blocks []byte, n int) ([]byte, error)) ([][]int64, [][]byte) {
	if c := r.fourcc(); r.err == nil && c != codeBlockLists {
		r.fail("expected block inverted lists (%q), found %q", codeBlockLists, c)
		return nil, nil
	}
	r.size("the lists' nlist", uint64(nlist), uint64(nlist))
	at := r.off
	// faiss writes none; older files give a block's bytes per vector
	if cs := r.u64("the lists' code_size"); r.err == nil && cs != invalidCodeSize && cs != uint64(blockSize/bbs) {
		r.off = at
		r.fail("the lists' code_size is %d, expected none or %d", cs, blockSize/bbs)
	}
	r.size("n_per_block", uint64(bbs), uint64(bbs))
	r.size("block_size", uint64(blockSize), uint64(blockSize))
	ids, codes := make([][]int64, nlist), make([][]byte, nlist)
	for l := 0; l < nlist && r.err == nil; l++ {
		ids[l] = r.int64s(r.count(8, "a list's ids"), "a list's ids")
		n := len(ids[l])
		packed := r.bytes(r.count(1, "a list's codes"), "a list's codes")
		if r.err == nil && len(packed) != (n+bbs-1)/bbs*blockSize {
			r.fail("list %d: %d code bytes for %d vectors in blocks of %d (%d bytes each)", l, len(packed), n, bbs, blockSize)
		}
		if r.err == nil {
			var err error
			if codes[l], err = unpack(packed, n); err != nil {
				r.fail("list %d: %v", l, err)
			}
		}
	}
	return ids, codes
}
