package core

import (
	"math"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// The IVF indexes of additive-quantizer fast-scan codes (faiss's
// IndexIVFAdditiveQuantizerFastScan and its residual, local-search and
// product forms). Codes are of the residuals (by default), but their norm
// is the norm of the whole reconstruction, centroid included, so that one
// table per query serves every list: a distance is -2 <x, c> (the list's
// bias) - 2 <x, r> + |c + r|^2, |x|^2 left out as in faiss.

// ivfAQFastScan is what such an index adds to IVFFastScan.
type ivfAQFastScan struct {
	rescaleNorm    bool
	normScale      int
	maxTrainPoints int
}

// NewIndexIVFAQFastScan wraps q (4-bit codebooks; for L2 a 2x4 norm search
// type, for inner products ST_LUT_nonorm) in an IVF index named name.
func NewIndexIVFAQFastScan(name string, quantizer Index, d, nlist int, q Additive, metric Metric, bbs int) (*IndexIVF, error) {
	m, err := aqFastScanFields(name, q, metric, bbs)
	if err != nil {
		return nil, err
	}
	if q.additive().D != d {
		return nil, Errorf(KindDimensionMismatch, name, "the quantizer codes d=%d, the index d=%d", q.additive().D, d)
	}
	ix, err := newIndexIVF(name, quantizer, d, nlist, metric, q)
	if err != nil {
		return nil, err
	}
	ix.ByResidual = true
	ix.fastScan = &IVFFastScan{Bbs: bbs, m: m, m2: (m + 1) &^ 1,
		aq: &ivfAQFastScan{rescaleNorm: true, normScale: 1, maxTrainPoints: 1024 * 16 * m}}
	return ix, nil
}

// NewIndexIVFAQFastScanOf makes faiss's IndexIVFResidualQuantizerFastScan
// (nsplits 0, lsq false), IndexIVFLocalSearchQuantizerFastScan (nsplits
// 0), IndexIVFProductResidualQuantizerFastScan or
// IndexIVFProductLocalSearchQuantizerFastScan (nsplits quantizers of m
// codebooks).
func NewIndexIVFAQFastScanOf(lsq bool, quantizer Index, d, nlist, nsplits, m, nbits int, metric Metric, st AQSearchType, bbs int) (*IndexIVF, error) {
	var q Additive
	var err error
	name := "IndexIVF"
	switch {
	case nsplits == 0 && lsq:
		q, err = NewLocalSearchQuantizer(d, m, nbits, st)
		name += "LocalSearchQuantizerFastScan"
	case nsplits == 0:
		q, err = NewResidualQuantizer(d, repeatInt(nbits, m), st)
		name += "ResidualQuantizerFastScan"
	case lsq:
		q, err = NewProductLocalSearchQuantizer(d, nsplits, m, nbits, st)
		name += "ProductLocalSearchQuantizerFastScan"
	default:
		q, err = NewProductResidualQuantizer(d, nsplits, m, nbits, st)
		name += "ProductResidualQuantizerFastScan"
	}
	if err != nil {
		return nil, err
	}
	return NewIndexIVFAQFastScan(name, quantizer, d, nlist, q, metric, bbs)
}

// IsAdditive says whether the codes are an additive quantizer's.
func (fs *IVFFastScan) IsAdditive() bool { return fs.aq != nil }

// NormScale, RescaleNorm and MaxTrainPoints are faiss's norm_scale,
// rescale_norm and max_train_points (additive codes only).
func (fs *IVFFastScan) NormScale() int      { return fs.aq.normScale }
func (fs *IVFFastScan) RescaleNorm() bool   { return fs.aq.rescaleNorm }
func (fs *IVFFastScan) MaxTrainPoints() int { return fs.aq.maxTrainPoints }

// SetNorm sets the three (a scale of 1 or less scales nothing).
func (fs *IVFFastScan) SetNorm(rescale bool, scale, maxTrain int) error {
	const op = "IndexIVFAdditiveQuantizerFastScan"
	switch {
	case fs.aq == nil:
		return Errorf(KindUnsupported, op, "norm_scale belongs to additive-quantizer codes")
	case scale > math.MaxUint16:
		return Errorf(KindInvalidArgument, op, "norm_scale must be at most 65535, got %d", scale)
	case maxTrain < 0:
		return Errorf(KindInvalidArgument, op, "max_train_points must be non-negative, got %d", maxTrain)
	}
	fs.aq.rescaleNorm, fs.aq.normScale, fs.aq.maxTrainPoints = rescale, scale, maxTrain
	return nil
}

// tableScale is the norm tables' scale in force (1: none).
func (fs *IVFFastScan) tableScale(metric Metric) int {
	if fs.aq == nil {
		return 1
	}
	return scaleInForce(fs.aq.rescaleNorm, fs.aq.normScale, metric)
}

// trainAQNorms finishes training the additive codes on x (residuals when
// ByResidual, of the lists assign): the norm quantizer on the norms of
// the reconstructions plus their centroids, then for L2 the norm scale
// (faiss's train_encoder).
func (ix *IndexIVF) trainAQNorms(x []float32, assign []int64) error {
	fs, aq := ix.fastScan, ix.AQ().additive()
	d, n := ix.d, len(x)/ix.d
	if ix.ByResidual && ix.metric == MetricL2 {
		codes := make([]byte, n*aq.cbytes)
		if err := ix.codec.ComputeCodes(x, codes); err != nil {
			return err
		}
		rec := make([]float32, n*d)
		if err := aq.Decode(codes, rec); err != nil {
			return err
		}
		c, err := ix.centroids()
		if err != nil {
			return err
		}
		norms := make([]float32, n)
		for i := range norms {
			r := rec[i*d : (i+1)*d]
			kernels.AddTo(r, c[int(assign[i])*d:int(assign[i]+1)*d])
			norms[i] = kernels.Inner(r, r)
		}
		if err := aq.trainNorm(norms); err != nil {
			return err
		}
	}
	if ix.metric != MetricL2 {
		return nil
	}
	xs, ns := maybeSubsampleSeed(x, d, aqfsNormSample, aqfsNormSeed)
	tab := make([]float32, fs.m*16)
	var scale float32
	for i := 0; i < ns; i++ {
		aqFloatTables(aq, ix.metric, fs.tableScale(ix.metric), xs[i*d:(i+1)*d], tab)
		scale += normSpanRatio(tab, fs.m, 2)
	}
	scale /= float32(ns)
	fs.aq.normScale = faissRoundScale(float64(scale))
	return nil
}

// encodeAQ writes the codes of residuals res of the lists assign, with the
// norms of the reconstructions plus their centroids (faiss's
// compute_codes_add_centroids).
func (ix *IndexIVF) encodeAQ(res []float32, assign []int64, codes []byte) error {
	if err := ix.codec.ComputeCodes(res, codes); err != nil {
		return err
	}
	aq := ix.AQ().additive()
	if !aq.needsNorms() {
		return nil
	}
	c, err := ix.centroids()
	if err != nil {
		return err
	}
	d, cs, n := ix.d, aq.cbytes, len(assign)
	parallelChunks(n, chunkFor(aq.M*d), func(_, lo, hi int) {
		idx, rec := make([]int32, aq.M), make([]float32, d)
		for i := lo; i < hi; i++ {
			code := codes[i*cs : (i+1)*cs]
			aq.unpack(code, idx)
			aq.decodeIndices(idx, rec)
			if l := assign[i]; l >= 0 {
				kernels.AddTo(rec, c[int(l)*d:int(l+1)*d])
			}
			aq.packCodes(1, idx, aq.M, []float32{kernels.Inner(rec, rec)}, code)
		}
	})
	return nil
}

// aqBiases writes query xq's list terms coef <xq, c> (coef -2 for L2, 1
// for inner products) for the probed lists (0 for a missing one).
func (ix *IndexIVF) aqBiases(xq []float32, centroids []float32, lists []int64, bias []float32) {
	coef := float32(1)
	if ix.metric == MetricL2 {
		coef = -2
	}
	d := ix.d
	for r, l := range lists {
		bias[r] = 0
		if l >= 0 && l < int64(ix.nlist) {
			bias[r] = coef * kernels.Inner(xq, centroids[int(l)*d:int(l+1)*d])
		}
	}
}

// NewIndexIVFAQFastScanFrom packs the lists of an IVF additive-quantizer
// index (faiss's IndexIVFAdditiveQuantizerFastScan(const
// IndexIVFAdditiveQuantizer&, bbs)): the quantizer and the coarse
// quantizer are shared, the lists copied. As in faiss, residual codes are
// taken under the inner product only (L2 residual codes store the
// residual's norm, not the vector's); unlike faiss, which turns
// by_residual on, the copy keeps the source's setting, so that codes of
// whole vectors are searched as such.
func NewIndexIVFAQFastScanFrom(src *IndexIVF, bbs int) (*IndexIVF, error) {
	const op = "IndexIVFAdditiveQuantizerFastScan"
	q := src.AQ()
	switch {
	case q == nil || src.fastScan != nil:
		return nil, Errorf(KindInvalidArgument, op, "expected an IVF additive-quantizer index, got a %s", src.name)
	case src.metric == MetricL2 && src.ByResidual:
		return nil, Errorf(KindInvalidArgument, op, "L2 residual codes cannot be searched by fast scan: their norms are the residuals'")
	}
	ix, err := NewIndexIVFAQFastScan(op, src.quantizer, src.d, src.nlist, q, src.metric, bbs)
	if err != nil {
		return nil, err
	}
	ix.ByResidual, ix.Nprobe = src.ByResidual, src.Nprobe
	for l := range src.lists.lists {
		s, d := &src.lists.lists[l], &ix.lists.lists[l]
		d.ids, d.codes = append([]int64(nil), s.ids...), append([]byte(nil), s.codes...)
	}
	ix.ntotal = src.ntotal
	return ix, nil
}
