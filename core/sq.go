package core

import (
	"math"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// QuantizerType is a scalar quantizer's coding, with faiss's numbers.
type QuantizerType int

// The types faiss's ScalarQuantizer offers that metalfaiss implements.
const (
	QT8bit        QuantizerType = 0 // 8 bits per dimension, range per dimension
	QT4bit        QuantizerType = 1 // 4 bits, range per dimension
	QT8bitUniform QuantizerType = 2 // 8 bits, one range for all dimensions
	QT4bitUniform QuantizerType = 3 // 4 bits, one range
	QTfp16        QuantizerType = 4 // IEEE half precision, no training
	QT8bitDirect  QuantizerType = 5 // the value itself, as an integer 0..255
	QT6bit        QuantizerType = 6 // 6 bits, range per dimension
	QTbf16        QuantizerType = 7 // bfloat16 (the float's high half, rounded), no training
	// QT8bitDirectSigned stores the value plus 128 as an integer 0..255
	// (signed bytes -128..127).
	QT8bitDirectSigned QuantizerType = 8
)

// sqBits is the bits per dimension of each type; uniform types share one
// range, and levels is the largest code (2^bits - 1).
func (t QuantizerType) bits() int {
	switch t {
	case QT4bit, QT4bitUniform:
		return 4
	case QT6bit:
		return 6
	case QTfp16, QTbf16:
		return 16
	}
	return 8
}

func (t QuantizerType) uniform() bool { return t == QT8bitUniform || t == QT4bitUniform }

// turbo is true for QT_0bit and the TurboQuant types, whose trained vector
// is a codebook rather than ranges.
func (t QuantizerType) turbo() bool { return t == QT0bit || t.tqMSE() || t.tqFull() }

// trainsRange is false for the types that need no training.
func (t QuantizerType) trainsRange() bool {
	return t != QTfp16 && t != QTbf16 && t != QT8bitDirect && t != QT8bitDirectSigned && !t.turbo()
}

// ScalarQuantizer codes each dimension on its own (faiss's ScalarQuantizer
// with its default range statistic, min-max): component x becomes
// (int)(levels * (x - vmin) / vdiff), clamped, and decodes to the middle of
// its step, vmin + (code + 0.5) / levels * vdiff.
type ScalarQuantizer struct {
	D    int
	Type QuantizerType
	// Vmin and Vdiff are per dimension, or one value for uniform types.
	Vmin, Vdiff []float32
	tq          *turboQuant // the TurboQuant types' codebook
	trained     bool
}

// NewScalarQuantizer checks the type.
func NewScalarQuantizer(d int, t QuantizerType) (*ScalarQuantizer, error) {
	const op = "ScalarQuantizer"
	if d <= 0 {
		return nil, Errorf(KindInvalidArgument, op, "d must be positive, got %d", d)
	}
	if t < QT8bit || t > qtLastNumber {
		return nil, Errorf(KindInvalidArgument, op, "unknown quantizer type %d", t)
	}
	// QT_0bit has nothing to learn; the TurboQuant codebooks are built by
	// train, as faiss does.
	trained := (!t.trainsRange() && !t.turbo()) || t == QT0bit
	return &ScalarQuantizer{D: d, Type: t, trained: trained}, nil
}

func (sq *ScalarQuantizer) codeSize() int {
	if sq.Type.turbo() {
		return sq.tqCodeSize()
	}
	return (sq.D*sq.Type.bits() + 7) / 8
}

// CodeSize is the bytes per vector.
func (sq *ScalarQuantizer) CodeSize() int { return sq.codeSize() }

// IsTrained reports whether the ranges are known (always, for the types
// that have none).
func (sq *ScalarQuantizer) IsTrained() bool { return sq.trained }

func (sq *ScalarQuantizer) levels() float32 { return float32(int(1)<<sq.Type.bits() - 1) }

// Train records the min and max of each dimension (or of all values).
func (sq *ScalarQuantizer) Train(x []float32) error {
	const op = "ScalarQuantizer.train"
	n, err := checkBatch(op, x, sq.D)
	if err != nil {
		return err
	}
	if sq.Type.turbo() {
		sq.trainTurboQuant() // the codebook does not depend on the data
		return nil
	}
	if !sq.Type.trainsRange() {
		return nil
	}
	if n == 0 {
		return Errorf(KindInvalidArgument, op, "no training vectors")
	}
	ranges := sq.D
	if sq.Type.uniform() {
		ranges = 1
	}
	lo := make([]float32, ranges)
	hi := make([]float32, ranges)
	for j := range lo {
		lo[j], hi[j] = float32(math.Inf(1)), float32(math.Inf(-1))
	}
	for i, v := range x {
		j := i % sq.D
		if ranges == 1 {
			j = 0
		}
		lo[j] = min(lo[j], v)
		hi[j] = max(hi[j], v)
	}
	for j := range lo {
		hi[j] -= lo[j]
	}
	sq.Vmin, sq.Vdiff, sq.trained = lo, hi, true
	return nil
}

// rangeOf returns vmin and vdiff of dimension j.
func (sq *ScalarQuantizer) rangeOf(j int) (float32, float32) {
	if sq.Type.uniform() {
		return sq.Vmin[0], sq.Vdiff[0]
	}
	return sq.Vmin[j], sq.Vdiff[j]
}

// Decode8Terms returns, for the 8-bit types with a range (QT_8bit,
// QT_8bit_uniform), the terms Decode uses: component j of code c is
// a[j] + c*st[j]; ok is false for the other types.
func (sq *ScalarQuantizer) Decode8Terms() (a, st []float32, ok bool) {
	if sq.Type != QT8bit && sq.Type != QT8bitUniform || !sq.trained {
		return nil, nil, false
	}
	a, st = make([]float32, sq.D), make([]float32, sq.D)
	for j := range a {
		vmin, vdiff := sq.rangeOf(j)
		st[j] = vdiff / sq.levels()
		a[j] = vmin + 0.5*st[j]
	}
	return a, st, true
}

// ComputeCodes codes the rows of x into codes (n*CodeSize bytes).
func (sq *ScalarQuantizer) ComputeCodes(x []float32, codes []byte) error {
	const op = "ScalarQuantizer.compute_codes"
	n, err := checkBatch(op, x, sq.D)
	if err != nil {
		return err
	}
	cs := sq.codeSize()
	if len(codes) != n*cs {
		return Errorf(KindDimensionMismatch, op, "codes hold %d bytes, need %d", len(codes), n*cs)
	}
	if !sq.trained {
		return Errorf(KindNotTrained, op, "train the scalar quantizer first")
	}
	if sq.Type == QT8bit || sq.Type == QT8bitUniform {
		vmin, vdiv := sq.encodeRanges()
		parallelChunks(n, chunkFor(sq.D*2), func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				kernels.SQ8Encode(x[i*sq.D:(i+1)*sq.D], vmin, vdiv, codes[i*cs:(i+1)*cs])
			}
		})
		return nil
	}
	parallelChunks(n, chunkFor(sq.D*8), func(_, lo, hi int) {
		if sq.Type.tqFull() { // scratch per worker, not per vector
			scratch := make([]float32, sq.D+sq.tq.padded)
			for i := lo; i < hi; i++ {
				sq.encodeFull(x[i*sq.D:(i+1)*sq.D], codes[i*cs:(i+1)*cs], scratch)
			}
			return
		}
		for i := lo; i < hi; i++ {
			sq.encodeOne(x[i*sq.D:(i+1)*sq.D], codes[i*cs:(i+1)*cs])
		}
	})
	return nil
}

// encodeRanges returns vmin and the divisor of every dimension for
// kernels.SQ8Encode: vdiff, or +Inf where vdiff is 0 (faiss codes such a
// dimension as 0).
func (sq *ScalarQuantizer) encodeRanges() (vmin, vdiv []float32) {
	vmin, vdiv = make([]float32, sq.D), make([]float32, sq.D)
	for j := range vmin {
		vmin[j], vdiv[j] = sq.rangeOf(j)
		if vdiv[j] == 0 {
			vdiv[j] = float32(math.Inf(1))
		}
	}
	return vmin, vdiv
}

// encodeOne codes one vector of the types that SQ8Encode does not.
func (sq *ScalarQuantizer) encodeOne(v []float32, code []byte) {
	clear(code)
	bits := sq.Type.bits()
	switch t := sq.Type; {
	case t.tqMSE():
		sq.encodeMSE(v, code)
		return
	case t == QT0bit:
		return
	}
	switch sq.Type {
	case QTfp16:
		for j, x := range v {
			h := float32ToHalfFaiss(x)
			code[2*j], code[2*j+1] = byte(h), byte(h>>8)
		}
		return
	case QTbf16:
		for j, x := range v {
			h := float32ToBF16(x)
			code[2*j], code[2*j+1] = byte(h), byte(h>>8)
		}
		return
	case QT8bitDirect, QT8bitDirectSigned:
		shift := float32(0)
		if sq.Type == QT8bitDirectSigned {
			shift = 128
		}
		for j, x := range v {
			// faiss's (uint8_t) cast: truncate toward zero, keep the low
			// byte (so -3.7 codes as 253, as faiss codes it on x86).
			if x += shift; x == x && x > -(1<<31) && x < 1<<31 {
				code[j] = byte(int32(x))
			}
		}
		return
	}
	levels := sq.levels()
	for j, x := range v {
		vmin, vdiff := sq.rangeOf(j)
		var xi float32
		if vdiff != 0 {
			xi = (x - vmin) / vdiff
		}
		xi = max(0, min(1, xi)) // NaN becomes 0 too
		PutBits(code, j*bits, bits, uint64(int(levels*xi)))
	}
}

// component decodes dimension j of code.
func (sq *ScalarQuantizer) component(code []byte, j int) float32 {
	switch sq.Type {
	case QTfp16:
		return halfToFloat32(uint16(code[2*j]) | uint16(code[2*j+1])<<8)
	case QTbf16:
		return bf16ToFloat32(uint16(code[2*j]) | uint16(code[2*j+1])<<8)
	case QT8bitDirect:
		return float32(code[j])
	case QT8bitDirectSigned:
		return float32(code[j]) - 128
	}
	if sq.Type.tqMSE() {
		bits := sq.Type.codebookBits()
		return sq.tq.levels[GetBits(code, j*bits, bits)]
	}
	var c int
	if bits := sq.Type.bits(); bits == 8 {
		c = int(code[j])
	} else {
		c = int(GetBits(code, j*bits, bits))
	}
	vmin, vdiff := sq.rangeOf(j)
	return vmin + (float32(c)+0.5)/sq.levels()*vdiff
}

// Decode writes the vectors the codes stand for into x.
func (sq *ScalarQuantizer) Decode(codes []byte, x []float32) error {
	cs := sq.codeSize()
	if len(codes)%cs != 0 || len(x) != len(codes)/cs*sq.D {
		return Errorf(KindDimensionMismatch, "ScalarQuantizer.decode", "%d code bytes and %d floats do not fit code_size=%d, d=%d", len(codes), len(x), cs, sq.D)
	}
	if !sq.trained {
		return Errorf(KindNotTrained, "ScalarQuantizer.decode", "train the scalar quantizer first")
	}
	switch {
	case sq.Type == QT0bit:
		clear(x) // nothing stored: an IVF entry stands for its centroid
		return nil
	case sq.Type.tqFull():
		buf := make([]float32, sq.tq.padded)
		for i := 0; i < len(codes)/cs; i++ {
			sq.decodeFull(codes[i*cs:(i+1)*cs], x[i*sq.D:(i+1)*sq.D], buf)
		}
		return nil
	}
	if a, st, ok := sq.Decode8Terms(); ok {
		// The common case, without a call per component.
		for i := 0; i < len(codes)/cs; i++ {
			row := x[i*sq.D : (i+1)*sq.D]
			for j, c := range codes[i*cs : (i+1)*cs] {
				row[j] = a[j] + float32(c)*st[j]
			}
		}
		return nil
	}
	for i := 0; i < len(codes)/cs; i++ {
		code := codes[i*cs : (i+1)*cs]
		for j := 0; j < sq.D; j++ {
			x[i*sq.D+j] = sq.component(code, j)
		}
	}
	return nil
}

// sqScanner measures a query against codes by decoding each component on
// the fly: recon_j = a_j + code_j * s_j (a_j holds the half-step offset),
// then the squared difference or the product with the query. A table of
// every (dimension, code) term would cost more to build per probed list
// than the few codes of a list cost to decode.
type sqScanner struct {
	sq     *ScalarQuantizer
	metric Metric
	q      []float32
	a, s   []float32 // per dimension, for the 4-, 6- and 8-bit types
	recon  []float32
}

func (sq *ScalarQuantizer) newScanner(metric Metric) codeScanner {
	switch {
	case sq.Type.tqFull():
		return sq.newTQScanner(metric)
	case sq.Type == QT0bit:
		return biasScanner{}
	}
	s := &sqScanner{sq: sq, metric: metric, recon: make([]float32, sq.D)}
	if sq.Type.trainsRange() {
		s.a, s.s = sq.affine()
	}
	return s
}

// affine returns a and s with a_j + code_j*s_j the value code_j stands for
// in dimension j (the middle of its step).
func (sq *ScalarQuantizer) affine() (a, s []float32) {
	a, s = make([]float32, sq.D), make([]float32, sq.D)
	for j := range a {
		vmin, vdiff := sq.rangeOf(j)
		step := vdiff / sq.levels()
		a[j], s[j] = vmin+0.5*step, step
	}
	return a, s
}

// scanDecoder returns the decoder the batched list scans use: for the
// 8-bit types the SIMD kernel (within an ulp of Decode, which keeps
// faiss's exact formula), else Decode.
func (sq *ScalarQuantizer) scanDecoder() func(codes []byte, x []float32) {
	if sq.Type != QT8bit && sq.Type != QT8bitUniform {
		return func(codes []byte, x []float32) { _ = sq.Decode(codes, x) }
	}
	a, s := sq.affine()
	d := sq.D
	return func(codes []byte, x []float32) {
		for i := 0; i < len(codes)/d; i++ {
			kernels.SQ8Decode(codes[i*d:(i+1)*d], a, s, x[i*d:(i+1)*d])
		}
	}
}

func (s *sqScanner) setQuery(q []float32) { s.q = q }

func (s *sqScanner) scan(codes []byte, bias float32, out []float32) {
	sq := s.sq
	cs := sq.codeSize()
	if (sq.Type == QT8bit || sq.Type == QT8bitUniform) && s.metric == MetricL2 {
		for i := range out {
			out[i] = bias + kernels.SQ8L2(s.q, s.a, s.s, codes[i*cs:(i+1)*cs])
		}
		return
	}
	for i := range out {
		code := codes[i*cs : (i+1)*cs]
		if sq.Type == QT8bit || sq.Type == QT8bitUniform {
			for j, c := range code {
				s.recon[j] = s.a[j] + float32(c)*s.s[j]
			}
		} else {
			for j := range s.recon {
				s.recon[j] = sq.component(code, j)
			}
		}
		if s.metric == MetricInnerProduct {
			out[i] = bias + kernels.Inner(s.q, s.recon)
		} else {
			out[i] = bias + kernels.L2Sqr(s.q, s.recon)
		}
	}
}

// IndexScalarQuantizer stores scalar-quantizer codes and searches them all
// (faiss's IndexScalarQuantizer).
type IndexScalarQuantizer struct {
	indexFlatCodes
	SQ *ScalarQuantizer
}

// NewIndexScalarQuantizer makes an index of the given type; metric is L2
// or inner product.
func NewIndexScalarQuantizer(d int, t QuantizerType, metric Metric) (*IndexScalarQuantizer, error) {
	const op = "IndexScalarQuantizer"
	if metric != MetricL2 && metric != MetricInnerProduct {
		return nil, Errorf(KindInvalidArgument, op, "metric %s is not supported: L2 or inner product", metric)
	}
	if t == QT0bit {
		return nil, Errorf(KindInvalidArgument, op, "QT_0bit stores nothing: use it in an IndexIVFScalarQuantizer")
	}
	sq, err := NewScalarQuantizer(d, t)
	if err != nil {
		return nil, err
	}
	return &IndexScalarQuantizer{indexFlatCodes: indexFlatCodes{name: op, d: d, metric: metric, codec: sq}, SQ: sq}, nil
}

// Name is the faiss class this type is read and written as.
func (ix *IndexScalarQuantizer) Name() string { return "IndexScalarQuantizer" }

// RestoreIndexScalarQuantizer makes an IndexScalarQuantizer whose
// quantizer holds faiss's trained vector (vmin then vdiff: d values each,
// one each for the uniform types, none for fp16 and 8bit_direct) and the
// given codes.
func RestoreIndexScalarQuantizer(d int, t QuantizerType, metric Metric, isTrained bool, trained []float32, codes []byte) (*IndexScalarQuantizer, error) {
	ix, err := NewIndexScalarQuantizer(d, t, metric)
	if err != nil {
		return nil, err
	}
	if err := ix.SQ.RestoreSQ(isTrained, trained); err != nil {
		return nil, err
	}
	if len(codes)%ix.SQ.codeSize() != 0 {
		return nil, Errorf(KindDimensionMismatch, "IndexScalarQuantizer", "%d code bytes are not whole codes of %d bytes", len(codes), ix.SQ.codeSize())
	}
	if !ix.SQ.trained && len(codes) > 0 {
		return nil, Errorf(KindInvalidArgument, "IndexScalarQuantizer", "an untrained quantizer cannot hold codes")
	}
	ix.codes = codes
	return ix, nil
}

// Trained returns faiss's trained vector of the quantizer: vmin then vdiff
// (the codebook of the TurboQuant types).
func (sq *ScalarQuantizer) Trained() []float32 {
	if sq.Type.turbo() {
		return sq.turboQuantTrained()
	}
	return append(append([]float32{}, sq.Vmin...), sq.Vdiff...)
}

// RestoreSQ sets a scalar quantizer from faiss's trained vector (vmin then
// vdiff: d values each, one each for the uniform types, none for fp16
// and 8bit_direct).
func (sq *ScalarQuantizer) RestoreSQ(isTrained bool, trained []float32) error {
	t, d := sq.Type, sq.D
	if t.turbo() {
		if !isTrained {
			return nil
		}
		return sq.restoreTurboQuant(trained)
	}
	want := 0
	switch {
	case !isTrained && t.trainsRange():
		if len(trained) != 0 && len(trained) != 2*d && len(trained) != 2 {
			return Errorf(KindDimensionMismatch, "ScalarQuantizer", "%d trained values for an untrained quantizer", len(trained))
		}
		return nil
	case !t.trainsRange():
	case t.uniform():
		want = 2
	default:
		want = 2 * d
	}
	if len(trained) != want {
		return Errorf(KindDimensionMismatch, "ScalarQuantizer", "%d trained values for type %d and d=%d, expected %d", len(trained), t, d, want)
	}
	if want > 0 {
		sq.Vmin, sq.Vdiff = trained[:want/2], trained[want/2:]
	}
	sq.trained = true
	return nil
}

// distanceComputer implements distanceSource: codes are decoded to compare
// two stored vectors.
func (ix *IndexScalarQuantizer) distanceComputer() hnswDistances {
	return &codeDistances{codes: ix.codes, cs: ix.CodeSize(), ip: ix.metric == MetricInnerProduct,
		scanner: ix.SQ.newScanner(ix.metric),
		decode:  func(code []byte, x []float32) { _ = ix.SQ.Decode(code, x) },
		a:       make([]float32, ix.d), b: make([]float32, ix.d)}
}
