package core

import (
	"math"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// IndexAdditiveQuantizer stores additive-quantizer codes and searches
// them all (faiss's IndexResidualQuantizer, IndexLocalSearchQuantizer and
// their product forms); AQ is the quantizer.
type IndexAdditiveQuantizer struct {
	indexFlatCodes
	AQ Additive
}

var (
	_ Index         = (*IndexAdditiveQuantizer)(nil)
	_ ParamSearcher = (*IndexAdditiveQuantizer)(nil)
	_ RangeSearcher = (*IndexAdditiveQuantizer)(nil)
	_ Reconstructor = (*IndexAdditiveQuantizer)(nil)
	_ IDRemover     = (*IndexAdditiveQuantizer)(nil)
)

// NewIndexAdditiveQuantizer wraps q in an index named name (faiss's class).
func NewIndexAdditiveQuantizer(name string, q Additive, metric Metric) (*IndexAdditiveQuantizer, error) {
	if metric != MetricL2 && metric != MetricInnerProduct {
		return nil, Errorf(KindInvalidArgument, name, "metric %s is not supported: L2 or inner product", metric)
	}
	return &IndexAdditiveQuantizer{indexFlatCodes: indexFlatCodes{name: name, d: q.additive().D, metric: metric, codec: q}, AQ: q}, nil
}

// NewIndexResidualQuantizer makes an IndexResidualQuantizer.
func NewIndexResidualQuantizer(d int, nbits []int, metric Metric, st AQSearchType) (*IndexAdditiveQuantizer, error) {
	rq, err := NewResidualQuantizer(d, nbits, st)
	if err != nil {
		return nil, err
	}
	return NewIndexAdditiveQuantizer("IndexResidualQuantizer", rq, metric)
}

// Name is the faiss class this index is read and written as.
func (ix *IndexAdditiveQuantizer) Name() string { return ix.name }

// SetCodes replaces the stored codes (whole codes; restoring a file).
func (ix *IndexAdditiveQuantizer) SetCodes(codes []byte) error {
	cs := ix.codec.codeSize()
	if cs == 0 || len(codes)%cs != 0 {
		return Errorf(KindDimensionMismatch, ix.name, "%d code bytes are not whole codes of %d bytes", len(codes), cs)
	}
	ix.codes, ix.gen = codes, ix.gen+1
	return nil
}

// NewIndexIVFResidualQuantizer makes an IVF index of residual-quantizer
// codes of the residuals (faiss's IndexIVFResidualQuantizer).
func NewIndexIVFResidualQuantizer(quantizer Index, d, nlist int, nbits []int, metric Metric, st AQSearchType) (*IndexIVF, error) {
	rq, err := NewResidualQuantizer(d, nbits, st)
	if err != nil {
		return nil, err
	}
	return newIndexIVF("IndexIVFResidualQuantizer", quantizer, d, nlist, metric, rq)
}

// AQ is the additive quantizer of an IVF index, nil for other codecs.
func (ix *IndexIVF) AQ() Additive { q, _ := ix.codec.(Additive); return q }

// AdditiveCoarseQuantizer is an index whose "vectors" are all
// 2^tot_bits sums of one entry per codebook of an additive quantizer,
// searched exhaustively from look-up tables (faiss's
// AdditiveCoarseQuantizer; LocalSearchCoarseQuantizer is one): a coarse
// quantizer for IVF indexes with very many lists.
type AdditiveCoarseQuantizer struct {
	name   string
	AQ     Additive
	metric Metric
	norms  []float32 // |centroid|^2 of every centroid (L2)
}

var (
	_ Index         = (*AdditiveCoarseQuantizer)(nil)
	_ Reconstructor = (*AdditiveCoarseQuantizer)(nil)
	_ Index         = (*ResidualCoarseQuantizer)(nil)
)

func newAdditiveCoarse(name string, q Additive, metric Metric) (*AdditiveCoarseQuantizer, error) {
	if metric != MetricL2 && metric != MetricInnerProduct {
		return nil, Errorf(KindInvalidArgument, name, "metric %s is not supported: L2 or inner product", metric)
	}
	if b := q.additive().TotBits(); b > 30 {
		return nil, Errorf(KindInvalidArgument, name, "%d bits make 2^%d centroids: at most 30 bits", b, b)
	}
	return &AdditiveCoarseQuantizer{name: name, AQ: q, metric: metric}, nil
}

// NewLocalSearchCoarseQuantizer makes an untrained LocalSearchCoarseQuantizer.
func NewLocalSearchCoarseQuantizer(d, m, nbits int, metric Metric) (*AdditiveCoarseQuantizer, error) {
	q, err := NewLocalSearchQuantizer(d, m, nbits, STDecompress)
	if err != nil {
		return nil, err
	}
	return newAdditiveCoarse("LocalSearchCoarseQuantizer", q, metric)
}

func (ix *AdditiveCoarseQuantizer) Name() string       { return ix.name }
func (ix *AdditiveCoarseQuantizer) D() int             { return ix.AQ.additive().D }
func (ix *AdditiveCoarseQuantizer) Metric() Metric     { return ix.metric }
func (ix *AdditiveCoarseQuantizer) MetricArg() float32 { return 0 }
func (ix *AdditiveCoarseQuantizer) IsTrained() bool    { return ix.AQ.IsTrained() }

// Ntotal is the number of centroids once trained.
func (ix *AdditiveCoarseQuantizer) Ntotal() int64 {
	if !ix.AQ.IsTrained() {
		return 0
	}
	return 1 << ix.AQ.additive().TotBits()
}

// trainsAlone marks a coarse quantizer that an IVF index trains by
// calling its Train (faiss's quantizer_trains_alone), not by k-means.
func (ix *AdditiveCoarseQuantizer) trainsAlone() {}

// Train trains the quantizer; the centroid norms follow when needed.
func (ix *AdditiveCoarseQuantizer) Train(x []float32) error {
	if err := ix.AQ.Train(x); err != nil {
		return err
	}
	ix.norms = nil
	return nil
}

// centroidNorms is |c|^2 of every centroid.
func (ix *AdditiveCoarseQuantizer) centroidNorms() []float32 {
	norms := make([]float32, ix.Ntotal())
	_ = ix.AQ.additive().CentroidNorms("AdditiveCoarseQuantizer", norms)
	return norms
}

// decode64 writes the centroid whose packed indices are bits.
func (ix *AdditiveCoarseQuantizer) decode64(bits uint64, out []float32) {
	aq := ix.AQ.additive()
	idx := make([]int32, aq.M)
	aq.splitBits(bits, idx)
	aq.decodeIndices(idx, out)
}

// Add is not applicable: the centroids are the codebooks' sums.
func (ix *AdditiveCoarseQuantizer) Add(x []float32) error {
	return Errorf(KindUnsupported, ix.name+".add", "not applicable: the centroids are all sums of codebook entries")
}

// Reset keeps the codebooks: the centroids are not added vectors (faiss
// refuses reset; an IVF index emptying its quantizer keeps it as is).
func (ix *AdditiveCoarseQuantizer) Reset() {}

// Reconstruct writes centroid key.
func (ix *AdditiveCoarseQuantizer) Reconstruct(key int64, out []float32) error {
	return ix.ReconstructN(key, 1, out)
}

// ReconstructN writes centroids i0..i0+n-1.
func (ix *AdditiveCoarseQuantizer) ReconstructN(i0, n int64, out []float32) error {
	op := ix.name + ".reconstruct"
	nt, d := ix.Ntotal(), ix.D()
	if i0 < 0 || n < 0 || i0 > nt || n > nt-i0 {
		return Errorf(KindInvalidArgument, op, "ids %d..%d out of range, the quantizer has %d centroids", i0, i0+n-1, nt)
	}
	if int64(len(out)) != n*int64(d) {
		return Errorf(KindDimensionMismatch, op, "output holds %d floats, need %d", len(out), n*int64(d))
	}
	for i := int64(0); i < n; i++ {
		ix.decode64(uint64(i0+i), out[i*int64(d):(i+1)*int64(d)])
	}
	return nil
}

// Search finds the k nearest centroids of each query, exhaustively.
func (ix *AdditiveCoarseQuantizer) Search(x []float32, k int, dist []float32, labels []int64) error {
	nq, err := ix.checkSearch(x, k, dist, labels)
	if err != nil || nq == 0 {
		return err
	}
	ix.searchExhaustive(x, nq, k, dist, labels)
	return nil
}

func (ix *AdditiveCoarseQuantizer) checkSearch(x []float32, k int, dist []float32, labels []int64) (int, error) {
	op := ix.name + ".search"
	nq, err := checkBatch(op, x, ix.D())
	if err != nil {
		return 0, err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return 0, err
	}
	if !ix.IsTrained() {
		return 0, Errorf(KindNotTrained, op, "train the quantizer before searching")
	}
	return nq, nil
}

// ResidualCoarseQuantizer is the AdditiveCoarseQuantizer of a residual
// quantizer, searched by beam search (BeamFactor >= 1: a beam of
// k*BeamFactor) or exhaustively (BeamFactor < 0): faiss's
// ResidualCoarseQuantizer.
type ResidualCoarseQuantizer struct {
	AdditiveCoarseQuantizer
	RQ         *ResidualQuantizer
	BeamFactor float32
}

// NewResidualCoarseQuantizer makes an untrained coarse quantizer.
func NewResidualCoarseQuantizer(d int, nbits []int, metric Metric) (*ResidualCoarseQuantizer, error) {
	rq, err := NewResidualQuantizer(d, nbits, STDecompress)
	if err != nil {
		return nil, err
	}
	return RestoreResidualCoarseQuantizer(rq, metric)
}

// RestoreResidualCoarseQuantizer makes a coarse quantizer of rq.
func RestoreResidualCoarseQuantizer(rq *ResidualQuantizer, metric Metric) (*ResidualCoarseQuantizer, error) {
	acq, err := newAdditiveCoarse("ResidualCoarseQuantizer", rq, metric)
	if err != nil {
		return nil, err
	}
	return &ResidualCoarseQuantizer{AdditiveCoarseQuantizer: *acq, RQ: rq, BeamFactor: 4}, nil
}

// Train trains the residual quantizer; with L2 the centroid norms follow.
func (ix *ResidualCoarseQuantizer) Train(x []float32) error {
	if err := ix.AdditiveCoarseQuantizer.Train(x); err != nil {
		return err
	}
	return ix.SetBeamFactor(ix.BeamFactor)
}

// SetBeamFactor picks beam search (>= 1) or exhaustive search (< 0).
func (ix *ResidualCoarseQuantizer) SetBeamFactor(f float32) error {
	const op = "ResidualCoarseQuantizer.set_beam_factor"
	if f >= 0 && f < 1 || f != f {
		return Errorf(KindInvalidArgument, op, "beam_factor must be >= 1 (beam search) or < 0 (exhaustive), got %v", f)
	}
	ix.BeamFactor = f
	if f < 0 && ix.metric == MetricL2 && ix.RQ.trained && ix.norms == nil {
		ix.norms = ix.centroidNorms()
	}
	return nil
}

// Search finds the k nearest centroids of each query.
func (ix *ResidualCoarseQuantizer) Search(x []float32, k int, dist []float32, labels []int64) error {
	return ix.SearchBeam(x, k, dist, labels, ix.BeamFactor)
}

// SearchWithParams implements ParamSearcher: p must carry a beam factor
// (faiss's SearchParametersResidualCoarseQuantizer; no selector).
func (ix *ResidualCoarseQuantizer) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
	const op = "ResidualCoarseQuantizer.search"
	if p == nil {
		return ix.Search(x, k, dist, labels)
	}
	if p.BeamFactor == nil || p.Sel != nil {
		return Errorf(KindUnsupported, op, "takes SearchParametersResidualCoarseQuantizer (a beam factor, no selector) only")
	}
	return ix.SearchBeam(x, k, dist, labels, *p.BeamFactor)
}

var _ ParamSearcher = (*ResidualCoarseQuantizer)(nil)

// rcqLUTEntries bounds the codebook entries for which the coarse search
// keeps their cross products (4096: 64 MiB).
const rcqLUTEntries = 4096

// SearchBeam is Search with another beam factor (faiss's
// SearchParametersResidualCoarseQuantizer).
func (ix *ResidualCoarseQuantizer) SearchBeam(x []float32, k int, dist []float32, labels []int64, beamFactor float32) error {
	rq := ix.RQ
	nq, err := ix.checkSearch(x, k, dist, labels)
	if err != nil || nq == 0 {
		return err
	}
	nt := int(ix.Ntotal())
	if beamFactor < 0 { // faiss beam-searches by L2 whatever the metric
		ix.searchExhaustive(x, nq, k, dist, labels)
		return nil
	}
	size := min(int(float32(k)*beamFactor), nt)
	size = max(size, 1)
	bs := nq
	if per := rq.memoryPerPoint(size); per*int64(nq) > rq.MaxMemDistances {
		bs = int(max(1, rq.MaxMemDistances/per))
	}
	// From look-up tables when the codebooks' cross products are small
	// (RCQ2x8: 1 MiB): |x|^2 plus table sums instead of residuals, 1/16
	// of the arithmetic; the same beams up to rounding.
	lut := rq.TotalCodebookSize() <= rcqLUTEntries
	for q0 := 0; q0 < nq; q0 += bs {
		q1 := min(nq, q0+bs)
		var b *beam
		if lut {
			b = rq.refineBeamLUT(x[q0*rq.D:q1*rq.D], q1-q0, size)
		} else {
			b = rq.refineBeam(x[q0*rq.D:q1*rq.D], q1-q0, size)
		}
		for i := q0; i < q1; i++ {
			for j := 0; j < k; j++ {
				o := i*k + j
				if j >= b.size {
					dist[o], labels[o] = float32(math.MaxFloat32), -1
					continue
				}
				r := (i-q0)*b.size + j
				var l int64
				shift := 0
				for m, bits := range rq.Nbits {
					l |= int64(b.codes[r*rq.M+m]) << shift
					shift += bits
				}
				dist[o], labels[o] = b.dist[r], l
			}
		}
	}
	return nil
}

// searchExhaustive measures every centroid from the queries' look-up
// tables (faiss's knn_centroids_L2 / _inner_product).
func (ix *AdditiveCoarseQuantizer) searchExhaustive(x []float32, nq, k int, dist []float32, labels []int64) {
	aq := ix.AQ.additive()
	if ix.metric == MetricL2 && ix.norms == nil {
		ix.norms = ix.centroidNorms()
	}
	nt, t, d := int(ix.Ntotal()), aq.TotalCodebookSize(), aq.D
	sign := keySign(ix.metric)
	parallelChunks(nq, chunkFor(nt), func(_, lo, hi int) {
		lut := make([]float32, t)
		ips := make([]float32, nt)
		h := newTopK(k)
		for q := lo; q < hi; q++ {
			xq := x[q*d : (q+1)*d]
			aq.computeLUT(xq, lut)
			ix.sumsOfLUT(lut, ips)
			h.reset()
			if ix.metric == MetricL2 {
				qn := kernels.Inner(xq, xq)
				for j, ip := range ips {
					h.push(qn+ix.norms[j]-2*ip, int64(j))
				}
			} else {
				for j, ip := range ips {
					h.push(-ip, int64(j))
				}
			}
			h.emit(sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
	})
}

// sumsOfLUT writes <q, centroid j> for every centroid j from the table of
// <q, entry>: codebook m multiplies the list by its 2^nbits entries.
func (ix *AdditiveCoarseQuantizer) sumsOfLUT(lut, ips []float32) {
	aq := ix.AQ.additive()
	prev := 1
	for m, b := range aq.Nbits {
		lm, nc := lut[aq.offsets[m]:], 1<<b
		if m == 0 {
			copy(ips, lm[:nc])
		} else {
			for i := nc - 1; i >= 0; i-- {
				v := lm[i]
				dst, src := ips[i*prev:(i+1)*prev], ips[:prev]
				for j := range dst {
					dst[j] = src[j] + v
				}
			}
		}
		prev *= nc
	}
}

// NewIndexIVFAdditive makes an IVF index named name (faiss's class) of
// the codes of q, of the residuals by default.
func NewIndexIVFAdditive(name string, quantizer Index, d, nlist int, metric Metric, q Additive) (*IndexIVF, error) {
	if q.additive().D != d {
		return nil, Errorf(KindDimensionMismatch, name, "the quantizer has d=%d, the index d=%d", q.additive().D, d)
	}
	return newIndexIVF(name, quantizer, d, nlist, metric, q)
}

// QuantizerTrainsAloneMode is QuantizerTrainsAlone with -1 resolved.
func (ix *IndexIVF) QuantizerTrainsAloneMode() int {
	if ix.QuantizerTrainsAlone >= 0 {
		return ix.QuantizerTrainsAlone
	}
	if _, alone := ix.quantizer.(interface{ trainsAlone() }); alone {
		return 1
	}
	return 0
}
