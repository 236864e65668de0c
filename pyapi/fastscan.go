package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// IndexPQFastScanNew makes an IndexPQFastScan (out: int64[1]).
func IndexPQFastScanNew(d, m, nbits, metric, bbs int64, out uintptr) string {
	return newIndex("IndexPQFastScan", out, func() (core.Index, error) {
		return core.NewIndexPQFastScan(int(d), int(m), int(nbits), core.Metric(metric), int(bbs))
	})
}

// IndexPQFastScanFromPQ packs a copy of the IndexPQ behind src (out:
// int64[1]).
func IndexPQFastScanFromPQ(src, bbs int64, out uintptr) string {
	return newIndexFrom("IndexPQFastScan", "an IndexPQ", src, out, func(pq *core.IndexPQ) (core.Index, error) {
		return core.NewIndexPQFastScanFrom(pq, int(bbs))
	})
}

// newIndexFrom registers the index build makes from the object behind src
// (a T, described by what for errors) and writes its handle to out.
func newIndexFrom[T any](op, what string, src int64, out uintptr, build func(T) (core.Index, error)) string {
	var made core.Index
	if msg := withObject(op, src, false, func(v any) error {
		s, ok := v.(T)
		if !ok {
			return core.Errorf(core.KindInvalidArgument, op, "expected %s, got a %T", what, v)
		}
		var err error
		made, err = build(s)
		return err
	}); msg != "" {
		return msg
	}
	return newIndex(op, out, func() (core.Index, error) { return made, nil })
}

// FastScanSettings sets implem and qbs when set is nonzero, then writes
// implem, qbs, bbs, M, M2 and the packed code bytes to out (int64[6]).
func FastScanSettings(h, set, implem, qbs int64, out uintptr) string {
	const op = "IndexFastScan.settings"
	return withObject(op, h, set != 0, func(v any) error {
		dst, err := int64s(out, 6)
		if err != nil {
			return err
		}
		var pImplem, pQbs *int
		switch ix := v.(type) {
		case interface{ FastScanBase() *core.IndexFastScan }:
			b := ix.FastScanBase()
			pImplem, pQbs = &b.Implem, &b.Qbs
			dst[2], dst[3], dst[4], dst[5] = int64(b.Bbs), int64(b.M()), int64(b.M2()), int64(len(b.PackedCodes()))
		case *core.IndexRaBitQFastScan:
			pImplem, pQbs = &ix.Implem, &ix.Qbs
			dst[2], dst[3], dst[4], dst[5] = int64(ix.Bbs), int64(ix.M()), int64(ix.M2()), int64(len(ix.FaissBlocks()))
		default:
			return core.Errorf(core.KindUnsupported, op, "%T is not a fast-scan index", v)
		}
		if set != 0 {
			if qbs < 0 {
				return core.Errorf(core.KindInvalidArgument, op, "qbs must be non-negative, got %d", qbs)
			}
			*pImplem, *pQbs = int(implem), int(qbs)
		}
		dst[0], dst[1] = int64(*pImplem), int64(*pQbs)
		return nil
	})
}

// FastScanCodes copies the packed codes (n bytes, see FastScanSettings)
// to out.
func FastScanCodes(h, n int64, out uintptr) string {
	const op = "IndexFastScan.codes"
	return withObject(op, h, false, func(v any) error {
		var packed []byte
		switch ix := v.(type) {
		case interface{ FastScanBase() *core.IndexFastScan }:
			packed = ix.FastScanBase().PackedCodes()
		case *core.IndexRaBitQFastScan:
			packed = ix.FaissBlocks()
		default:
			return core.Errorf(core.KindUnsupported, op, "%T is not a fast-scan index", v)
		}
		if int64(len(packed)) != n {
			return core.Errorf(core.KindDimensionMismatch, op, "the index holds %d code bytes, the buffer %d", len(packed), n)
		}
		dst, err := bytesAt(out, n)
		if err == nil {
			copy(dst, packed)
		}
		return err
	})
}

// PQ4CodePack writes one standard code (M 4-bit codes at code) as vector
// i of the packed blocks at blocks (nblocks bytes) when pack is set, or
// reads it back into code (faiss's CodePackerPQ4 pack_1 / unpack_1).
func PQ4CodePack(pack bool, code uintptr, m, bbs, i int64, blocks uintptr, nblocks int64) string {
	const op = "CodePackerPQ4"
	return guard(op, func() error {
		if m <= 0 || bbs <= 0 || bbs%32 != 0 || i < 0 {
			return core.Errorf(core.KindInvalidArgument, op, "need M > 0, bbs a positive multiple of 32 and i >= 0, got %d, %d, %d", m, bbs, i)
		}
		bb := int64(core.PQ4BlockBytes(int(bbs), int(m)))
		if (i/bbs+1)*bb > nblocks {
			return core.Errorf(core.KindInvalidArgument, op, "vector %d lies past the %d bytes given (%d per block of %d)", i, nblocks, bb, bbs)
		}
		c, err := bytesAt(code, (m+1)/2)
		if err != nil {
			return err
		}
		b, err := bytesAt(blocks, nblocks)
		if err != nil {
			return err
		}
		if pack {
			core.PQ4PackCode(c, int(bbs), int(m), int(i), b)
		} else {
			core.PQ4UnpackCode(b, int(bbs), int(m), int(i), c)
		}
		return nil
	})
}

// IndexIVFPQFastScanNew makes an IndexIVFPQFastScan over the quantizer
// behind handle q (out: int64[1]).
func IndexIVFPQFastScanNew(q, d, nlist, m, nbits, metric, bbs int64, out uintptr) string {
	const op = "IndexIVFPQFastScan"
	return newIndexOver(op, out, []int64{q}, func() (core.Index, error) {
		quantizer, err := indexOf(op, q)
		if err != nil {
			return nil, err
		}
		return core.NewIndexIVFPQFastScan(quantizer, int(d), int(nlist), int(m), int(nbits), core.Metric(metric), int(bbs))
	})
}

// IndexIVFPQFastScanFromIVFPQ packs a copy of the IndexIVFPQ behind src,
// sharing its quantizer (out: int64[1]).
func IndexIVFPQFastScanFromIVFPQ(src, bbs int64, out uintptr) string {
	return newIVFFrom("IndexIVFPQFastScan", "an IndexIVFPQ", src, out, func(ivf *core.IndexIVF) (core.Index, error) {
		return core.NewIndexIVFPQFastScanFrom(ivf, int(bbs))
	})
}

// newIVFFrom registers the index build makes from the IVF index behind
// src (what describes the kind expected), which shares src's quantizer.
func newIVFFrom(op, what string, src int64, out uintptr, build func(*core.IndexIVF) (core.Index, error)) string {
	return newIndexOver(op, out, []int64{src}, func() (core.Index, error) {
		s, err := indexOf(op, src)
		if err != nil {
			return nil, err
		}
		ivf, ok := s.(*core.IndexIVF)
		if !ok {
			return nil, core.Errorf(core.KindInvalidArgument, op, "expected %s, got a %T", what, s)
		}
		return build(ivf)
	})
}

// IVFFastScanCodes copies list l's packed codes (n bytes: whole blocks of
// bbs codes) to out, or writes their size to out (int64[1]) when n < 0.
func IVFFastScanCodes(h, l, n int64, out uintptr) string {
	const op = "IndexIVFPQFastScan.invlists.get_codes"
	return withIVF(op, h, false, func(ivf *core.IndexIVF) error {
		if ivf.FastScan() == nil {
			return core.Errorf(core.KindUnsupported, op, "%s is not a fast-scan index", ivf.Name())
		}
		if l < 0 || l >= int64(ivf.Nlist()) {
			return core.Errorf(core.KindInvalidArgument, op, "list %d is out of range (nlist=%d)", l, ivf.Nlist())
		}
		packed := ivf.PackedList(int(l))
		if n < 0 {
			dst, err := int64s(out, 1)
			if err == nil {
				dst[0] = int64(len(packed))
			}
			return err
		}
		if int64(len(packed)) != n {
			return core.Errorf(core.KindDimensionMismatch, op, "list %d holds %d code bytes, the buffer %d", l, len(packed), n)
		}
		dst, err := bytesAt(out, n)
		if err == nil {
			copy(dst, packed)
		}
		return err
	})
}
