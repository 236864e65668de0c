package pyapi

import (
	"fmt"

	"github.com/metalfaiss/metalfaiss/core"
	"github.com/metalfaiss/metalfaiss/core/indexio"
)

// Index files go through Python as bytes: IndexSerialize writes the index
// into a buffer held on the Go side and reports its size, BytesFetch copies
// it into a numpy array and frees it; IndexDeserialize builds an index
// from bytes.

// serialized is an index file waiting to be fetched.
type serialized struct{ b []byte }

// IndexSerialize writes the index behind h in faiss's format and writes
// the buffer's handle and length to out (int64[2]).
func IndexSerialize(h, flags int64, out uintptr) string {
	const op = "serialize_index"
	return withIndex(op, h, false, func(ix core.Index) error {
		dst, err := int64s(out, 2)
		if err != nil {
			return err
		}
		b, err := indexio.WriteFlags(ix, int(flags))
		if err != nil {
			return err
		}
		dst[0], dst[1] = register(&serialized{b}), int64(len(b))
		return nil
	})
}

// BytesFetch copies a serialized index (n bytes) to addr and frees it.
func BytesFetch(h, n int64, addr uintptr) string {
	const op = "serialize_index"
	return guard(op, func() error {
		o, err := lookup(op, h)
		if err != nil {
			return err
		}
		s, ok := o.val.(*serialized)
		if !ok || int64(len(s.b)) != n {
			return fmt.Errorf("handle %d is not a serialized index of %d bytes", h, n)
		}
		dst, err := bytesAt(addr, n)
		if err != nil {
			return err
		}
		copy(dst, s.b)
		return release(h)
	})
}

// IndexDeserialize reads an index from the n bytes at addr and writes its
// handle to out (int64[1]).
func IndexDeserialize(n int64, addr uintptr, out uintptr) string {
	const op = "deserialize_index"
	return newIndex(op, out, func() (core.Index, error) {
		b, err := bytesAt(addr, n)
		if err != nil {
			return nil, err
		}
		return indexio.Read(b)
	})
}

// TypeName returns "=" and the faiss class of the object behind h (each
// Go type names itself: core.Named), the key of the Python layer's class
// registry.
func TypeName(h int64) string {
	const op = "type_name"
	return text(op, func() (string, error) {
		o, err := lookup(op, h)
		if err != nil {
			return "", err
		}
		n, ok := o.val.(core.Named)
		if !ok {
			return "", core.Errorf(core.KindInternal, op, "%T does not name its faiss class", o.val)
		}
		return n.Name(), nil
	})
}

// IndexIDMapSub writes a new handle to the sub-index of the IndexIDMap
// behind h to out (int64[1]).
func IndexIDMapSub(h int64, out uintptr) string {
	const op = "IndexIDMap.index"
	return withPart(op, h, out, func(v any) (any, bool) {
		m, ok := v.(*core.IndexIDMap)
		if !ok {
			return nil, false
		}
		return m.Sub(), true
	})
}

// IndexHNSWStorage writes a new handle to the storage of the IndexHNSW
// behind h to out (int64[1]).
func IndexHNSWStorage(h int64, out uintptr) string {
	return withPart("IndexHNSW.storage", h, out, func(v any) (any, bool) {
		ix, ok := v.(*core.IndexHNSW)
		if !ok {
			return nil, false
		}
		if ix.Storage() == nil {
			return nil, true
		}
		return ix.Storage(), true
	})
}

// IndexHNSWSetStorage gives the IndexHNSW behind h the storage behind
// storage (core.IndexHNSW.SetStorage); both then share one lock family.
func IndexHNSWSetStorage(h, storage int64) string {
	return setPart("IndexHNSW.storage", h, storage, (*core.IndexHNSW).SetStorage)
}

// IndexIVFQuantizer writes a new handle to the quantizer of the IVF index
// behind h to out (int64[1]).
func IndexIVFQuantizer(h int64, out uintptr) string {
	return withPart("IndexIVF.quantizer", h, out, func(v any) (any, bool) {
		ivf, ok := asIVF(v)
		if !ok {
			return nil, false
		}
		return ivf.Quantizer(), true
	})
}

// ivfHolder is an index whose IVF part is a core IVF index (a GPU IVF
// index's host copy): the IVF calls reach it.
type ivfHolder interface{ Host() *core.IndexIVF }

// hostOf is v, or the host copy a GPU IVF index keeps (which the IVF,
// quantizer and polysemous calls reach).
func hostOf(v any) any {
	if g, ok := v.(ivfHolder); ok {
		return g.Host()
	}
	return v
}

// asIVF returns v's core IVF index, if it is one or holds one.
func asIVF(v any) (*core.IndexIVF, bool) {
	ivf, ok := hostOf(v).(*core.IndexIVF)
	return ivf, ok
}

// withIVF runs fn on the IVF index behind h (write: holding its lock for writing).
func withIVF(op string, h int64, write bool, fn func(*core.IndexIVF) error) string {
	return withIndex(op, h, write, func(ix core.Index) error {
		ivf, ok := asIVF(ix)
		if !ok {
			return unsupported(op, ix)
		}
		return fn(ivf)
	})
}

// withPart writes to out (int64[1]) a new handle to the part of the
// object behind h that pick returns (false: h has no such part). The part
// joins h's lock family, so writes through it wait for h's searches.
func withPart(op string, h int64, out uintptr, pick func(v any) (any, bool)) string {
	return withObjectAt(op, h, false, func(o *object) error {
		dst, err := int64s(out, 1)
		if err != nil {
			return err
		}
		part, ok := pick(o.val)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "not supported by %T", o.val)
		}
		if part == nil { // a part the object lacks (an HNSW index read without storage)
			dst[0] = 0
			return nil
		}
		dst[0] = registerIn(o.family(), part)
		return nil
	})
}

// IndexRefineBase writes a new handle to the base index of the
// IndexRefine behind h to out (int64[1]).
func IndexRefineBase(h int64, out uintptr) string {
	const op = "IndexRefine.base_index"
	return withPart(op, h, out, func(v any) (any, bool) {
		r, ok := v.(*core.IndexRefine)
		if !ok {
			return nil, false
		}
		return r.Base(), true
	})
}

// IndexReadFile reads the index in the file at path (mapped: faiss's
// IO_FLAG_MMAP; sameDir: IO_FLAG_ONDISK_SAME_DIR) and writes its handle to
// out (int64[1]).
func IndexReadFile(path string, mapped, sameDir bool, out uintptr) string {
	return newIndex("read_index", out, func() (core.Index, error) { return indexio.ReadFileFrom(path, mapped, sameDir) })
}

// IndexDeserializePrefix reads the index at the start of the n bytes at
// addr, which may go on after it; writes its handle and the bytes it took
// to out[0:2] (int64[3]). When the bytes end before the index does, it
// fails with out[2] = 1, so that a caller reading a stream can retry with
// more.
func IndexDeserializePrefix(n int64, addr uintptr, out uintptr) string {
	const op = "read_index"
	var took int64
	var short bool
	st := newIndex(op, out, func() (core.Index, error) {
		b, err := bytesAt(addr, n)
		if err != nil {
			return nil, err
		}
		ix, k, s, err := indexio.ReadPrefix(b)
		took, short = int64(k), s
		return ix, err
	})
	if dst, err := int64s(out, 3); err == nil {
		dst[1] = took
		dst[2] = 0
		if short {
			dst[2] = 1
		}
	}
	return st
}
