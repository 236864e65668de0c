package indexio

import (
	"encoding/binary"
	"math"
	"unsafe"

	"github.com/metalfaiss/metalfaiss/core"
)

// reader walks a byte slice, failing with the offset of what is missing.
type reader struct {
	b   []byte
	off int
	err error
	// mapped: b is a private mapping of a file, which the vectors and
	// codes read may point into (kept alive by keep) instead of copying.
	mapped bool
	keep   any
	// listsDir, when set, is where on-disk lists files are looked for
	// (faiss's IO_FLAG_ONDISK_SAME_DIR: the index file's directory).
	listsDir string
	// short: the error is that b ends too soon (a stream read in part).
	short bool
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = core.Errorf(core.KindInvalidArgument, "read_index", "offset %d: "+format, append([]any{r.off}, args...)...)
	}
}

// take returns the next n bytes, or nil (and the error) if there are fewer.
func (r *reader) take(n uint64, what string) []byte {
	if r.err != nil {
		return nil
	}
	if left := uint64(len(r.b) - r.off); n > left {
		r.fail("%s needs %d bytes, the file has %d left", what, n, left)
		r.short = true
		return nil
	}
	s := r.b[r.off : r.off+int(n)]
	r.off += int(n)
	return s
}

func (r *reader) u8(what string) uint8 {
	if s := r.take(1, what); s != nil {
		return s[0]
	}
	return 0
}

func (r *reader) i32(what string) int32 {
	if s := r.take(4, what); s != nil {
		return int32(binary.LittleEndian.Uint32(s))
	}
	return 0
}

func (r *reader) u64(what string) uint64 {
	if s := r.take(8, what); s != nil {
		return binary.LittleEndian.Uint64(s)
	}
	return 0
}

func (r *reader) f32(what string) float32 { return math.Float32frombits(uint32(r.i32(what))) }

func (r *reader) fourcc() string {
	if s := r.take(4, "a type code"); s != nil {
		return string(s)
	}
	return ""
}

// count reads a faiss vector length (size_t) of items of size bytes and
// checks the items fit in what is left before anyone allocates them.
func (r *reader) count(size uint64, what string) uint64 {
	at := r.off
	n := r.u64(what + " length")
	if r.err == nil && (n > math.MaxInt64/size || n*size > uint64(len(r.b)-r.off)) {
		r.off = at
		r.fail("%s claims %d items of %d bytes, the file has %d bytes left", what, n, size, len(r.b)-r.off-8)
		r.short = n <= math.MaxInt64/size
	}
	return n
}

func (r *reader) bytes(n uint64, what string) []byte {
	s := r.take(n, what)
	if s == nil || r.mapped {
		return s[:len(s):len(s)]
	}
	return append([]byte(nil), s...)
}

// size reads a size_t field that must lie in [lo, hi].
func (r *reader) size(what string, lo, hi uint64) int {
	at := r.off
	v := r.u64(what)
	if r.err == nil && (v < lo || v > hi) {
		r.off = at
		r.fail("%s must be %d..%d, the file says %d", what, lo, hi, v)
	}
	return int(v)
}

// vec reads n items of size bytes each, decoded by dec; the caller checked
// the count with r.count.
func vec[T any](r *reader, n, size uint64, what string, dec func([]byte) T) []T {
	s := r.take(n*size, what)
	if s == nil {
		return nil
	}
	out := make([]T, n)
	for i := range out {
		out[i] = dec(s[uint64(i)*size:])
	}
	return out
}

func (r *reader) floats(n uint64, what string) []float32 {
	if r.mapped && n > 0 && r.err == nil && uintptr(unsafe.Pointer(unsafe.SliceData(r.b)))%4 == 0 && r.off%4 == 0 {
		// Aligned floats in a mapping are used in place (the machines we
		// build for are little-endian, as the format).
		s := r.take(n*4, what)
		if s == nil {
			return nil
		}
		return unsafe.Slice((*float32)(unsafe.Pointer(&s[0])), n)
	}
	return vec(r, n, 4, what, func(b []byte) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(b)) })
}

func (r *reader) int32s(n uint64, what string) []int32 {
	return vec(r, n, 4, what, func(b []byte) int32 { return int32(binary.LittleEndian.Uint32(b)) })
}

func (r *reader) int64s(n uint64, what string) []int64 {
	return vec(r, n, 8, what, func(b []byte) int64 { return int64(binary.LittleEndian.Uint64(b)) })
}

func (r *reader) float64s(n uint64, what string) []float64 {
	return vec(r, n, 8, what, func(b []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b)) })
}

// peek reports whether the next four bytes are code, and takes them if so.
func (r *reader) peek(code string) bool {
	if r.err != nil || len(r.b)-r.off < len(code) || string(r.b[r.off:r.off+len(code)]) != code {
		return false
	}
	r.off += len(code)
	return true
}
