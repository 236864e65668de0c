package core

import (
	"encoding/binary"
	"math"
)

// IndexRowwiseMinMax is a vector codec (faiss's IndexRowwiseMinMax and, with
// Half, IndexRowwiseMinMaxFP16): each vector is scaled to [0, 1] by its own
// minimum and range, and its code is that (range, minimum) pair, as float32
// or float16, followed by the sub-index's code of the scaled vector. faiss
// offers it for sa_encode / sa_decode only: add, search and reset are
// refused with faiss's messages.
type IndexRowwiseMinMax struct {
	sub     Index
	half    bool
	ntotal  int64 // as a file says; nothing is ever added
	trained bool  // faiss's flag: true from construction, as its base Index sets it
}

var (
	_ Index           = (*IndexRowwiseMinMax)(nil)
	_ StandaloneCodec = (*IndexRowwiseMinMax)(nil)
	_ Composite       = (*IndexRowwiseMinMax)(nil)
)

// NewIndexRowwiseMinMax wraps sub, which must offer standalone codes.
func NewIndexRowwiseMinMax(sub Index, half bool) (*IndexRowwiseMinMax, error) {
	ix := &IndexRowwiseMinMax{sub: sub, half: half, trained: true}
	if _, err := saCodec(ix.Name(), sub); err != nil {
		return nil, err
	}
	return ix, nil
}

// RestoreIndexRowwiseMinMax rebuilds one from a file's header and sub-index.
func RestoreIndexRowwiseMinMax(sub Index, half bool, ntotal int64, trained bool) (*IndexRowwiseMinMax, error) {
	ix, err := NewIndexRowwiseMinMax(sub, half)
	if err != nil {
		return nil, err
	}
	ix.ntotal, ix.trained = ntotal, trained
	return ix, nil
}

func (ix *IndexRowwiseMinMax) Name() string {
	if ix.half {
		return "IndexRowwiseMinMaxFP16"
	}
	return "IndexRowwiseMinMax"
}

func (ix *IndexRowwiseMinMax) D() int             { return ix.sub.D() }
func (ix *IndexRowwiseMinMax) Ntotal() int64      { return ix.ntotal }
func (ix *IndexRowwiseMinMax) Metric() Metric     { return ix.sub.Metric() }
func (ix *IndexRowwiseMinMax) MetricArg() float32 { return ix.sub.MetricArg() }
func (ix *IndexRowwiseMinMax) IsTrained() bool    { return ix.trained }
func (ix *IndexRowwiseMinMax) Members() []Index   { return []Index{ix.sub} }

// Sub is the index that codes the scaled vectors (faiss's index field).
func (ix *IndexRowwiseMinMax) Sub() Index { return ix.sub }

// Half reports whether the pairs are float16 (IndexRowwiseMinMaxFP16).
func (ix *IndexRowwiseMinMax) Half() bool { return ix.half }

// pairBytes is the size of a code's (range, minimum) pair.
func (ix *IndexRowwiseMinMax) pairBytes() int {
	if ix.half {
		return 4
	}
	return 8
}

// stored returns v as the pair stores it (float16 rounds it).
func (ix *IndexRowwiseMinMax) stored(v float32) float32 {
	if ix.half {
		return halfToFloat32(float32ToHalfFaiss(v))
	}
	return v
}

// scale writes row scaled to [0, 1] into out and returns the stored
// (range, minimum): as faiss, from the stored values, all zeros for a
// constant row.
func (ix *IndexRowwiseMinMax) scale(row, out []float32) (scaler, minv float32) {
	lo, hi := float32(math.MaxFloat32), float32(-math.MaxFloat32)
	for _, v := range row {
		lo, hi = min(lo, v), max(hi, v)
	}
	scaler, minv = ix.stored(hi-lo), ix.stored(lo)
	if scaler == 0 {
		clear(out)
		return scaler, minv
	}
	inv := 1 / scaler
	for j, v := range row {
		out[j] = (v - minv) * inv
	}
	return scaler, minv
}

// Train trains the sub-index on the scaled vectors.
func (ix *IndexRowwiseMinMax) Train(x []float32) error {
	op := ix.Name() + ".train"
	d := ix.D()
	if len(x)%d != 0 {
		return Errorf(KindDimensionMismatch, op, "input of %d floats is not a multiple of d=%d", len(x), d)
	}
	tmp := make([]float32, len(x))
	for i := 0; i < len(x); i += d {
		ix.scale(x[i:i+d], tmp[i:i+d])
	}
	return ix.sub.Train(tmp)
}

// TrainInPlace is faiss's train_inplace: x itself is scaled, the sub-index
// trained on it, and x scaled back with the stored pairs (so that float16
// pairs and the roundings may change it).
func (ix *IndexRowwiseMinMax) TrainInPlace(x []float32) error {
	op := ix.Name() + ".train_inplace"
	d := ix.D()
	if len(x)%d != 0 {
		return Errorf(KindDimensionMismatch, op, "input of %d floats is not a multiple of d=%d", len(x), d)
	}
	pairs := make([]float32, 2*(len(x)/d))
	for i := 0; i < len(x); i += d {
		pairs[2*(i/d)], pairs[2*(i/d)+1] = ix.scale(x[i:i+d], x[i:i+d])
	}
	err := ix.sub.Train(x)
	for i := 0; i < len(x); i += d {
		scaler, minv := pairs[2*(i/d)], pairs[2*(i/d)+1]
		for j := i; j < i+d; j++ {
			x[j] = x[j]*scaler + minv
		}
	}
	return err
}

func (ix *IndexRowwiseMinMax) Add(x []float32) error {
	return Errorf(KindUnsupported, ix.Name()+".add", "add not implemented for this type of index")
}

func (ix *IndexRowwiseMinMax) Search(x []float32, k int, dist []float32, labels []int64) error {
	return Errorf(KindUnsupported, ix.Name()+".search", "search not implemented for this type of index")
}

// Reset does nothing: faiss raises ("reset not implemented"), which a Go
// Reset cannot; the Python layer raises as faiss does.
func (ix *IndexRowwiseMinMax) Reset() {}

func (ix *IndexRowwiseMinMax) SaCodeSize() int {
	c, _ := ix.sub.(StandaloneCodec)
	return c.SaCodeSize() + ix.pairBytes()
}

// SaEncode writes each vector's pair, then the sub-index's code.
func (ix *IndexRowwiseMinMax) SaEncode(x []float32, codes []byte) error {
	op := ix.Name() + ".sa_encode"
	c, _ := ix.sub.(StandaloneCodec)
	d, cs, ps := ix.D(), ix.SaCodeSize(), ix.pairBytes()
	n, err := checkSa(op, x, d, codes, cs, ix.sub.IsTrained())
	if err != nil {
		return err
	}
	const block = 16384 // rows scaled at a time (faiss's rowwise_minmax_sa_encode_bs)
	tmp := make([]float32, min(n, block)*d)
	sub := make([]byte, min(n, block)*(cs-ps))
	for i0 := 0; i0 < n; i0 += block {
		m := min(block, n-i0)
		for i := range m {
			scaler, minv := ix.scale(x[(i0+i)*d:(i0+i+1)*d], tmp[i*d:(i+1)*d])
			ix.putPair(codes[(i0+i)*cs:], scaler, minv)
		}
		if err := c.SaEncode(tmp[:m*d], sub[:m*(cs-ps)]); err != nil {
			return err
		}
		for i := range m {
			copy(codes[(i0+i)*cs+ps:(i0+i+1)*cs], sub[i*(cs-ps):(i+1)*(cs-ps)])
		}
	}
	return nil
}

// SaDecode decodes the sub-index's codes and scales them back.
func (ix *IndexRowwiseMinMax) SaDecode(codes []byte, x []float32) error {
	op := ix.Name() + ".sa_decode"
	c, _ := ix.sub.(StandaloneCodec)
	d, cs, ps := ix.D(), ix.SaCodeSize(), ix.pairBytes()
	n, err := checkSa(op, x, d, codes, cs, ix.sub.IsTrained())
	if err != nil {
		return err
	}
	sub := make([]byte, n*(cs-ps))
	for i := range n {
		copy(sub[i*(cs-ps):(i+1)*(cs-ps)], codes[i*cs+ps:(i+1)*cs])
	}
	if err := c.SaDecode(sub, x); err != nil {
		return err
	}
	for i := range n {
		scaler, minv := ix.pair(codes[i*cs:])
		row := x[i*d : (i+1)*d]
		for j, v := range row {
			row[j] = v*scaler + minv
		}
	}
	return nil
}

func (ix *IndexRowwiseMinMax) putPair(b []byte, scaler, minv float32) {
	if ix.half {
		binary.LittleEndian.PutUint16(b, float32ToHalfFaiss(scaler))
		binary.LittleEndian.PutUint16(b[2:], float32ToHalfFaiss(minv))
		return
	}
	binary.LittleEndian.PutUint32(b, math.Float32bits(scaler))
	binary.LittleEndian.PutUint32(b[4:], math.Float32bits(minv))
}

func (ix *IndexRowwiseMinMax) pair(b []byte) (scaler, minv float32) {
	if ix.half {
		return halfToFloat32(binary.LittleEndian.Uint16(b)), halfToFloat32(binary.LittleEndian.Uint16(b[2:]))
	}
	return math.Float32frombits(binary.LittleEndian.Uint32(b)), math.Float32frombits(binary.LittleEndian.Uint32(b[4:]))
}
