package indexio

import "github.com/metalfaiss/metalfaiss/core"

// IndexFlatPanorama as faiss writes it: its own header (d, n_levels,
// batch_size, ntotal, is_trained), the codes as bytes, the suffix norms.

const (
	codeFlatL2Panorama = "IxFP"
	codeFlatIPPanorama = "IxFp"
)

func writeFlatPanorama(w *writer, ix *core.IndexFlatPanorama) {
	w.fourcc(map[bool]string{false: codeFlatL2Panorama, true: codeFlatIPPanorama}[ix.Metric() == core.MetricInnerProduct])
	w.i32(int32(ix.D()))
	w.u64(uint64(ix.Levels()))
	w.u64(uint64(ix.BatchSize()))
	w.u64(uint64(ix.Ntotal()))
	w.u8(1) // is_trained
	codes, cums := ix.Layout()
	w.u64(uint64(4 * len(codes))) // faiss counts the code bytes
	w.floats(codes)
	w.floatVec(cums)
}

func readFlatPanorama(r *reader, code string) core.Index {
	d := int(r.i32("d"))
	levels := r.size("n_levels", 1, maxD)
	batch := r.size("batch_size", 1, 1<<20)
	ntotal := r.size("ntotal", 0, 1<<40)
	r.u8("is_trained")
	at := r.off
	nbytes := r.count(1, "the codes")
	if r.err == nil && nbytes%4 != 0 {
		r.off = at
		r.fail("%d code bytes are not whole floats", nbytes)
	}
	codes := r.floats(nbytes/4, "the codes")
	cums := r.floats(r.count(4, "the suffix norms"), "the suffix norms")
	if r.err != nil {
		return nil
	}
	if d <= 0 || d > maxD {
		r.fail("d=%d", d)
		return nil
	}
	metric := core.MetricL2
	if code == codeFlatIPPanorama {
		metric = core.MetricInnerProduct
	}
	ix, err := core.RestoreIndexFlatPanorama(d, metric, levels, batch, ntotal, codes, cums)
	return restored(r, ix, err)
}
