package core

import (
	"fmt"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// ProductQuantizer splits vectors into M sub-vectors of Dsub = D/M
// dimensions and codes each by its nearest of Ksub = 2^Nbits centroids,
// learnt by k-means per sub-space (faiss's ProductQuantizer). A code takes
// CodeSize = ceil(M*Nbits/8) bytes.
type ProductQuantizer struct {
	D, M, Nbits, Dsub, Ksub, CodeSize int
	// Centroids[(m*Ksub+j)*Dsub : ...] is centroid j of sub-space m.
	Centroids []float32
	// CP is how each sub-space is clustered (faiss's defaults: 25
	// iterations, seed 1234, at most 256 points per centroid).
	CP        ClusteringParameters
	Log, Warn func(string)
	// Progress, when set, advances by one per sub-space trained (the
	// owner starts the stage).
	Progress *Progress
	// HotStart starts each sub-space's k-means from the current centroids
	// (faiss's Train_hot_start), as OPQ's later rounds do.
	HotStart bool
	// Shared trains one codebook on the sub-vectors of every sub-space and
	// gives it to all of them (faiss's Train_shared).
	Shared  bool
	trained bool
	// transposed holds each sub-space's centroids dimension-major (Dsub x
	// Ksub), for coding short sub-vectors (see kernels.L2Transposed).
	transposed []float32
	// sdc is the symmetric distance table (M x Ksub x Ksub), built on
	// demand by HNSW over PQ codes.
	sdc []float32
}

// transposedMaxDsub is the longest sub-vector coded over the transposed
// centroids; longer ones use row kernels.
const transposedMaxDsub = 16

// setTrained records new centroids and what derives from them.
func (pq *ProductQuantizer) setTrained(c []float32) {
	pq.Centroids, pq.trained = c, true
	pq.transposed, pq.sdc = nil, nil
	// The transposed kernels take 32 columns at a time: fewer centroids
	// fell to their scalar tail, 2.6x slower than rows. 16 (4-bit codes)
	// have a kernel of their own for coding (kernels.Nearest16Transposed).
	fast := pq.Ksub >= 32 && kernels.TransposedIsFast() || pq.Ksub == 16 && kernels.Nearest16IsFast()
	if pq.Dsub > transposedMaxDsub || !fast {
		return
	}
	ks, ds := pq.Ksub, pq.Dsub
	t := make([]float32, len(c))
	for m := 0; m < pq.M; m++ {
		for j := 0; j < ks; j++ {
			for k := 0; k < ds; k++ {
				t[m*ks*ds+k*ks+j] = c[(m*ks+j)*ds+k]
			}
		}
	}
	pq.transposed = t
}

// maxPQBits bounds Nbits: tables of 2^Nbits entries per sub-space stay
// small (faiss allows 24, impractical for its own tables too).
const maxPQBits = 16

// NewProductQuantizer checks that M divides d and nbits is 1..16.
func NewProductQuantizer(d, m, nbits int) (*ProductQuantizer, error) {
	const op = "ProductQuantizer"
	switch {
	case d <= 0 || m <= 0:
		return nil, Errorf(KindInvalidArgument, op, "d=%d and M=%d must be positive", d, m)
	case d%m != 0:
		return nil, Errorf(KindInvalidArgument, op, "M=%d does not divide d=%d: the dimension must be a multiple of the number of sub-quantizers", m, d)
	case nbits < 1 || nbits > maxPQBits:
		return nil, Errorf(KindInvalidArgument, op, "nbits=%d is outside 1..%d", nbits, maxPQBits)
	}
	return &ProductQuantizer{
		D: d, M: m, Nbits: nbits, Dsub: d / m, Ksub: 1 << nbits, CodeSize: (m*nbits + 7) / 8,
		Centroids: make([]float32, d<<nbits), CP: DefaultClusteringParameters(),
	}, nil
}

// IsTrained reports whether Train has run (or centroids were set).
func (pq *ProductQuantizer) IsTrained() bool { return pq.trained }

// SetCentroids installs centroids learnt elsewhere (M*Ksub*Dsub floats).
func (pq *ProductQuantizer) SetCentroids(c []float32) error {
	if len(c) != len(pq.Centroids) {
		return Errorf(KindDimensionMismatch, "ProductQuantizer.centroids", "%d floats, need %d", len(c), len(pq.Centroids))
	}
	pq.setTrained(append([]float32(nil), c...))
	return nil
}

// sub returns the centroids of sub-space m (Ksub x Dsub).
func (pq *ProductQuantizer) sub(m int) []float32 {
	return pq.Centroids[m*pq.Ksub*pq.Dsub : (m+1)*pq.Ksub*pq.Dsub]
}

// Train clusters each sub-space of x, as faiss does (same parameters and
// seed, so the same centroids).
func (pq *ProductQuantizer) Train(x []float32) error {
	const op = "ProductQuantizer.train"
	n, err := checkBatch(op, x, pq.D)
	if err != nil {
		return err
	}
	if n < pq.Ksub {
		return Errorf(KindInvalidArgument, op, "%d training points for %d centroids per sub-quantizer (2^nbits): need at least as many points", n, pq.Ksub)
	}
	if pq.Shared {
		return pq.trainShared(op, x)
	}
	centroids := make([]float32, len(pq.Centroids))
	// Every sub-space's k-means subsamples the same rows (same n, same
	// seed): pick them once and copy only those, not all n rows per
	// sub-space (half of 4-bit PQ's training on 1M points went there).
	rows := n
	var picked []int
	if maxN := int64(pq.Ksub) * int64(pq.CP.MaxPointsPerCentroid); pq.CP.Seed >= 0 && int64(n) > maxN {
		rows, picked = int(maxN), randPerm(n, pq.CP.Seed)[:maxN]
	}
	slice := make([]float32, rows*pq.Dsub)
	for m := 0; m < pq.M; m++ {
		for i := 0; i < rows; i++ {
			r := i
			if picked != nil {
				r = picked[i]
			}
			copy(slice[i*pq.Dsub:(i+1)*pq.Dsub], x[r*pq.D+m*pq.Dsub:])
		}
		c, err := NewClustering(pq.Dsub, pq.Ksub, pq.CP)
		if err != nil {
			return err
		}
		c.Log, c.Warn = pq.Log, pq.Warn
		if pq.Log != nil { // a verbose quantizer trains verbose slices, as faiss's
			c.Verbose = true
			pq.Log(fmt.Sprintf("Training PQ slice %d/%d", m, pq.M))
		}
		if pq.HotStart && pq.trained {
			c.Centroids = append([]float32(nil), pq.sub(m)...)
		}
		index, _ := NewIndexFlat(pq.Dsub, MetricL2)
		if err := c.Train(slice, index, nil); err != nil {
			return fmt.Errorf("%s: sub-quantizer %d: %w", op, m, err)
		}
		copy(centroids[m*pq.Ksub*pq.Dsub:], c.Centroids)
		pq.Progress.Advance(1)
	}
	pq.setTrained(centroids)
	return nil
}

// reportTo sends Train's per-sub-space progress to p, and its verbose
// lines too when the quantizer has no Log of its own, until the returned
// function restores them (nil p: nothing changes).
func (pq *ProductQuantizer) reportTo(p *Progress) (restore func()) {
	if p == nil {
		return func() {}
	}
	log, progress := pq.Log, pq.Progress
	pq.Progress = p
	if log == nil {
		pq.Log = p.Line
	}
	return func() { pq.Log, pq.Progress = log, progress }
}

// trainShared clusters the n*M sub-vectors of x (contiguous: x read as
// rows of Dsub) into one codebook for every sub-space, as faiss does.
func (pq *ProductQuantizer) trainShared(op string, x []float32) error {
	c, err := NewClustering(pq.Dsub, pq.Ksub, pq.CP)
	if err != nil {
		return err
	}
	c.Log, c.Warn = pq.Log, pq.Warn
	if pq.Log != nil {
		c.Verbose = true
		pq.Log("Training all PQ slices at once")
	}
	index, _ := NewIndexFlat(pq.Dsub, MetricL2)
	if err := c.Train(x, index, nil); err != nil {
		return fmt.Errorf("%s: shared codebook: %w", op, err)
	}
	pq.Progress.Advance(int64(pq.M))
	centroids := make([]float32, len(pq.Centroids))
	for m := 0; m < pq.M; m++ {
		copy(centroids[m*pq.Ksub*pq.Dsub:], c.Centroids)
	}
	pq.setTrained(centroids)
	return nil
}

// ComputeCodes writes the codes of the rows of x into codes (n*CodeSize):
// per sub-space, the nearest centroid (the first among equals).
func (pq *ProductQuantizer) ComputeCodes(x []float32, codes []byte) error {
	const op = "ProductQuantizer.compute_codes"
	n, err := checkBatch(op, x, pq.D)
	if err != nil {
		return err
	}
	if len(codes) != n*pq.CodeSize {
		return Errorf(KindDimensionMismatch, op, "codes hold %d bytes, need %d", len(codes), n*pq.CodeSize)
	}
	if !pq.trained {
		return Errorf(KindNotTrained, op, "train the product quantizer first")
	}
	parallelChunks(n, chunkFor(pq.Ksub*pq.D), func(_, lo, hi int) {
		dis := make([]float32, pq.Ksub)
		for i := lo; i < hi; i++ {
			pq.encodeOne(x[i*pq.D:(i+1)*pq.D], codes[i*pq.CodeSize:(i+1)*pq.CodeSize], dis)
		}
	})
	return nil
}

// encodeOne codes one vector; dis is scratch of Ksub floats.
func (pq *ProductQuantizer) encodeOne(v []float32, code []byte, dis []float32) {
	clear(code)
	if pq.Ksub == 16 && pq.transposed != nil {
		pq.encode16(v, code)
		return
	}
	for m := 0; m < pq.M; m++ {
		if pq.transposed != nil { // 32 centroids or more
			ks := pq.Ksub
			kernels.L2Transposed(v[m*pq.Dsub:(m+1)*pq.Dsub], pq.transposed[m*ks*pq.Dsub:(m+1)*ks*pq.Dsub], ks, ks, dis)
		} else {
			kernels.L2SqrRows(v[m*pq.Dsub:(m+1)*pq.Dsub], pq.sub(m), dis)
		}
		// The first nearest centroid, by two SIMD passes (a loop of
		// compares cost more than the distances themselves).
		best := kernels.NextAtMost(dis, 0, kernels.MinOf(dis))
		if best >= len(dis) { // NaN distances: code 0, as the loop gave
			best = 0
		}
		pq.putCode(code, m, best)
	}
}

// encode16 codes v over 16 centroids a sub-space, 64 sub-spaces a
// kernel call (one SIMD pass each instead of three calls), two codes a
// byte, the first in the low bits.
func (pq *ProductQuantizer) encode16(v []float32, code []byte) {
	var idx [64]byte
	ds := pq.Dsub
	for m0 := 0; m0 < pq.M; m0 += len(idx) {
		n := min(len(idx), pq.M-m0)
		kernels.Nearest16Transposed(v[m0*ds:], pq.transposed[m0*16*ds:], n, ds, idx[:n])
		for i, j := range idx[:n] {
			code[(m0+i)/2] |= j << (4 * ((m0 + i) % 2))
		}
	}
}

func (pq *ProductQuantizer) putCode(code []byte, m, j int) {
	if pq.Nbits == 8 {
		code[m] = byte(j)
		return
	}
	PutBits(code, m*pq.Nbits, pq.Nbits, uint64(j))
}

func (pq *ProductQuantizer) getCode(code []byte, m int) int {
	if pq.Nbits == 8 {
		return int(code[m])
	}
	return int(GetBits(code, m*pq.Nbits, pq.Nbits))
}

// Decode writes the vectors the codes stand for into x (n*D).
func (pq *ProductQuantizer) Decode(codes []byte, x []float32) error {
	const op = "ProductQuantizer.decode"
	if len(codes)%pq.CodeSize != 0 || len(x) != len(codes)/pq.CodeSize*pq.D {
		return Errorf(KindDimensionMismatch, op, "%d code bytes and %d floats do not fit code_size=%d, d=%d", len(codes), len(x), pq.CodeSize, pq.D)
	}
	for i := 0; i < len(codes)/pq.CodeSize; i++ {
		pq.decodeOne(codes[i*pq.CodeSize:(i+1)*pq.CodeSize], x[i*pq.D:(i+1)*pq.D])
	}
	return nil
}

func (pq *ProductQuantizer) decodeOne(code []byte, out []float32) {
	for m := 0; m < pq.M; m++ {
		j := pq.getCode(code, m)
		copy(out[m*pq.Dsub:(m+1)*pq.Dsub], pq.sub(m)[j*pq.Dsub:(j+1)*pq.Dsub])
	}
}

// distanceTable fills table (M*Ksub) with the metric values between each
// sub-vector of v and each centroid of its sub-space: squared L2, or inner
// product.
func (pq *ProductQuantizer) distanceTable(v []float32, metric Metric, table []float32) {
	ks, ds := pq.Ksub, pq.Dsub
	for m := 0; m < pq.M; m++ {
		t := table[m*ks : (m+1)*ks]
		switch {
		case metric == MetricInnerProduct && pq.transposed != nil && ks >= 32:
			kernels.DotsTransposed(v[m*ds:(m+1)*ds], pq.transposed[m*ks*ds:(m+1)*ks*ds], ks, ks, t)
		case metric == MetricInnerProduct:
			kernels.DotTile(v[m*ds:(m+1)*ds], 1, pq.sub(m), ks, ds, t, ks)
		default:
			kernels.L2SqrRows(v[m*pq.Dsub:(m+1)*pq.Dsub], pq.sub(m), t)
		}
	}
}

// scanCodes writes into out the table sums of n codes (asymmetric distance
// computation): out[i] = sum over m of table[m][code_i[m]] + bias.
func (pq *ProductQuantizer) scanCodes(codes []byte, table []float32, bias float32, out []float32) {
	ks, cs := pq.Ksub, pq.CodeSize
	if pq.Nbits == 8 {
		kernels.PQScan8(codes, pq.M, table, bias, out)
		return
	}
	for i := range out {
		code := codes[i*cs : (i+1)*cs]
		s := bias
		for m := 0; m < pq.M; m++ {
			s += table[m*ks+pq.getCode(code, m)]
		}
		out[i] = s
	}
}

// RestorePQ sets the trained centroids of a product quantizer.
func (pq *ProductQuantizer) RestorePQ(centroids []float32) error {
	if len(centroids) != pq.M*pq.Ksub*pq.Dsub {
		return Errorf(KindDimensionMismatch, "ProductQuantizer", "%d centroid floats for M=%d, nbits=%d, d=%d", len(centroids), pq.M, pq.Nbits, pq.D)
	}
	pq.setTrained(centroids)
	return nil
}
