package indexio

import "github.com/metalfaiss/metalfaiss/core"

// Additive-quantizer indexes: flat, IVF, and the residual coarse quantizer.

const (
	codeRQ     = "IxRq"
	codeIVFRQ  = "IwRQ"
	codeRCQ    = "ImRQ"
	codePRQ    = "IxPR"
	codeIVFPRQ = "IwPR"
	codeLSQ    = "IxLS"
	codeIVFLSQ = "IwLS"
	codePLSQ   = "IxPL"
	codeIVFPLQ = "IwPL"
)

// aqKinds are the additive quantizers' file names: the flat index's type
// code, the IVF index's, and faiss's class names of both.
var aqKinds = []struct{ flat, ivf, flatName, ivfName string }{
	{codeRQ, codeIVFRQ, "IndexResidualQuantizer", "IndexIVFResidualQuantizer"},
	{codePRQ, codeIVFPRQ, "IndexProductResidualQuantizer", "IndexIVFProductResidualQuantizer"},
	{codeLSQ, codeIVFLSQ, "IndexLocalSearchQuantizer", "IndexIVFLocalSearchQuantizer"},
	{codePLSQ, codeIVFPLQ, "IndexProductLocalSearchQuantizer", "IndexIVFProductLocalSearchQuantizer"},
}

// writeAQ writes the quantizer of an additive index, as the kind its
// class names.
func writeAQ(w *writer, q core.Additive) error {
	switch q := q.(type) {
	case *core.ResidualQuantizer:
		writeRQFields(w, q)
	case *core.LocalSearchQuantizer:
		writeLSQFields(w, q)
	case *core.ProductAdditiveQuantizer:
		writeAQFields(w, &q.AdditiveQuantizer)
		w.u64(uint64(q.Nsplits()))
		for _, s := range q.Subs {
			if err := writeAQ(w, s); err != nil {
				return err
			}
		}
	default:
		return core.Errorf(core.KindUnsupported, "write_index", "%T cannot be written yet", q)
	}
	return nil
}

// readAQ reads the quantizer that type code's index holds.
func readAQ(r *reader, code string) core.Additive {
	switch code {
	case codeRQ, codeIVFRQ:
		if rq := readRQ(r); rq != nil {
			return rq
		}
		return nil
	case codeLSQ, codeIVFLSQ:
		if l := readLSQ(r); l != nil {
			return l
		}
		return nil
	}
	f := readAQFields(r)
	nsplits := r.size("nsplits", 1, uint64(max(1, len(f.nbits))))
	subs := make([]core.Additive, 0, nsplits)
	sub, name := codeRQ, "ProductResidualQuantizer"
	if code == codePLSQ || code == codeIVFPLQ {
		sub, name = codeLSQ, "ProductLocalSearchQuantizer"
	}
	for i := 0; i < nsplits && r.err == nil; i++ {
		if s := readAQ(r, sub); s != nil {
			subs = append(subs, s)
		}
	}
	if r.err != nil {
		return nil
	}
	p, err := core.RestoreProductAdditive(name, f.d, subs, f.st)
	if err == nil {
		err = p.Restore(f.trained, f.codebooks, f.normMin, f.normMax, f.qnorm, f.normTabs)
	}
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	return p
}

// writeAQFields is faiss's write_AdditiveQuantizer.
func writeAQFields(w *writer, aq *core.AdditiveQuantizer) {
	w.u64(uint64(aq.D))
	w.u64(uint64(aq.M))
	w.u64(uint64(aq.M))
	for _, b := range aq.Nbits {
		w.u64(uint64(b))
	}
	w.u8(uint8(b2u(aq.IsTrained())))
	if aq.IsTrained() {
		w.floatVec(aq.Codebooks)
	} else {
		w.floatVec(nil)
	}
	w.i32(int32(aq.SearchType))
	w.f32(aq.NormMin)
	w.f32(aq.NormMax)
	switch aq.SearchType {
	case core.STNormCqint8, core.STNormCqint4, core.STNormLSQ2x4, core.STNormRQ2x4:
		w.floatVec(aq.Qnorm) // an IndexFlat1D's codes: counted in floats
	}
	if aq.SearchType == core.STNormLSQ2x4 || aq.SearchType == core.STNormRQ2x4 {
		w.floatVec(aq.NormTabs)
	}
}

func b2u(b bool) int {
	if b {
		return 1
	}
	return 0
}

// writeRQFields is faiss's write_ResidualQuantizer.
func writeRQFields(w *writer, rq *core.ResidualQuantizer) {
	writeAQFields(w, &rq.AdditiveQuantizer)
	w.i32(int32(rq.TrainType))
	w.i32(int32(rq.MaxBeamSize))
}

// aqFields is what writeAQFields writes.
type aqFields struct {
	d                int
	nbits            []int
	trained          bool
	codebooks        []float32
	st               core.AQSearchType
	normMin, normMax float32
	qnorm, normTabs  []float32
}

func readAQFields(r *reader) aqFields {
	var f aqFields
	f.d = r.size("the quantizer's d", 1, maxD)
	m := r.size("M", 1, 64)
	n := r.size("the nbits length", uint64(m), uint64(m))
	for _, b := range r.int64s(uint64(n), "nbits") {
		f.nbits = append(f.nbits, int(b))
	}
	f.trained = r.u8("is_trained") != 0
	f.codebooks = r.floats(r.count(4, "the codebooks"), "the codebooks")
	f.st = core.AQSearchType(r.i32("search_type"))
	f.normMin = r.f32("norm_min")
	f.normMax = r.f32("norm_max")
	switch f.st {
	case core.STNormCqint8, core.STNormCqint4, core.STNormLSQ2x4, core.STNormRQ2x4:
		f.qnorm = r.floats(r.count(4, "the quantized norms"), "the quantized norms")
	}
	if f.st == core.STNormLSQ2x4 || f.st == core.STNormRQ2x4 {
		f.normTabs = r.floats(r.count(4, "the norm tables"), "the norm tables")
	}
	return f
}

// readRQ reads faiss's write_ResidualQuantizer fields into a quantizer.
func readRQ(r *reader) *core.ResidualQuantizer {
	f := readAQFields(r)
	trainType := r.i32("train_type")
	beam := r.i32("max_beam_size")
	if r.err != nil {
		return nil
	}
	rq, err := core.NewResidualQuantizer(f.d, f.nbits, f.st)
	if err == nil {
		err = rq.Restore(f.trained, f.codebooks, f.normMin, f.normMax, f.qnorm, f.normTabs)
	}
	if err == nil && beam < 1 {
		err = core.Errorf(core.KindInvalidArgument, "ResidualQuantizer", "max_beam_size must be >= 1, the file says %d", beam)
	}
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	rq.TrainType, rq.MaxBeamSize = int(trainType), int(beam)
	return rq
}

// aqKindOf finds the kind of the index named name (flat or IVF).
func aqKindOf(name string) (flat, ivf string, ok bool) {
	for _, k := range aqKinds {
		if k.flatName == name || k.ivfName == name {
			return k.flat, k.ivf, true
		}
	}
	return "", "", false
}

func writeIndexAQ(w *writer, ix *core.IndexAdditiveQuantizer) error {
	code, _, ok := aqKindOf(ix.Name())
	if !ok {
		return core.Errorf(core.KindUnsupported, "write_index", "%s cannot be written yet", ix.Name())
	}
	w.fourcc(code)
	writeHeader(w, ix)
	if err := writeAQ(w, ix.AQ); err != nil {
		return err
	}
	w.u64(uint64(ix.CodeSize()))
	w.bytes(ix.Codes())
	return nil
}

func readIndexAQ(r *reader, code string) core.Index {
	h := readHeader(r)
	q := readAQ(r, code)
	cs := r.size("code_size", 0, 1<<20)
	codes := r.bytes(r.count(1, "the codes"), "the codes")
	if r.err != nil {
		return nil
	}
	aq := q.(interface{ CodeSize() int })
	if d := additiveD(q); d != h.d || cs != aq.CodeSize() {
		r.fail("the quantizer (d=%d, code_size=%d) does not match the index (d=%d, code_size=%d)", d, aq.CodeSize(), h.d, cs)
		return nil
	}
	name := ""
	for _, k := range aqKinds {
		if k.flat == code {
			name = k.flatName
		}
	}
	ix, err := core.NewIndexAdditiveQuantizer(name, q, h.metric)
	if err == nil {
		err = ix.SetCodes(codes)
	}
	return restoredCodes(r, ix, err, h.ntotal)
}

// additiveD is the dimension an additive quantizer codes.
func additiveD(q core.Additive) int { return q.(interface{ Dim() int }).Dim() }

func writeRCQ(w *writer, ix *core.ResidualCoarseQuantizer) {
	w.fourcc(codeRCQ)
	writeHeader(w, ix)
	writeRQFields(w, ix.RQ)
	w.f32(ix.BeamFactor)
}

func readRCQ(r *reader) core.Index {
	h := readHeader(r)
	rq := readRQ(r)
	beam := r.f32("beam_factor")
	if r.err != nil {
		return nil
	}
	ix, err := core.RestoreResidualCoarseQuantizer(rq, h.metric)
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	if err := ix.SetBeamFactor(beam); err != nil {
		r.fail("%v", err)
		return nil
	}
	if ix.Ntotal() != h.ntotal {
		r.fail("a quantizer of %d centroids with ntotal=%d", ix.Ntotal(), h.ntotal)
		return nil
	}
	return ix
}

// writeIVFAQFields writes what an IndexIVFAdditiveQuantizer adds to the
// IVF header.
func writeIVFAQFields(w *writer, ix *core.IndexIVF, byResidual uint8) error {
	w.u64(uint64(ix.CodeSize()))
	if err := writeAQ(w, ix.AQ()); err != nil {
		return err
	}
	w.u8(byResidual)
	w.i32(0) // use_precomputed_table
	return nil
}

func readIVFAQFields(r *reader, code string, h header, quantizer core.Index, nlist int) (*core.IndexIVF, bool) {
	cs := r.size("code_size", 0, 1<<20)
	q := readAQ(r, code)
	byResidual := r.u8("by_residual") != 0
	r.i32("use_precomputed_table")
	if r.err != nil {
		return nil, false
	}
	aq := q.(interface{ CodeSize() int })
	if d := additiveD(q); d != h.d || cs != aq.CodeSize() {
		r.fail("the quantizer (d=%d, code_size=%d) does not match the index (d=%d, code_size=%d)", d, aq.CodeSize(), h.d, cs)
		return nil, false
	}
	name := ""
	for _, k := range aqKinds {
		if k.ivf == code {
			name = k.ivfName
		}
	}
	ix, err := core.NewIndexIVFAdditive(name, quantizer, h.d, nlist, h.metric, q)
	if err != nil {
		r.fail("%v", err)
		return nil, false
	}
	return ix, byResidual
}

// writeLSQFields is faiss's write_LocalSearchQuantizer.
func writeLSQFields(w *writer, l *core.LocalSearchQuantizer) {
	writeAQFields(w, &l.AdditiveQuantizer)
	w.u64(uint64(l.K))
	w.u64(uint64(l.TrainIters))
	w.u64(uint64(l.EncodeILSIters))
	w.u64(uint64(l.TrainILSIters))
	w.u64(uint64(l.IcmIters))
	w.f32(l.P)
	w.f32(l.Lambd)
	w.u64(uint64(l.ChunkSize))
	w.i32(int32(l.RandomSeed))
	w.u64(uint64(l.Nperts))
	w.u8(uint8(b2u(l.UpdateCodebooksWithDouble)))
}

func readLSQ(r *reader) *core.LocalSearchQuantizer {
	f := readAQFields(r)
	k := r.size("K", 2, 1<<16)
	iters := [4]int{}
	for i, what := range []string{"train_iters", "encode_ils_iters", "train_ils_iters", "icm_iters"} {
		iters[i] = r.size(what, 0, 1<<20)
	}
	p, lambd := r.f32("p"), r.f32("lambd")
	chunk := r.size("chunk_size", 1, 1<<40)
	seed := r.i32("random_seed")
	nperts := r.size("nperts", 0, 1<<10)
	double := r.u8("update_codebooks_with_double") != 0
	if r.err != nil {
		return nil
	}
	for _, b := range f.nbits {
		if 1<<b != k {
			r.fail("K=%d does not match nbits=%d", k, b)
			return nil
		}
	}
	l, err := core.NewLocalSearchQuantizer(f.d, len(f.nbits), f.nbits[0], f.st)
	if err == nil {
		err = l.Restore(f.trained, f.codebooks, f.normMin, f.normMax, f.qnorm, f.normTabs)
	}
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	l.TrainIters, l.EncodeILSIters, l.TrainILSIters, l.IcmIters = iters[0], iters[1], iters[2], iters[3]
	l.P, l.Lambd, l.ChunkSize, l.RandomSeed, l.Nperts, l.UpdateCodebooksWithDouble = p, lambd, chunk, int(seed), nperts, double
	return l
}
