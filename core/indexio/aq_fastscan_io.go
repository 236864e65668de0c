package indexio

import "github.com/metalfaiss/metalfaiss/core"

// The additive-quantizer fast-scan indexes: the quantizer as the flat
// index writes it, faiss's IndexFastScan fields, the norm scale and the
// packed blocks.

const (
	codeRQFastScan   = "IRfs"
	codeLSQFastScan  = "ILfs"
	codePRQFastScan  = "IPRf"
	codePLSQFastScan = "IPLf"
)

// aqFastScanKinds maps each type code to the flat index's (which says
// how the quantizer is written) and faiss's class name.
var aqFastScanKinds = []struct{ code, quantizer, name string }{
	{codeRQFastScan, codeRQ, "IndexResidualQuantizerFastScan"},
	{codeLSQFastScan, codeLSQ, "IndexLocalSearchQuantizerFastScan"},
	{codePRQFastScan, codePRQ, "IndexProductResidualQuantizerFastScan"},
	{codePLSQFastScan, codePLSQ, "IndexProductLocalSearchQuantizerFastScan"},
}

// aqFastScanCode is the type code of ix: its class's, or for faiss's base
// class (made from an IndexAdditiveQuantizer, which faiss cannot write)
// the one its quantizer's kind names.
func aqFastScanCode(ix *core.IndexAQFastScan) string {
	for _, k := range aqFastScanKinds {
		if k.name == ix.Name() {
			return k.code
		}
	}
	switch q := ix.AQ.(type) {
	case *core.ResidualQuantizer:
		return codeRQFastScan
	case *core.LocalSearchQuantizer:
		return codeLSQFastScan
	case *core.ProductAdditiveQuantizer:
		if _, lsq := q.Subs[0].(*core.LocalSearchQuantizer); lsq {
			return codePLSQFastScan
		}
	}
	return codePRQFastScan
}

func writeAQFastScan(w *writer, ix *core.IndexAQFastScan) error {
	w.fourcc(aqFastScanCode(ix))
	writeHeader(w, ix)
	if err := writeAQ(w, ix.AQ); err != nil {
		return err
	}
	w.i32(int32(ix.Implem))
	w.i32(int32(ix.Bbs))
	w.i32(int32(ix.Qbs))
	w.u64(uint64(ix.M()))
	w.u64(4)  // nbits
	w.u64(16) // ksub
	w.u64(uint64(ix.SaCodeSize()))
	packed := ix.PackedCodes()
	w.u64(uint64(len(packed) / (ix.M2() / 2))) // ntotal2
	w.u64(uint64(ix.M2()))
	w.u8(uint8(b2u(ix.RescaleNorm())))
	w.i32(int32(ix.NormScale()))
	w.u64(uint64(ix.MaxTrainPoints))
	w.bytes(packed)
	return nil
}

func readAQFastScan(r *reader, code string) core.Index {
	var quantizer, name string
	for _, k := range aqFastScanKinds {
		if k.code == code {
			quantizer, name = k.quantizer, k.name
		}
	}
	h := readHeader(r)
	q := readAQ(r, quantizer)
	implem := r.i32("implem")
	bbs := r.i32("bbs")
	qbs := r.i32("qbs")
	m := r.size("M", 1, maxD+2)
	nbits := r.size("nbits", 4, 4)
	r.size("ksub", 1<<nbits, 1<<nbits)
	cs := r.size("code_size", 1, maxD)
	r.u64("ntotal2")
	m2 := r.size("M2", 2, maxD+2)
	rescale := r.u8("rescale_norm") != 0
	normScale := r.i32("norm_scale")
	maxTrain := r.u64("max_train_points")
	packed := r.bytes(r.count(1, "the codes"), "the codes")
	if r.err != nil {
		return nil
	}
	switch {
	case additiveD(q) != h.d:
		r.fail("the quantizer's d=%d differs from the index's %d", additiveD(q), h.d)
		return nil
	case qbs < 0:
		r.fail("qbs must be non-negative, the file says %d", qbs)
		return nil
	case maxTrain > 1<<40:
		r.fail("max_train_points=%d is out of range", maxTrain)
		return nil
	}
	ix, err := core.RestoreIndexAQFastScan(name, q, h.metric, int(bbs), int(qbs), int(implem), m2, rescale, int(normScale), int(maxTrain), int(h.ntotal), packed)
	if err == nil && (ix.M() != m || ix.SaCodeSize() != cs) {
		err = core.Errorf(core.KindInvalidArgument, name, "M=%d, code_size=%d in the file; the quantizer gives %d, %d", m, cs, ix.M(), ix.SaCodeSize())
	}
	return restoredCodes(r, ix, err, h.ntotal)
}
