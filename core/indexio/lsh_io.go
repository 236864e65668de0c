package indexio

import (
	"github.com/metalfaiss/metalfaiss/core"
)

// IndexLSH in faiss's format ("IxHe"): the header, nbits, rotate_data,
// train_thresholds, the thresholds, the code size, the rotation (written
// even when unused) and the codes.

const codeLSH = "IxHe"

func writeLSH(w *writer, ix *core.IndexLSH) error {
	w.fourcc(codeLSH)
	writeHeader(w, ix)
	w.i32(int32(ix.Nbits()))
	writeBool(w, ix.RotateData)
	writeBool(w, ix.TrainThresholds)
	w.floatVec(ix.Thresholds)
	w.i32(int32(ix.CodeSize()))
	rot := ix.Rotation
	if rot == nil {
		rot, _ = core.NewRandomRotationMatrix(ix.D(), ix.Nbits())
	}
	if err := writeTransform(w, rot); err != nil {
		return err
	}
	w.bytes(ix.Codes())
	return nil
}

func readLSH(r *reader) core.Index {
	h := readHeader(r)
	at := r.off
	nbits := r.i32("nbits")
	if r.err == nil && (nbits <= 0 || nbits > maxD) {
		r.off = at
		r.fail("nbits must be 1..%d, the file says %d", maxD, nbits)
	}
	rotate := r.u8("rotate_data") != 0
	train := r.u8("train_thresholds") != 0
	thresholds := r.floatVec("the thresholds")
	at = r.off
	cs := r.i32("the code size")
	if r.err == nil && int(cs) != (int(nbits)+7)/8 {
		r.off = at
		r.fail("the code size must be %d for %d bits, the file says %d", (nbits+7)/8, nbits, cs)
	}
	rot, _ := readTransform(r, 0).(*core.RandomRotationMatrix)
	codes := r.bytes(r.count(1, "the codes"), "the codes")
	if r.err != nil {
		return nil
	}
	if rot == nil {
		r.fail("an LSH index holds a random rotation")
		return nil
	}
	if uint64(len(codes)) != uint64(h.ntotal)*uint64(cs) {
		r.fail("%d code bytes for ntotal=%d codes of %d bytes", len(codes), h.ntotal, cs)
		return nil
	}
	if len(thresholds) == 0 {
		thresholds = nil
	}
	ix, err := core.RestoreIndexLSH(h.d, int(nbits), rotate, train, h.trained, thresholds, rot, codes)
	return restored(r, ix, err)
}
