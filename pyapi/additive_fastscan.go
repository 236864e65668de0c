package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// IndexAQFastScanNew makes an additive-quantizer fast-scan index of kind
// 0 (residual), 1 (local search), 2 (product residual) or 3 (product local
// search); nsplits is read by the product kinds only (out: int64[1]).
func IndexAQFastScanNew(kind, d, nsplits, m, nbits, metric, st, bbs int64, out uintptr) string {
	names := []string{"IndexResidualQuantizerFastScan", "IndexLocalSearchQuantizerFastScan",
		"IndexProductResidualQuantizerFastScan", "IndexProductLocalSearchQuantizerFastScan"}
	if kind < 0 || kind >= int64(len(names)) {
		return core.Errorf(core.KindInvalidArgument, "IndexAdditiveQuantizerFastScan", "unknown kind %d", kind).Error()
	}
	return newIndex(names[kind], out, func() (core.Index, error) {
		metricT, stT := core.Metric(metric), core.AQSearchType(st)
		switch kind {
		case 0:
			return core.NewIndexResidualQuantizerFastScan(int(d), int(m), int(nbits), metricT, stT, int(bbs))
		case 1:
			return core.NewIndexLocalSearchQuantizerFastScan(int(d), int(m), int(nbits), metricT, stT, int(bbs))
		}
		return core.NewIndexProductAQFastScan(kind == 3, int(d), int(nsplits), int(m), int(nbits), metricT, stT, int(bbs))
	})
}

// IndexAQFastScanFromAQ packs the codes of the IndexAdditiveQuantizer
// behind src, sharing its quantizer as faiss does (out: int64[1]).
func IndexAQFastScanFromAQ(src, bbs int64, out uintptr) string {
	const op = "IndexAdditiveQuantizerFastScan"
	return newIndexOver(op, out, []int64{src}, func() (core.Index, error) {
		s, err := indexOf(op, src)
		if err != nil {
			return nil, err
		}
		aq, ok := s.(*core.IndexAdditiveQuantizer)
		if !ok {
			return nil, core.Errorf(core.KindInvalidArgument, op, "expected an IndexAdditiveQuantizer, got a %T", s)
		}
		return core.NewIndexAQFastScanFrom(aq, int(bbs))
	})
}

// AQFastScanNorm sets rescale_norm, norm_scale and max_train_points when
// set, then writes them to out (int64[3]).
func AQFastScanNorm(h int64, set bool, rescale, scale, maxTrain int64, out uintptr) string {
	const op = "IndexAdditiveQuantizerFastScan.norm_scale"
	return withObject(op, h, set, func(v any) error {
		dst, err := int64s(out, 3)
		if err != nil {
			return err
		}
		switch ix := v.(type) {
		case *core.IndexAQFastScan:
			if set {
				if maxTrain < 0 {
					return core.Errorf(core.KindInvalidArgument, op, "max_train_points must be non-negative, got %d", maxTrain)
				}
				if err := ix.SetNormScale(rescale != 0, int(scale)); err != nil {
					return err
				}
				ix.MaxTrainPoints = int(maxTrain)
			}
			dst[0], dst[1], dst[2] = b2i(ix.RescaleNorm()), int64(ix.NormScale()), int64(ix.MaxTrainPoints)
			return nil
		case *core.IndexIVF:
			if fs := ix.FastScan(); fs != nil && fs.IsAdditive() {
				if set {
					if err := fs.SetNorm(rescale != 0, int(scale), int(maxTrain)); err != nil {
						return err
					}
				}
				dst[0], dst[1], dst[2] = b2i(fs.RescaleNorm()), int64(fs.NormScale()), int64(fs.MaxTrainPoints())
				return nil
			}
		}
		return core.Errorf(core.KindUnsupported, op, "%T is not an additive-quantizer fast-scan index", v)
	})
}

// AQKind writes the kind of the additive quantizer behind h (0 residual,
// 1 local search, 2 product residual, 3 product local search) to out
// (int64[1]).
func AQKind(h int64, out uintptr) string {
	return withAQ("AdditiveQuantizer", h, false, func(_ *core.AdditiveQuantizer, q core.Additive, _ *core.ResidualQuantizer) error {
		dst, err := int64s(out, 1)
		if err != nil {
			return err
		}
		dst[0] = int64(core.AdditiveKind(q))
		return nil
	})
}

// IndexIVFAQFastScanNew makes an IVF additive-quantizer fast-scan index
// over the quantizer behind handle q, of the kinds IndexAQFastScanNew
// takes (out: int64[1]).
func IndexIVFAQFastScanNew(kind, q, d, nlist, nsplits, m, nbits, metric, st, bbs int64, out uintptr) string {
	const op = "IndexIVFAdditiveQuantizerFastScan"
	if kind < 0 || kind > 3 {
		return core.Errorf(core.KindInvalidArgument, op, "unknown kind %d", kind).Error()
	}
	if kind < 2 {
		nsplits = 0
	}
	return newIndexOver(op, out, []int64{q}, func() (core.Index, error) {
		quantizer, err := indexOf(op, q)
		if err != nil {
			return nil, err
		}
		return core.NewIndexIVFAQFastScanOf(kind%2 == 1, quantizer, int(d), int(nlist), int(nsplits), int(m), int(nbits),
			core.Metric(metric), core.AQSearchType(st), int(bbs))
	})
}

// IndexIVFAQFastScanFromIVF packs a copy of the lists of the IVF
// additive-quantizer index behind src, sharing its quantizers (out:
// int64[1]).
func IndexIVFAQFastScanFromIVF(src, bbs int64, out uintptr) string {
	return newIVFFrom("IndexIVFAdditiveQuantizerFastScan", "an IndexIVFAdditiveQuantizer", src, out, func(ivf *core.IndexIVF) (core.Index, error) {
		return core.NewIndexIVFAQFastScanFrom(ivf, int(bbs))
	})
}

// LSQUpdateCodebooks fits the codebooks of the local search quantizer
// behind h to n vectors at x (float32[n*d]) under their codes (int32[n*M]).
func LSQUpdateCodebooks(h, n int64, x, codes uintptr) string {
	const op = "LocalSearchQuantizer.update_codebooks"
	return withAQ(op, h, true, func(aq *core.AdditiveQuantizer, q core.Additive, _ *core.ResidualQuantizer) error {
		l, ok := q.(*core.LocalSearchQuantizer)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "not a local search quantizer")
		}
		xs, err := floats(x, n*int64(aq.D))
		if err != nil {
			return err
		}
		cs, err := int32s(codes, n*int64(aq.M))
		if err != nil {
			return err
		}
		return l.UpdateCodebooks(xs, cs)
	})
}

// AQPackCodes packs n rows of codebook indices (int32, ld apart) into
// codes (uint8[n*code_size]).
func AQPackCodes(h, n int64, codes uintptr, ld int64, out uintptr) string {
	const op = "AdditiveQuantizer.pack_codes"
	return withAQ(op, h, false, func(aq *core.AdditiveQuantizer, _ core.Additive, _ *core.ResidualQuantizer) error {
		if n < 0 {
			return core.Errorf(core.KindInvalidArgument, op, "n must be >= 0, got %d", n)
		}
		rowLen := ld
		if rowLen <= 0 {
			rowLen = int64(aq.M)
		}
		cs, err := int32s(codes, max(0, (n-1)*rowLen+int64(aq.M)))
		if err != nil {
			return err
		}
		dst, err := bytesAt(out, n*int64(aq.CodeSize()))
		if err != nil {
			return err
		}
		return aq.PackCodes(cs, int(n), int(ld), dst)
	})
}

// AQKnnCentroids finds the k nearest centroids of the additive quantizer
// behind h for n vectors at x: by L2 (metric 1; norms: float32[2^tot_bits]
// or 0 to compute them) or inner product (metric 0).
func AQKnnCentroids(h, n int64, x uintptr, k int64, dist, labels, norms uintptr, metric int64) string {
	const op = "AdditiveQuantizer.knn_centroids"
	return withAQ(op, h, false, func(aq *core.AdditiveQuantizer, q core.Additive, _ *core.ResidualQuantizer) error {
		if n < 0 || k <= 0 || aq.TotBits() > 30 {
			return core.Errorf(core.KindInvalidArgument, op, "need n >= 0, k > 0 and at most 30 bits, got %d, %d, %d", n, k, aq.TotBits())
		}
		xs, err := floats(x, n*int64(aq.D))
		if err != nil {
			return err
		}
		ds, err := floats(dist, n*k)
		if err != nil {
			return err
		}
		ls, err := int64s(labels, n*k)
		if err != nil {
			return err
		}
		var ns []float32
		if norms != 0 {
			if ns, err = floats(norms, int64(1)<<aq.TotBits()); err != nil {
				return err
			}
		}
		return core.KnnCentroids(q, core.Metric(metric), xs, int(k), ns, ds, ls)
	})
}

// AQTables builds the codebook tables when build is set, then writes the
// cross products (which 0) or the entry norms (which 1) to out (n
// floats), or their count to out (int64[1]) when n < 0.
func AQTables(h int64, build bool, which, n int64, out uintptr) string {
	const op = "AdditiveQuantizer.codebook_tables"
	return withAQ(op, h, build, func(aq *core.AdditiveQuantizer, _ core.Additive, _ *core.ResidualQuantizer) error {
		if build {
			if !aq.IsTrained() {
				return core.Errorf(core.KindNotTrained, op, "the codebooks are not trained yet")
			}
			aq.ComputeCodebookTables()
		}
		t := aq.CodebookCrossProducts()
		if which == 1 {
			t = aq.EntryNorms()
		}
		if n < 0 {
			dst, err := int64s(out, 1)
			if err == nil {
				dst[0] = int64(len(t))
			}
			return err
		}
		if int64(len(t)) != n {
			return core.Errorf(core.KindDimensionMismatch, op, "the table holds %d values, the buffer %d", len(t), n)
		}
		dst, err := floats(out, n)
		if err == nil {
			copy(dst, t)
		}
		return err
	})
}
