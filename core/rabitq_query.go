package core

import (
	"encoding/binary"
	"math"
	"math/bits"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// rbqZMax are faiss's radii of the centred query quantizer, by qb: the
// optimal clipping of a Gaussian in units of its standard deviation.
var rbqZMax = [8]float32{0.79688, 1.49375, 2.05078, 2.50938, 2.91250, 3.26406, 3.59844, 3.91016}

// rbqQuery is one query prepared against one centroid: faiss's RaBitQ
// distance computers (the float query when qb is 0, else a qb-bit scalar
// quantization of it, held as qb bit planes for AND / XOR popcounts, as
// faiss does; planes are word-major: plane b of 64-bit word w at w*qb+b).
type rbqQuery struct {
	l        rbqLayout
	metric   Metric
	qb       int
	centered bool

	rot    []float32 // q - c
	qq     []int32   // the quantized query (qb > 0)
	planes []uint64
	words  int // 64-bit words of sign bits

	c1, c2, c34  float32
	qrToC        float32 // |q - c|^2
	qrNorm       float32 // |q|^2 (inner product)
	qDotC        float32 // <q, c> (inner product)
	intDotScale  float32
	gError       float32 // |q - c|, the query's share of the error bound
	noPlanes     bool    // fast scan: its tables take qq directly
	filter       kernels.RaBitQFilter
	fsFilter     kernels.RaBitQFSFilter
	fsMasks      []uint16 // scanFSFiltered's, one per 16 vectors
	masks        [32]byte // scanFiltered's, one byte per 8 codes
	codeSize     int
	invDSqrt     float32
	maxCodeTimes int64 // (2^qb - 1) d, centred mode
}

func newRBQQuery(q *RaBitQuantizer, qb int, centered bool) *rbqQuery {
	l := q.layout()
	w := (l.signBytes + 7) / 8
	r := &rbqQuery{l: l, metric: q.Metric, qb: qb, centered: centered && qb > 0, codeSize: q.CodeSize, words: w,
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
	var qrToC, sum float32
	vmin, vmax := float32(math.MaxFloat32), float32(-math.MaxFloat32)
	rot := r.rot[:len(x)]
	if c == nil {
		copy(rot, x)
	} else {
		c = c[:len(x)]
		for j, v := range x {
			rot[j] = v - c[j]
		}
	}
	for _, t := range rot {
		qrToC += float32(t * t)
		sum += t
		vmin, vmax = min(vmin, t), max(vmax, t)
	}
	r.qrToC, r.gError = qrToC, sqrt32(qrToC)
	r.qrNorm, r.qDotC = 0, 0
	if r.metric == MetricInnerProduct {
		var qrNorm, qDotC float32
		for j, v := range x {
			qrNorm += float32(v * v)
			if c != nil {
				qDotC += float32(v * c[j])
			}
		}
		r.qrNorm, r.qDotC = qrNorm, qDotC
	}
	if r.qb == 0 {
		r.c1, r.c2, r.c34 = 2*r.invDSqrt, 0, sum*r.invDSqrt
		return
	}
	if r.centered {
		rad := rbqZMax[r.qb-1] * sqrt32(qrToC/float32(d))
		vmin, vmax = -rad, rad
	}
	maxCode := 1<<r.qb - 1
	delta := (vmax - vmin) / float32(maxCode)
	invDelta := 1 / delta
	var sumQQ, sum2 int64
	qqs := r.qq[:len(rot)]
	for j, t := range rot {
		// std::round then clamp to [0, maxCode]: for f > 0 rounding half
		// up is exact in float64; NaN and f <= 0 give 0
		qq := 0
		if f := (t - vmin) * invDelta; f > 0 {
			qq = min(int(float64(f)+0.5), maxCode)
		}
		sumQQ += int64(qq)
		qqs[j] = int32(qq)
		if r.centered {
			s := int64(2*qq - maxCode)
			sum2 += s * s
		}
	}
	if !r.noPlanes {
		r.buildPlanes()
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

// buildPlanes sets the bit planes of qq, 64 dimensions at a time.
func (r *rbqQuery) buildPlanes() {
	d, qb := r.l.d, r.qb
	for w := 0; w < r.words; w++ {
		var acc [8]uint64
		for j := w * 64; j < min(d, w*64+64); j++ {
			q, sh := uint64(r.qq[j]), uint(j&63)
			for b := 0; b < qb; b++ {
				acc[b] |= (q >> uint(b) & 1) << sh
			}
		}
		copy(r.planes[w*qb:(w+1)*qb], acc[:qb])
	}
}

// signWord is word w of a code's sign bits (zero-padded past them).
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
	return r.fromDot(code, r.bitDot(code))
}

// fromDot is the one-bit estimate of code from the estimate of its
// normalised dot product with the query.
func (r *rbqQuery) fromDot(code []byte, finalDot float32) float32 {
	sb := r.l.signBytes
	orMinusC, mul := getF32(code, sb), getF32(code, sb+4)
	pre := float32(orMinusC+r.qrToC) - float32(float32(2*mul)*finalDot)
	if r.metric == MetricL2 {
		return clampPos(pre)
	}
	return -0.5 * (pre - r.qrNorm)
}

// bitDot estimates the normalised dot product of code's sign vector with
// the query: faiss's float, AND and XOR (centred) forms.
func (r *rbqQuery) bitDot(code []byte) float32 {
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
			for b, p := range r.planes[w*r.qb : (w+1)*r.qb] {
				xor += int64(bits.OnesCount64(p^s)) << b
			}
		}
		finalDot = float32(r.maxCodeTimes-2*xor) * r.intDotScale
	default:
		dot, pop := 0, 0
		for w := 0; w < r.words; w++ {
			s := r.signWord(code, w)
			pop += bits.OnesCount64(s)
			for b, p := range r.planes[w*r.qb : (w+1)*r.qb] {
				dot += bits.OnesCount64(p&s) << b
			}
		}
		finalDot = r.andDot(dot, pop)
	}
	return finalDot
}

// andDot is faiss's uncentred estimate from the bit-plane dot product and
// the sign bits' popcount.
func (r *rbqQuery) andDot(dot, pop int) float32 {
	finalDot := float32(r.c1 * float32(dot))
	finalDot += float32(r.c2 * float32(pop))
	return finalDot - r.c34
}

// scanList offers n codes to h under sel (code i has id ids[i], or base
// + i when ids is nil), as offer does one by one. The common case (the
// uncentred quantized query, one bit per dimension, whole 64-bit words of
// sign bits, no selector) runs in one loop with the threshold in a
// register.
func (r *rbqQuery) scanList(h *topK, codes []byte, n int, ids []int64, base int64, sel IDSelector, sign float32) {
	cs, sb, words, qb := r.codeSize, r.l.signBytes, r.words, r.qb
	if qb == 0 || r.centered || r.l.exBits > 0 || sb%8 != 0 || sel != nil {
		for i := 0; i < n; i++ {
			id := base + int64(i)
			if ids != nil {
				id = ids[i]
			}
			if sel == nil || sel.IsMember(id) {
				r.offer(h, codes[i*cs:(i+1)*cs], id, sign)
			}
		}
		return
	}
	if n >= 8 && kernels.RaBitQFilterAvailable() {
		r.scanFiltered(h, codes, n, ids, base)
		return
	}
	planes := r.planes[:words*qb]
	c1, c2, c34, qrToC, qrNorm := r.c1, r.c2, r.c34, r.qrToC, r.qrNorm
	l2 := r.metric == MetricL2
	thr, thrID := h.dist[0], h.ids[0]
	codes = codes[:n*cs]
	two4 := words == 2 && qb == 4 // d in 65..128 with faiss's qb: planes in registers
	var p0, p1, p2, p3, p4, p5, p6, p7 uint64
	if two4 {
		p0, p1, p2, p3, p4, p5, p6, p7 = planes[0], planes[1], planes[2], planes[3], planes[4], planes[5], planes[6], planes[7]
	}
	for i := 0; i < n; i++ {
		code := codes[i*cs : (i+1)*cs]
		dot, pop := 0, 0
		if two4 {
			s0, s1 := binary.LittleEndian.Uint64(code[0:8]), binary.LittleEndian.Uint64(code[8:16])
			pop = bits.OnesCount64(s0) + bits.OnesCount64(s1)
			dot = bits.OnesCount64(p0&s0) + bits.OnesCount64(p4&s1) +
				(bits.OnesCount64(p1&s0)+bits.OnesCount64(p5&s1))<<1 +
				(bits.OnesCount64(p2&s0)+bits.OnesCount64(p6&s1))<<2 +
				(bits.OnesCount64(p3&s0)+bits.OnesCount64(p7&s1))<<3
		}
		for w := 0; w < words && !two4; w++ {
			s := binary.LittleEndian.Uint64(code[w*8:])
			pop += bits.OnesCount64(s)
			if qb == 4 { // faiss's default, unrolled
				p := planes[w*4 : w*4+4 : w*4+4]
				dot += bits.OnesCount64(p[0]&s) + bits.OnesCount64(p[1]&s)<<1 +
					bits.OnesCount64(p[2]&s)<<2 + bits.OnesCount64(p[3]&s)<<3
				continue
			}
			for b, p := range planes[w*qb : (w+1)*qb] {
				dot += bits.OnesCount64(p&s) << b
			}
		}
		finalDot := float32(c1 * float32(dot))
		finalDot += float32(c2 * float32(pop))
		finalDot -= c34
		pre := float32(getF32(code, sb)+qrToC) - float32(float32(2*getF32(code, sb+4))*finalDot)
		// the heap key: the L2 estimate, or minus the inner product
		// (-(-0.5 (pre - |q|^2)), exactly)
		key := 0.5 * (pre - qrNorm)
		if l2 {
			key = clampPos(pre)
		}
		if !(key <= thr) { // NaN never enters, as in the heap
			continue
		}
		id := base + int64(i)
		if ids != nil {
			id = ids[i]
		}
		if key < thr || id < thrID {
			h.replaceRoot(key, id)
			thr, thrID = h.dist[0], h.ids[0]
		}
	}
}

// scanFiltered is scanList's common case with the SIMD filter: chunks of
// codes are compared with the heap's threshold at the chunk's start, and
// the codes picked get their keys again here, exactly, before the heap
// sees them (the threshold only tightens within a chunk, so none is
// missed). The last n%8 codes are measured here too.
func (r *rbqQuery) scanFiltered(h *topK, codes []byte, n int, ids []int64, base int64) {
	const chunk = 256
	cs, sb := r.codeSize, r.l.signBytes
	f := &r.filter
	f.C1, f.C2, f.C34, f.QrToC, f.QrNorm = r.c1, r.c2, r.c34, r.qrToC, r.qrNorm
	f.L2 = 0
	if r.metric == MetricL2 {
		f.L2 = 1
	}
	offer := func(i int) {
		key := r.uncentredKey(codes[i*cs : (i+1)*cs])
		id := base + int64(i)
		if ids != nil {
			id = ids[i]
		}
		if key < h.dist[0] || (key == h.dist[0] && id < h.ids[0]) {
			h.replaceRoot(key, id)
		}
	}
	n8 := n / 8 * 8
	for lo := 0; lo < n8; lo += chunk {
		m := min(chunk, n8-lo)
		f.Thr = h.dist[0]
		kernels.RaBitQFilterCodes(codes[lo*cs:], cs, m, sb, r.planes, r.words, r.qb, f, r.masks[:m/8])
		for g, mb := range r.masks[:m/8] {
			for ; mb != 0; mb &= mb - 1 {
				offer(lo + 8*g + bits.TrailingZeros8(mb))
			}
		}
	}
	for i := n8; i < n; i++ {
		offer(i)
	}
}

// uncentredKey is a one-bit code's heap key under the uncentred quantized
// query (the estimate for L2, minus it for inner product), as scanList's
// loop computes it.
func (r *rbqQuery) uncentredKey(code []byte) float32 {
	finalDot := r.bitDot(code)
	pre := float32(getF32(code, r.l.signBytes)+r.qrToC) - float32(float32(2*getF32(code, r.l.signBytes+4))*finalDot)
	if r.metric == MetricL2 {
		return clampPos(pre)
	}
	return 0.5 * (pre - r.qrNorm)
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
		dist = clampPos(dist)
	}
	return dist
}

// refine reports whether a one-bit estimate may still beat threshold (a
// heap key: smaller is better, similarities negated): faiss's
// should_refine_candidate with the code's error factor.
func (r *rbqQuery) refine(code []byte, est, threshold float32) bool {
	e := getF32(code, r.l.signBytes+8) * r.gError
	if r.metric == MetricL2 {
		return clampPos(est-e) < threshold
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

// clampPos is std::max(0.0f, x) as faiss writes it: x when 0 < x, else 0
// (NaN and -0 included).
func clampPos(x float32) float32 {
	if 0 < x {
		return x
	}
	return 0
}
