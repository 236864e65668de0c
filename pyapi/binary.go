package pyapi

import (
	"github.com/metalfaiss/metalfaiss/core"
	"github.com/metalfaiss/metalfaiss/core/indexio"
)

// Binary indexes hold uint8 codes of d bits; they are not float indexes,
// so they have their own calls, shared by every binary index type.

// IndexBinaryFlatNew makes an IndexBinaryFlat of d bits and writes its
// handle to out (int64[1]).
func IndexBinaryFlatNew(d int64, out uintptr) string {
	return newObject("IndexBinaryFlat", out, func() (any, error) { return core.NewIndexBinaryFlat(int(d)) })
}

// IndexBinaryIVFNew makes an IndexBinaryIVF of nlist lists over the binary
// quantizer behind q.
func IndexBinaryIVFNew(q, d, nlist int64, out uintptr) string {
	const op = "IndexBinaryIVF"
	return newObjectOver(op, out, []int64{q}, func() (any, error) {
		o, err := lookup(op, q)
		if err != nil {
			return nil, err
		}
		quantizer, ok := o.val.(core.BinaryIndex)
		if !ok {
			return nil, core.Errorf(core.KindInvalidArgument, op, "the quantizer must be a binary index, got %T", o.val)
		}
		return core.NewIndexBinaryIVF(quantizer, int(d), int(nlist))
	})
}

// IndexBinaryHNSWNew makes an IndexBinaryHNSW of d bits and M links.
func IndexBinaryHNSWNew(d, m int64, out uintptr) string {
	return newObject("IndexBinaryHNSW", out, func() (any, error) { return core.NewIndexBinaryHNSW(int(d), int(m)) })
}

func withBinary(op string, h int64, write bool, fn func(ix core.BinaryIndex) error) string {
	return withObject(op, h, write, func(v any) error {
		ix, ok := v.(core.BinaryIndex)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "handle %d is not a binary index", h)
		}
		return fn(ix)
	})
}

// BinaryInfo writes d (bits), ntotal and is_trained to out (int64[3]);
// TypeName names the type.
func BinaryInfo(h int64, out uintptr) string {
	return withBinary("IndexBinary.info", h, false, func(ix core.BinaryIndex) error {
		dst, err := int64s(out, 3)
		if err != nil {
			return err
		}
		dst[0], dst[1], dst[2] = int64(ix.D()), ix.Ntotal(), b2i(ix.IsTrained())
		return nil
	})
}

func withCodes(op string, h, n int64, x uintptr, write bool, fn func(ix core.BinaryIndex, xs []byte) error) string {
	return withBinary(op, h, write, func(ix core.BinaryIndex) error {
		xs, err := bytesAt(x, n*int64(ix.CodeSize()))
		if err != nil {
			return err
		}
		return fn(ix, xs)
	})
}

// BinaryTrain trains on n codes at x.
func BinaryTrain(h, n int64, x uintptr) string {
	return withCodes("IndexBinary.train", h, n, x, true, func(ix core.BinaryIndex, xs []byte) error { return ix.Train(xs) })
}

// BinaryAdd adds n codes at x.
func BinaryAdd(h, n int64, x uintptr) string {
	return withCodes("IndexBinary.add", h, n, x, true, func(ix core.BinaryIndex, xs []byte) error { return ix.Add(xs) })
}

// BinaryAddWithIDs adds n codes at x under the n ids at ids.
func BinaryAddWithIDs(h, n int64, x, ids uintptr) string {
	const op = "IndexBinary.add_with_ids"
	return withCodes(op, h, n, x, true, func(ix core.BinaryIndex, xs []byte) error {
		a, ok := ix.(interface {
			AddWithIDs(x []byte, ids []int64) error
		})
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T numbers codes sequentially", ix)
		}
		is, err := int64s(ids, n)
		if err != nil {
			return err
		}
		return a.AddWithIDs(xs, is)
	})
}

// BinarySearch writes the k nearest codes of n queries into dist
// (int32[n*k]) and labels (int64[n*k]); nprobe > 0 overrides an IVF's, and
// a selector program at sel (nsel int64s; 0: none) limits the candidates.
func BinarySearch(h, n int64, x uintptr, k int64, dist, labels uintptr, nprobe int64, sel uintptr, nsel int64) string {
	const op = "IndexBinary.search"
	return withCodes(op, h, n, x, false, func(ix core.BinaryIndex, xs []byte) error {
		ds, ls, err := binaryResults(n, k, dist, labels)
		if err != nil {
			return err
		}
		s, err := decodeSelector(op, sel, nsel)
		if err != nil {
			return err
		}
		if ivf, ok := ix.(*core.IndexBinaryIVF); ok {
			return ivf.SearchNprobe(xs, int(k), ds, ls, int(nprobe), s)
		}
		if nprobe > 0 {
			return core.Errorf(core.KindUnsupported, op, "%T takes no nprobe", ix)
		}
		if s == nil {
			return ix.Search(xs, int(k), ds, ls)
		}
		if flat, ok := ix.(*core.IndexBinaryFlat); ok {
			return flat.SearchSelected(xs, int(k), ds, ls, s)
		}
		return core.Errorf(core.KindUnsupported, op, "%T takes no IDSelector", ix)
	})
}

// binaryRange is a range-search result waiting to be fetched.
type binaryRange struct {
	lims, labels []int64
	dist         []int32
}

// BinaryRangeSearch searches n queries within radius and writes the
// result's handle and total matches to out (int64[2]).
// nprobe > 0 overrides an IVF's; a selector program at sel (nsel int64s; 0:
// none) limits the candidates.
func BinaryRangeSearch(h, n int64, x uintptr, radius, nprobe int64, sel uintptr, nsel int64, out uintptr) string {
	const op = "IndexBinary.range_search"
	return withCodes(op, h, n, x, false, func(ix core.BinaryIndex, xs []byte) error {
		rs, ok := ix.(core.BinaryRangeSearcher)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "not supported by %T", ix)
		}
		dst, err := int64s(out, 2)
		if err != nil {
			return err
		}
		s, err := decodeSelector(op, sel, nsel)
		if err != nil {
			return err
		}
		var lims, labels []int64
		var dist []int32
		switch t := ix.(type) {
		case *core.IndexBinaryIVF:
			lims, dist, labels, err = t.RangeSearchNprobe(xs, int(radius), int(nprobe), s)
		case *core.IndexBinaryFlat:
			if nprobe > 0 {
				return core.Errorf(core.KindUnsupported, op, "%T takes no nprobe", ix)
			}
			lims, dist, labels, err = t.RangeSearchSelected(xs, int(radius), s)
		default:
			if nprobe > 0 || s != nil {
				return core.Errorf(core.KindUnsupported, op, "%T takes no search parameters", ix)
			}
			lims, dist, labels, err = rs.RangeSearch(xs, int(radius))
		}
		if err != nil {
			return err
		}
		dst[0], dst[1] = register(&binaryRange{lims, labels, dist}), int64(len(labels))
		return nil
	})
}

// BinaryRangeFetch copies a binary range result into lims (int64[nq+1]),
// dist (int32[total]) and labels (int64[total]) and frees it.
func BinaryRangeFetch(h, nq int64, lims, dist, labels uintptr) string {
	const op = "IndexBinary.range_search"
	return guard(op, func() error {
		o, err := lookup(op, h)
		if err != nil {
			return err
		}
		r, ok := o.val.(*binaryRange)
		if !ok || int64(len(r.lims)) != nq+1 {
			return core.Errorf(core.KindInvalidArgument, op, "handle %d is not a range result for %d queries", h, nq)
		}
		l, err := int64s(lims, nq+1)
		if err != nil {
			return err
		}
		d, err := int32s(dist, int64(len(r.dist)))
		if err != nil {
			return err
		}
		ids, err := int64s(labels, int64(len(r.labels)))
		if err != nil {
			return err
		}
		copy(l, r.lims)
		copy(d, r.dist)
		copy(ids, r.labels)
		return release(h)
	})
}

// BinaryReset removes every code.
func BinaryReset(h int64) string {
	return withBinary("IndexBinary.reset", h, true, func(ix core.BinaryIndex) error { ix.Reset(); return nil })
}

// BinaryReconstruct copies code key into out (uint8[d/8]).
func BinaryReconstruct(h, key int64, out uintptr) string {
	const op = "IndexBinary.reconstruct"
	return withBinary(op, h, false, func(ix core.BinaryIndex) error {
		r, ok := ix.(core.BinaryReconstructor)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T keeps no direct map from ids to codes", ix)
		}
		dst, err := bytesAt(out, int64(ix.CodeSize()))
		if err != nil {
			return err
		}
		return r.Reconstruct(key, dst)
	})
}

// BinaryIVFParam reads (value < 0) or sets nprobe of a binary IVF, and
// writes nprobe and nlist to out (int64[2]).
func BinaryIVFParam(h, nprobe int64, out uintptr) string {
	const op = "IndexBinaryIVF.nprobe"
	return withBinary(op, h, nprobe >= 0, func(ix core.BinaryIndex) error {
		ivf, ok := ix.(*core.IndexBinaryIVF)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T is not a binary IVF", ix)
		}
		if nprobe == 0 || nprobe > 1<<30 {
			return core.Errorf(core.KindInvalidArgument, op, "nprobe must be positive, got %d", nprobe)
		}
		if nprobe > 0 {
			ivf.Nprobe = int(nprobe)
		}
		dst, err := int64s(out, 2)
		if err == nil {
			dst[0], dst[1] = int64(ivf.Nprobe), int64(ivf.Nlist())
		}
		return err
	})
}

// BinarySub writes a new handle to the quantizer of a binary IVF, the
// storage of a binary HNSW or the sub-index of a binary id map to out
// (int64[1]).
func BinarySub(h int64, out uintptr) string {
	const op = "IndexBinary.sub"
	return withPart(op, h, out, func(v any) (any, bool) {
		switch x := v.(type) {
		case *core.IndexBinaryIVF:
			return x.Quantizer(), true
		case *core.IndexBinaryHNSW:
			return x.Storage(), true
		case *core.IndexBinaryIDMap:
			return x.Sub(), true
		case *core.IndexBinaryMultiHash:
			return x.Storage(), true
		case *core.IndexBinaryFromFloat:
			return x.Index(), true
		}
		return nil, false
	})
}

// BinarySerialize writes the binary index behind h in faiss's format and
// writes the buffer's handle and length to out (int64[2]); fetch it with
// BytesFetch.
func BinarySerialize(h int64, out uintptr) string {
	return withBinary("serialize_index_binary", h, false, func(ix core.BinaryIndex) error {
		dst, err := int64s(out, 2)
		if err != nil {
			return err
		}
		b, err := indexio.WriteBinary(ix)
		if err != nil {
			return err
		}
		dst[0], dst[1] = register(&serialized{b}), int64(len(b))
		return nil
	})
}

// BinaryDeserialize reads a binary index from the n bytes at addr and
// writes its handle to out (int64[1]).
func BinaryDeserialize(n int64, addr uintptr, out uintptr) string {
	return newObject("deserialize_index_binary", out, func() (any, error) {
		b, err := bytesAt(addr, n)
		if err != nil {
			return nil, err
		}
		return indexio.ReadBinary(b)
	})
}

// BinaryIVFSetCP sets the k-means parameter name (a field of faiss's
// ClusteringParameters) that the binary IVF index h trains with.
func BinaryIVFSetCP(h int64, name string, value float64) string {
	op := "IndexBinaryIVF.cp." + name
	return withBinary(op, h, true, func(ix core.BinaryIndex) error {
		ivf, ok := ix.(*core.IndexBinaryIVF)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T has no clustering parameters", ix)
		}
		return setClusteringParameter(&ivf.CP, op, name, value)
	})
}

// IndexBinaryIDMapNew wraps the binary index behind sub in an
// IndexBinaryIDMap (two: IndexBinaryIDMap2) and writes its handle to out.
func IndexBinaryIDMapNew(sub int64, two bool, out uintptr) string {
	op := "IndexBinaryIDMap"
	return newObjectOver(op, out, []int64{sub}, func() (any, error) {
		o, err := lookup(op, sub)
		if err != nil {
			return nil, err
		}
		inner, ok := o.val.(core.BinaryIndex)
		if !ok {
			return nil, core.Errorf(core.KindInvalidArgument, op, "the sub-index must be a binary index, got %T", o.val)
		}
		return core.NewIndexBinaryIDMap(inner, two)
	})
}

// BinaryIVFSetQuantizer makes the binary index behind q the quantizer of
// the binary IVF index behind h; both then share one lock family.
func BinaryIVFSetQuantizer(h, q int64) string {
	return setPart("IndexBinaryIVF.quantizer", h, q, (*core.IndexBinaryIVF).SetQuantizer)
}

// BinaryRemoveIDs removes the n ids at ids from a binary flat index or id
// map and writes how many went to out (int64[1]).
func BinaryRemoveIDs(h, n int64, ids, out uintptr) string {
	const op = "IndexBinary.remove_ids"
	return withBinary(op, h, true, func(ix core.BinaryIndex) error {
		is, err := int64s(ids, n)
		if err != nil {
			return err
		}
		dst, err := int64s(out, 1)
		if err != nil {
			return err
		}
		sel := core.NewIDSelectorBatch(is)
		switch t := ix.(type) {
		case *core.IndexBinaryFlat:
			dst[0] = t.RemoveIDs(sel)
		case *core.IndexBinaryIDMap:
			dst[0], err = t.RemoveIDs(sel)
		default:
			return core.Errorf(core.KindUnsupported, op, "%T cannot remove codes", ix)
		}
		return err
	})
}

// BinaryIVFListSize writes the size of list l of a binary IVF to out
// (int64[1]).
func BinaryIVFListSize(h, l int64, out uintptr) string {
	return withBinaryIVFList("InvertedLists.list_size", h, l, func(codes []byte, ids []int64) error {
		dst, err := int64s(out, 1)
		if err == nil {
			dst[0] = int64(len(ids))
		}
		return err
	})
}

// BinaryIVFListCopy copies list l of a binary IVF, n entries, into ids
// (int64[n]) and codes (uint8[n*code_size]).
func BinaryIVFListCopy(h, l, n int64, ids, codes uintptr) string {
	const op = "InvertedLists.get_codes"
	return withBinaryIVFList(op, h, l, func(lc []byte, li []int64) error {
		if n != int64(len(li)) {
			return core.Errorf(core.KindInvalidArgument, op, "list %d holds %d entries, not %d", l, len(li), n)
		}
		di, err := int64s(ids, n)
		if err != nil {
			return err
		}
		dc, err := bytesAt(codes, int64(len(lc)))
		if err != nil {
			return err
		}
		copy(di, li)
		copy(dc, lc)
		return nil
	})
}

func withBinaryIVFList(op string, h, l int64, fn func(codes []byte, ids []int64) error) string {
	return withBinary(op, h, false, func(ix core.BinaryIndex) error {
		ivf, ok := ix.(*core.IndexBinaryIVF)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T has no inverted lists", ix)
		}
		if l < 0 || l >= int64(ivf.Nlist()) {
			return core.Errorf(core.KindInvalidArgument, op, "list %d is outside 0..%d", l, ivf.Nlist()-1)
		}
		return fn(ivf.List(int(l)))
	})
}

// BinaryFlatCodes copies the n codes of a binary flat index into out
// (uint8[n*code_size]).
func BinaryFlatCodes(h, n int64, out uintptr) string {
	const op = "IndexBinaryFlat.xb"
	return withBinary(op, h, false, func(ix core.BinaryIndex) error {
		flat, ok := ix.(*core.IndexBinaryFlat)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T is not a binary flat index", ix)
		}
		if n != flat.Ntotal() {
			return core.Errorf(core.KindInvalidArgument, op, "the index holds %d codes, not %d", flat.Ntotal(), n)
		}
		dst, err := bytesAt(out, int64(len(flat.Codes())))
		if err == nil {
			copy(dst, flat.Codes())
		}
		return err
	})
}

// BinaryIVFDirectMap sets the direct map type of a binary IVF (kind >= 0:
// 0 none, 1 array, 2 hashtable) and writes the current type to out
// (int64[1]).
func BinaryIVFDirectMap(h, kind int64, out uintptr) string {
	const op = "IndexBinaryIVF.set_direct_map_type"
	return withBinary(op, h, kind >= 0, func(ix core.BinaryIndex) error {
		ivf, ok := ix.(*core.IndexBinaryIVF)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "%T is not a binary IVF", ix)
		}
		dst, err := int64s(out, 1)
		if err != nil {
			return err
		}
		if kind >= 0 {
			if err := ivf.SetDirectMapType(int(min(kind, 1<<20))); err != nil {
				return err
			}
		}
		dst[0] = int64(ivf.DirectMapType())
		return nil
	})
}
