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
func IndexSerialize(h int64, out uintptr) string {
	const op = "serialize_index"
	return withIndex(op, h, false, func(ix core.Index) error {
		dst, err := int64s(out, 2)
		if err != nil {
			return err
		}
		b, err := indexio.Write(ix)
		if err != nil {
			return err
		}
		dst[0], dst[1] = register(&serialized{b}), int64(len(b))
		return nil
	})
}

// BytesFetch copies a serialized index (n bytes) to addr and frees it.
func BytesFetch(h, n int64, addr uintptr) string {
	return guard("serialize_index", func() error {
		o, err := lookup(h)
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

// IndexTypeName names the type behind h the way the Python layer wraps
// it: IndexFlat, IndexIDMap(2), IndexPQ, IndexScalarQuantizer,
// IndexHNSWFlat/SQ/PQ ("" for a bad handle).
func IndexTypeName(h int64) string {
	o, err := lookup(h)
	if err != nil {
		return ""
	}
	switch x := o.val.(type) {
	case *core.IndexFlat:
		return "IndexFlat"
	case *core.IndexIDMap:
		if x.IsIDMap2() {
			return "IndexIDMap2"
		}
		return "IndexIDMap"
	case *core.IndexPQ:
		return "IndexPQ"
	case *core.IndexScalarQuantizer:
		return "IndexScalarQuantizer"
	case *core.IndexHNSW:
		return x.Name()
	case *core.IndexIVF:
		return x.Name()
	case *core.IndexRefine:
		return "IndexRefineFlat"
	case *core.IndexPreTransform:
		return "IndexPreTransform"
	case *core.IndexLSH:
		return "IndexLSH"
	}
	return fmt.Sprintf("%T", o.val)
}

// IndexIDMapSub writes a new handle to the sub-index of the IndexIDMap
// behind h to out (int64[1]).
func IndexIDMapSub(h int64, out uintptr) string {
	const op = "IndexIDMap.index"
	return withIndex(op, h, false, func(ix core.Index) error {
		m, ok := ix.(*core.IndexIDMap)
		if !ok {
			return unsupported(op, ix)
		}
		return writeHandle(out, m.Sub())
	})
}

// IndexHNSWStorage writes a new handle to the storage of the IndexHNSW
// behind h to out (int64[1]).
func IndexHNSWStorage(h int64, out uintptr) string {
	return withHNSW("IndexHNSW.storage", h, false, func(ix *core.IndexHNSW) error {
		return writeHandle(out, ix.Storage())
	})
}

// IndexIVFQuantizer writes a new handle to the quantizer of the IVF index
// behind h to out (int64[1]).
func IndexIVFQuantizer(h int64, out uintptr) string {
	return withIVF("IndexIVF.quantizer", h, func(ivf *core.IndexIVF) error {
		return writeHandle(out, ivf.Quantizer())
	})
}

// withIVF runs fn (reading) on the IVF index behind h.
func withIVF(op string, h int64, fn func(*core.IndexIVF) error) string {
	return withIndex(op, h, false, func(ix core.Index) error {
		ivf, ok := ix.(*core.IndexIVF)
		if !ok {
			return unsupported(op, ix)
		}
		return fn(ivf)
	})
}

// writeHandle registers v and writes its handle to out (int64[1]).
func writeHandle(out uintptr, v any) error {
	dst, err := int64s(out, 1)
	if err != nil {
		return err
	}
	dst[0] = register(v)
	return nil
}

// IndexRefineBase writes a new handle to the base index of the
// IndexRefine behind h to out (int64[1]).
func IndexRefineBase(h int64, out uintptr) string {
	const op = "IndexRefine.base_index"
	return withIndex(op, h, false, func(ix core.Index) error {
		r, ok := ix.(*core.IndexRefine)
		if !ok {
			return unsupported(op, ix)
		}
		return writeHandle(out, r.Base())
	})
}

// IndexReadFile reads the index in the file at path (mapped: faiss's
// IO_FLAG_MMAP) and writes its handle to out (int64[1]).
func IndexReadFile(path string, mapped bool, out uintptr) string {
	return newIndex("read_index", out, func() (core.Index, error) { return indexio.ReadFile(path, mapped) })
}
