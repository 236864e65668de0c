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
// how the quantizer is written) and faiss's class name, in the order of
// core.AdditiveKind.
var aqFastScanKinds = []struct{ code, quantizer, name string }{
	{codeRQFastScan, codeRQ, "IndexResidualQuantizerFastScan"},
	{codeLSQFastScan, codeLSQ, "IndexLocalSearchQuantizerFastScan"},
	{codePRQFastScan, codePRQ, "IndexProductResidualQuantizerFastScan"},
	{codePLSQFastScan, codePLSQ, "IndexProductLocalSearchQuantizerFastScan"},
}

// aqFastScanFields are faiss's fields after the quantizer, in file order
// (mid: ntotal2 for the flat index, qbs2 for the IVF one).
type aqFastScanFields struct {
	implem, bbs, qbs     int32
	m, codeSize, mid, m2 int
	rescale              bool
	normScale            int32
	maxTrain             int
}

func (f *aqFastScanFields) write(w *writer) {
	w.i32(f.implem)
	w.i32(f.bbs)
	w.i32(f.qbs)
	w.u64(uint64(f.m))
	w.u64(4)  // nbits
	w.u64(16) // ksub
	w.u64(uint64(f.codeSize))
	w.u64(uint64(f.mid))
	w.u64(uint64(f.m2))
	w.u8(uint8(b2u(f.rescale)))
	w.i32(f.normScale)
	w.u64(uint64(f.maxTrain))
}

func readAQFastScanFields(r *reader, mid string) aqFastScanFields {
	var f aqFastScanFields
	f.implem = r.i32("implem")
	f.bbs = r.i32("bbs")
	f.qbs = r.i32("qbs")
	f.m = r.size("M", 1, maxD+2)
	r.size("nbits", 4, 4)
	r.size("ksub", 16, 16)
	f.codeSize = r.size("code_size", 1, maxD)
	f.mid = r.size(mid, 0, 1<<40)
	f.m2 = r.size("M2", 2, maxD+2)
	f.rescale = r.u8("rescale_norm") != 0
	f.normScale = r.i32("norm_scale")
	f.maxTrain = r.size("max_train_points", 0, 1<<40)
	if r.err == nil && f.qbs < 0 {
		r.fail("qbs must be non-negative, the file says %d", f.qbs)
	}
	return f
}

// check compares the shape the file gives with the index built from it.
func (f *aqFastScanFields) check(name string, m, m2, codeSize int) error {
	if f.m != m || f.m2 != m2 || f.codeSize != codeSize {
		return core.Errorf(core.KindInvalidArgument, name, "M=%d, M2=%d, code_size=%d in the file; the quantizer gives %d, %d, %d",
			f.m, f.m2, f.codeSize, m, m2, codeSize)
	}
	return nil
}

func writeAQFastScan(w *writer, ix *core.IndexAQFastScan) error {
	// faiss's base class (made from an IndexAdditiveQuantizer), which
	// faiss cannot write, is written as its quantizer's kind
	w.fourcc(aqFastScanKinds[core.AdditiveKind(ix.AQ)].code)
	writeHeader(w, ix)
	if err := writeAQ(w, ix.AQ); err != nil {
		return err
	}
	packed := ix.PackedCodes()
	f := aqFastScanFields{implem: int32(ix.Implem), bbs: int32(ix.Bbs), qbs: int32(ix.Qbs), m: ix.M(),
		codeSize: ix.SaCodeSize(), mid: len(packed) / (ix.M2() / 2), m2: ix.M2(), rescale: ix.RescaleNorm(),
		normScale: int32(ix.NormScale()), maxTrain: ix.MaxTrainPoints}
	f.write(w)
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
	f := readAQFastScanFields(r, "ntotal2")
	packed := r.bytes(r.count(1, "the codes"), "the codes")
	if r.err != nil {
		return nil
	}
	if additiveD(q) != h.d {
		r.fail("the quantizer's d=%d differs from the index's %d", additiveD(q), h.d)
		return nil
	}
	ix, err := core.RestoreIndexAQFastScan(name, q, h.metric, int(f.bbs), int(f.qbs), int(f.implem), f.m2, f.rescale,
		int(f.normScale), f.maxTrain, int(h.ntotal), packed)
	if err == nil {
		err = f.check(name, ix.M(), ix.M2(), ix.SaCodeSize())
	}
	return restoredCodes(r, ix, err, h.ntotal)
}

// The IVF forms.
const (
	codeIVFRQFastScan   = "IVRf"
	codeIVFLSQFastScan  = "IVLf"
	codeIVFPRQFastScan  = "NPRf"
	codeIVFPLSQFastScan = "NPLf"
)

// ivfAQFastScanCodes are the IVF forms' type codes, in the order of
// core.AdditiveKind.
var ivfAQFastScanCodes = []string{codeIVFRQFastScan, codeIVFLSQFastScan, codeIVFPRQFastScan, codeIVFPLSQFastScan}

func writeIVFAQFastScanFields(w *writer, ix *core.IndexIVF, byResidual uint8) error {
	fs := ix.FastScan()
	if err := writeAQ(w, ix.AQ()); err != nil {
		return err
	}
	w.u8(byResidual)
	f := aqFastScanFields{implem: int32(fs.Implem), bbs: int32(fs.Bbs), qbs: int32(fs.Qbs), m: fs.M(),
		codeSize: (fs.M() + 1) / 2, mid: fs.Qbs2, m2: fs.M2(), rescale: fs.RescaleNorm(),
		normScale: int32(fs.NormScale()), maxTrain: fs.MaxTrainPoints()}
	f.write(w)
	writeBlockLists(w, ix, fs.Bbs*fs.M2()/2)
	return nil
}

func readIVFAQFastScan(r *reader, code string, h header, quantizer core.Index, nlist, nprobe, dmType int) core.Index {
	kind := 0
	for i, c := range ivfAQFastScanCodes {
		if c == code {
			kind = i
		}
	}
	q := readAQ(r, aqFastScanKinds[kind].quantizer)
	byResidual := r.u8("by_residual") != 0
	f := readAQFastScanFields(r, "qbs2")
	if r.err != nil {
		return nil
	}
	name := "IndexIVF" + aqFastScanKinds[kind].name[len("Index"):]
	ix, err := core.NewIndexIVFAQFastScan(name, quantizer, h.d, nlist, q, h.metric, int(f.bbs))
	if err == nil {
		err = f.check(name, ix.FastScan().M(), ix.FastScan().M2(), (ix.FastScan().M()+1)/2)
	}
	if err == nil {
		err = ix.FastScan().SetNorm(f.rescale, int(f.normScale), f.maxTrain)
	}
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	fs := ix.FastScan()
	fs.Implem, fs.Qbs, fs.Qbs2 = int(f.implem), int(f.qbs), f.mid
	ids, codes := readBlockLists(r, nlist, int(f.bbs), int(f.bbs)*f.m2/2, func(packed []byte, n int) ([]byte, error) {
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
