package pyapi

import (
	"github.com/metalfaiss/metalfaiss/core"
)

// nbitsAt reads m codebook sizes (int64[m]).
func nbitsAt(addr uintptr, m int64) ([]int, error) {
	v, err := int64s(addr, m)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(v))
	for i, b := range v {
		out[i] = int(b)
	}
	return out, nil
}

// ResidualQuantizerNew makes a standalone ResidualQuantizer of m codebooks
// whose sizes are at nbits (int64[m]).
func ResidualQuantizerNew(d int64, nbits uintptr, m, st int64, out uintptr) string {
	return newObject("ResidualQuantizer", out, func() (any, error) {
		nb, err := nbitsAt(nbits, m)
		if err != nil {
			return nil, err
		}
		return core.NewResidualQuantizer(int(d), nb, core.AQSearchType(st))
	})
}

// IndexResidualQuantizerNew makes an IndexResidualQuantizer.
func IndexResidualQuantizerNew(d int64, nbits uintptr, m, metric, st int64, out uintptr) string {
	return newIndex("IndexResidualQuantizer", out, func() (core.Index, error) {
		nb, err := nbitsAt(nbits, m)
		if err != nil {
			return nil, err
		}
		return core.NewIndexResidualQuantizer(int(d), nb, core.Metric(metric), core.AQSearchType(st))
	})
}

// IndexIVFResidualQuantizerNew makes an IndexIVFResidualQuantizer over the
// quantizer behind handle q.
func IndexIVFResidualQuantizerNew(q, d, nlist int64, nbits uintptr, m, metric, st int64, out uintptr) string {
	const op = "IndexIVFResidualQuantizer"
	return newIndexOver(op, out, []int64{q}, func() (core.Index, error) {
		quantizer, err := indexOf(op, q)
		if err != nil {
			return nil, err
		}
		nb, err := nbitsAt(nbits, m)
		if err != nil {
			return nil, err
		}
		return core.NewIndexIVFResidualQuantizer(quantizer, int(d), int(nlist), nb, core.Metric(metric), core.AQSearchType(st))
	})
}

// ResidualCoarseQuantizerNew makes a ResidualCoarseQuantizer.
func ResidualCoarseQuantizerNew(d int64, nbits uintptr, m, metric int64, out uintptr) string {
	return newIndex("ResidualCoarseQuantizer", out, func() (core.Index, error) {
		nb, err := nbitsAt(nbits, m)
		if err != nil {
			return nil, err
		}
		return core.NewResidualCoarseQuantizer(int(d), nb, core.Metric(metric))
	})
}

// withAQ runs fn on the additive quantizer behind h: a standalone one, or
// that of an index (faiss's index.rq / index.prq / index.aq); rq is set
// for residual quantizers, nil for the others.
func withAQ(op string, h int64, write bool, fn func(aq *core.AdditiveQuantizer, q core.Additive, rq *core.ResidualQuantizer) error) string {
	return withObject(op, h, write, func(v any) error {
		var q core.Additive
		switch v := hostOf(v).(type) {
		case core.Additive:
			q = v
		case *core.IndexAdditiveQuantizer:
			q = v.AQ
		case *core.IndexAQFastScan:
			q = v.AQ
		case *core.ResidualCoarseQuantizer:
			q = v.RQ
		case *core.AdditiveCoarseQuantizer:
			q = v.AQ
		case *core.IndexIVF:
			q = v.AQ()
		}
		switch q := q.(type) {
		case *core.ResidualQuantizer:
			return fn(&q.AdditiveQuantizer, q, q)
		case *core.ProductAdditiveQuantizer:
			return fn(&q.AdditiveQuantizer, q, nil)
		case *core.LocalSearchQuantizer:
			return fn(&q.AdditiveQuantizer, q, nil)
		}
		return core.Errorf(core.KindUnsupported, op, "%T has no additive quantizer", v)
	})
}

// rqOnly is the error for a residual quantizer's field asked of another.
func rqOnly(op string) error {
	return core.Errorf(core.KindUnsupported, op, "not a field of this quantizer: residual quantizers only")
}

// AQInfo writes d, M, code_size, tot_bits, is_trained, search_type,
// total_codebook_size, train_type, max_beam_size, use_beam_LUT,
// niter_codebook_refine, progressive_dim_steps, apply_pca,
// max_mem_distances (0 where not a residual quantizer) and the codebooks'
// length in floats to out (int64[15]).
func AQInfo(h int64, out uintptr) string {
	return withAQ("AdditiveQuantizer", h, false, func(aq *core.AdditiveQuantizer, q core.Additive, rq *core.ResidualQuantizer) error {
		dst, err := int64s(out, 15)
		if err != nil {
			return err
		}
		copy(dst, []int64{int64(aq.D), int64(aq.M), int64(aq.CodeSize()), int64(aq.TotBits()), b2i(aq.IsTrained()),
			int64(aq.SearchType), int64(aq.TotalCodebookSize())})
		clear(dst[7:])
		dst[14] = int64(aq.CodebookLen())
		if rq != nil {
			copy(dst[7:], []int64{int64(rq.TrainType), int64(rq.MaxBeamSize), int64(rq.UseBeamLUT),
				int64(rq.NiterCodebookRefine), int64(rq.Steps), b2i(rq.ApplyPCA), rq.MaxMemDistances})
		}
		return nil
	})
}

// AQNbits writes the M codebook sizes to out (int64[M]).
func AQNbits(h, m int64, out uintptr) string {
	const op = "AdditiveQuantizer.nbits"
	return withAQ(op, h, false, func(aq *core.AdditiveQuantizer, _ core.Additive, _ *core.ResidualQuantizer) error {
		if m != int64(aq.M) {
			return core.Errorf(core.KindInvalidArgument, op, "the quantizer has M=%d, not %d", aq.M, m)
		}
		dst, err := int64s(out, m)
		if err != nil {
			return err
		}
		for i, b := range aq.Nbits {
			dst[i] = int64(b)
		}
		return nil
	})
}

// AQCodebooks copies (write=false) or installs (write=true: the quantizer
// is then trained) the codebooks (float32[total_codebook_size*d]).
func AQCodebooks(h int64, write bool, addr uintptr) string {
	const op = "AdditiveQuantizer.codebooks"
	return withAQ(op, h, write, func(aq *core.AdditiveQuantizer, _ core.Additive, _ *core.ResidualQuantizer) error {
		buf, err := floats(addr, int64(aq.CodebookLen()))
		if err != nil {
			return err
		}
		if write {
			return aq.SetCodebooks(op, buf)
		}
		if !aq.IsTrained() {
			clear(buf)
			return nil
		}
		copy(buf, aq.Codebooks)
		return nil
	})
}

// AQNormRange writes norm_min and norm_max to out (float32[2]), or sets
// them from it (write=true).
func AQNormRange(h int64, write bool, out uintptr) string {
	return withAQ("AdditiveQuantizer.norm_min", h, write, func(aq *core.AdditiveQuantizer, _ core.Additive, _ *core.ResidualQuantizer) error {
		dst, err := floats(out, 2)
		if err != nil {
			return err
		}
		if write {
			aq.NormMin, aq.NormMax = dst[0], dst[1]
		} else {
			dst[0], dst[1] = aq.NormMin, aq.NormMax
		}
		return nil
	})
}

// AQSetInt sets an integer field: search_type, train_type, max_beam_size,
// use_beam_LUT, niter_codebook_refine, progressive_dim_steps, apply_pca
// or max_mem_distances.
func AQSetInt(h int64, name string, value int64) string {
	op := "AdditiveQuantizer." + name
	return withAQ(op, h, true, func(aq *core.AdditiveQuantizer, q core.Additive, rq *core.ResidualQuantizer) error {
		if name == "search_type" {
			return aq.SetSearchType(op, core.AQSearchType(value))
		}
		if rq == nil {
			return rqOnly(op)
		}
		switch name {
		case "train_type":
			if value&^(core.RQTrainProgressiveDim|core.RQTrainRefineCodebook|core.RQTrainTopBeam|core.RQSkipCodebookTables) != 0 {
				return core.Errorf(core.KindInvalidArgument, op, "train_type %d has unknown flags", value)
			}
			rq.TrainType = int(value)
		case "max_beam_size":
			if value < 1 {
				return core.Errorf(core.KindInvalidArgument, op, "max_beam_size must be >= 1, got %d", value)
			}
			rq.MaxBeamSize = int(value)
		case "use_beam_LUT":
			if value != 0 && value != 1 {
				return core.Errorf(core.KindInvalidArgument, op, "use_beam_LUT must be 0 or 1, got %d", value)
			}
			rq.UseBeamLUT = int(value)
		case "niter_codebook_refine":
			rq.NiterCodebookRefine = int(max(value, 0))
		case "progressive_dim_steps":
			if value < 1 {
				return core.Errorf(core.KindInvalidArgument, op, "progressive_dim_steps must be >= 1, got %d", value)
			}
			rq.Steps = int(value)
		case "apply_pca":
			rq.ApplyPCA = value != 0
		case "max_mem_distances":
			if value < 1 {
				return core.Errorf(core.KindInvalidArgument, op, "max_mem_distances must be positive, got %d", value)
			}
			rq.MaxMemDistances = value
		default:
			return core.Errorf(core.KindInvalidArgument, op, "no such field")
		}
		return nil
	})
}

// AQSetCP sets a k-means parameter of the quantizer's training (cp.<name>).
func AQSetCP(h int64, name string, value float64) string {
	op := "ResidualQuantizer.cp." + name
	return withAQ(op, h, true, func(_ *core.AdditiveQuantizer, _ core.Additive, rq *core.ResidualQuantizer) error {
		if rq == nil {
			return nil // a product trains its sub-quantizers with their own parameters
		}
		return setClusteringParameter(&rq.CP, op, name, value)
	})
}

// AQTrain trains on n vectors at x.
func AQTrain(h, n int64, x uintptr) string {
	return withAQ("AdditiveQuantizer.train", h, true, func(aq *core.AdditiveQuantizer, q core.Additive, rq *core.ResidualQuantizer) error {
		xs, err := floats(x, n*int64(aq.D))
		if err != nil {
			return err
		}
		return q.Train(xs)
	})
}

// AQComputeCodes codes n vectors at x into codes (uint8[n*code_size]).
func AQComputeCodes(h, n int64, x, codes uintptr) string {
	return withAQ("AdditiveQuantizer.compute_codes", h, false, func(aq *core.AdditiveQuantizer, q core.Additive, rq *core.ResidualQuantizer) error {
		return codeVectors(n, aq.D, aq.CodeSize(), x, codes, q.ComputeCodes)
	})
}

// AQDecode decodes n codes into x (float32[n*d]).
func AQDecode(h, n int64, codes, x uintptr) string {
	return withAQ("AdditiveQuantizer.decode", h, false, func(aq *core.AdditiveQuantizer, _ core.Additive, _ *core.ResidualQuantizer) error {
		return codeVectors(n, aq.D, aq.CodeSize(), x, codes, func(xs []float32, cs []byte) error { return aq.Decode(cs, xs) })
	})
}

// AQComputeLUT writes the inner products of n vectors at x with every
// codebook entry into out (float32[n*total_codebook_size]).
func AQComputeLUT(h, n int64, x, out uintptr) string {
	const op = "AdditiveQuantizer.compute_LUT"
	return withAQ(op, h, false, func(aq *core.AdditiveQuantizer, _ core.Additive, _ *core.ResidualQuantizer) error {
		xs, err := floats(x, n*int64(aq.D))
		if err != nil {
			return err
		}
		lut, err := floats(out, n*int64(aq.TotalCodebookSize()))
		if err != nil {
			return err
		}
		return aq.ComputeLUT(op, xs, lut)
	})
}

// RCQBeamFactor sets the beam factor of the ResidualCoarseQuantizer
// behind h when set, then writes it to out (float32[1]).
func RCQBeamFactor(h int64, set bool, value float64, out uintptr) string {
	const op = "ResidualCoarseQuantizer.set_beam_factor"
	return withObject(op, h, set, func(v any) error {
		rcq, ok := v.(*core.ResidualCoarseQuantizer)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T is not a ResidualCoarseQuantizer", v)
		}
		dst, err := floats(out, 1)
		if err != nil {
			return err
		}
		if set {
			if err := rcq.SetBeamFactor(float32(value)); err != nil {
				return err
			}
		}
		dst[0] = rcq.BeamFactor
		return nil
	})
}

// AQCentroidNorms writes |c|^2 of every one of the 2^tot_bits sums of one
// entry per codebook into out (float32[n], n = 2^tot_bits).
func AQCentroidNorms(h, n int64, out uintptr) string {
	const op = "AdditiveQuantizer.compute_centroid_norms"
	return withAQ(op, h, false, func(aq *core.AdditiveQuantizer, _ core.Additive, _ *core.ResidualQuantizer) error {
		dst, err := floats(out, n)
		if err != nil {
			return err
		}
		return aq.CentroidNorms(op, dst)
	})
}

// AQRetrainCodebooks refits the codebooks to the codes of n vectors at x
// by least squares (faiss's retrain_AQ_codebook) and writes the fit's
// squared error to out (float32[1]).
func AQRetrainCodebooks(h, n int64, x, out uintptr) string {
	const op = "ResidualQuantizer.retrain_AQ_codebook"
	return withAQ(op, h, true, func(aq *core.AdditiveQuantizer, q core.Additive, rq *core.ResidualQuantizer) error {
		xs, err := floats(x, n*int64(aq.D))
		if err != nil {
			return err
		}
		dst, err := floats(out, 1)
		if err != nil {
			return err
		}
		if rq == nil {
			return rqOnly(op)
		}
		dst[0], err = rq.RetrainCodebooks(xs)
		return err
	})
}

// ProductResidualQuantizerNew makes a standalone ProductResidualQuantizer.
func ProductResidualQuantizerNew(d, nsplits, msub, nbits, st int64, out uintptr) string {
	return newObject("ProductResidualQuantizer", out, func() (any, error) {
		return core.NewProductResidualQuantizer(int(d), int(nsplits), int(msub), int(nbits), core.AQSearchType(st))
	})
}

// IndexProductResidualQuantizerNew makes an IndexProductResidualQuantizer.
func IndexProductResidualQuantizerNew(d, nsplits, msub, nbits, metric, st int64, out uintptr) string {
	return newIndex("IndexProductResidualQuantizer", out, func() (core.Index, error) {
		return core.NewIndexProductResidualQuantizer(int(d), int(nsplits), int(msub), int(nbits), core.Metric(metric), core.AQSearchType(st))
	})
}

// IndexIVFProductResidualQuantizerNew makes an
// IndexIVFProductResidualQuantizer over the quantizer behind handle q.
func IndexIVFProductResidualQuantizerNew(q, d, nlist, nsplits, msub, nbits, metric, st int64, out uintptr) string {
	const op = "IndexIVFProductResidualQuantizer"
	return newIndexOver(op, out, []int64{q}, func() (core.Index, error) {
		quantizer, err := indexOf(op, q)
		if err != nil {
			return nil, err
		}
		return core.NewIndexIVFProductResidualQuantizer(quantizer, int(d), int(nlist), int(nsplits), int(msub), int(nbits), core.Metric(metric), core.AQSearchType(st))
	})
}

// AQNsplits writes the number of sub-quantizers of a product to out
// (int64[1]; 0 for other quantizers).
func AQNsplits(h int64, out uintptr) string {
	return withAQ("ProductAdditiveQuantizer.nsplits", h, false, func(_ *core.AdditiveQuantizer, q core.Additive, _ *core.ResidualQuantizer) error {
		dst, err := int64s(out, 1)
		if err != nil {
			return err
		}
		dst[0] = 0
		if p, ok := q.(*core.ProductAdditiveQuantizer); ok {
			dst[0] = int64(p.Nsplits())
		}
		return nil
	})
}

// LocalSearchQuantizerNew makes a standalone LocalSearchQuantizer.
func LocalSearchQuantizerNew(d, m, nbits, st int64, out uintptr) string {
	return newObject("LocalSearchQuantizer", out, func() (any, error) {
		return core.NewLocalSearchQuantizer(int(d), int(m), int(nbits), core.AQSearchType(st))
	})
}

// IndexLocalSearchQuantizerNew makes an IndexLocalSearchQuantizer.
func IndexLocalSearchQuantizerNew(d, m, nbits, metric, st int64, out uintptr) string {
	return newIndex("IndexLocalSearchQuantizer", out, func() (core.Index, error) {
		return core.NewIndexLocalSearchQuantizer(int(d), int(m), int(nbits), core.Metric(metric), core.AQSearchType(st))
	})
}

// IndexIVFLocalSearchQuantizerNew makes an IndexIVFLocalSearchQuantizer
// over the quantizer behind handle q.
func IndexIVFLocalSearchQuantizerNew(q, d, nlist, m, nbits, metric, st int64, out uintptr) string {
	const op = "IndexIVFLocalSearchQuantizer"
	return newIndexOver(op, out, []int64{q}, func() (core.Index, error) {
		quantizer, err := indexOf(op, q)
		if err != nil {
			return nil, err
		}
		return core.NewIndexIVFLocalSearchQuantizer(quantizer, int(d), int(nlist), int(m), int(nbits), core.Metric(metric), core.AQSearchType(st))
	})
}

// ProductLocalSearchQuantizerNew makes a standalone
// ProductLocalSearchQuantizer.
func ProductLocalSearchQuantizerNew(d, nsplits, msub, nbits, st int64, out uintptr) string {
	return newObject("ProductLocalSearchQuantizer", out, func() (any, error) {
		return core.NewProductLocalSearchQuantizer(int(d), int(nsplits), int(msub), int(nbits), core.AQSearchType(st))
	})
}

// IndexProductLocalSearchQuantizerNew makes an
// IndexProductLocalSearchQuantizer.
func IndexProductLocalSearchQuantizerNew(d, nsplits, msub, nbits, metric, st int64, out uintptr) string {
	return newIndex("IndexProductLocalSearchQuantizer", out, func() (core.Index, error) {
		return core.NewIndexProductLocalSearchQuantizer(int(d), int(nsplits), int(msub), int(nbits), core.Metric(metric), core.AQSearchType(st))
	})
}

// IndexIVFProductLocalSearchQuantizerNew makes an
// IndexIVFProductLocalSearchQuantizer over the quantizer behind handle q.
func IndexIVFProductLocalSearchQuantizerNew(q, d, nlist, nsplits, msub, nbits, metric, st int64, out uintptr) string {
	const op = "IndexIVFProductLocalSearchQuantizer"
	return newIndexOver(op, out, []int64{q}, func() (core.Index, error) {
		quantizer, err := indexOf(op, q)
		if err != nil {
			return nil, err
		}
		return core.NewIndexIVFProductLocalSearchQuantizer(quantizer, int(d), int(nlist), int(nsplits), int(msub), int(nbits), core.Metric(metric), core.AQSearchType(st))
	})
}

// LSQField reads (set=false) or sets the field name of the
// LocalSearchQuantizer behind h; out (float64[1]) holds its value.
func LSQField(h int64, name string, set bool, out uintptr) string {
	op := "LocalSearchQuantizer." + name
	return withAQ(op, h, set, func(_ *core.AdditiveQuantizer, q core.Additive, _ *core.ResidualQuantizer) error {
		l, ok := q.(*core.LocalSearchQuantizer)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "not a field of this quantizer: local search quantizers only")
		}
		dst, err := float64s(out, 1)
		if err != nil {
			return err
		}
		ints := map[string]*int{"train_iters": &l.TrainIters, "encode_ils_iters": &l.EncodeILSIters,
			"train_ils_iters": &l.TrainILSIters, "icm_iters": &l.IcmIters, "chunk_size": &l.ChunkSize,
			"random_seed": &l.RandomSeed, "nperts": &l.Nperts}
		switch {
		case name == "K":
			if set {
				return core.Errorf(core.KindInvalidArgument, op, "K follows nbits: make a new quantizer")
			}
			dst[0] = float64(l.K)
		case name == "p" || name == "lambd":
			f := map[string]*float32{"p": &l.P, "lambd": &l.Lambd}[name]
			if set {
				*f = float32(dst[0])
			}
			dst[0] = float64(*f)
		case name == "update_codebooks_with_double":
			if set {
				l.UpdateCodebooksWithDouble = dst[0] != 0
			}
			dst[0] = float64(b2i(l.UpdateCodebooksWithDouble))
		case ints[name] != nil:
			if set {
				v := int(dst[0])
				if v < 0 || (name == "chunk_size" && v < 1) {
					return core.Errorf(core.KindInvalidArgument, op, "must be %s, got %d", map[bool]string{true: "positive", false: ">= 0"}[name == "chunk_size"], v)
				}
				*ints[name] = v
			}
			dst[0] = float64(*ints[name])
		default:
			return core.Errorf(core.KindInvalidArgument, op, "no such field")
		}
		return nil
	})
}

// LocalSearchCoarseQuantizerNew makes a LocalSearchCoarseQuantizer.
func LocalSearchCoarseQuantizerNew(d, m, nbits, metric int64, out uintptr) string {
	return newIndex("LocalSearchCoarseQuantizer", out, func() (core.Index, error) {
		return core.NewLocalSearchCoarseQuantizer(int(d), int(m), int(nbits), core.Metric(metric))
	})
}

// AQSubquantizer writes a handle to sub-quantizer i of the product behind
// h and its kind (1 residual, 2 local search) to out (int64[2]).
func AQSubquantizer(h, i int64, out uintptr) string {
	const op = "ProductAdditiveQuantizer.subquantizer"
	kind, err := int64s(out, 2)
	if err != nil {
		return err.Error()
	}
	return withPart(op, h, out, func(v any) (any, bool) {
		var p *core.ProductAdditiveQuantizer
		switch v := hostOf(v).(type) {
		case *core.ProductAdditiveQuantizer:
			p = v
		case *core.IndexAdditiveQuantizer:
			p, _ = v.AQ.(*core.ProductAdditiveQuantizer)
		case *core.IndexAQFastScan:
			p, _ = v.AQ.(*core.ProductAdditiveQuantizer)
		case *core.IndexIVF:
			p, _ = v.AQ().(*core.ProductAdditiveQuantizer)
		}
		if p == nil || i < 0 || i >= int64(p.Nsplits()) {
			return nil, false
		}
		sub := p.Subs[i]
		kind[1] = 1
		if _, ok := sub.(*core.LocalSearchQuantizer); ok {
			kind[1] = 2
		}
		return sub, true
	})
}

// BeamSearchEncodeStep is faiss's beam_search_encode_step: it reads
// cent (float32[k*d]), residuals (float32[n*beam*d]) and codes
// (int32[n*beam*m]), and writes newCodes (int32[n*newBeam*(m+1)]),
// newResiduals (float32[n*newBeam*d]) and newDist (float32[n*newBeam]).
func BeamSearchEncodeStep(d, k int64, cent uintptr, n, beam int64, residuals uintptr, m int64, codes uintptr, newBeam int64, newCodes, newResiduals, newDist uintptr) string {
	return guard("beam_search_encode_step", func() error {
		c, err := floats(cent, k*d)
		if err != nil {
			return err
		}
		r, err := floats(residuals, n*beam*d)
		if err != nil {
			return err
		}
		cs, err := optional[int32](codes, n*beam*m)
		if err != nil {
			return err
		}
		oc, err := int32s(newCodes, n*newBeam*(m+1))
		if err != nil {
			return err
		}
		or, err := floats(newResiduals, n*newBeam*d)
		if err != nil {
			return err
		}
		od, err := floats(newDist, n*newBeam)
		if err != nil {
			return err
		}
		gc, gr, gd, err := core.BeamSearchEncodeStep(int(d), int(k), c, int(n), int(beam), r, int(m), cs, int(newBeam))
		if err != nil {
			return err
		}
		copy(oc, gc)
		copy(or, gr)
		copy(od, gd)
		return nil
	})
}

// AQInitializeFrom makes the residual quantizer behind h codebooks
// skip.. of the one behind other (faiss's initialize_from).
func AQInitializeFrom(h, other, skip int64) string {
	const op = "ResidualQuantizer.initialize_from"
	var src core.ResidualQuantizer
	if st := withAQ(op, other, false, func(_ *core.AdditiveQuantizer, _ core.Additive, rq *core.ResidualQuantizer) error {
		if rq == nil {
			return rqOnly(op)
		}
		src = *rq
		src.Codebooks = append([]float32(nil), rq.Codebooks...)
		return nil
	}); st != "" {
		return st
	}
	return withAQ(op, h, true, func(_ *core.AdditiveQuantizer, _ core.Additive, rq *core.ResidualQuantizer) error {
		if rq == nil {
			return rqOnly(op)
		}
		return rq.InitializeFrom(&src, int(skip))
	})
}

// IndexSearchRCQ searches a ResidualCoarseQuantizer with another beam
// factor (faiss's SearchParametersResidualCoarseQuantizer).
func IndexSearchRCQ(h, n int64, x uintptr, k int64, dist, labels uintptr, beamFactor float64, sel uintptr, nsel int64) string {
	return paramSearch(h, n, x, k, dist, labels, sel, nsel, func() (*core.SearchParams, error) {
		b := float32(beamFactor)
		return &core.SearchParams{BeamFactor: &b}, nil
	})
}
