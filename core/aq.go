package core

import (
	"math"
	"sync"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// AQSearchType is how an additive quantizer's searches measure a query
// against codes, and what a code stores beside its codebook indices
// (faiss's AdditiveQuantizer::Search_type_t, same values).
type AQSearchType int

const (
	STDecompress  AQSearchType = iota // decode each code, then compare
	STLUTNonorm                       // look-up tables, no norm (inner product)
	STNormFromLUT                     // the norm from codebook cross products
	STNormFloat                       // the norm as a float32 (32 bits)
	STNormQint8                       // the norm quantized uniformly, 8 bits
	STNormQint4                       // ... 4 bits
	STNormCqint8                      // the norm by 1-D k-means, 8 bits
	STNormCqint4                      // ... 4 bits
	STNormLSQ2x4                      // the norm by a 2x4 LSQ, 8 bits
	STNormRQ2x4                       // the norm by a 2x4 RQ, 8 bits
	stCount
)

// AdditiveQuantizer is the part of faiss's additive quantizers (residual,
// local search, product of either) that codes share: a vector is coded
// as M codebook indices, one per codebook, and stands for the sum of the
// chosen entries. Codes are packed as faiss packs them: index m takes
// Nbits[m] bits, then come the norm's bits that SearchType asks for.
type AdditiveQuantizer struct {
	D, M  int
	Nbits []int
	// Codebooks holds every codebook's entries, codebook m's 2^Nbits[m]
	// rows of D floats starting at row Offsets()[m].
	Codebooks  []float32
	SearchType AQSearchType
	// NormMin, NormMax: the range of the training norms (the qint types).
	NormMin, NormMax float32
	// Qnorm: the quantized norms' values (the cqint and 2x4 types);
	// NormTabs: the 2x4 types' two codebooks of 16 (32 floats).
	Qnorm, NormTabs []float32

	offsets                   []int
	totBits, normBits, cbytes int
	trained                   bool
	// splits is set for product quantizers: codebooks [m0, m1) cover
	// dimensions [d0, d1), their rows are d1-d0 wide and start at float
	// start of Codebooks (faiss's ProductAdditiveQuantizer layout).
	splits []aqSplit
	// entryNorms: |entry|^2 per codebook row; cross: <row i, row j> for
	// all rows (T x T), built when a search type or beam LUT needs it.
	entryNorms, cross []float32
}

func newAdditiveQuantizer(op string, d int, nbits []int, st AQSearchType) (AdditiveQuantizer, error) {
	aq := AdditiveQuantizer{D: d, M: len(nbits), Nbits: append([]int(nil), nbits...), SearchType: st,
		NormMin: float32(math.NaN()), NormMax: float32(math.NaN())}
	if d <= 0 {
		return aq, Errorf(KindInvalidArgument, op, "d must be positive, got %d", d)
	}
	if len(nbits) == 0 {
		return aq, Errorf(KindInvalidArgument, op, "M must be positive, got 0 codebooks")
	}
	for m, b := range nbits {
		if b < 1 || b > 16 {
			return aq, Errorf(KindInvalidArgument, op, "codebook %d has nbits=%d: 1..16 bits per codebook", m, b)
		}
	}
	if st < 0 || st >= stCount {
		return aq, Errorf(KindInvalidArgument, op, "search_type %d is not one of faiss's 0..%d", st, stCount-1)
	}
	aq.setDerived()
	return aq, nil
}

type aqSplit struct{ m0, m1, d0, d1, start int }

// codebookLen is the number of floats of all codebooks.
func (aq *AdditiveQuantizer) codebookLen() int {
	if aq.splits == nil {
		return aq.TotalCodebookSize() * aq.D
	}
	n := 0
	for _, s := range aq.splits {
		n += (aq.offsets[s.m1] - aq.offsets[s.m0]) * (s.d1 - s.d0)
	}
	return n
}

// entry returns codebook row r (of codebook m) and the first dimension it
// covers.
func (aq *AdditiveQuantizer) entry(m, r int) ([]float32, int) {
	if aq.splits == nil {
		return aq.Codebooks[r*aq.D : (r+1)*aq.D], 0
	}
	for _, s := range aq.splits {
		if m < s.m1 {
			w := s.d1 - s.d0
			o := s.start + (r-aq.offsets[s.m0])*w
			return aq.Codebooks[o : o+w], s.d0
		}
	}
	panic("codebook out of range")
}

// setDerived computes the offsets and sizes that follow from Nbits and
// SearchType (faiss's set_derived_values).
func (aq *AdditiveQuantizer) setDerived() {
	aq.offsets = make([]int, aq.M+1)
	aq.totBits = 0
	for m, b := range aq.Nbits {
		aq.offsets[m+1] = aq.offsets[m] + 1<<b
		aq.totBits += b
	}
	switch aq.SearchType {
	case STNormFloat:
		aq.normBits = 32
	case STNormQint8, STNormCqint8, STNormLSQ2x4, STNormRQ2x4:
		aq.normBits = 8
	case STNormQint4, STNormCqint4:
		aq.normBits = 4
	default:
		aq.normBits = 0
	}
	aq.totBits += aq.normBits
	aq.cbytes = (aq.totBits + 7) / 8
}

// SetSearchType changes what codes store. A trained quantizer takes only
// a type whose norm it can encode (the same norm bits, and the norm
// tables that type needs), since codes already made must still read.
func (aq *AdditiveQuantizer) SetSearchType(op string, st AQSearchType) error {
	if st < 0 || st >= stCount {
		return Errorf(KindInvalidArgument, op, "search_type %d is not one of faiss's 0..%d", st, stCount-1)
	}
	if st == aq.SearchType {
		return nil
	}
	old, oldBits := aq.SearchType, aq.normBits
	aq.SearchType = st
	aq.setDerived()
	if !aq.trained {
		return nil
	}
	ok := aq.normBits == oldBits
	switch st {
	case STNormQint8, STNormQint4:
		ok = ok && !math.IsNaN(float64(aq.NormMin))
	case STNormCqint8, STNormCqint4, STNormLSQ2x4, STNormRQ2x4:
		ok = ok && len(aq.Qnorm) == 1<<aq.normBits
	}
	if !ok {
		aq.SearchType = old
		aq.setDerived()
		return Errorf(KindInvalidArgument, op, "search_type %d stores other norms than %d: set it before training", st, old)
	}
	return nil
}

func (aq *AdditiveQuantizer) codeSize() int   { return aq.cbytes }
func (aq *AdditiveQuantizer) IsTrained() bool { return aq.trained }

// CodeSize is the bytes per code; TotBits the bits used.
func (aq *AdditiveQuantizer) CodeSize() int { return aq.cbytes }
func (aq *AdditiveQuantizer) TotBits() int  { return aq.totBits }

// Offsets are the first codebook row of each codebook (M+1 values, the
// last the total number of rows).
func (aq *AdditiveQuantizer) Offsets() []int { return aq.offsets }

// TotalCodebookSize is the number of codebook rows.
func (aq *AdditiveQuantizer) TotalCodebookSize() int { return aq.offsets[aq.M] }

// Additive is implemented by the quantizers built on AdditiveQuantizer.
type Additive interface {
	codec
	additive() *AdditiveQuantizer
}

func (aq *AdditiveQuantizer) additive() *AdditiveQuantizer { return aq }

// SetCodebooks installs trained codebooks (TotalCodebookSize()*D floats),
// as faiss scripts do by hand; the norm ranges stay as they are.
func (aq *AdditiveQuantizer) SetCodebooks(op string, cb []float32) error {
	if len(cb) != aq.codebookLen() {
		return Errorf(KindDimensionMismatch, op, "%d codebook values, need %d", len(cb), aq.codebookLen())
	}
	aq.Codebooks = append(aq.Codebooks[:0], cb...)
	aq.trained = true
	aq.entryNorms, aq.cross = nil, nil
	return nil
}

// unpack reads the M codebook indices of code.
func (aq *AdditiveQuantizer) unpack(code []byte, idx []int32) {
	off := 0
	for m, b := range aq.Nbits {
		if b == 8 && off%8 == 0 {
			idx[m] = int32(code[off/8])
		} else {
			idx[m] = int32(GetBits(code, off, b))
		}
		off += b
	}
}

// storedNorm decodes the norm a code carries (0 for types without one).
func (aq *AdditiveQuantizer) storedNorm(code []byte) float32 {
	if aq.normBits == 0 {
		return 0
	}
	v := GetBits(code, aq.totBits-aq.normBits, aq.normBits)
	switch aq.SearchType {
	case STNormFloat:
		return math.Float32frombits(uint32(v))
	case STNormQint8:
		return float32((float64(v)+0.5)/256*float64(aq.NormMax-aq.NormMin) + float64(aq.NormMin))
	case STNormQint4:
		return float32((float64(v)+0.5)/16*float64(aq.NormMax-aq.NormMin) + float64(aq.NormMin))
	default:
		if int(v) < len(aq.Qnorm) {
			return aq.Qnorm[v]
		}
		return 0
	}
}

// encodeNorm is the stored form of a squared norm (faiss's encode_norm).
func (aq *AdditiveQuantizer) encodeNorm(norm float32) uint64 {
	clampFloor := func(x float32, levels int32) uint64 {
		xi := int32(math.Floor(float64((x - aq.NormMin) / (aq.NormMax - aq.NormMin) * float32(levels))))
		return uint64(min(max(xi, 0), levels-1))
	}
	switch aq.SearchType {
	case STNormFloat:
		return uint64(math.Float32bits(norm))
	case STNormQint8:
		return clampFloor(norm, 256)
	case STNormQint4:
		return clampFloor(norm, 16)
	case STNormCqint8, STNormCqint4, STNormLSQ2x4, STNormRQ2x4:
		best, bi := float32(math.Inf(1)), 0
		for i, c := range aq.Qnorm {
			if dd := (norm - c) * (norm - c); dd < best {
				best, bi = dd, i
			}
		}
		return uint64(bi)
	}
	return 0
}

// packCodes packs n codes of M indices (rows ld apart in codes) with the
// norms SearchType stores (norms: one per code; nil when none is stored).
func (aq *AdditiveQuantizer) packCodes(n int, codes []int32, ld int, norms []float32, out []byte) {
	cs := aq.cbytes
	for i := 0; i < n; i++ {
		dst := out[i*cs : (i+1)*cs]
		clear(dst)
		off := 0
		for m, b := range aq.Nbits {
			PutBits(dst, off, b, uint64(codes[i*ld+m]))
			off += b
		}
		if aq.normBits != 0 {
			PutBits(dst, off, aq.normBits, aq.encodeNorm(norms[i]))
		}
	}
}

// needsNorms says whether packCodes reads norms.
func (aq *AdditiveQuantizer) needsNorms() bool { return aq.normBits != 0 }

// decodeIndices writes the sum of the entries idx picks into x.
func (aq *AdditiveQuantizer) decodeIndices(idx []int32, x []float32) {
	if aq.splits != nil {
		clear(x)
	}
	for m, i := range idx {
		c, d0 := aq.entry(m, aq.offsets[m]+int(i))
		if m == 0 && aq.splits == nil {
			copy(x, c)
		} else {
			kernels.AddTo(x[d0:d0+len(c)], c)
		}
	}
}

// Decode writes the vectors the codes stand for into x.
func (aq *AdditiveQuantizer) Decode(codes []byte, x []float32) error {
	const op = "AdditiveQuantizer.decode"
	if !aq.trained {
		return Errorf(KindNotTrained, op, "the additive quantizer is not trained yet")
	}
	cs, d := aq.cbytes, aq.D
	n := len(codes) / cs
	if len(codes) != n*cs || len(x) != n*d {
		return Errorf(KindDimensionMismatch, op, "%d code bytes and %d floats are not whole codes of %d bytes and vectors of d=%d", len(codes), len(x), cs, d)
	}
	parallelChunks(n, chunkFor(aq.M*d), func(_, lo, hi int) {
		idx := make([]int32, aq.M)
		for i := lo; i < hi; i++ {
			aq.unpack(codes[i*cs:(i+1)*cs], idx)
			aq.decodeIndices(idx, x[i*d:(i+1)*d])
		}
	})
	return nil
}

// computeLUT writes the inner products of q with every codebook row.
func (aq *AdditiveQuantizer) computeLUT(q, lut []float32) {
	if aq.splits == nil {
		kernels.DotTile(q, 1, aq.Codebooks, aq.TotalCodebookSize(), aq.D, lut, aq.TotalCodebookSize())
		return
	}
	for _, s := range aq.splits {
		w, r0, r1 := s.d1-s.d0, aq.offsets[s.m0], aq.offsets[s.m1]
		kernels.DotTile(q[s.d0:s.d1], 1, aq.Codebooks[s.start:s.start+(r1-r0)*w], r1-r0, w, lut[r0:r1], r1-r0)
	}
}

// aqTablesMu orders the builds of codebook tables.
var aqTablesMu sync.Mutex

// codebookTables builds the entry norms and cross products (faiss's
// compute_codebook_tables) unless they exist. Searches that may run
// side by side (a coarse quantizer's) build them under one lock.
func (aq *AdditiveQuantizer) codebookTables() {
	aqTablesMu.Lock()
	defer aqTablesMu.Unlock()
	if aq.cross != nil || !aq.trained {
		return
	}
	t, d := aq.TotalCodebookSize(), aq.D
	cross := make([]float32, t*t)
	if aq.splits == nil {
		parallelChunks(t, chunkFor(t*d), func(_, lo, hi int) {
			kernels.DotTile(aq.Codebooks[lo*d:hi*d], hi-lo, aq.Codebooks, t, d, cross[lo*t:hi*t], t)
		})
	} else { // entries of different splits cover different dimensions: 0
		for _, s := range aq.splits {
			w, r0, r1 := s.d1-s.d0, aq.offsets[s.m0], aq.offsets[s.m1]
			rows := aq.Codebooks[s.start : s.start+(r1-r0)*w]
			for i := r0; i < r1; i++ {
				kernels.DotTile(rows[(i-r0)*w:(i-r0+1)*w], 1, rows, r1-r0, w, cross[i*t+r0:i*t+r1], r1-r0)
			}
		}
	}
	norms := make([]float32, t)
	for i := range norms {
		norms[i] = cross[i*t+i]
	}
	aq.entryNorms, aq.cross = norms, cross
}

// normFromTables is |sum of the entries idx picks|^2 from the tables.
func (aq *AdditiveQuantizer) normFromTables(idx []int32) float32 {
	t := aq.TotalCodebookSize()
	var acc float32
	for m, i := range idx {
		r := aq.offsets[m] + int(i)
		acc += aq.entryNorms[r]
		for l := 0; l < m; l++ {
			acc += 2 * aq.cross[(aq.offsets[l]+int(idx[l]))*t+r]
		}
	}
	return acc
}

// trainNorm learns how norms are stored from the training set's
// reconstruction norms (faiss's train_norm).
func (aq *AdditiveQuantizer) trainNorm(norms []float32) error {
	aq.NormMin, aq.NormMax = float32(math.Inf(1)), float32(math.Inf(-1))
	for _, v := range norms {
		aq.NormMin, aq.NormMax = min(aq.NormMin, v), max(aq.NormMax, v)
	}
	switch aq.SearchType {
	case STNormCqint8, STNormCqint4:
		k := 256
		if aq.SearchType == STNormCqint4 {
			k = 16
		}
		c, _, err := KMeans1D(norms, min(k, len(norms)))
		if err != nil {
			return err
		}
		aq.Qnorm = c
	case STNormLSQ2x4, STNormRQ2x4:
		var nq interface {
			Train([]float32) error
			additive() *AdditiveQuantizer
		}
		if aq.SearchType == STNormLSQ2x4 {
			q, err := NewLocalSearchQuantizer(1, 2, 4, STDecompress)
			if err != nil {
				return err
			}
			nq = q
		} else {
			q, err := NewResidualQuantizer(1, []int{4, 4}, STDecompress)
			if err != nil {
				return err
			}
			nq = q
		}
		if err := nq.Train(norms); err != nil {
			return err
		}
		c := nq.additive().Codebooks
		aq.NormTabs = append([]float32(nil), c...)
		aq.Qnorm = make([]float32, 256)
		for i := 0; i < 16; i++ {
			for j := 0; j < 16; j++ {
				aq.Qnorm[i*16+j] = c[j] + c[16+i]
			}
		}
	}
	return nil
}

// aqScanner measures one query against additive codes: by decoding them
// (STDecompress) or from the query's inner products with every codebook
// row plus the stored norm (faiss's compute_1_distance_LUT).
type aqScanner struct {
	aq     *AdditiveQuantizer
	ip     bool
	q, tmp []float32
	lut    []float32
	qnorm  float32
	idx    []int32
	// byteTable is set when every codebook takes 8 bits and the norm,
	// if any, one byte: the whole code is then read as a product
	// quantizer's, one 256-entry table per byte, the norm's table holding
	// the decoded norms.
	byteTable []float32
}

func (aq *AdditiveQuantizer) newScanner(metric Metric) codeScanner {
	s := &aqScanner{aq: aq, ip: metric == MetricInnerProduct, q: make([]float32, aq.D), tmp: make([]float32, aq.D),
		idx: make([]int32, aq.M)}
	if aq.SearchType != STDecompress {
		s.lut = make([]float32, aq.TotalCodebookSize())
		if aq.bytewise() && (s.ip || aq.SearchType != STNormFromLUT) {
			s.byteTable = make([]float32, aq.cbytes*256)
		}
	}
	if aq.SearchType == STNormFromLUT && !s.ip {
		aq.codebookTables()
	}
	return s
}

// bytewise: 8-bit codebooks and a norm of 0 or 8 bits.
func (aq *AdditiveQuantizer) bytewise() bool {
	for _, b := range aq.Nbits {
		if b != 8 {
			return false
		}
	}
	return aq.normBits == 0 || aq.normBits == 8
}

func (s *aqScanner) setQuery(q []float32) {
	copy(s.q, q)
	if s.lut != nil {
		s.aq.computeLUT(q, s.lut)
	}
	if !s.ip {
		s.qnorm = kernels.Inner(q, q)
	}
	if t := s.byteTable; t != nil {
		aq := s.aq
		scale := float32(-2) // L2: |q|^2 + |y|^2 - 2 <q, y>
		switch {
		case s.ip:
			scale = 1
		case aq.SearchType == STLUTNonorm:
			scale = -1 // faiss's L2 without norms: |q|^2 - <q, y>
		}
		for i, v := range s.lut {
			t[i] = scale * v
		}
		if aq.normBits == 8 {
			norms := t[aq.M*256:]
			code := make([]byte, aq.cbytes)
			for v := range norms {
				if s.ip {
					norms[v] = 0
					continue
				}
				code[aq.M] = byte(v)
				norms[v] = aq.storedNorm(code)
			}
		}
	}
}

func (s *aqScanner) scan(codes []byte, bias float32, out []float32) {
	aq := s.aq
	cs := aq.cbytes
	if s.byteTable != nil {
		if !s.ip {
			bias += s.qnorm
		}
		kernels.PQScan8(codes, cs, s.byteTable, bias, out)
		return
	}
	for i := range out {
		code := codes[i*cs : (i+1)*cs]
		aq.unpack(code, s.idx)
		if s.lut == nil {
			aq.decodeIndices(s.idx, s.tmp)
			if s.ip {
				out[i] = bias + kernels.Inner(s.q, s.tmp)
			} else {
				out[i] = bias + kernels.L2Sqr(s.q, s.tmp)
			}
			continue
		}
		var acc float32
		for m, j := range s.idx {
			acc += s.lut[aq.offsets[m]+int(j)]
		}
		switch {
		case s.ip:
			out[i] = bias + acc
		case aq.SearchType == STLUTNonorm:
			out[i] = bias + s.qnorm - acc // faiss's L2 without norms: |q|^2 - <q, y>
		case aq.SearchType == STNormFromLUT:
			out[i] = bias + s.qnorm + aq.normFromTables(s.idx) - 2*acc
		default:
			out[i] = bias + s.qnorm + aq.storedNorm(code) - 2*acc
		}
	}
}

// ComputeLUT writes, for each row of x, its inner products with every
// codebook row (faiss's compute_LUT).
func (aq *AdditiveQuantizer) ComputeLUT(op string, x, lut []float32) error {
	if !aq.trained {
		return Errorf(KindNotTrained, op, "the additive quantizer is not trained yet")
	}
	d, t := aq.D, aq.TotalCodebookSize()
	n, err := checkBatch(op, x, d)
	if err != nil {
		return err
	}
	if len(lut) != n*t {
		return Errorf(KindDimensionMismatch, op, "the table holds %d floats, need %d", len(lut), n*t)
	}
	parallelChunks(n, chunkFor(t*d), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			aq.computeLUT(x[i*d:(i+1)*d], lut[i*t:(i+1)*t])
		}
	})
	return nil
}

// Restore installs what a file holds: the codebooks (when trained), the
// norm range and tables. Sizes are checked against Nbits and SearchType.
func (aq *AdditiveQuantizer) Restore(trained bool, codebooks []float32, normMin, normMax float32, qnorm, normTabs []float32) error {
	const op = "AdditiveQuantizer"
	if trained && len(codebooks) != aq.codebookLen() {
		return Errorf(KindDimensionMismatch, op, "%d codebook values, need %d", len(codebooks), aq.codebookLen())
	}
	if !trained && len(codebooks) != 0 && len(codebooks) != aq.codebookLen() {
		return Errorf(KindDimensionMismatch, op, "%d codebook values for an untrained quantizer", len(codebooks))
	}
	switch aq.SearchType {
	case STNormCqint8, STNormCqint4, STNormLSQ2x4, STNormRQ2x4:
		if trained && (len(qnorm) == 0 || len(qnorm) > 1<<aq.normBits) {
			return Errorf(KindInvalidArgument, op, "%d quantized norms for %d-bit norm codes", len(qnorm), aq.normBits)
		}
	}
	if (aq.SearchType == STNormLSQ2x4 || aq.SearchType == STNormRQ2x4) && trained && len(normTabs) != 32 {
		return Errorf(KindInvalidArgument, op, "%d norm table values, need 32", len(normTabs))
	}
	aq.Codebooks = append([]float32(nil), codebooks...)
	aq.trained = trained
	aq.NormMin, aq.NormMax = normMin, normMax
	aq.Qnorm, aq.NormTabs = append([]float32(nil), qnorm...), append([]float32(nil), normTabs...)
	aq.entryNorms, aq.cross = nil, nil
	return nil
}

// CentroidNorms writes |c|^2 of every sum of one entry per codebook,
// numbered as the packed indices read (faiss's compute_centroid_norms).
func (aq *AdditiveQuantizer) CentroidNorms(op string, out []float32) error {
	if !aq.trained {
		return Errorf(KindNotTrained, op, "the additive quantizer is not trained yet")
	}
	if aq.totBits-aq.normBits > 30 || len(out) != 1<<(aq.totBits-aq.normBits) {
		return Errorf(KindInvalidArgument, op, "%d norms for %d bits of codes: need 2^bits, bits <= 30", len(out), aq.totBits-aq.normBits)
	}
	parallelChunks(len(out), chunkFor(aq.D*aq.M), func(_, lo, hi int) {
		idx, c := make([]int32, aq.M), make([]float32, aq.D)
		for i := lo; i < hi; i++ {
			aq.splitBits(uint64(i), idx)
			aq.decodeIndices(idx, c)
			out[i] = kernels.Inner(c, c)
		}
	})
	return nil
}

// Dim is the dimension of the vectors coded.
func (aq *AdditiveQuantizer) Dim() int { return aq.D }

// CodebookLen is the number of floats of all codebooks.
func (aq *AdditiveQuantizer) CodebookLen() int { return aq.codebookLen() }

// splitBits reads the codebook indices packed in bits (codebook 0 in the
// low bits), as coarse quantizers number their centroids.
func (aq *AdditiveQuantizer) splitBits(bits uint64, idx []int32) {
	for m, b := range aq.Nbits {
		idx[m] = int32(bits & (1<<b - 1))
		bits >>= b
	}
}
