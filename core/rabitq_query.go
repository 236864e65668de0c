package core

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// rbqZMax are faiss's radii of the centred query quantizer, by qb: the
// optimal clipping of a Gaussian in units of its standard deviation.
var rbqZMax = [8]float32{0.79688, 1.49375, 2.05078, 2.50938, 2.91250, 3.26406, 3.59844, 3.91016}

// rbqQuery is one query prepared against one centroid: faiss's RaBitQ
// distance computers (the float query when qb is 0, else a qb-bit scalar
// quantization of it held as bit planes for AND/XOR popcounts).
type rbqQuery struct {
	l        rbqLayout
	metric   Metric
	qb       int
	centered bool

	rot    []float32 // q - c
	qq     []int32   // the quantized query (qb > 0)
	planes []uint64  // qb bit planes of qq, words per plane
	words  int       // 64-bit words per plane

	c1, c2, c34  float32
	qrToC        float32 // |q - c|^2
	qrNorm       float32 // |q|^2 (inner product)
	qDotC        float32 // <q, c> (inner product)
	intDotScale  float32
	gError       float32 // |q - c|, the query's share of the error bound
	invDSqrt     float32
	maxCodeTimes int64 // (2^qb - 1) d, centred mode
}

func newRBQQuery(q *RaBitQuantizer, qb int, centered bool) *rbqQuery {
	l := q.layout()
	w := (l.signBytes + 7) / 8
	r := &rbqQuery{l: l, metric: q.Metric, qb: qb, centered: centered && qb > 0, words: w,
		rot: make([]float32, q.D), qq: make([]int32, q.D), planes: make([]uint64, w*max(qb, 1))}
	r.invDSqrt = 1
	if q.D > 0 {
		r.invDSqrt = 1 / sqrt32(float32(q.D))
	}
	return r
}

// set prepares query x against centroid c (nil: the origin).
func (r *rbqQuery) set(x, c []float32) {
	d := r.l.d
	var qrToC, qrNorm, qDotC, sum float32
	for j, v := range x {
		cj := float32(0)
		if c != nil {
			cj = c[j]
		}
		t := v - cj
		r.rot[j] = t
		qrToC += float32(t * t)
		qrNorm += float32(v * v)
		qDotC += float32(v * cj)
		sum += t
	}
	r.qrToC, r.gError = qrToC, sqrt32(qrToC)
	r.qrNorm, r.qDotC = 0, 0
	if r.metric == MetricInnerProduct {
		r.qrNorm, r.qDotC = qrNorm, qDotC
	}
	if r.qb == 0 {
		r.c1, r.c2, r.c34 = 2*r.invDSqrt, 0, sum*r.invDSqrt
		return
	}
	vmin, vmax := float32(math.MaxFloat32), float32(-math.MaxFloat32)
	if r.centered {
		rad := rbqZMax[r.qb-1] * sqrt32(qrToC/float32(d))
		vmin, vmax = -rad, rad
	} else {
		for _, t := range r.rot {
			vmin, vmax = min(vmin, t), max(vmax, t)
		}
	}
	maxCode := 1<<r.qb - 1
	delta := (vmax - vmin) / float32(maxCode)
	invDelta := 1 / delta
	clear(r.planes)
	var sumQQ, sum2 int64
	for j, t := range r.rot {
		v := float32(math.Round(float64((t - vmin) * invDelta)))
		qq := int(min(max(v, 0), float32(maxCode)))
		if v != v { // NaN: faiss's clamp keeps it, the cast makes it 0
			qq = 0
		}
		sumQQ += int64(qq)
		r.qq[j] = int32(qq)
		if r.centered {
			s := int64(2*qq - maxCode)
			sum2 += s * s
		}
		for b := 0; b < r.qb; b++ {
			if qq>>b&1 != 0 {
				r.planes[b*r.words+j>>6] |= 1 << (j & 63)
			}
		}
	}
	r.c1 = float32(2*delta) * r.invDSqrt
	r.c2 = float32(2*vmin) * r.invDSqrt
	r.c34 = r.invDSqrt * (float32(delta*float32(sumQQ)) + float32(float32(d)*vmin))
	r.intDotScale = 1
	if r.centered {
		r.intDotScale = sqrt32(qrToC / float32(sum2*int64(d)))
		r.maxCodeTimes = int64(maxCode) * int64(d)
	}
}

// signWord is word w of a code's sign bits.
func (r *rbqQuery) signWord(code []byte, w int) uint64 {
	if (w+1)*8 <= r.l.signBytes {
		return binary.LittleEndian.Uint64(code[w*8:])
	}
	var b [8]byte
	copy(b[:], code[w*8:r.l.signBytes])
	return binary.LittleEndian.Uint64(b[:])
}

// estimate1 is the one-bit estimate of the distance to code (faiss's
// distance_to_code_1bit).
func (r *rbqQuery) estimate1(code []byte) float32 {
	sb := r.l.signBytes
	orMinusC, mul := getF32(code, sb), getF32(code, sb+4)
	var finalDot float32
	switch {
	case r.qb == 0:
		var dot float32
		var pop uint64
		for j, t := range r.rot {
			if code[j>>3]>>(j&7)&1 != 0 {
				dot += t
				pop++
			}
		}
		finalDot = float32(float32(r.c1*dot)+float32(r.c2*float32(pop))) - r.c34
	case r.centered:
		var xor int64
		for w := 0; w < r.words; w++ {
			s := r.signWord(code, w)
			for b := 0; b < r.qb; b++ {
				xor += int64(bits.OnesCount64(r.planes[b*r.words+w]^s)) << b
			}
		}
		finalDot = float32(r.maxCodeTimes-2*xor) * r.intDotScale
	default:
		var dot, pop int64
		for w := 0; w < r.words; w++ {
			s := r.signWord(code, w)
			pop += int64(bits.OnesCount64(s))
			for b := 0; b < r.qb; b++ {
				dot += int64(bits.OnesCount64(r.planes[b*r.words+w]&s)) << b
			}
		}
		finalDot = float32(r.c1 * float32(dot))
		finalDot += float32(r.c2 * float32(pop))
		finalDot -= r.c34
	}
	pre := float32(orMinusC+r.qrToC) - float32(float32(2*mul)*finalDot)
	if r.metric == MetricL2 {
		return max(0, pre)
	}
	return -0.5 * (pre - r.qrNorm)
}

// full is the distance to code from all its bits (faiss's
// distance_to_code_full; the one-bit estimate when there is one bit).
func (r *rbqQuery) full(code []byte) float32 {
	l := r.l
	if l.exBits == 0 {
		return r.estimate1(code)
	}
	ex := code[l.exAt:]
	cb := -(float32(int(1)<<l.exBits) - 0.5)
	var ip float32
	bit := 0
	mask := 1<<l.exBits - 1
	for j, t := range r.rot {
		v := int(code[j>>3]>>(j&7)&1) << l.exBits
		// the magnitude code may straddle two bytes
		w := int(ex[bit>>3]) >> (bit & 7)
		if (bit&7)+l.exBits > 8 {
			w |= int(ex[bit>>3+1]) << (8 - bit&7)
		}
		v += w & mask
		bit += l.exBits
		ip += float32(t * (float32(v) + cb))
	}
	add, rescale := getF32(code, l.exFactorsAt), getF32(code, l.exFactorsAt+4)
	base := r.qrToC
	if r.metric == MetricInnerProduct {
		base = r.qDotC
	}
	dist := float32(base+add) + float32(rescale*ip)
	if r.metric == MetricL2 {
		dist = max(0, dist)
	}
	return dist
}

// refine reports whether a one-bit estimate may still beat threshold (a
// heap key: smaller is better, similarities negated): faiss's
// should_refine_candidate with the code's error factor.
func (r *rbqQuery) refine(code []byte, est, threshold float32) bool {
	e := getF32(code, r.l.signBytes+8) * r.gError
	if r.metric == MetricL2 {
		return max(0, est-e) < threshold
	}
	return -(est + e) < threshold
}

// rbqScanner is the codeScanner of RaBitQ codes: full distances against
// the centroid set by setCentroid (the quantizer's by default).
type rbqScanner struct {
	q        *RaBitQuantizer
	query    *rbqQuery
	centroid []float32
}

func newRBQScanner(q *RaBitQuantizer, qb int, centered bool) *rbqScanner {
	return &rbqScanner{q: q, query: newRBQQuery(q, qb, centered), centroid: q.Centroid}
}

func (s *rbqScanner) setQuery(x []float32) { s.query.set(x, s.centroid) }

func (s *rbqScanner) scan(codes []byte, bias float32, out []float32) {
	cs := s.q.CodeSize
	for i := range out {
		out[i] = s.query.full(codes[i*cs:(i+1)*cs]) + bias
	}
}
