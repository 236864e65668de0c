package core

import (
	"encoding/binary"
	"math"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// TurboQuant scalar quantizer types (faiss 1.15's numbers). The MSE types
// code each component of a unit vector by the nearest level of a fixed
// codebook (Lloyd-Max levels of a standard normal variable over sqrt(d));
// the full types code a vector of any norm with (bits - 1)-bit MSE codes of
// its direction, the signs of a randomized Hadamard transform of the
// residual (a QJL sketch) and two floats: the norm and the residual's norm.
const (
	QT0bit       QuantizerType = 9 // no code: an IVF entry is its list's centroid
	QT1bitTQMSE  QuantizerType = 10
	QT2bitTQMSE  QuantizerType = 11
	QT3bitTQMSE  QuantizerType = 12
	QT4bitTQMSE  QuantizerType = 13
	QT8bitTQMSE  QuantizerType = 14
	QT2bitTQ     QuantizerType = 15
	QT3bitTQ     QuantizerType = 16
	QT4bitTQ     QuantizerType = 17
	QT5bitTQ     QuantizerType = 18
	qtLastNumber               = QT5bitTQ
)

// turboQuantSeed is the seed faiss stores for the sign flips of the QJL
// transform.
const turboQuantSeed = 42

func (t QuantizerType) tqMSE() bool  { return t >= QT1bitTQMSE && t <= QT8bitTQMSE }
func (t QuantizerType) tqFull() bool { return t >= QT2bitTQ && t <= QT5bitTQ }

// codebookBits is the bits of a TurboQuant type's codebook index.
func (t QuantizerType) codebookBits() int {
	switch {
	case t == QT8bitTQMSE:
		return 8
	case t.tqMSE():
		return int(t-QT1bitTQMSE) + 1
	case t.tqFull():
		return int(t-QT2bitTQ) + 1
	}
	return 0
}

// turboQuant is the state of a TurboQuant type: its codebook, and for the
// full types the sign flips of the QJL transform.
type turboQuant struct {
	levels, bounds []float32
	seed           uint64
	qjlType        int
	padded         int       // d rounded up to a power of two
	signs          []float32 // one per padded dimension
	plane          int       // bytes of one bit plane of d bits
}

func (sq *ScalarQuantizer) tqCodeSize() int {
	t, plane := sq.Type, (sq.D+7)/8
	switch {
	case t == QT0bit:
		return 0
	case t.tqMSE():
		return (sq.D*t.codebookBits() + 7) / 8
	}
	// MSE bit planes, the sign plane, then norm and gamma.
	return t.codebookBits()*plane + plane + 8
}

// trainTurboQuant builds the codebook (no data is needed) with faiss's
// seed for the full types.
func (sq *ScalarQuantizer) trainTurboQuant() {
	if sq.Type == QT0bit {
		sq.trained = true
		return
	}
	_ = sq.setTurboQuant(turboQuantSeed, 0)
}

// setTurboQuant installs the codebook and, for the full types, the sign
// flips drawn from seed (faiss's RandomGenerator: mt19937, draw % 2 == 0
// gives +1).
func (sq *ScalarQuantizer) setTurboQuant(seed uint64, qjlType int) error {
	t := sq.Type
	if t.tqFull() && qjlType != 0 {
		return Errorf(KindInvalidArgument, "ScalarQuantizer", "QJL projection type %d is not supported (0: Hadamard)", qjlType)
	}
	scale := float32(1)
	if t.tqMSE() {
		scale = 1 / float32(math.Sqrt(float64(sq.D)))
	}
	tq := &turboQuant{seed: seed, qjlType: qjlType, plane: (sq.D + 7) / 8}
	tq.levels, tq.bounds = turboQuantCodebook(t.codebookBits(), scale)
	if t.tqFull() {
		tq.padded = 1
		for tq.padded < sq.D {
			tq.padded <<= 1
		}
		rng := newMT19937(uint32(seed))
		tq.signs = make([]float32, tq.padded)
		for i := range tq.signs {
			tq.signs[i] = -1
			if rng.below(2) == 0 {
				tq.signs[i] = 1
			}
		}
	}
	sq.tq, sq.trained = tq, true
	return nil
}

// turboQuantTrained is faiss's trained vector: levels, boundaries, and for
// the full types the seed's two 32-bit halves (as float bits) and the QJL
// type.
func (sq *ScalarQuantizer) turboQuantTrained() []float32 {
	tq := sq.tq
	if tq == nil {
		return nil
	}
	out := append(append([]float32{}, tq.levels...), tq.bounds...)
	if sq.Type.tqFull() {
		out = append(out, math.Float32frombits(uint32(tq.seed)), math.Float32frombits(uint32(tq.seed>>32)), float32(tq.qjlType))
	}
	return out
}

// restoreTurboQuant reads faiss's trained vector: the seed and QJL type
// rebuild the sign flips, the levels and boundaries are taken as stored.
func (sq *ScalarQuantizer) restoreTurboQuant(trained []float32) error {
	t := sq.Type
	if t == QT0bit {
		sq.trained = true
		return nil
	}
	k := 1 << t.codebookBits()
	want := 2*k - 1
	if t.tqFull() {
		want += 3
	}
	if len(trained) != want {
		return Errorf(KindDimensionMismatch, "ScalarQuantizer", "%d trained values for type %d, expected %d", len(trained), t, want)
	}
	seed, qjl := uint64(turboQuantSeed), 0
	if t.tqFull() {
		seed = uint64(math.Float32bits(trained[2*k-1])) | uint64(math.Float32bits(trained[2*k]))<<32
		qjl = int(trained[2*k+1])
	}
	if err := sq.setTurboQuant(seed, qjl); err != nil {
		return err
	}
	// Files keep faiss's own levels: use them as stored.
	copy(sq.tq.levels, trained[:k])
	copy(sq.tq.bounds, trained[k:2*k-1])
	return nil
}

// qjlForward is H * diag(signs) * r over the padded dimensions (first d
// outputs kept in buf[:d]).
func (tq *turboQuant) qjlForward(r, buf []float32) {
	for j := range buf {
		buf[j] = 0
		if j < len(r) {
			buf[j] = r[j] * tq.signs[j]
		}
	}
	fwht(buf)
}

// encodeMSE codes a vector of a TurboQuant MSE type.
func (sq *ScalarQuantizer) encodeMSE(v []float32, code []byte) {
	bits := sq.Type.codebookBits()
	for j, x := range v {
		PutBits(code, j*bits, bits, uint64(codebookIndex(sq.tq.bounds, x)))
	}
}

// encodeFull codes a vector of a full TurboQuant type: MSE indexes of the
// unit direction in bit planes (plane p holds bit p of every index), the
// signs of the transformed residual, then norm and gamma. scratch holds
// d + padded floats; code is cleared first.
func (sq *ScalarQuantizer) encodeFull(v []float32, code []byte, scratch []float32) {
	clear(code)
	tq, d := sq.tq, sq.D
	sqrtD := float32(math.Sqrt(float64(d)))
	invSqrtD := 1 / sqrtD
	norm := float32(math.Sqrt(float64(kernels.Inner(v, v))))
	if norm < 1e-30 {
		norm = 1e-30
	}
	bits := sq.Type.codebookBits()
	residual, buf := scratch[:d], scratch[d:d+tq.padded]
	for j, x := range v {
		u := x / norm
		idx := codebookIndex(tq.bounds, u*sqrtD)
		for p := 0; p < bits; p++ {
			if idx>>p&1 != 0 {
				code[p*tq.plane+j/8] |= 1 << (j % 8)
			}
		}
		residual[j] = u - tq.levels[idx]*invSqrtD
	}
	tq.qjlForward(residual, buf)
	signs := code[bits*tq.plane:]
	for j := 0; j < d; j++ {
		if buf[j] > 0 {
			signs[j/8] |= 1 << (j % 8)
		}
	}
	gamma := float32(math.Sqrt(float64(kernels.Inner(residual, residual))))
	f := code[(bits+1)*tq.plane:]
	binary.LittleEndian.PutUint32(f, math.Float32bits(norm))
	binary.LittleEndian.PutUint32(f[4:], math.Float32bits(gamma))
}

// fullFactors returns the norm and gamma of a full TurboQuant code.
func (sq *ScalarQuantizer) fullFactors(code []byte) (norm, gamma float32) {
	f := code[(sq.Type.codebookBits()+1)*sq.tq.plane:]
	return math.Float32frombits(binary.LittleEndian.Uint32(f)), math.Float32frombits(binary.LittleEndian.Uint32(f[4:]))
}

// fullLevel is the codebook index of dimension j of a full code.
func (sq *ScalarQuantizer) fullLevel(code []byte, j int) int {
	idx := 0
	for p := 0; p < sq.Type.codebookBits(); p++ {
		idx |= int(code[p*sq.tq.plane+j/8]>>(j%8)&1) << p
	}
	return idx
}

// decodeFull reconstructs a full TurboQuant code: the MSE part plus the
// QJL estimate of the residual, sqrt(pi/2)/d * gamma * S^T signs, times
// the norm. buf holds the padded dimensions.
func (sq *ScalarQuantizer) decodeFull(code []byte, x, buf []float32) {
	tq, d := sq.tq, sq.D
	invSqrtD := 1 / float32(math.Sqrt(float64(d)))
	invSqrtP := 1 / float32(math.Sqrt(float64(tq.padded)))
	norm, gamma := sq.fullFactors(code)
	for j := range x {
		x[j] = tq.levels[sq.fullLevel(code, j)] * invSqrtD
	}
	coeff := float32(math.Sqrt(math.Pi/2)) / float32(d) * gamma
	signs := code[sq.Type.codebookBits()*tq.plane:]
	for j := range buf {
		buf[j] = 0
		if j < d {
			buf[j] = -invSqrtP
			if signs[j/8]>>(j%8)&1 != 0 {
				buf[j] = invSqrtP
			}
		}
	}
	fwht(buf)
	for j := range x {
		x[j] = (x[j] + coeff*buf[j]*tq.signs[j]) * norm
	}
}

// tqScanner measures queries against full TurboQuant codes as faiss's
// estimator does: <q, x> is norm * (<q, mse part> + the QJL term), and L2
// is |q|^2 + norm^2 - 2 <q, x> (the code's norm, not its reconstruction's).
type tqScanner struct {
	sq     *ScalarQuantizer
	metric Metric
	q      []float32
	qNorm2 float32
	proj   []float32 // the query through the QJL transform, over sqrt(padded)
	total  float32   // sum of proj
	coeff  float32
}

func (sq *ScalarQuantizer) newTQScanner(metric Metric) codeScanner {
	return &tqScanner{sq: sq, metric: metric, proj: make([]float32, sq.tq.padded),
		coeff: float32(math.Sqrt(math.Pi/2)) / float32(sq.D)}
}

func (s *tqScanner) setQuery(q []float32) {
	s.q, s.qNorm2 = q, kernels.Inner(q, q)
	s.sq.tq.qjlForward(q, s.proj)
	inv := 1 / float32(math.Sqrt(float64(s.sq.tq.padded)))
	s.total = 0
	for j := 0; j < s.sq.D; j++ {
		s.proj[j] *= inv
		s.total += s.proj[j]
	}
}

func (s *tqScanner) scan(codes []byte, bias float32, out []float32) {
	sq := s.sq
	cs, d := sq.codeSize(), sq.D
	invSqrtD := 1 / float32(math.Sqrt(float64(d)))
	signOff := sq.Type.codebookBits() * sq.tq.plane
	for i := range out {
		code := codes[i*cs : (i+1)*cs]
		var mse, pos float32
		for j := 0; j < d; j++ {
			mse += s.q[j] * sq.tq.levels[sq.fullLevel(code, j)] * invSqrtD
			if code[signOff+j/8]>>(j%8)&1 != 0 {
				pos += s.proj[j]
			}
		}
		norm, gamma := sq.fullFactors(code)
		ip := norm * (mse + s.coeff*gamma*(2*pos-s.total))
		if s.metric == MetricInnerProduct {
			out[i] = bias + ip
		} else {
			out[i] = bias + s.qNorm2 + norm*norm - 2*ip
		}
	}
}

// biasScanner is QT_0bit's scanner: a code holds nothing, so every entry
// is at the distance it is given (its IVF list's coarse distance).
type biasScanner struct{}

func (biasScanner) setQuery([]float32) {}

func (biasScanner) scan(_ []byte, bias float32, out []float32) {
	for i := range out {
		out[i] = bias
	}
}
