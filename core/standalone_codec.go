package core

import (
	"encoding/binary"
	"math"
)

// StandaloneCodec is an index seen as a vector codec (faiss's sa_code_size,
// sa_encode, sa_decode): codes are faiss's bytes for the index type, and
// nothing is stored.
type StandaloneCodec interface {
	SaCodeSize() int
	SaEncode(x []float32, codes []byte) error
	SaDecode(codes []byte, x []float32) error
}

var (
	_ StandaloneCodec = (*IndexFlat)(nil)
	_ StandaloneCodec = (*IndexPQ)(nil)
	_ StandaloneCodec = (*IndexScalarQuantizer)(nil)
	_ StandaloneCodec = (*IndexLSH)(nil)
	_ StandaloneCodec = (*IndexIVF)(nil)
	_ StandaloneCodec = (*IndexPreTransform)(nil)
	_ StandaloneCodec = (*IndexIDMap)(nil)
	_ StandaloneCodec = (*IndexRefine)(nil)
)

// checkSa returns the number of vectors of x (d values each) and checks
// that codes holds as many codes of cs bytes.
func checkSa(op string, x []float32, d int, codes []byte, cs int, trained bool) (int, error) {
	if !trained {
		return 0, Errorf(KindNotTrained, op, "train the index first")
	}
	if len(x)%d != 0 || len(codes)%cs != 0 || len(x)/d != len(codes)/cs {
		return 0, Errorf(KindDimensionMismatch, op, "%d values (d=%d) and %d code bytes (%d per code) disagree",
			len(x), d, len(codes), cs)
	}
	return len(x) / d, nil
}

// saCodec returns ix as a codec, or an error naming the operation.
func saCodec(op string, ix Index) (StandaloneCodec, error) {
	c, ok := ix.(StandaloneCodec)
	if !ok {
		return nil, Errorf(KindUnsupported, op, "%T has no standalone codes", ix)
	}
	return c, nil
}

// IndexFlat: the vectors' float32 bytes.

func (ix *IndexFlat) SaCodeSize() int { return 4 * ix.d }

func (ix *IndexFlat) SaEncode(x []float32, codes []byte) error {
	if _, err := checkSa("IndexFlat.sa_encode", x, ix.d, codes, 4*ix.d, true); err != nil {
		return err
	}
	for i, v := range x {
		binary.LittleEndian.PutUint32(codes[4*i:], math.Float32bits(v))
	}
	return nil
}

func (ix *IndexFlat) SaDecode(codes []byte, x []float32) error {
	if _, err := checkSa("IndexFlat.sa_decode", x, ix.d, codes, 4*ix.d, true); err != nil {
		return err
	}
	codeVector(codes, x)
	return nil
}

// indexFlatCodes (IndexPQ, IndexScalarQuantizer): the codec's codes.

func (ix *indexFlatCodes) SaCodeSize() int { return ix.codec.codeSize() }

func (ix *indexFlatCodes) SaEncode(x []float32, codes []byte) error {
	if _, err := checkSa(ix.name+".sa_encode", x, ix.d, codes, ix.SaCodeSize(), ix.IsTrained()); err != nil {
		return err
	}
	return ix.codec.ComputeCodes(x, codes)
}

func (ix *indexFlatCodes) SaDecode(codes []byte, x []float32) error {
	if _, err := checkSa(ix.name+".sa_decode", x, ix.d, codes, ix.SaCodeSize(), ix.IsTrained()); err != nil {
		return err
	}
	return ix.codec.Decode(codes, x)
}

// IndexLSH: the bit codes; decoding gives +-1 per bit, plus the thresholds,
// rotated back (faiss's IndexLSH::sa_decode).

func (ix *IndexLSH) SaCodeSize() int { return ix.CodeSize() }

func (ix *IndexLSH) SaEncode(x []float32, codes []byte) error {
	n, err := checkSa("IndexLSH.sa_encode", x, ix.d, codes, ix.CodeSize(), ix.trained)
	if err != nil {
		return err
	}
	copy(codes, ix.encode(x, n))
	return nil
}

func (ix *IndexLSH) SaDecode(codes []byte, x []float32) error {
	n, err := checkSa("IndexLSH.sa_decode", x, ix.d, codes, ix.CodeSize(), ix.trained)
	if err != nil {
		return err
	}
	cs, nb := ix.CodeSize(), ix.nbits
	xt := make([]float32, n*nb)
	for i := 0; i < n; i++ {
		for j := 0; j < nb; j++ {
			v := float32(-1)
			if codes[i*cs+j/8]>>(j%8)&1 != 0 {
				v = 1
			}
			if ix.TrainThresholds {
				v += ix.Thresholds[j]
			}
			xt[i*nb+j] = v
		}
	}
	if ix.RotateData {
		return ix.Rotation.Reverse(xt, x)
	}
	clear(x)
	for i := 0; i < n; i++ {
		copy(x[i*ix.d:], xt[i*nb:(i+1)*nb])
	}
	return nil
}

// IndexIVF: the list number in the fewest bytes that hold nlist-1
// (little-endian), then the list's code of the vector (of its residual
// with ByResidual; flat lists: the float32 bytes).

// coarseCodeSize is faiss's coarse_code_size.
func (ix *IndexIVF) coarseCodeSize() int {
	n := 0
	for l := ix.nlist - 1; l > 0; l >>= 8 {
		n++
	}
	return n
}

func (ix *IndexIVF) SaCodeSize() int { return ix.coarseCodeSize() + ix.CodeSize() }

func (ix *IndexIVF) SaEncode(x []float32, codes []byte) error {
	op := ix.name + ".sa_encode"
	n, err := checkSa(op, x, ix.d, codes, ix.SaCodeSize(), ix.IsTrained())
	if err != nil {
		return err
	}
	assign := make([]int64, n)
	if n > 0 {
		if err := assignOne(ix.quantizer, x, assign); err != nil {
			return err
		}
	}
	var body []byte
	if ix.codec != nil {
		if body, err = ix.encode(x, assign); err != nil {
			return err
		}
	} else {
		body = make([]byte, len(x)*4)
		for i, v := range x {
			binary.LittleEndian.PutUint32(body[4*i:], math.Float32bits(v))
		}
	}
	ccs, cs, sa := ix.coarseCodeSize(), ix.CodeSize(), ix.SaCodeSize()
	for i, l := range assign {
		if l < 0 {
			return Errorf(KindInvalidArgument, op, "vector %d has no nearest list (NaN values?)", i)
		}
		putCoarse(codes[i*sa:i*sa+ccs], uint64(l))
		copy(codes[i*sa+ccs:(i+1)*sa], body[i*cs:(i+1)*cs])
	}
	return nil
}

func (ix *IndexIVF) SaDecode(codes []byte, x []float32) error {
	op := ix.name + ".sa_decode"
	n, err := checkSa(op, x, ix.d, codes, ix.SaCodeSize(), ix.IsTrained())
	if err != nil {
		return err
	}
	ccs, sa, d := ix.coarseCodeSize(), ix.SaCodeSize(), ix.d
	var c []float32
	if ix.ByResidual {
		if c, err = ix.centroids(); err != nil {
			return err
		}
	}
	for i := 0; i < n; i++ {
		l := getCoarse(codes[i*sa : i*sa+ccs])
		if l >= uint64(ix.nlist) {
			return Errorf(KindInvalidArgument, op, "code %d names list %d of %d", i, l, ix.nlist)
		}
		body, out := codes[i*sa+ccs:(i+1)*sa], x[i*d:(i+1)*d]
		if ix.codec == nil {
			for j := range out {
				out[j] = math.Float32frombits(binary.LittleEndian.Uint32(body[4*j:]))
			}
			continue
		}
		if err := ix.codec.Decode(body, out); err != nil {
			return err
		}
		if ix.ByResidual {
			for j, v := range c[int(l)*d : (int(l)+1)*d] {
				out[j] += v
			}
		}
	}
	return nil
}

func putCoarse(b []byte, l uint64) {
	for i := range b {
		b[i] = byte(l >> (8 * i))
	}
}

func getCoarse(b []byte) uint64 {
	var l uint64
	for i, v := range b {
		l |= uint64(v) << (8 * i)
	}
	return l
}

// subCodeSize is the code size of a wrapper's sub-index (0: it has none).
func subCodeSize(sub Index) int {
	if c, ok := sub.(StandaloneCodec); ok {
		return c.SaCodeSize()
	}
	return 0
}

// IndexPreTransform: the sub-index's codes of the transformed vectors;
// decoding reverses the chain.

func (ix *IndexPreTransform) SaCodeSize() int { return subCodeSize(ix.sub) }

func (ix *IndexPreTransform) SaEncode(x []float32, codes []byte) error {
	c, err := saCodec("IndexPreTransform.sa_encode", ix.sub)
	if err != nil {
		return err
	}
	if !ix.IsTrained() {
		return Errorf(KindNotTrained, "IndexPreTransform.sa_encode", "train the index first")
	}
	xt, err := ix.ApplyChain(x)
	if err != nil {
		return err
	}
	return c.SaEncode(xt, codes)
}

func (ix *IndexPreTransform) SaDecode(codes []byte, x []float32) error {
	const op = "IndexPreTransform.sa_decode"
	c, err := saCodec(op, ix.sub)
	if err != nil {
		return err
	}
	d := ix.D()
	if len(x)%d != 0 || c.SaCodeSize() == 0 || len(codes)/c.SaCodeSize() != len(x)/d {
		return Errorf(KindDimensionMismatch, op, "%d values (d=%d) for %d code bytes", len(x), d, len(codes))
	}
	xt := make([]float32, len(x)/d*ix.sub.D())
	if err := c.SaDecode(codes, xt); err != nil {
		return err
	}
	back, err := ix.ReverseChain(xt)
	if err != nil {
		return err
	}
	copy(x, back)
	return nil
}

// IndexIDMap: the sub-index's codes (ids are not part of them).

func (ix *IndexIDMap) SaCodeSize() int { return subCodeSize(ix.sub) }

func (ix *IndexIDMap) SaEncode(x []float32, codes []byte) error {
	c, err := saCodec("IndexIDMap.sa_encode", ix.sub)
	if err != nil {
		return err
	}
	return c.SaEncode(x, codes)
}

func (ix *IndexIDMap) SaDecode(codes []byte, x []float32) error {
	c, err := saCodec("IndexIDMap.sa_decode", ix.sub)
	if err != nil {
		return err
	}
	return c.SaDecode(codes, x)
}

// IndexRefine: the base index's code, then the refinement's (faiss's
// IndexRefine); decoding reads the refinement's, the more precise.

func (ix *IndexRefine) SaCodeSize() int {
	if c, rc := subCodeSize(ix.base), subCodeSize(ix.refine); c > 0 && rc > 0 {
		return c + rc
	}
	return 0
}

// refineCodes checks a call and returns the base's codec, the number of
// vectors and the base's and refinement's code sizes.
func (ix *IndexRefine) refineCodes(op string, x []float32, codes []byte) (StandaloneCodec, int, int, int, error) {
	c, err := saCodec(op, ix.base)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	rc, err := saCodec(op, ix.refine)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	bcs, rcs := c.SaCodeSize(), rc.SaCodeSize()
	n, err := checkSa(op, x, ix.D(), codes, bcs+rcs, ix.IsTrained())
	return c, n, bcs, rcs, err
}

func (ix *IndexRefine) SaEncode(x []float32, codes []byte) error {
	c, n, bcs, rcs, err := ix.refineCodes("IndexRefine.sa_encode", x, codes)
	if err != nil {
		return err
	}
	bc, rc := make([]byte, n*bcs), make([]byte, n*rcs)
	if err := c.SaEncode(x, bc); err != nil {
		return err
	}
	if err := ix.refine.(StandaloneCodec).SaEncode(x, rc); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		copy(codes[i*(bcs+rcs):], bc[i*bcs:(i+1)*bcs])
		copy(codes[i*(bcs+rcs)+bcs:], rc[i*rcs:(i+1)*rcs])
	}
	return nil
}

func (ix *IndexRefine) SaDecode(codes []byte, x []float32) error {
	_, n, bcs, rcs, err := ix.refineCodes("IndexRefine.sa_decode", x, codes)
	if err != nil {
		return err
	}
	rc := make([]byte, n*rcs)
	for i := 0; i < n; i++ {
		copy(rc[i*rcs:(i+1)*rcs], codes[i*(bcs+rcs)+bcs:])
	}
	return ix.refine.(StandaloneCodec).SaDecode(rc, x)
}

// CodeAdder adds entries given as standalone codes (faiss's add_sa_codes):
// the codes are stored as they are, with ids where the index keeps them
// (nil: numbered on from ntotal).
type CodeAdder interface {
	AddSaCodes(codes []byte, ids []int64) error
}

func (ix *IndexFlat) AddSaCodes(codes []byte, ids []int64) error {
	if ids != nil {
		return Errorf(KindUnsupported, "IndexFlat.add_sa_codes", "a flat index numbers its vectors itself")
	}
	if len(codes)%(4*ix.d) != 0 {
		return Errorf(KindDimensionMismatch, "IndexFlat.add_sa_codes", "%d bytes are not whole codes of %d", len(codes), 4*ix.d)
	}
	x := make([]float32, len(codes)/4)
	if err := ix.SaDecode(codes, x); err != nil {
		return err
	}
	return ix.Add(x)
}

func (ix *indexFlatCodes) AddSaCodes(codes []byte, ids []int64) error {
	op := ix.name + ".add_sa_codes"
	if ids != nil {
		return Errorf(KindUnsupported, op, "this index numbers its codes itself")
	}
	if cs := ix.codec.codeSize(); len(codes)%cs != 0 {
		return Errorf(KindDimensionMismatch, op, "%d bytes are not whole codes of %d", len(codes), cs)
	}
	ix.codes = append(ix.codes, codes...)
	ix.gen++
	return nil
}

func (ix *IndexIVF) AddSaCodes(codes []byte, ids []int64) error {
	op := ix.name + ".add_sa_codes"
	sa, ccs, cs := ix.SaCodeSize(), ix.coarseCodeSize(), ix.CodeSize()
	if len(codes)%sa != 0 {
		return Errorf(KindDimensionMismatch, op, "%d bytes are not whole codes of %d", len(codes), sa)
	}
	n := len(codes) / sa
	if ids != nil && len(ids) != n {
		return Errorf(KindDimensionMismatch, op, "%d ids for %d codes", len(ids), n)
	}
	if ids == nil && ix.directMap.kind == directMapHash {
		return Errorf(KindInvalidArgument, op, "a hashtable direct map needs explicit ids")
	}
	lists := make([]int64, n)
	for i := range lists { // check everything before changing anything
		l := getCoarse(codes[i*sa : i*sa+ccs])
		if l >= uint64(ix.nlist) {
			return Errorf(KindInvalidArgument, op, "code %d names list %d of %d", i, l, ix.nlist)
		}
		lists[i] = int64(l)
	}
	ix.listsChanged()
	for i, l := range lists {
		id := ix.ntotal + int64(i)
		if ids != nil {
			id = ids[i]
		}
		body := codes[i*sa+ccs : (i+1)*sa]
		var off int
		if ix.codec == nil {
			v := make([]float32, ix.d)
			for j := range v {
				v[j] = math.Float32frombits(binary.LittleEndian.Uint32(body[4*j:]))
			}
			off = ix.lists.add(int(l), id, v)
		} else {
			off = ix.lists.addCode(int(l), id, body[:cs])
		}
		ix.directMap.record(id, int(l), off)
	}
	ix.ntotal += int64(n)
	return nil
}

// AddSaCodes adds entries given as the sub-index's standalone codes under
// the caller's ids (which are required): the sub-index numbers them on, as
// for AddWithIDs.
func (m *IndexIDMap) AddSaCodes(codes []byte, ids []int64) error {
	op := m.op("add_sa_codes")
	adder, ok := m.sub.(CodeAdder)
	c, ok2 := m.sub.(StandaloneCodec)
	if !ok || !ok2 {
		return Errorf(KindUnsupported, op, "the sub-index %T takes no standalone codes", m.sub)
	}
	cs := c.SaCodeSize()
	if cs == 0 || len(codes)%cs != 0 {
		return Errorf(KindDimensionMismatch, op, "%d bytes are not codes of %d bytes", len(codes), cs)
	}
	if ids == nil || len(ids) != len(codes)/cs {
		return Errorf(KindDimensionMismatch, op, "%d codes need as many ids, got %d", len(codes)/cs, len(ids))
	}
	start := m.sub.Ntotal()
	if err := adder.AddSaCodes(codes, nil); err != nil {
		return err
	}
	m.appendIDs(ids, start)
	return nil
}
