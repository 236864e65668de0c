package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// The standalone codec of an index (faiss's sa_* methods).

func saCodecOf(op string, ix core.Index) (core.StandaloneCodec, error) {
	c, ok := ix.(core.StandaloneCodec)
	if !ok || c.SaCodeSize() == 0 {
		return nil, core.Errorf(core.KindUnsupported, op, "%T has no standalone codes", ix)
	}
	return c, nil
}

// IndexSaCodeSize writes the bytes of one code of index h to out (int64[1]).
func IndexSaCodeSize(h int64, out uintptr) string {
	const op = "Index.sa_code_size"
	return withIndex(op, h, false, func(ix core.Index) error {
		o, err := int64s(out, 1)
		if err != nil {
			return err
		}
		c, err := saCodecOf(op, ix)
		if err != nil {
			return err
		}
		o[0] = int64(c.SaCodeSize())
		return nil
	})
}

// saBuffers returns the codec of ix and the n vectors at x and their n
// codes at codes.
func saBuffers(op string, ix core.Index, n int64, x, codes uintptr) (core.StandaloneCodec, []float32, []byte, error) {
	c, err := saCodecOf(op, ix)
	if err != nil {
		return nil, nil, nil, err
	}
	xs, err := floats(x, n*int64(ix.D()))
	if err != nil {
		return nil, nil, nil, err
	}
	cs, err := bytesAt(codes, n*int64(c.SaCodeSize()))
	return c, xs, cs, err
}

// IndexSaEncode writes the codes of the n vectors at x to codes.
func IndexSaEncode(h, n int64, x, codes uintptr) string {
	const op = "Index.sa_encode"
	return withIndex(op, h, false, func(ix core.Index) error {
		c, xs, cs, err := saBuffers(op, ix, n, x, codes)
		if err != nil {
			return err
		}
		return c.SaEncode(xs, cs)
	})
}

// IndexSaDecode writes the n vectors the codes at codes stand for to x.
func IndexSaDecode(h, n int64, codes, x uintptr) string {
	const op = "Index.sa_decode"
	return withIndex(op, h, false, func(ix core.Index) error {
		c, xs, cs, err := saBuffers(op, ix, n, x, codes)
		if err != nil {
			return err
		}
		return c.SaDecode(cs, xs)
	})
}

// IndexAddSaCodes adds n entries given as codes, with the ids at ids (0:
// numbered on from ntotal).
func IndexAddSaCodes(h, n int64, codes, ids uintptr) string {
	const op = "Index.add_sa_codes"
	return withIndex(op, h, true, func(ix core.Index) error {
		c, err := saCodecOf(op, ix)
		if err != nil {
			return err
		}
		adder, ok := ix.(core.CodeAdder)
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "not supported by %T", ix)
		}
		cs, err := bytesAt(codes, n*int64(c.SaCodeSize()))
		if err != nil {
			return err
		}
		is, err := optional[int64](ids, n)
		if err != nil {
			return err
		}
		return adder.AddSaCodes(cs, is)
	})
}

// codeHolder is an index whose entries are stored as codes (faiss's
// IndexFlatCodes: flat, PQ, SQ, LSH).
type codeHolder interface{ Codes() []byte }

// IndexCodes copies the stored codes of index h into out (n bytes); with
// n = -1 it writes their length to out (int64[1]) instead.
func IndexCodes(h, n int64, out uintptr) string {
	const op = "Index.codes"
	return withIndex(op, h, false, func(ix core.Index) error {
		if g, ok := ix.(interface{ Host() *core.IndexFlat }); ok { // a GPU flat index: its host copy
			ix = g.Host()
		}
		var size int64
		var fill func(dst []byte) error
		switch t := ix.(type) {
		case *core.IndexFlat: // the vectors' bytes, written straight into dst
			size = t.Ntotal() * int64(t.SaCodeSize())
			fill = func(dst []byte) error { return t.SaEncode(t.Vectors(), dst) }
		case codeHolder:
			codes := t.Codes()
			size = int64(len(codes))
			fill = func(dst []byte) error { copy(dst, codes); return nil }
		default:
			return core.Errorf(core.KindUnsupported, op, "%T does not store codes", ix)
		}
		if n == -1 {
			dst, err := int64s(out, 1)
			if err == nil {
				dst[0] = size
			}
			return err
		}
		dst, err := bytesAt(out, n)
		if err != nil {
			return err
		}
		if int64(len(dst)) != size {
			return core.Errorf(core.KindInvalidArgument, op, "%d bytes of room for %d bytes of codes", len(dst), size)
		}
		if size == 0 {
			return nil
		}
		return fill(dst)
	})
}
