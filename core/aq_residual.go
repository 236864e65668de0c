package core

import (
	"fmt"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// faiss's ResidualQuantizer train_type flags.
const (
	RQTrainDefault        = 0
	RQTrainProgressiveDim = 1    // codebooks by progressive-dimension k-means
	RQTrainRefineCodebook = 2    // then refit all codebooks by least squares
	RQTrainTopBeam        = 1024 // train each codebook on the best beam entry only
	RQSkipCodebookTables  = 2048 // do not build the cross-product tables
)

// ResidualQuantizer codes a vector step by step: codebook m quantizes the
// residual the first m codebooks leave, and a beam search keeps the
// MaxBeamSize best partial codes at each step (faiss's
// ResidualQuantizer). Training learns codebook m by k-means on the
// residuals of the beam after step m-1.
type ResidualQuantizer struct {
	AdditiveQuantizer
	TrainType           int
	MaxBeamSize         int
	UseBeamLUT          int // 1: beam search from codebook cross products
	NiterCodebookRefine int
	// CP are the k-means parameters of each step (faiss's
	// ProgressiveDimClusteringParameters: 10 iterations), with Steps and
	// ApplyPCA for progressive-dimension training.
	CP       ClusteringParameters
	Steps    int
	ApplyPCA bool
	// MaxMemDistances bounds the beam search's scratch per batch (bytes).
	MaxMemDistances int64
	Log             func(string)
}

// NewResidualQuantizer makes an untrained quantizer of len(nbits)
// codebooks for vectors of dimension d.
func NewResidualQuantizer(d int, nbits []int, st AQSearchType) (*ResidualQuantizer, error) {
	aq, err := newAdditiveQuantizer("ResidualQuantizer", d, nbits, st)
	if err != nil {
		return nil, err
	}
	return &ResidualQuantizer{AdditiveQuantizer: aq, TrainType: RQTrainProgressiveDim, MaxBeamSize: 5,
		NiterCodebookRefine: 5, CP: DefaultProgressiveDimParameters(), Steps: 10, ApplyPCA: true,
		MaxMemDistances: 5 << 30}, nil
}

func (rq *ResidualQuantizer) logf(format string, args ...any) {
	if rq.Log != nil {
		rq.Log(fmt.Sprintf(format, args...))
	}
}

// beam is n points' partial codes: for each point, size entries of m
// indices, their residuals and their squared distances to the point.
type beam struct {
	size, m   int
	codes     []int32
	residuals []float32
	dist      []float32
}

// Train learns the codebooks from the rows of x.
func (rq *ResidualQuantizer) Train(x []float32) error {
	const op = "ResidualQuantizer.train"
	d := rq.D
	n, err := checkBatch(op, x, d)
	if err != nil {
		return err
	}
	if n == 0 {
		return Errorf(KindInvalidArgument, op, "no training vectors")
	}
	if rq.MaxBeamSize < 1 {
		return Errorf(KindInvalidArgument, op, "max_beam_size must be >= 1, got %d", rq.MaxBeamSize)
	}
	if err := checkFinite(op, x); err != nil {
		return err
	}
	codebooks := make([]float32, rq.TotalCodebookSize()*d)
	cur := &beam{size: 1, residuals: append([]float32(nil), x...)}
	var bufs beamBuffers
	for m := 0; m < rq.M; m++ {
		k := 1 << rq.Nbits[m]
		train := cur.residuals
		if rq.TrainType&RQTrainTopBeam != 0 && cur.size > 1 {
			train = make([]float32, n*d)
			for i := 0; i < n; i++ {
				copy(train[i*d:(i+1)*d], cur.residuals[i*cur.size*d:])
			}
		}
		cent, err := rq.clusterStep(train, k)
		if err != nil {
			return fmt.Errorf("%s: codebook %d: %w", op, m, err)
		}
		copy(codebooks[rq.offsets[m]*d:], cent)
		cur = rq.beamStep(cent, k, n, cur, min(cur.size*k, rq.MaxBeamSize), &bufs)
		if err := checkInterrupt(op); err != nil {
			return err
		}
		var total float64
		for _, v := range cur.dist {
			total += float64(v)
		}
		rq.logf("train stage %d, %d bits, total distance %g, beam_size %d", m, rq.Nbits[m], total, cur.size)
	}
	saved := rq.AdditiveQuantizer
	rq.Codebooks, rq.trained, rq.entryNorms, rq.cross = codebooks, true, nil, nil
	if rq.TrainType&RQTrainRefineCodebook != 0 {
		for it := 0; it < rq.NiterCodebookRefine; it++ {
			if err := rq.refitCodebooks(x); err != nil {
				rq.AdditiveQuantizer = saved
				return err
			}
		}
	}
	norms := make([]float32, n)
	for i := range norms {
		norms[i] = kernels.L2Sqr(x[i*d:(i+1)*d], cur.residuals[i*cur.size*d:i*cur.size*d+d])
	}
	if err := rq.trainNorm(norms); err != nil {
		rq.AdditiveQuantizer = saved
		return err
	}
	if rq.TrainType&RQSkipCodebookTables == 0 && (rq.UseBeamLUT != 0 || rq.SearchType == STNormFromLUT) {
		rq.codebookTables()
	}
	return nil
}

// clusterStep learns one codebook of k entries from the residuals.
func (rq *ResidualQuantizer) clusterStep(x []float32, k int) ([]float32, error) {
	if rq.TrainType&RQTrainProgressiveDim != 0 {
		c := &ProgressiveDimClustering{D: rq.D, K: k, ClusteringParameters: rq.CP, Steps: rq.Steps, ApplyPCA: rq.ApplyPCA,
			Log: rq.Log, Warn: rq.Log}
		if err := c.Train(x); err != nil {
			return nil, err
		}
		return c.Centroids, nil
	}
	c, err := NewClustering(rq.D, k, rq.CP)
	if err != nil {
		return nil, err
	}
	c.Log, c.Warn = rq.Log, rq.Log
	index, err := NewIndexFlat(rq.D, MetricL2)
	if err != nil {
		return nil, err
	}
	if err := c.Train(x, index, nil); err != nil {
		return nil, err
	}
	return c.Centroids, nil
}

// beamBlockFloats bounds the distance rows one worker fills at a time
// (256 KiB: they stay in L2 between the matrix kernel and the selection).
const beamBlockFloats = 1 << 16

// beamStep extends every partial code of cur by one index into the k
// entries of cent, keeping the size best per point (faiss's
// beam_search_encode_step): candidates rank by squared distance, ties by
// beam entry then entry index, as faiss's heaps order them.
func (rq *ResidualQuantizer) beamStep(cent []float32, k, n int, cur *beam, size int, bufs *beamBuffers) *beam {
	return beamSearchStep(rq.D, cent, k, n, cur, size, bufs)
}

// beamBuffers alternates two beams' storage through the steps of one
// search: a step writes where the step before last did (fresh arrays of a
// few hundred MB per step cost as much as the arithmetic).
type beamBuffers struct {
	slots [2]beam
	turn  int
}

// next is an unfilled beam of size entries of m+1 codes for n points.
func (bb *beamBuffers) next(n, size, m, d int) *beam {
	if bb == nil {
		return &beam{size: size, m: m + 1, codes: make([]int32, n*size*(m+1)), residuals: make([]float32, n*size*d),
			dist: make([]float32, n*size)}
	}
	s := &bb.slots[bb.turn]
	bb.turn ^= 1
	s.size, s.m = size, m+1
	s.codes, s.dist, s.residuals = grown(s.codes, n*size*(m+1)), grown(s.dist, n*size), grown(s.residuals, n*size*d)
	return s
}

// grown is s resized to n, reallocated only when too small.
func grown[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// beamSearchStep is beamStep for vectors of dimension d (bufs nil: fresh
// arrays).
func beamSearchStep(d int, cent []float32, k, n int, cur *beam, size int, bufs *beamBuffers) *beam {
	m := cur.m
	next := bufs.next(n, size, m, d)
	cnorms := make([]float32, k)
	kernels.Norms(cent, d, cnorms)
	var packed []float32 // the entries packed for the SIMD matrix kernel
	// (which packs the rows too: for a few entries, as in 4-bit codebooks,
	// that costs as much as the products, and the direct tiles win)
	if kernels.HasGemm() && k > 32 {
		packed = make([]float32, kernels.PackedSize(k, d))
		kernels.PackPanels(cent, k, d, packed)
	}
	parallelChunks(n, chunkFor(cur.size*k*d), func(_, lo, hi int) {
		block := max(1, beamBlockFloats/(cur.size*k))
		rows := make([]float32, block*cur.size*k)
		rnorms := make([]float32, block*cur.size)
		gemm := &kernels.GemmScratch{}
		h := newTopK(size)
		dist, ids := make([]float32, size), make([]int64, size)
		for b0 := lo; b0 < hi; b0 += block {
			b1 := min(hi, b0+block)
			nr := (b1 - b0) * cur.size
			res := cur.residuals[b0*cur.size*d : b1*cur.size*d]
			if packed != nil {
				kernels.GemmPacked(res, nr, packed, k, d, rows, k, gemm)
			} else {
				kernels.DotTile(res, nr, cent, k, d, rows, k)
			}
			kernels.Norms(res, d, rnorms[:nr])
			for i := b0; i < b1; i++ {
				h.reset()
				for b := 0; b < cur.size; b++ {
					r := (i-b0)*cur.size + b
					row := rows[r*k : (r+1)*k]
					kernels.L2FromDot(row, rnorms[r], cnorms)
					// only the values that may enter the beam are offered
					for j := kernels.NextAtMost(row, 0, h.dist[0]); j < k; j = kernels.NextAtMost(row, j+1, h.dist[0]) {
						h.push(row[j], int64(b*k+j))
					}
				}
				h.emit(1, dist, ids)
				emitBeam(d, cur, next, cent, k, i, dist, ids)
			}
		}
	})
	return next
}

// emitBeam writes point i's new beam entries from the chosen candidates
// (id = beam entry * k + entry index).
func emitBeam(d int, cur, next *beam, cent []float32, k, i int, dist []float32, ids []int64) {
	m := cur.m
	for j, id := range ids {
		b, e := int(id)/k, int(id)%k
		o := i*next.size + j
		if m > 0 {
			copy(next.codes[o*(m+1):o*(m+1)+m], cur.codes[(i*cur.size+b)*m:(i*cur.size+b+1)*m])
		}
		next.codes[o*(m+1)+m] = int32(e)
		next.dist[o] = dist[j]
		if next.residuals != nil {
			// src - c, as one rounding either way (a SIMD pass)
			dst := next.residuals[o*d : (o+1)*d]
			copy(dst, cur.residuals[(i*cur.size+b)*d:(i*cur.size+b+1)*d])
			kernels.AxpyTo(dst, -1, cent[e*d:(e+1)*d])
		}
	}
}

// refineBeam encodes the n points of x with a beam of outSize entries
// through all M codebooks: the best outSize codes per point, their
// residuals and squared distances (faiss's refine_beam).
func (rq *ResidualQuantizer) refineBeam(x []float32, n, outSize int) *beam {
	d := rq.D
	cur := &beam{size: 1, residuals: x}
	var bufs beamBuffers
	for m := 0; m < rq.M; m++ {
		k := 1 << rq.Nbits[m]
		cent := rq.Codebooks[rq.offsets[m]*d : rq.offsets[m+1]*d]
		cur = rq.beamStep(cent, k, n, cur, min(cur.size*k, outSize), &bufs)
	}
	return cur
}

// refineBeamLUT is refineBeam computed from the query's inner products
// with the codebooks and the codebook cross products, without residuals
// (faiss's refine_beam_LUT, use_beam_LUT=1): a candidate's distance is its
// beam entry's plus |c|^2 - 2 <x, c> + 2 <c, the entry's codewords>.
func (rq *ResidualQuantizer) refineBeamLUT(x []float32, n, outSize int) *beam {
	rq.codebookTables()
	d, t := rq.D, rq.TotalCodebookSize()
	cur := &beam{size: 1, dist: make([]float32, n)}
	qcp := make([]float32, n*t)
	parallelChunks(n, chunkFor(t*d), func(_, lo, hi int) {
		kernels.DotTile(x[lo*d:hi*d], hi-lo, rq.Codebooks, t, d, qcp[lo*t:hi*t], t)
		kernels.Norms(x[lo*d:hi*d], d, cur.dist[lo:hi])
	})
	for m := 0; m < rq.M; m++ {
		k, off := 1<<rq.Nbits[m], rq.offsets[m]
		size := min(cur.size*k, outSize)
		next := &beam{size: size, m: m + 1, codes: make([]int32, n*size*(m+1)), dist: make([]float32, n*size)}
		parallelChunks(n, chunkFor(cur.size*k*(m+1)), func(_, lo, hi int) {
			h := newTopK(size)
			dist, ids := make([]float32, size), make([]int64, size)
			w, row := make([]float32, k), make([]float32, k)
			for i := lo; i < hi; i++ {
				h.reset()
				q := qcp[i*t+off : i*t+off+k]
				for j := range w {
					w[j] = rq.entryNorms[off+j] - 2*q[j]
				}
				for b := 0; b < cur.size; b++ {
					copy(row, w)
					for m1 := 0; m1 < m; m1++ {
						r := rq.offsets[m1] + int(cur.codes[(i*cur.size+b)*m+m1])
						kernels.AxpyTo(row, 2, rq.cross[r*t+off:r*t+off+k])
					}
					// only the values that may enter the beam are offered (the
					// bound is loosened by a few ulps: the heap decides)
					base := cur.dist[i*cur.size+b]
					lim := h.dist[0] - base
					lim += 1e-6 * (abs32(h.dist[0]) + abs32(base))
					for j := kernels.NextAtMost(row, 0, lim); j < k; j = kernels.NextAtMost(row, j+1, lim) {
						h.push(base+row[j], int64(b*k+j))
					}
				}
				h.emit(1, dist, ids)
				emitBeam(d, cur, next, nil, k, i, dist, ids)
			}
		})
		cur = next
	}
	return cur
}

// ComputeCodes codes the rows of x (faiss's compute_codes: the best code
// of the beam search, then the norm SearchType stores).
func (rq *ResidualQuantizer) ComputeCodes(x []float32, codes []byte) error {
	const op = "ResidualQuantizer.compute_codes"
	if !rq.trained {
		return Errorf(KindNotTrained, op, "the residual quantizer is not trained yet")
	}
	d, cs := rq.D, rq.cbytes
	n, err := checkBatch(op, x, d)
	if err != nil {
		return err
	}
	if len(codes) != n*cs {
		return Errorf(KindDimensionMismatch, op, "%d code bytes for %d codes of %d bytes", len(codes), n, cs)
	}
	if rq.MaxBeamSize < 1 {
		return Errorf(KindInvalidArgument, op, "max_beam_size must be >= 1, got %d", rq.MaxBeamSize)
	}
	bs := n
	if per := rq.memoryPerPoint(rq.MaxBeamSize); per*int64(n) > rq.MaxMemDistances {
		bs = int(max(1, rq.MaxMemDistances/per))
	}
	for i0 := 0; i0 < n; i0 += bs {
		i1 := min(n, i0+bs)
		rq.encodeBlock(x[i0*d:i1*d], i1-i0, codes[i0*cs:i1*cs])
	}
	return nil
}

func (rq *ResidualQuantizer) encodeBlock(x []float32, n int, codes []byte) {
	d, bsz := rq.D, rq.MaxBeamSize
	var b *beam
	if rq.UseBeamLUT != 0 {
		b = rq.refineBeamLUT(x, n, bsz)
	} else {
		b = rq.refineBeam(x, n, bsz)
	}
	var norms []float32
	if rq.needsNorms() {
		norms = make([]float32, n)
		if b.residuals != nil {
			for i := range norms {
				norms[i] = kernels.L2Sqr(x[i*d:(i+1)*d], b.residuals[i*b.size*d:i*b.size*d+d])
			}
		} else {
			rec := make([]float32, d)
			for i := range norms {
				rq.decodeIndices(b.codes[i*b.size*rq.M:i*b.size*rq.M+rq.M], rec)
				norms[i] = kernels.Inner(rec, rec)
			}
		}
	}
	rq.packCodes(n, b.codes, b.size*rq.M, norms, codes)
}

// memoryPerPoint is faiss's estimate of the beam search's scratch bytes
// per point.
func (rq *ResidualQuantizer) memoryPerPoint(beamSize int) int64 {
	return int64(beamSize*rq.D*2*4) + int64(beamSize*beamSize*(4+8))
}

// checkFinite rejects NaN and infinite values, naming the first.
func checkFinite(op string, x []float32) error {
	if i := firstNonFinite(x); i < len(x) {
		return Errorf(KindInvalidArgument, op, "value %d is %v: training data must be finite", i, x[i])
	}
	return nil
}

// BeamSearchEncodeStep extends n points' beams of beamSize partial codes
// of m indices (codes: n*beamSize*m, residuals: n*beamSize*d) by one
// index into the k entries of cent (k*d), keeping newSize per point:
// faiss's beam_search_encode_step. It returns the new codes
// (n*newSize*(m+1)), residuals (n*newSize*d) and squared distances.
func BeamSearchEncodeStep(d, k int, cent []float32, n, beamSize int, residuals []float32, m int, codes []int32, newSize int) ([]int32, []float32, []float32, error) {
	const op = "beam_search_encode_step"
	switch {
	case d < 1 || k < 1 || n < 0 || beamSize < 1 || m < 0:
		return nil, nil, nil, Errorf(KindInvalidArgument, op, "sizes must be positive: d=%d K=%d n=%d beam_size=%d m=%d", d, k, n, beamSize, m)
	case newSize < 1 || newSize > beamSize*k:
		return nil, nil, nil, Errorf(KindInvalidArgument, op, "new_beam_size=%d must be 1..beam_size*K=%d", newSize, beamSize*k)
	case len(cent) != k*d || len(residuals) != n*beamSize*d || len(codes) != n*beamSize*m:
		return nil, nil, nil, Errorf(KindDimensionMismatch, op, "the arrays do not hold K*d, n*beam_size*d and n*beam_size*m values")
	}
	next := beamSearchStep(d, cent, k, n, &beam{size: beamSize, m: m, codes: codes, residuals: residuals}, newSize, nil)
	return next.codes, next.residuals, next.dist, nil
}

// InitializeFrom makes rq the codebooks skip..skip+M-1 of other, with
// other's settings; rq keeps its M and search type (faiss's
// initialize_from, which clips a residual quantizer).
func (rq *ResidualQuantizer) InitializeFrom(other *ResidualQuantizer, skip int) error {
	const op = "ResidualQuantizer.initialize_from"
	m, st := rq.M, rq.SearchType
	if skip < 0 || m+skip > other.M {
		return Errorf(KindInvalidArgument, op, "codebooks %d..%d of a quantizer of M=%d", skip, skip+m-1, other.M)
	}
	c := *other
	c.M, c.SearchType = m, st
	c.Nbits = append([]int(nil), other.Nbits[skip:skip+m]...)
	c.setDerived()
	c.entryNorms, c.cross = nil, nil
	if other.trained {
		d := other.D
		c.Codebooks = append([]float32(nil), other.Codebooks[other.offsets[skip]*d:other.offsets[skip+m]*d]...)
	} else {
		c.Codebooks = nil
	}
	c.Qnorm, c.NormTabs = append([]float32(nil), other.Qnorm...), append([]float32(nil), other.NormTabs...)
	*rq = c
	return nil
}
