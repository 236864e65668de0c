package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// IndexRaBitQNew makes an IndexRaBitQ (out: int64[1]).
func IndexRaBitQNew(d, metric, nbBits int64, out uintptr) string {
	return newIndex("IndexRaBitQ", out, func() (core.Index, error) {
		return core.NewIndexRaBitQ(int(d), core.Metric(metric), int(nbBits))
	})
}

// IndexIVFRaBitQNew makes an IndexIVFRaBitQ over the quantizer behind
// handle q (out: int64[1]).
func IndexIVFRaBitQNew(q, d, nlist, metric, nbBits int64, out uintptr) string {
	const op = "IndexIVFRaBitQ"
	return newIndexOver(op, out, []int64{q}, func() (core.Index, error) {
		quantizer, err := indexOf(op, q)
		if err != nil {
			return nil, err
		}
		return core.NewIndexIVFRaBitQ(quantizer, int(d), int(nlist), core.Metric(metric), int(nbBits))
	})
}

// rbqOf returns the quantizer behind v and the index's query settings (nil
// for a standalone quantizer or an IVF index's centred flag).
func rbqOf(op string, v any) (*core.RaBitQuantizer, *int, *bool, error) {
	switch x := v.(type) {
	case *core.RaBitQuantizer:
		return x, nil, nil, nil
	case *core.IndexRaBitQ:
		return x.RBQ, &x.Qb, &x.Centered, nil
	case *core.IndexRaBitQFastScan:
		return x.RBQ, &x.Qb, &x.Centered, nil
	case *core.IndexIVF:
		if q := x.RBQ(); q == nil {
			break
		} else if x.FastScan() != nil {
			return q, &x.RaBitQ().Qb, &x.RaBitQ().Centered, nil
		} else {
			return q, &x.RaBitQ().Qb, nil, nil
		}
	}
	return nil, nil, nil, core.Errorf(core.KindUnsupported, op, "%T is not a RaBitQ index or quantizer", v)
}

// RaBitQSettings sets qb and centered when set is nonzero (centered < 0:
// left alone), then writes d, nb_bits, code_size, metric, qb, centered and
// the center's length to out (int64[7]).
func RaBitQSettings(h, set, qb, centered int64, out uintptr) string {
	const op = "RaBitQ.settings"
	return withObject(op, h, set != 0, func(v any) error {
		q, pqb, pcen, err := rbqOf(op, v)
		if err != nil {
			return err
		}
		dst, err := int64s(out, 7)
		if err != nil {
			return err
		}
		if set != 0 {
			if pqb == nil {
				return core.Errorf(core.KindUnsupported, op, "a RaBitQuantizer has no query settings")
			}
			if qb < 0 || qb > 8 {
				return core.Errorf(core.KindInvalidArgument, op, "qb must be 0..8, got %d", qb)
			}
			*pqb = int(qb)
			if centered >= 0 && pcen != nil {
				*pcen = centered != 0
			}
		}
		dst[0], dst[1], dst[2], dst[3] = int64(q.D), int64(q.NbBits), int64(q.CodeSize), int64(q.Metric)
		dst[4], dst[5], dst[6] = -1, -1, int64(len(q.Centroid))
		if pqb != nil {
			dst[4] = int64(*pqb)
		}
		if pcen != nil {
			dst[5] = b2i(*pcen)
		}
		return nil
	})
}

// RaBitQCenter copies the center (IndexRaBitQ) or centroid (a standalone
// quantizer's) into out (float32[n]), or replaces a standalone quantizer's
// centroid from it when write is set (n 0: none).
func RaBitQCenter(h int64, write bool, n int64, out uintptr) string {
	const op = "RaBitQ.center"
	return withObject(op, h, write, func(v any) error {
		q, _, _, err := rbqOf(op, v)
		if err != nil {
			return err
		}
		if write {
			if _, ok := v.(*core.RaBitQuantizer); !ok {
				return core.Errorf(core.KindUnsupported, op, "only a standalone RaBitQuantizer's centroid can be set")
			}
			if n != 0 && n != int64(q.D) {
				return core.Errorf(core.KindDimensionMismatch, op, "the centroid needs d=%d values, got %d", q.D, n)
			}
			c, err := floats(out, n)
			if err == nil {
				q.Centroid = append([]float32(nil), c...)
				if n == 0 {
					q.Centroid = nil
				}
			}
			return err
		}
		if n != int64(len(q.Centroid)) {
			return core.Errorf(core.KindDimensionMismatch, op, "the center has %d values, the buffer %d", len(q.Centroid), n)
		}
		dst, err := floats(out, n)
		if err == nil {
			copy(dst, q.Centroid)
		}
		return err
	})
}

// RaBitQuantizerNew makes a standalone RaBitQuantizer (out: int64[1]).
func RaBitQuantizerNew(d, metric, nbBits int64, out uintptr) string {
	return newObject("RaBitQuantizer", out, func() (any, error) {
		return core.NewRaBitQuantizer(int(d), core.Metric(metric), int(nbBits))
	})
}

// RaBitQuantizerCodes codes (decode false) n vectors at x into codes, or
// decodes codes into x, relative to the quantizer's centroid.
func RaBitQuantizerCodes(h int64, decode bool, n int64, x, codes uintptr) string {
	op := "RaBitQuantizer.compute_codes"
	if decode {
		op = "RaBitQuantizer.decode"
	}
	return withObject(op, h, false, func(v any) error {
		q, _, _, err := rbqOf(op, v)
		if err != nil {
			return err
		}
		if _, own := v.(*core.RaBitQuantizer); !own {
			// an index's quantizer, as faiss's index.rabitq: no centroid
			c := *q
			c.Centroid = nil
			q = &c
		}
		if decode {
			return codeVectors(n, q.D, q.CodeSize, x, codes, func(xs []float32, cs []byte) error { return q.Decode(cs, xs) })
		}
		return codeVectors(n, q.D, q.CodeSize, x, codes, q.ComputeCodes)
	})
}

// IndexSearchRaBitQ is IndexSearchWith with faiss's RaBitQSearchParameters
// (qb, centered).
func IndexSearchRaBitQ(h, n int64, x uintptr, k int64, dist, labels uintptr, qb int64, centered bool, sel uintptr, nsel int64) string {
	return paramSearch(h, n, x, k, dist, labels, sel, nsel, func() (*core.SearchParams, error) {
		return &core.SearchParams{RaBitQ: &core.RaBitQParams{Qb: int(qb), Centered: centered}}, nil
	})
}

// IndexRangeSearchRaBitQ is IndexRangeSearchWith with faiss's
// RaBitQSearchParameters (qb; range searches quantize uncentred).
func IndexRangeSearchRaBitQ(h, n int64, x uintptr, radius float64, qb int64, sel uintptr, nsel int64, out uintptr) string {
	return paramRangeSearch(h, n, x, radius, sel, nsel, out, func() (*core.SearchParams, error) {
		return &core.SearchParams{RaBitQ: &core.RaBitQParams{Qb: int(qb)}}, nil
	})
}

// IndexRaBitQFastScanNew makes an IndexRaBitQFastScan (out: int64[1]).
func IndexRaBitQFastScanNew(d, metric, bbs, nbBits int64, out uintptr) string {
	return newIndex("IndexRaBitQFastScan", out, func() (core.Index, error) {
		return core.NewIndexRaBitQFastScan(int(d), core.Metric(metric), int(bbs), int(nbBits))
	})
}

// IndexRaBitQFastScanFrom makes an IndexRaBitQFastScan from a copy of the
// IndexRaBitQ behind src (out: int64[1]).
func IndexRaBitQFastScanFrom(src, bbs int64, out uintptr) string {
	return newIndexFrom("IndexRaBitQFastScan", "an IndexRaBitQ", src, out, func(r *core.IndexRaBitQ) (core.Index, error) {
		return core.NewIndexRaBitQFastScanFrom(r, int(bbs))
	})
}

// IndexIVFRaBitQFastScanNew makes an IndexIVFRaBitQFastScan over the
// quantizer behind handle q (out: int64[1]).
func IndexIVFRaBitQFastScanNew(q, d, nlist, metric, bbs, nbBits int64, out uintptr) string {
	const op = "IndexIVFRaBitQFastScan"
	return newIndexOver(op, out, []int64{q}, func() (core.Index, error) {
		quantizer, err := indexOf(op, q)
		if err != nil {
			return nil, err
		}
		return core.NewIndexIVFRaBitQFastScan(quantizer, int(d), int(nlist), core.Metric(metric), int(bbs), int(nbBits))
	})
}

// IndexIVFRaBitQFastScanFrom copies the IndexIVFRaBitQ behind src, sharing
// its quantizer (out: int64[1]).
func IndexIVFRaBitQFastScanFrom(src, bbs int64, out uintptr) string {
	return newIVFFrom("IndexIVFRaBitQFastScan", "an IndexIVFRaBitQ", src, out, func(ivf *core.IndexIVF) (core.Index, error) {
		return core.NewIndexIVFRaBitQFastScanFrom(ivf, int(bbs))
	})
}
