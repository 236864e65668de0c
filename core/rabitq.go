package core

import (
	"encoding/binary"
	"math"
)

// RaBitQuantizer is faiss's RaBitQ codec (Gao and Long, SIGMOD 2024, and
// its multi-bit extension): each vector's residual to a centroid is coded
// by its signs, one bit per dimension, plus two float factors that turn a
// bit-wise dot product into a distance estimate; with NbBits > 1 every
// dimension also gets NbBits-1 magnitude bits and a refined estimate. The
// random rotation the method assumes is left to the caller (an
// IndexPreTransform), as in faiss.
//
// A code is laid out as faiss lays it out, so files and sa_encode bytes are
// interchangeable: the sign bits ((d+7)/8 bytes, bit j of byte j/8 for
// dimension j), then |r|^2 (minus |x|^2 for inner product) and the dot
// product multiplier as little-endian float32, then, for NbBits > 1, the
// error factor, the magnitude codes (NbBits-1 bits per dimension, low bit
// first, packed from bit 0 of the first byte) and two more floats.
type RaBitQuantizer struct {
	D        int
	Metric   Metric
	NbBits   int
	CodeSize int
	// Centroid is what codes are relative to (nil: the origin); faiss's
	// centroid pointer, not saved with the quantizer.
	Centroid []float32
}

// NewRaBitQuantizer makes a quantizer of d dimensions with nbBits (1..9)
// bits per dimension, for L2 or inner-product search.
func NewRaBitQuantizer(d int, metric Metric, nbBits int) (*RaBitQuantizer, error) {
	const op = "RaBitQuantizer"
	if d <= 0 {
		return nil, Errorf(KindInvalidArgument, op, "d must be positive, got %d", d)
	}
	if nbBits < 1 || nbBits > 9 {
		return nil, Errorf(KindInvalidArgument, op, "nb_bits must be 1..9, got %d", nbBits)
	}
	if metric != MetricL2 && metric != MetricInnerProduct {
		return nil, Errorf(KindInvalidArgument, op, "metric %s is not supported: L2 or inner product", metric)
	}
	return &RaBitQuantizer{D: d, Metric: metric, NbBits: nbBits, CodeSize: RaBitQCodeSize(d, nbBits)}, nil
}

// RaBitQCodeSize is the bytes of one code of d dimensions and nbBits bits.
func RaBitQCodeSize(d, nbBits int) int {
	if nbBits <= 1 {
		return (d+7)/8 + 8
	}
	return (d+7)/8 + 12 + (d*(nbBits-1)+7)/8 + 8
}

// rbqLayout holds the offsets of a code's parts.
type rbqLayout struct {
	d, exBits         int
	signBytes         int // the sign bits
	exAt, exFactorsAt int // the magnitude codes and their two factors
}

func (q *RaBitQuantizer) layout() rbqLayout {
	l := rbqLayout{d: q.D, exBits: q.NbBits - 1, signBytes: (q.D + 7) / 8}
	l.exAt = l.signBytes + 12
	l.exFactorsAt = l.exAt + (q.D*l.exBits+7)/8
	return l
}

func getF32(b []byte, at int) float32 {
	return math.Float32frombits(binary.LittleEndian.Uint32(b[at:]))
}
func putF32(b []byte, at int, v float32) {
	binary.LittleEndian.PutUint32(b[at:], math.Float32bits(v))
}

func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// Name is the faiss class of a standalone quantizer.
func (q *RaBitQuantizer) Name() string { return "RaBitQuantizer" }

func (q *RaBitQuantizer) codeSize() int   { return q.CodeSize }
func (q *RaBitQuantizer) IsTrained() bool { return true }

// Train does nothing: RaBitQ needs no training (faiss's train is empty too).
func (q *RaBitQuantizer) Train(x []float32) error {
	_, err := checkBatch("RaBitQuantizer.train", x, q.D)
	return err
}

// ComputeCodes codes the rows of x relative to q.Centroid.
func (q *RaBitQuantizer) ComputeCodes(x []float32, codes []byte) error {
	n, err := checkSa("RaBitQuantizer.compute_codes", x, q.D, codes, q.CodeSize, true)
	if err != nil {
		return err
	}
	parallelChunks(n, chunkFor(q.D*8), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			q.encodeOne(x[i*q.D:(i+1)*q.D], codes[i*q.CodeSize:(i+1)*q.CodeSize], q.Centroid)
		}
	})
	return nil
}

// computeCodesAt codes the rows of x, row i relative to centroid(i) (the
// IVF lists' centroids).
func (q *RaBitQuantizer) computeCodesAt(x []float32, codes []byte, centroid func(i int) []float32) {
	parallelChunks(len(x)/max(1, q.D), chunkFor(q.D*8), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			q.encodeOne(x[i*q.D:(i+1)*q.D], codes[i*q.CodeSize:(i+1)*q.CodeSize], centroid(i))
		}
	})
}

// encodeOne writes the code of x relative to c (nil: the origin). The sums
// run in dimension order in float32, as faiss's scalar loops do.
func (q *RaBitQuantizer) encodeOne(x []float32, code []byte, c []float32) {
	clear(code)
	d, l := q.D, q.layout()
	var normSqr, xSqr, absSum float32
	for j, v := range x {
		r := v
		if c != nil {
			r = v - c[j]
		}
		normSqr += float32(r * r)
		xSqr += float32(v * v)
		if r > 0 {
			absSum += r
			code[j>>3] |= 1 << (j & 7)
		} else {
			absSum -= r
		}
	}
	f := rbqVectorFactors(normSqr, xSqr, absSum, d, q.Metric, l.exBits > 0)
	putF32(code, l.signBytes, f[0])
	putF32(code, l.signBytes+4, f[1])
	if l.exBits == 0 {
		return
	}
	putF32(code, l.signBytes+8, f[2])
	res := make([]float32, d)
	for j, v := range x {
		res[j] = v
		if c != nil {
			res[j] = v - c[j]
		}
	}
	add, rescale := rbqQuantizeExtra(res, l.exBits, code[l.exAt:l.exFactorsAt], q.Metric, c)
	putF32(code, l.exFactorsAt, add)
	putF32(code, l.exFactorsAt+4, rescale)
}

// rbqVectorFactors are faiss's per-vector factors from |r|^2, |x|^2 and
// sum |r_j|: the additive term, the dot-product multiplier and (withError)
// the error bound of the one-bit estimate.
func rbqVectorFactors(normSqr, xSqr, absSum float32, d int, metric Metric, withError bool) [3]float32 {
	const eps = float32(1.1920929e-07) // FLT_EPSILON
	invDSqrt := float32(1)
	if d > 0 {
		invDSqrt = 1 / sqrt32(float32(d))
	}
	norm := sqrt32(normSqr)
	invNorm := float32(1)
	if normSqr >= eps {
		invNorm = 1 / norm
	}
	ndp := float32(float32(absSum*invNorm) * invDSqrt)
	invDP := float32(1)
	if abs32(ndp) >= eps {
		invDP = 1 / ndp
	}
	var f [3]float32
	f[0] = normSqr
	if metric == MetricInnerProduct {
		f[0] = normSqr - xSqr
	}
	f[1] = invDP * norm
	if !withError {
		return f
	}
	xu := float32(d) * 0.25
	ip := 0.5 * absSum
	var e float32
	if abs32(ip) > eps {
		ratio := float32(normSqr*xu) / float32(ip*ip)
		if ratio > 1 {
			if d == 1 {
				e = float32(norm*1.9) * sqrt32(ratio-1)
			} else {
				e = float32(norm*1.9) * sqrt32((ratio-1)/float32(d-1))
			}
		}
	}
	if metric == MetricL2 {
		e *= 2
	}
	f[2] = e
	return f
}

func abs32(x float32) float32 { return float32(math.Abs(float64(x))) }

// Decode writes the vectors the codes stand for (relative to q.Centroid):
// faiss's decode, from the sign bits and multiplier only (the magnitude
// bits are for distances).
func (q *RaBitQuantizer) Decode(codes []byte, x []float32) error {
	n, err := checkSa("RaBitQuantizer.decode", x, q.D, codes, q.CodeSize, true)
	if err != nil {
		return err
	}
	d, sb := q.D, (q.D+7)/8
	invDSqrt := float32(1)
	if d > 0 {
		invDSqrt = 1 / sqrt32(float32(d))
	}
	for i := 0; i < n; i++ {
		code, out := codes[i*q.CodeSize:], x[i*d:(i+1)*d]
		mul := getF32(code, sb+4)
		for j := range out {
			bit := float32(code[j>>3] >> (j & 7) & 1)
			v := float32(float32(float32((bit-0.5)*mul)*2) * invDSqrt)
			if q.Centroid != nil {
				v += q.Centroid[j]
			}
			out[j] = v
		}
	}
	return nil
}

func (q *RaBitQuantizer) newScanner(metric Metric) codeScanner {
	return newRBQScanner(q, 0, false)
}
