package core

// IndexPQFastScan is faiss's IndexPQFastScan: product-quantizer codes of
// 4 bits per sub-quantizer, stored in blocks of Bbs vectors in the packed
// layout the byte-shuffle kernels read, and searched with uint8 tables
// (see fastscan_search.go). Implem picks faiss's search variants: 0 and
// 12..15 the quantized kernels (the same results here; faiss's 13 and 15
// differ from its 12 and 14 only in the order of equal distances), 1 and
// 2 float tables, 3 rounded tables (integer distances), 4 rounded tables
// mapped back to distances; 2..4 sum code by code.
type IndexPQFastScan struct {
	d      int
	metric Metric
	PQ     *ProductQuantizer
	Bbs    int
	// Qbs is faiss's query block size (four bits per sub-block); nonzero,
	// its sum is how many queries share a pass over the codes.
	Qbs    int
	Implem int
	m2     int
	blocks pq4Blocks
	// backing is what blocks.codes may point into (a mapped index file,
	// read-only): the first edit copies the codes out.
	backing any
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
	m2 := (m + 1) &^ 1
	return &IndexPQFastScan{d: d, metric: metric, PQ: pq, Bbs: bbs, m2: m2, blocks: pq4Blocks{bbs: bbs, m2: m2}}, nil
}

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

// setCodes replaces the stored vectors by n standard codes.
func (ix *IndexPQFastScan) setCodes(codes []byte, n int) {
	ix.blocks.codes, ix.backing = make([]byte, ix.paddedBytes(n)), nil
	PQ4PackCodes(codes, n, ix.PQ.M, ix.paddedCount(n), ix.Bbs, ix.m2, ix.blocks.codes)
	ix.blocks.n = n
}

// paddedCount is n rounded up to whole blocks (faiss's ntotal2).
func (ix *IndexPQFastScan) paddedCount(n int) int { return (n + ix.Bbs - 1) / ix.Bbs * ix.Bbs }

func (ix *IndexPQFastScan) paddedBytes(n int) int { return ix.paddedCount(n) * ix.m2 / 2 }

func (ix *IndexPQFastScan) Name() string       { return "IndexPQFastScan" }
func (ix *IndexPQFastScan) D() int             { return ix.d }
func (ix *IndexPQFastScan) Ntotal() int64      { return int64(ix.blocks.n) }
func (ix *IndexPQFastScan) Metric() Metric     { return ix.metric }
func (ix *IndexPQFastScan) MetricArg() float32 { return 0 }
func (ix *IndexPQFastScan) IsTrained() bool    { return ix.PQ.IsTrained() }

// KeepAlive ties b's life to the index (a mapped file its codes use).
func (ix *IndexPQFastScan) KeepAlive(b any) { ix.backing = b }

// M2 is M rounded up to even (the packed sub-quantizers).
func (ix *IndexPQFastScan) M2() int { return ix.m2 }

// PackedCodes returns the packed blocks (faiss's codes), not a copy.
func (ix *IndexPQFastScan) PackedCodes() []byte { return ix.blocks.codes }

// Reset removes every vector.
func (ix *IndexPQFastScan) Reset() { ix.blocks.codes, ix.blocks.n, ix.backing = nil, 0, nil }

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

// Add encodes x and packs the codes after the stored ones.
func (ix *IndexPQFastScan) Add(x []float32) error {
	const op = "IndexPQFastScan.add"
	n, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if !ix.PQ.IsTrained() {
		return Errorf(KindNotTrained, op, "train the index before adding")
	}
	codes := make([]byte, n*ix.PQ.CodeSize)
	err = inInterruptibleBlocks(op, n, func(lo, hi int) error {
		return ix.PQ.ComputeCodes(x[lo*ix.d:hi*ix.d], codes[lo*ix.PQ.CodeSize:hi*ix.PQ.CodeSize])
	})
	if err != nil {
		return err
	}
	ix.appendCodes(codes, n)
	return nil
}

// appendCodes packs n standard codes after the stored vectors.
func (ix *IndexPQFastScan) appendCodes(codes []byte, n int) {
	n0 := ix.blocks.n
	if need := ix.paddedBytes(n0 + n); need > len(ix.blocks.codes) || ix.backing != nil {
		need = max(need, len(ix.blocks.codes))
		grown := make([]byte, need)
		copy(grown, ix.blocks.codes)
		ix.blocks.codes, ix.backing = grown, nil
	}
	// Packing ORs codes in; after a removal the tail of the last block
	// still holds codes (faiss's add would mix them in), so clear it.
	zero := make([]byte, ix.PQ.CodeSize)
	for i := n0; i < min(n0+n, ix.paddedCount(n0)); i++ {
		PQ4PackCode(zero, ix.Bbs, ix.PQ.M, i, ix.blocks.codes)
	}
	PQ4PackCodesRange(codes, ix.PQ.M, n0, n0+n, ix.Bbs, ix.m2, ix.blocks.codes)
	ix.blocks.n = n0 + n
}

// code unpacks the standard code of stored vector i into out.
func (ix *IndexPQFastScan) code(i int, out []byte) {
	PQ4UnpackCode(ix.blocks.codes, ix.Bbs, ix.PQ.M, i, out)
}

// StandardCodes unpacks every stored code (ntotal x code_size bytes).
func (ix *IndexPQFastScan) StandardCodes() []byte {
	cs := ix.PQ.CodeSize
	out := make([]byte, ix.blocks.n*cs)
	for i := 0; i < ix.blocks.n; i++ {
		ix.code(i, out[i*cs:(i+1)*cs])
	}
	return out
}

// Reconstruct decodes stored vector key.
func (ix *IndexPQFastScan) Reconstruct(key int64, out []float32) error {
	return ix.ReconstructN(key, 1, out)
}

// ReconstructN decodes stored vectors i0..i0+n-1.
func (ix *IndexPQFastScan) ReconstructN(i0, n int64, out []float32) error {
	const op = "IndexPQFastScan.reconstruct"
	if i0 < 0 || n < 0 || i0+n > ix.Ntotal() {
		return Errorf(KindInvalidArgument, op, "vectors %d..%d are not all stored (ntotal=%d)", i0, i0+n-1, ix.Ntotal())
	}
	if len(out) != int(n)*ix.d {
		return Errorf(KindDimensionMismatch, op, "output holds %d floats, need %d", len(out), int(n)*ix.d)
	}
	code := make([]byte, ix.PQ.CodeSize)
	for i := int64(0); i < n; i++ {
		ix.code(int(i0+i), code)
		ix.PQ.decodeOne(code, out[int(i)*ix.d:int(i+1)*ix.d])
	}
	return nil
}

// RemoveIDs drops the selected vectors, moving the rest down in order one
// by one as faiss does (the padding past the last block's vectors keeps
// what was there, so that the bytes equal faiss's).
func (ix *IndexPQFastScan) RemoveIDs(sel IDSelector) (int64, error) {
	n, cs := ix.blocks.n, ix.PQ.CodeSize
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
			PQ4PackCode(code, ix.Bbs, ix.PQ.M, j, ix.blocks.codes)
		}
		j++
	}
	if j < n {
		ix.blocks.n = j
		ix.blocks.codes = ix.blocks.codes[:ix.paddedBytes(j)]
	}
	return int64(n - j), nil
}

// MergeIndex appends the vectors of other (an IndexPQFastScan of the same
// shape) and empties it.
func (ix *IndexPQFastScan) MergeIndex(other Index, addID int64) error {
	if err := checkMergeable(ix, other, addID, true); err != nil {
		return err
	}
	o, ok := other.(*IndexPQFastScan)
	if !ok || o.PQ.M != ix.PQ.M || o.Bbs != ix.Bbs {
		return Errorf(KindInvalidArgument, mergeOp(ix), "cannot merge a %s into an IndexPQFastScan with M=%d, bbs=%d", typeName(other), ix.PQ.M, ix.Bbs)
	}
	ix.appendCodes(o.StandardCodes(), o.blocks.n)
	o.Reset()
	return nil
}

// SaCodeSize, SaEncode and SaDecode: the standard PQ codes.
func (ix *IndexPQFastScan) SaCodeSize() int { return ix.PQ.CodeSize }

func (ix *IndexPQFastScan) SaEncode(x []float32, codes []byte) error {
	if _, err := checkSa("IndexPQFastScan.sa_encode", x, ix.d, codes, ix.PQ.CodeSize, ix.IsTrained()); err != nil {
		return err
	}
	return ix.PQ.ComputeCodes(x, codes)
}

func (ix *IndexPQFastScan) SaDecode(codes []byte, x []float32) error {
	if _, err := checkSa("IndexPQFastScan.sa_decode", x, ix.d, codes, ix.PQ.CodeSize, ix.IsTrained()); err != nil {
		return err
	}
	return ix.PQ.Decode(codes, x)
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
