package indexio

import (
	"encoding/binary"
	"math"
)

// writer appends little-endian fields, as faiss's WRITE1 does on the
// machines it runs on.
type writer struct {
	b     []byte
	flags int // faiss's io_flags (FlagSkipStorage)
}

func (w *writer) fourcc(c string) { w.b = append(w.b, c...) }
func (w *writer) u8(v uint8)      { w.b = append(w.b, v) }
func (w *writer) i32(v int32)     { w.b = binary.LittleEndian.AppendUint32(w.b, uint32(v)) }
func (w *writer) u64(v uint64)    { w.b = binary.LittleEndian.AppendUint64(w.b, v) }
func (w *writer) f32(v float32)   { w.i32(int32(math.Float32bits(v))) }

func (w *writer) floats(v []float32) {
	for _, f := range v {
		w.f32(f)
	}
}

func (w *writer) int64s(v []int64) {
	for _, x := range v {
		w.u64(uint64(x))
	}
}

func (w *writer) bytes(v []byte) { w.u64(uint64(len(v))); w.b = append(w.b, v...) }

func (w *writer) floatVec(v []float32) { w.u64(uint64(len(v))); w.floats(v) }

func (w *writer) int32Vec(v []int32) {
	w.u64(uint64(len(v)))
	for _, x := range v {
		w.i32(x)
	}
}

func (w *writer) int64Vec(v []int64) { w.u64(uint64(len(v))); w.int64s(v) }

func (w *writer) float64Vec(v []float64) {
	w.u64(uint64(len(v)))
	for _, x := range v {
		w.u64(math.Float64bits(x))
	}
}
