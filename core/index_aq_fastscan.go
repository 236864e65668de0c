package core

import "math"

// IndexAQFastScan is faiss's IndexAdditiveQuantizerFastScan (and its
// residual, local-search and product forms): additive-quantizer codes of
// 4 bits per codebook, scanned by the fast-scan kernels. For L2 the
// quantizer stores the norm in two more 4-bit codes (ST_norm_rq2x4 or
// ST_norm_lsq2x4), so that a distance is -2 <x, y> from the codebook
// tables plus |y|^2 from the two norm tables; as in faiss, |x|^2 is left
// out. The norm tables are divided by NormScale before the tables are
// quantized and their entries multiplied back in the kernel (faiss's
// NormTableScaler), which keeps the codebook tables' resolution.
type IndexAQFastScan struct {
	IndexFastScan
	AQ Additive
	// MaxTrainPoints bounds the training sample (faiss's max_train_points).
	MaxTrainPoints int
	rescaleNorm    bool
	normScale      int
}

var (
	_ Index         = (*IndexAQFastScan)(nil)
	_ ParamSearcher = (*IndexAQFastScan)(nil)
	_ Reconstructor = (*IndexAQFastScan)(nil)
	_ IDRemover     = (*IndexAQFastScan)(nil)
	_ IndexMerger   = (*IndexAQFastScan)(nil)
)

// Seeds of faiss's training subsamples.
const (
	aqfsTrainSeed = 0x12345
	aqfsNormSeed  = 0x980903
	// aqfsNormSample bounds the vectors the norm scale is estimated on.
	aqfsNormSample = 65536
)

// NewIndexAQFastScan wraps q (4-bit codebooks; for L2 a 2x4 norm search
// type, for inner products ST_LUT_nonorm) in an index named name.
func NewIndexAQFastScan(name string, q Additive, metric Metric, bbs int) (*IndexAQFastScan, error) {
	m, err := aqFastScanFields(name, q, metric, bbs)
	if err != nil {
		return nil, err
	}
	ix := &IndexAQFastScan{AQ: q, MaxTrainPoints: 1024 * 16 * m, rescaleNorm: true, normScale: 1}
	ix.IndexFastScan = newFastScan(name, q.additive().D, metric, q, ix, m, bbs)
	return ix, nil
}

// aqFastScanFields checks what faiss's fast-scan additive indexes ask of
// the quantizer and returns the 4-bit fields per code: one per codebook,
// and for L2 the norm's two.
func aqFastScanFields(name string, q Additive, metric Metric, bbs int) (int, error) {
	aq := q.additive()
	for _, b := range aq.Nbits {
		if b != 4 {
			return 0, Errorf(KindInvalidArgument, name, "fast-scan codebooks have 4 bits, got nbits=%v", aq.Nbits)
		}
	}
	switch {
	case bbs <= 0 || bbs%32 != 0:
		return 0, Errorf(KindInvalidArgument, name, "bbs must be a positive multiple of 32, got %d", bbs)
	case metric == MetricInnerProduct && aq.SearchType != STLUTNonorm:
		return 0, Errorf(KindInvalidArgument, name, "search type must be ST_LUT_nonorm for the inner product, got %d", aq.SearchType)
	case metric == MetricL2 && aq.SearchType != STNormLSQ2x4 && aq.SearchType != STNormRQ2x4:
		return 0, Errorf(KindInvalidArgument, name, "search type must be ST_norm_lsq2x4 or ST_norm_rq2x4 for L2, got %d", aq.SearchType)
	case metric != MetricL2 && metric != MetricInnerProduct:
		return 0, Errorf(KindInvalidArgument, name, "metric %s is not supported: L2 or inner product", metric)
	}
	if metric == MetricL2 {
		return aq.M + 2, nil
	}
	return aq.M, nil
}

// NewIndexAQFastScanFrom packs the codes of an additive-quantizer index
// (faiss's IndexAdditiveQuantizerFastScan(const IndexAdditiveQuantizer&,
// bbs)); the quantizer is shared, as in faiss, and the norm scale stays 1.
func NewIndexAQFastScanFrom(src *IndexAdditiveQuantizer, bbs int) (*IndexAQFastScan, error) {
	ix, err := NewIndexAQFastScan("IndexAdditiveQuantizerFastScan", src.AQ, src.metric, bbs)
	if err != nil {
		return nil, err
	}
	ix.setCodes(src.codes, int(src.Ntotal()))
	return ix, nil
}

// NewIndexResidualQuantizerFastScan makes faiss's
// IndexResidualQuantizerFastScan(d, M, nbits, metric, search_type, bbs).
func NewIndexResidualQuantizerFastScan(d, m, nbits int, metric Metric, st AQSearchType, bbs int) (*IndexAQFastScan, error) {
	rq, err := NewResidualQuantizer(d, repeatInt(nbits, m), st)
	if err != nil {
		return nil, err
	}
	return NewIndexAQFastScan("IndexResidualQuantizerFastScan", rq, metric, bbs)
}

// NewIndexLocalSearchQuantizerFastScan makes faiss's
// IndexLocalSearchQuantizerFastScan.
func NewIndexLocalSearchQuantizerFastScan(d, m, nbits int, metric Metric, st AQSearchType, bbs int) (*IndexAQFastScan, error) {
	lsq, err := NewLocalSearchQuantizer(d, m, nbits, st)
	if err != nil {
		return nil, err
	}
	return NewIndexAQFastScan("IndexLocalSearchQuantizerFastScan", lsq, metric, bbs)
}

// NewIndexProductAQFastScan makes faiss's
// IndexProductResidualQuantizerFastScan (lsq false) or
// IndexProductLocalSearchQuantizerFastScan.
func NewIndexProductAQFastScan(lsq bool, d, nsplits, msub, nbits int, metric Metric, st AQSearchType, bbs int) (*IndexAQFastScan, error) {
	newQ, name := NewProductResidualQuantizer, "IndexProductResidualQuantizerFastScan"
	if lsq {
		newQ, name = NewProductLocalSearchQuantizer, "IndexProductLocalSearchQuantizerFastScan"
	}
	q, err := newQ(d, nsplits, msub, nbits, st)
	if err != nil {
		return nil, err
	}
	return NewIndexAQFastScan(name, q, metric, bbs)
}

// repeatInt is n copies of v.
func repeatInt(v, n int) []int {
	out := make([]int, max(n, 0))
	for i := range out {
		out[i] = v
	}
	return out
}

// NormScale and RescaleNorm are faiss's norm_scale and rescale_norm.
func (ix *IndexAQFastScan) NormScale() int    { return ix.normScale }
func (ix *IndexAQFastScan) RescaleNorm() bool { return ix.rescaleNorm }

// SetNormScale sets both; a scale of 1 or less scales nothing, and the
// kernel's 16-bit sums bound it above.
func (ix *IndexAQFastScan) SetNormScale(rescale bool, scale int) error {
	if scale > math.MaxUint16 {
		return Errorf(KindInvalidArgument, ix.name, "norm_scale must be at most 65535, got %d", scale)
	}
	ix.rescaleNorm, ix.normScale = rescale, scale
	ix.scale = scaleInForce(rescale, scale, ix.metric)
	return nil
}

// scaleInForce is the norm tables' scale searches apply (1: none).
func scaleInForce(rescale bool, scale int, metric Metric) int {
	if rescale && scale > 1 && metric == MetricL2 {
		return scale
	}
	return 1
}

// faissRoundScale is faiss's (int)roundf(max(scale, 1)): a scale that is
// not finite or does not fit an int (when a training vector makes every
// codebook table flat) becomes INT_MIN, as x86 converts it, which scales
// nothing.
func faissRoundScale(scale float64) int {
	r := math.Round(float64(float32(max(scale, 1))))
	if math.IsNaN(r) || r > math.MaxInt32 || r < math.MinInt32 {
		return math.MinInt32
	}
	return int(r)
}

// MergeIndex appends the vectors of another index of the same class and
// shape and empties it.
func (ix *IndexAQFastScan) MergeIndex(other Index, addID int64) error {
	return ix.mergeFrom(ix, other, addID)
}

// Train trains the quantizer on at most MaxTrainPoints vectors and, for
// L2, estimates the norm scale (a trained index stays as it is).
func (ix *IndexAQFastScan) Train(x []float32) error {
	op := ix.name + ".train"
	if _, err := checkBatch(op, x, ix.d); err != nil {
		return err
	}
	if ix.AQ.IsTrained() {
		return nil
	}
	xs, _ := maybeSubsampleSeed(x, ix.d, ix.MaxTrainPoints, aqfsTrainSeed)
	if err := ix.AQ.Train(xs); err != nil {
		return err
	}
	if ix.metric == MetricL2 {
		ix.normScale = ix.estimateNormScale(xs)
		ix.scale = scaleInForce(ix.rescaleNorm, ix.normScale, ix.metric)
	}
	return nil
}

// estimateNormScale is faiss's estimate_norm_scale: over a sample, the
// mean ratio of the norm tables' largest span to the codebook tables',
// rounded, at least 1.
func (ix *IndexAQFastScan) estimateNormScale(x []float32) int {
	xs, n := maybeSubsampleSeed(x, ix.d, aqfsNormSample, aqfsNormSeed)
	parts := make([]float64, workers())
	used := parallelChunks(n, chunkFor(ix.d*ix.m*16), func(c, lo, hi int) {
		tab := make([]float32, ix.m*16)
		for i := lo; i < hi; i++ {
			ix.fsFloatTables(xs[i*ix.d:(i+1)*ix.d], tab)
			parts[c] += float64(normSpanRatio(tab, ix.m, 2))
		}
	})
	var scale float64
	for _, p := range parts[:used] {
		scale += p
	}
	scale /= float64(n)
	return faissRoundScale(scale)
}

// normSpanRatio is faiss's aq_estimate_norm_scale: the largest span of
// the last mNorm tables over the largest of the others.
func normSpanRatio(tab []float32, m, mNorm int) float32 {
	span := func(lo, hi int) float32 {
		s := float32(math.Inf(-1))
		for i := lo; i < hi; i++ {
			row := tab[i*16 : (i+1)*16]
			s = stdMax(s, tabMax(row)-tabMin(row))
		}
		return s
	}
	return span(m-mNorm, m) / span(0, m-mNorm)
}

// fsFloatTables writes the query's tables: inner products with every
// codebook entry (times -2 for L2), then for L2 the norm tables, divided
// by the norm scale when it applies.
func (ix *IndexAQFastScan) fsFloatTables(v, tab []float32) {
	aqFloatTables(ix.AQ.additive(), ix.metric, ix.scale, v, tab)
}

// aqFloatTables writes query v's tables (faiss's compute_float_LUT of the
// additive fast-scan indexes; scale > 1 divides the norm tables).
func aqFloatTables(aq *AdditiveQuantizer, metric Metric, scale int, v, tab []float32) {
	ip := tab[:aq.M*16]
	aq.computeLUT(v, ip)
	if metric != MetricL2 {
		return
	}
	for i := range ip {
		ip[i] *= -2
	}
	norms := tab[aq.M*16 : aq.M*16+32]
	copy(norms, aq.NormTabs)
	if scale > 1 {
		for i := range norms {
			norms[i] /= float32(scale)
		}
	}
}

// RestoreIndexAQFastScan makes an index named name from what faiss's file
// holds: the quantizer, the layout fields and the packed codes of ntotal
// vectors.
func RestoreIndexAQFastScan(name string, q Additive, metric Metric, bbs, qbs, implem, m2 int, rescale bool, normScale, maxTrain, ntotal int, packed []byte) (*IndexAQFastScan, error) {
	ix, err := NewIndexAQFastScan(name, q, metric, bbs)
	if err != nil {
		return nil, err
	}
	switch {
	case m2 != ix.m2:
		return nil, Errorf(KindInvalidArgument, name, "M2=%d, expected %d for M=%d", m2, ix.m2, ix.m)
	case len(packed) < ix.paddedBytes(ntotal):
		return nil, Errorf(KindDimensionMismatch, name, "%d code bytes cannot hold %d vectors (need %d)", len(packed), ntotal, ix.paddedBytes(ntotal))
	case !q.IsTrained() && ntotal > 0:
		return nil, Errorf(KindInvalidArgument, name, "an untrained quantizer cannot hold codes")
	case maxTrain < 0:
		return nil, Errorf(KindInvalidArgument, name, "max_train_points must be non-negative, got %d", maxTrain)
	}
	if err := ix.SetNormScale(rescale, normScale); err != nil {
		return nil, err
	}
	ix.Qbs, ix.Implem, ix.MaxTrainPoints = qbs, implem, maxTrain
	ix.blocks.codes, ix.blocks.n = packed, ntotal
	return ix, nil
}

// AdditiveKind is q's kind: 0 residual, 1 local search, 2 product
// residual, 3 product local search (the order of faiss's file codes).
func AdditiveKind(q Additive) int {
	switch q := q.(type) {
	case *LocalSearchQuantizer:
		return 1
	case *ProductAdditiveQuantizer:
		if _, lsq := q.Subs[0].(*LocalSearchQuantizer); lsq {
			return 3
		}
		return 2
	}
	return 0
}
