package core

import "sync"

// IndexFastScan is what faiss's fast-scan indexes share: codes of M
// 4-bit fields (the codec's standard codes), stored in blocks of Bbs
// vectors in the packed layout the byte-shuffle kernels read, and
// searched with uint8 tables (see fastscan_search.go). IndexPQFastScan
// and the additive-quantizer forms embed it with their quantizer. Implem
// picks faiss's search variants: 0 and 12..15 the quantized kernels (the
// same results here; faiss's 13 and 15 differ from its 12 and 14 only in
// the order of equal distances), 1 and 2 float tables, 3 rounded tables
// (integer distances), 4 rounded tables mapped back to distances; 2..4 sum
// code by code.
type IndexFastScan struct {
	name   string
	d      int
	metric Metric
	codec  codec
	tables fsTabler
	m      int // 4-bit fields per code
	Bbs    int
	// Qbs is faiss's query block size (four bits per sub-block); nonzero,
	// its sum is how many queries share a pass over the codes.
	Qbs    int
	Implem int
	m2     int
	// scale multiplies the table entries of the last two fields (faiss's
	// NormTableScaler, for the additive quantizers' norm codes); 0 or 1:
	// none.
	scale  int
	blocks pq4Blocks
	// backing is what blocks.codes may point into (a mapped index file,
	// read-only): the first edit copies the codes out.
	backing any
	// scaled is the blocks extended for a norm scale (scanBlocks); edits
	// drop it.
	scaled fsScaledBlocks
}

// fsScaledBlocks caches the extended blocks of the codes they were made
// from (first byte, count) under one scale.
type fsScaledBlocks struct {
	mu    sync.Mutex
	codes *byte
	n     int
	scale int
	ext   []byte
}

// dropScaled forgets the extended blocks (the codes changed).
func (ix *IndexFastScan) dropScaled() {
	ix.scaled.mu.Lock()
	ix.scaled.ext = nil
	ix.scaled.mu.Unlock()
}

// fsTabler writes the float distance tables of query v (M x 16 values).
type fsTabler interface {
	fsFloatTables(v, tab []float32)
}

// IndexPQFastScan is faiss's IndexPQFastScan: product-quantizer codes of
// 4 bits per sub-quantizer.
type IndexPQFastScan struct {
	IndexFastScan
	PQ *ProductQuantizer
}

var (
	_ Index         = (*IndexPQFastScan)(nil)
	_ ParamSearcher = (*IndexPQFastScan)(nil)
	_ Reconstructor = (*IndexPQFastScan)(nil)
	_ IDRemover     = (*IndexPQFastScan)(nil)
	_ IndexMerger   = (*IndexPQFastScan)(nil)
)

// checkFastScan validates the shape shared by the fast-scan indexes.
func checkFastScan(op string, d, m, nbits, bbs int, metric Metric) error {
	switch {
	case nbits != 4:
		return Errorf(KindInvalidArgument, op, "fast-scan codes have 4 bits per sub-quantizer, got nbits=%d", nbits)
	case bbs <= 0 || bbs%32 != 0:
		return Errorf(KindInvalidArgument, op, "bbs must be a positive multiple of 32, got %d", bbs)
	case m <= 0 || d <= 0 || d%m != 0:
		return Errorf(KindInvalidArgument, op, "M=%d must divide d=%d", m, d)
	case metric != MetricL2 && metric != MetricInnerProduct:
		return Errorf(KindInvalidArgument, op, "metric %s is not supported: L2 or inner product", metric)
	}
	return nil
}

// newFastScan is the empty store of an index named name with m 4-bit
// fields per code.
func newFastScan(name string, d int, metric Metric, q codec, tables fsTabler, m, bbs int) IndexFastScan {
	m2 := (m + 1) &^ 1
	return IndexFastScan{name: name, d: d, metric: metric, codec: q, tables: tables, m: m, Bbs: bbs, m2: m2,
		blocks: pq4Blocks{bbs: bbs, m2: m2, m: m}}
}

// NewIndexPQFastScan makes an empty index of M sub-quantizers of nbits
// (4) bits, in blocks of bbs vectors.
func NewIndexPQFastScan(d, m, nbits int, metric Metric, bbs int) (*IndexPQFastScan, error) {
	const op = "IndexPQFastScan"
	if err := checkFastScan(op, d, m, nbits, bbs, metric); err != nil {
		return nil, err
	}
	pq, err := NewProductQuantizer(d, m, nbits)
	if err != nil {
		return nil, err
	}
	ix := &IndexPQFastScan{PQ: pq}
	ix.IndexFastScan = newFastScan(op, d, metric, pq, ix, m, bbs)
	return ix, nil
}

func (ix *IndexPQFastScan) fsFloatTables(v, tab []float32) { ix.PQ.distanceTable(v, ix.metric, tab) }

// NewIndexPQFastScanFrom packs the quantizer and codes of an IndexPQ with
// 4-bit codes (faiss's IndexPQFastScan(const IndexPQ&, bbs)); the
// quantizer is copied.
func NewIndexPQFastScanFrom(src *IndexPQ, bbs int) (*IndexPQFastScan, error) {
	ix, err := NewIndexPQFastScan(src.d, src.PQ.M, src.PQ.Nbits, src.metric, bbs)
	if err != nil {
		return nil, err
	}
	if src.PQ.IsTrained() {
		if err := ix.PQ.RestorePQ(append([]float32(nil), src.PQ.Centroids...)); err != nil {
			return nil, err
		}
	}
	ix.setCodes(src.codes, int(src.Ntotal()))
	return ix, nil
}

// Train trains the product quantizer (a trained index stays as it is).
func (ix *IndexPQFastScan) Train(x []float32) error {
	if _, err := checkBatch("IndexPQFastScan.train", x, ix.d); err != nil {
		return err
	}
	if ix.PQ.IsTrained() {
		return nil
	}
	return ix.PQ.Train(x)
}

// setCodes replaces the stored vectors by n standard codes.
func (ix *IndexFastScan) setCodes(codes []byte, n int) {
	ix.dropScaled()
	ix.blocks.codes, ix.backing = make([]byte, ix.paddedBytes(n)), nil
	PQ4PackCodes(codes, n, ix.m, ix.paddedCount(n), ix.Bbs, ix.m2, ix.blocks.codes)
	ix.blocks.n = n
}

// paddedCount is n rounded up to whole blocks (faiss's ntotal2).
func (ix *IndexFastScan) paddedCount(n int) int { return (n + ix.Bbs - 1) / ix.Bbs * ix.Bbs }

func (ix *IndexFastScan) paddedBytes(n int) int { return ix.paddedCount(n) * ix.m2 / 2 }

func (ix *IndexFastScan) Name() string       { return ix.name }
func (ix *IndexFastScan) D() int             { return ix.d }
func (ix *IndexFastScan) Ntotal() int64      { return int64(ix.blocks.n) }
func (ix *IndexFastScan) Metric() Metric     { return ix.metric }
func (ix *IndexFastScan) MetricArg() float32 { return 0 }
func (ix *IndexFastScan) IsTrained() bool    { return ix.codec.IsTrained() }

// KeepAlive ties b's life to the index (a mapped file its codes use).
func (ix *IndexFastScan) KeepAlive(b any) { ix.backing = b }

// M is the 4-bit fields per code (faiss's IndexFastScan::M).
func (ix *IndexFastScan) M() int { return ix.m }

// M2 is M rounded up to even (the packed sub-quantizers).
func (ix *IndexFastScan) M2() int { return ix.m2 }

// PackedCodes returns the packed blocks (faiss's codes), not a copy.
func (ix *IndexFastScan) PackedCodes() []byte { return ix.blocks.codes }

// Reset removes every vector.
func (ix *IndexFastScan) Reset() {
	ix.dropScaled()
	ix.blocks.codes, ix.blocks.n, ix.backing = nil, 0, nil
}

// Add encodes x and packs the codes after the stored ones.
func (ix *IndexFastScan) Add(x []float32) error {
	op := ix.name + ".add"
	n, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if !ix.codec.IsTrained() {
		return Errorf(KindNotTrained, op, "train the index before adding")
	}
	codes := make([]byte, n*ix.codec.codeSize())
	err = inInterruptibleBlocks(op, n, func(lo, hi int) error {
		return ix.codec.ComputeCodes(x[lo*ix.d:hi*ix.d], codes[lo*ix.codec.codeSize():hi*ix.codec.codeSize()])
	})
	if err != nil {
		return err
	}
	ix.appendCodes(codes, n)
	return nil
}

// appendCodes packs n standard codes after the stored vectors.
func (ix *IndexFastScan) appendCodes(codes []byte, n int) {
	ix.dropScaled()
	n0 := ix.blocks.n
	if need := ix.paddedBytes(n0 + n); need > len(ix.blocks.codes) || ix.backing != nil {
		need = max(need, len(ix.blocks.codes))
		grown := make([]byte, need)
		copy(grown, ix.blocks.codes)
		ix.blocks.codes, ix.backing = grown, nil
	}
	// Packing ORs codes in; after a removal the tail of the last block
	// still holds codes (faiss's add would mix them in), so clear it.
	zero := make([]byte, ix.codec.codeSize())
	for i := n0; i < min(n0+n, ix.paddedCount(n0)); i++ {
		PQ4PackCode(zero, ix.Bbs, ix.m, i, ix.blocks.codes)
	}
	PQ4PackCodesRange(codes, ix.m, n0, n0+n, ix.Bbs, ix.m2, ix.blocks.codes)
	ix.blocks.n = n0 + n
}

// code unpacks the standard code of stored vector i into out.
func (ix *IndexFastScan) code(i int, out []byte) {
	PQ4UnpackCode(ix.blocks.codes, ix.Bbs, ix.m, i, out)
}

// StandardCodes unpacks every stored code (ntotal x code_size bytes).
func (ix *IndexFastScan) StandardCodes() []byte {
	cs := ix.codec.codeSize()
	out := make([]byte, ix.blocks.n*cs)
	for i := 0; i < ix.blocks.n; i++ {
		ix.code(i, out[i*cs:(i+1)*cs])
	}
	return out
}

// Reconstruct decodes stored vector key.
func (ix *IndexFastScan) Reconstruct(key int64, out []float32) error {
	return ix.ReconstructN(key, 1, out)
}

// ReconstructN decodes stored vectors i0..i0+n-1.
func (ix *IndexFastScan) ReconstructN(i0, n int64, out []float32) error {
	op := ix.name + ".reconstruct"
	if i0 < 0 || n < 0 || i0+n > ix.Ntotal() {
		return Errorf(KindInvalidArgument, op, "vectors %d..%d are not all stored (ntotal=%d)", i0, i0+n-1, ix.Ntotal())
	}
	if len(out) != int(n)*ix.d {
		return Errorf(KindDimensionMismatch, op, "output holds %d floats, need %d", len(out), int(n)*ix.d)
	}
	code := make([]byte, ix.codec.codeSize())
	for i := int64(0); i < n; i++ {
		ix.code(int(i0+i), code)
		if err := ix.codec.Decode(code, out[int(i)*ix.d:int(i+1)*ix.d]); err != nil {
			return err
		}
	}
	return nil
}

// RemoveIDs drops the selected vectors, moving the rest down in order one
// by one as faiss does (the padding past the last block's vectors keeps
// what was there, so that the bytes equal faiss's).
func (ix *IndexFastScan) RemoveIDs(sel IDSelector) (int64, error) {
	n, cs := ix.blocks.n, ix.codec.codeSize()
	ix.dropScaled()
	if ix.backing != nil {
		ix.blocks.codes, ix.backing = append([]byte(nil), ix.blocks.codes...), nil
	}
	code := make([]byte, cs)
	j := 0
	for i := 0; i < n; i++ {
		if sel.IsMember(int64(i)) {
			continue
		}
		if i > j {
			ix.code(i, code)
			PQ4PackCode(code, ix.Bbs, ix.m, j, ix.blocks.codes)
		}
		j++
	}
	if j < n {
		ix.blocks.n = j
		ix.blocks.codes = ix.blocks.codes[:ix.paddedBytes(j)]
	}
	return int64(n - j), nil
}

// fastScan is the shared part of a fast-scan index.
func (ix *IndexFastScan) fastScan() *IndexFastScan { return ix }

// FastScanBase is the shared part, for callers outside the package.
func (ix *IndexFastScan) FastScanBase() *IndexFastScan { return ix }

// mergeFrom appends the vectors of other (a fast-scan index of the same
// class and shape) to self (ix's index) and empties other.
func (ix *IndexFastScan) mergeFrom(self, other Index, addID int64) error {
	if err := checkMergeable(self, other, addID, true); err != nil {
		return err
	}
	of, ok := other.(interface{ fastScan() *IndexFastScan })
	if !ok || of.fastScan().name != ix.name || of.fastScan().m != ix.m || of.fastScan().Bbs != ix.Bbs {
		return Errorf(KindInvalidArgument, mergeOp(self), "cannot merge a %s into an %s with M=%d, bbs=%d", typeName(other), ix.name, ix.m, ix.Bbs)
	}
	o := of.fastScan()
	ix.appendCodes(o.StandardCodes(), o.blocks.n)
	o.Reset()
	return nil
}

// MergeIndex appends the vectors of other (an IndexPQFastScan of the same
// shape) and empties it.
func (ix *IndexPQFastScan) MergeIndex(other Index, addID int64) error {
	return ix.mergeFrom(ix, other, addID)
}

// SaCodeSize, SaEncode and SaDecode: the codec's standard codes.
func (ix *IndexFastScan) SaCodeSize() int { return ix.codec.codeSize() }

func (ix *IndexFastScan) SaEncode(x []float32, codes []byte) error {
	if _, err := checkSa(ix.name+".sa_encode", x, ix.d, codes, ix.codec.codeSize(), ix.IsTrained()); err != nil {
		return err
	}
	return ix.codec.ComputeCodes(x, codes)
}

func (ix *IndexFastScan) SaDecode(codes []byte, x []float32) error {
	if _, err := checkSa(ix.name+".sa_decode", x, ix.d, codes, ix.codec.codeSize(), ix.IsTrained()); err != nil {
		return err
	}
	return ix.codec.Decode(codes, x)
}

// RestoreIndexPQFastScan makes an index from what faiss's file holds: the
// quantizer's centroids (nil: untrained), the layout fields and the
// packed codes of ntotal vectors.
func RestoreIndexPQFastScan(d, m, nbits int, metric Metric, centroids []float32, bbs, qbs, implem, m2 int, ntotal int, packed []byte) (*IndexPQFastScan, error) {
	const op = "IndexPQFastScan"
	ix, err := NewIndexPQFastScan(d, m, nbits, metric, bbs)
	if err != nil {
		return nil, err
	}
	switch {
	case m2 != ix.m2:
		return nil, Errorf(KindInvalidArgument, op, "M2=%d, expected %d for M=%d", m2, ix.m2, m)
	case len(packed) < ix.paddedBytes(ntotal):
		return nil, Errorf(KindDimensionMismatch, op, "%d code bytes cannot hold %d vectors (need %d)", len(packed), ntotal, ix.paddedBytes(ntotal))
	case centroids == nil && ntotal > 0:
		return nil, Errorf(KindInvalidArgument, op, "an untrained quantizer cannot hold codes")
	}
	if centroids != nil {
		if err := ix.PQ.RestorePQ(centroids); err != nil {
			return nil, err
		}
	}
	ix.Qbs, ix.Implem = qbs, implem
	ix.blocks.codes, ix.blocks.n = packed, ntotal
	return ix, nil
}
