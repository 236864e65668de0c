package indexio

import "github.com/metalfaiss/metalfaiss/core"

// The fast-scan indexes: the packed blocks are written as faiss holds
// them (ntotal2 * M2 / 2 bytes).

const codePQFastScan = "IPfs"

func writePQFastScan(w *writer, ix *core.IndexPQFastScan) {
	w.fourcc(codePQFastScan)
	writeHeader(w, ix)
	writePQFields(w, ix.PQ)
	w.i32(int32(ix.Implem))
	w.i32(int32(ix.Bbs))
	w.i32(int32(ix.Qbs))
	packed := ix.PackedCodes()
	w.u64(uint64(len(packed) / (ix.M2() / 2))) // ntotal2
	w.u64(uint64(ix.M2()))
	w.bytes(packed)
}

func readPQFastScan(r *reader) core.Index {
	h := readHeader(r)
	f := readPQFields(r)
	implem := r.i32("implem")
	bbs := r.i32("bbs")
	qbs := r.i32("qbs")
	r.u64("ntotal2")
	m2 := r.size("M2", 2, maxD+1)
	packed := r.bytes(r.count(1, "the codes"), "the codes")
	if r.err != nil {
		return nil
	}
	if f.d != h.d {
		r.fail("the quantizer's d=%d differs from the index's %d", f.d, h.d)
		return nil
	}
	if h.ntotal > int64(len(packed))*2/int64(m2) {
		r.fail("%d code bytes cannot hold ntotal=%d vectors of M2=%d", len(packed), h.ntotal, m2)
		return nil
	}
	if qbs < 0 {
		r.fail("qbs must be non-negative, the file says %d", qbs)
		return nil
	}
	var centroids []float32
	if h.trained {
		centroids = f.centroids
	}
	ix, err := core.RestoreIndexPQFastScan(f.d, f.m, f.nbits, h.metric, centroids, int(bbs), int(qbs), int(implem), m2, int(h.ntotal), packed)
	return restoredCodes(r, ix, err, h.ntotal)
}
