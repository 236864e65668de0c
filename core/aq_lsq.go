package core

import (
	"fmt"
	"math"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// LocalSearchQuantizer is faiss's LSQ++: M codebooks of K = 2^nbits
// entries learnt jointly. Codes come from iterated conditional modes
// (ICM): each codebook's index is re-chosen with the others fixed, from
// look-up tables of <x, entry> (unary terms) and <entry, entry> (binary
// terms), repeated after random perturbations of the code (iterated local
// search), keeping the best code found. Training alternates a
// least-squares fit of all codebooks to the codes, a perturbation of the
// codebooks that shrinks as training goes on (SR-D), and ICM. All random
// draws come from a Mersenne Twister seeded with RandomSeed, drawn in one
// order whatever the number of cores, so results are reproducible.
type LocalSearchQuantizer struct {
	AdditiveQuantizer
	K                         int
	TrainIters                int     // 25
	EncodeILSIters            int     // 16
	TrainILSIters             int     // 8
	IcmIters                  int     // 4
	P                         float32 // the perturbation schedule's exponent (0.5)
	Lambd                     float32 // the ridge of the codebook fit (0.01)
	ChunkSize                 int     // vectors encoded at a time (10,000)
	RandomSeed                int     // (0x12345)
	Nperts                    int     // code entries perturbed per ILS step (4)
	UpdateCodebooksWithDouble bool    // fit the codebooks in float64 (true) or float32
	Log                       func(string)
}

// NewLocalSearchQuantizer makes an untrained LSQ of m codebooks of nbits
// bits for vectors of dimension d.
func NewLocalSearchQuantizer(d, m, nbits int, st AQSearchType) (*LocalSearchQuantizer, error) {
	const op = "LocalSearchQuantizer"
	if m < 1 {
		return nil, Errorf(KindInvalidArgument, op, "M must be positive, got %d", m)
	}
	aq, err := newAdditiveQuantizer(op, d, repeatBits(m, nbits), st)
	if err != nil {
		return nil, err
	}
	return &LocalSearchQuantizer{AdditiveQuantizer: aq, K: 1 << nbits, TrainIters: 25, EncodeILSIters: 16,
		TrainILSIters: 8, IcmIters: 4, P: 0.5, Lambd: 1e-2, ChunkSize: 10000, RandomSeed: 0x12345, Nperts: 4,
		UpdateCodebooksWithDouble: true}, nil
}

func (l *LocalSearchQuantizer) withCodebooks(cb []float32) productSub {
	c := *l
	c.Codebooks, c.trained, c.entryNorms, c.cross = cb, true, nil, nil
	return &c
}

func (l *LocalSearchQuantizer) logf(format string, args ...any) {
	if l.Log != nil {
		l.Log(fmt.Sprintf(format, args...))
	}
}

func (l *LocalSearchQuantizer) check(op string) error {
	switch {
	case l.ChunkSize < 1:
		return Errorf(KindInvalidArgument, op, "chunk_size must be positive, got %d", l.ChunkSize)
	case l.Nperts < 0 || l.IcmIters < 0 || l.EncodeILSIters < 0 || l.TrainILSIters < 0 || l.TrainIters < 0:
		return Errorf(KindInvalidArgument, op, "iteration counts and nperts must be >= 0")
	}
	return nil
}

// uniformInt draws from [0, n) as libstdc++'s uniform_int_distribution
// does from a 32-bit generator (rejection of the top remainder).
func uniformInt(g *mt19937, n int) int {
	scale := uint32(math.MaxUint32) / uint32(n)
	past := uint32(n) * scale
	for {
		if r := g.next(); r < past {
			return int(r / scale)
		}
	}
}

// normal draws a standard normal value (Marsaglia's polar method).
func normal(g *mt19937) float64 {
	for {
		u := 2*float64(g.next())/(1<<32) - 1
		v := 2*float64(g.next())/(1<<32) - 1
		s := u*u + v*v
		if s > 0 && s < 1 {
			return u * math.Sqrt(-2*math.Log(s)/s)
		}
	}
}

// Train learns the codebooks from the rows of x.
func (l *LocalSearchQuantizer) Train(x []float32) error {
	const op = "LocalSearchQuantizer.train"
	d, m, k := l.D, l.M, l.K
	n, err := checkBatch(op, x, d)
	if err != nil {
		return err
	}
	if n == 0 {
		return Errorf(KindInvalidArgument, op, "no training vectors")
	}
	if err := l.check(op); err != nil {
		return err
	}
	if err := checkFinite(op, x); err != nil {
		return err
	}
	nperts := min(l.Nperts, m)
	g := newMT19937(uint32(l.RandomSeed))
	codes := make([]int32, n*m)
	for i := range codes {
		codes[i] = int32(uniformInt(g, k))
	}
	stddev := make([]float64, d)
	for j := 0; j < d; j++ {
		var mean, sum float64
		for i := 0; i < n; i++ {
			mean += float64(x[i*d+j])
		}
		mean /= float64(n)
		for i := 0; i < n; i++ {
			v := float64(x[i*d+j]) - mean
			sum += v * v
		}
		stddev[j] = math.Sqrt(sum / float64(n))
	}
	work := *l // train a copy: a failure leaves l as it was
	work.trained, work.Codebooks = true, make([]float32, m*k*d)
	for it := 0; it < l.TrainIters; it++ {
		if err := work.fitCodebooks(x, codes); err != nil {
			return err
		}
		t := math.Pow(1-float64(it+1)/float64(l.TrainIters), float64(l.P))
		for i := range work.Codebooks {
			work.Codebooks[i] += float32(t * normal(g) * stddev[i%d] / float64(m))
		}
		work.icm(x, codes, l.TrainILSIters, nperts, g)
		if err := checkInterrupt(op); err != nil {
			return err
		}
		l.logf("iter %d: obj %g", it, work.objective(x, codes, nil))
	}
	norms := make([]float32, n)
	rec := make([]float32, d)
	for i := range norms {
		work.decodeIndices(codes[i*m:(i+1)*m], rec)
		norms[i] = kernels.Inner(rec, rec)
	}
	work.entryNorms, work.cross = nil, nil
	if err := work.trainNorm(norms); err != nil {
		return err
	}
	*l = work
	return nil
}

// fitCodebooks solves (B'B + lambd I) C = B'X for the codebooks C given
// the codes B (faiss's update_codebooks): in float64, or in float32 when
// UpdateCodebooksWithDouble is off, as faiss offers.
func (l *LocalSearchQuantizer) fitCodebooks(x []float32, codes []int32) error {
	if l.UpdateCodebooksWithDouble {
		return fitCodebooksIn[float64](l, x, codes)
	}
	return fitCodebooksIn[float32](l, x, codes)
}

func fitCodebooksIn[T float32 | float64](l *LocalSearchQuantizer, x []float32, codes []int32) error {
	d, m, k := l.D, l.M, l.K
	mk, n := m*k, len(x)/d
	bb := make([]T, mk*mk)
	bx := make([]T, mk*d)
	for i := 0; i < n; i++ {
		c := codes[i*m : (i+1)*m]
		for a := 0; a < m; a++ {
			ra := a*k + int(c[a])
			for b := 0; b < m; b++ {
				bb[ra*mk+b*k+int(c[b])]++
			}
			row := bx[ra*d : (ra+1)*d]
			for j, v := range x[i*d : (i+1)*d] {
				row[j] += T(v)
			}
		}
	}
	for i := 0; i < mk; i++ {
		bb[i*mk+i] += T(l.Lambd)
	}
	if !choleskySolve(mk, bb, bx, d) {
		return Errorf(KindInvalidArgument, "LocalSearchQuantizer.train", "the codebook fit is singular: raise lambd")
	}
	for i, v := range bx {
		l.Codebooks[i] = float32(v)
	}
	return nil
}

// objective writes each point's squared error under codes into objs (if
// not nil) and returns their mean.
func (l *LocalSearchQuantizer) objective(x []float32, codes []int32, objs []float32) float64 {
	d, m := l.D, l.M
	n := len(x) / d
	parts := make([]float64, workers())
	parallelChunks(n, chunkFor(m*d), func(c, lo, hi int) {
		rec := make([]float32, d)
		for i := lo; i < hi; i++ {
			l.decodeIndices(codes[i*m:(i+1)*m], rec)
			e := kernels.L2Sqr(x[i*d:(i+1)*d], rec)
			if objs != nil {
				objs[i] = e
			}
			parts[c] += float64(e)
		}
	})
	var s float64
	for _, p := range parts {
		s += p
	}
	return s / float64(max(n, 1))
}

// binaryTerms is 2 <entry (m1, c1), entry (m2, c2)> at
// [(m1*M + m2)*K + c1]*K + c2.
func (l *LocalSearchQuantizer) binaryTerms() []float32 {
	d, m, k := l.D, l.M, l.K
	out := make([]float32, m*m*k*k)
	parallelChunks(m*m, 1, func(_, lo, hi int) {
		for m12 := lo; m12 < hi; m12++ {
			m1, m2 := m12/m, m12%m
			blk := out[m12*k*k : (m12+1)*k*k]
			kernels.DotTile(l.Codebooks[m1*k*d:(m1+1)*k*d], k, l.Codebooks[m2*k*d:(m2+1)*k*d], k, d, blk, k)
			for i := range blk {
				blk[i] *= 2
			}
		}
	})
	return out
}

// icm refines codes (n x M, in place) by iterated local search: ils
// rounds of perturbation, icmIters sweeps of conditional modes, and the
// better of old and new kept per point; chunks of ChunkSize points.
func (l *LocalSearchQuantizer) icm(x []float32, codes []int32, ils, nperts int, g *mt19937) {
	d, m, k := l.D, l.M, l.K
	n := len(x) / d
	bin := l.binaryTerms()
	norms := make([]float32, m*k)
	kernels.Norms(l.Codebooks, d, norms)
	for c0 := 0; c0 < n; c0 += l.ChunkSize {
		c1 := min(n, c0+l.ChunkSize)
		l.icmChunk(x[c0*d:c1*d], codes[c0*m:c1*m], bin, norms, ils, nperts, g)
	}
}

func (l *LocalSearchQuantizer) icmChunk(x []float32, codes []int32, bin, norms []float32, ils, nperts int, g *mt19937) {
	d, m, k := l.D, l.M, l.K
	n := len(x) / d
	// unaries[i][m][c] = |entry|^2 - 2 <x_i, entry>
	unaries := make([]float32, n*m*k)
	parallelChunks(n, chunkFor(m*k*d), func(_, lo, hi int) {
		kernels.DotTile(x[lo*d:hi*d], hi-lo, l.Codebooks, m*k, d, unaries[lo*m*k:hi*m*k], m*k)
		for i := lo * m * k; i < hi*m*k; i++ {
			unaries[i] = norms[i%(m*k)] - 2*unaries[i]
		}
	})
	best := append([]int32(nil), codes...)
	bestObj := make([]float32, n)
	l.objective(x, codes, bestObj)
	obj := make([]float32, n)
	perts := make([]int32, n*nperts*2)
	for it := 0; it < ils; it++ {
		// the draws, in faiss's order, before the parallel part
		for i := range perts {
			if i%2 == 0 {
				perts[i] = int32(uniformInt(g, m))
			} else {
				perts[i] = int32(uniformInt(g, k))
			}
		}
		parallelChunks(n, chunkFor(l.IcmIters*m*m*k), func(_, lo, hi int) {
			objs := make([]float32, k)
			for i := lo; i < hi; i++ {
				c := codes[i*m : (i+1)*m]
				for j := 0; j < nperts; j++ {
					p := perts[(i*nperts+j)*2:]
					c[p[0]] = p[1]
				}
				for sweep := 0; sweep < l.IcmIters; sweep++ {
					for mm := 0; mm < m; mm++ {
						copy(objs, unaries[(i*m+mm)*k:(i*m+mm+1)*k])
						for o := 0; o < m; o++ {
							if o == mm {
								continue
							}
							// bin[mm, o, code, c[o]] over code is, by symmetry,
							// bin[o, mm, c[o], code]: a contiguous row
							base := ((o*m+mm)*k + int(c[o])) * k
							kernels.AddTo(objs, bin[base:base+k])
						}
						// the first best code, as faiss's strict < scan picks it
						bc := 0
						if lo := kernels.MinOf(objs); lo < float32(math.Inf(1)) {
							bc = kernels.NextAtMost(objs, 0, lo)
						}
						c[mm] = int32(bc)
					}
				}
			}
		})
		l.objective(x, codes, obj)
		for i := 0; i < n; i++ {
			if obj[i] < bestObj[i] {
				bestObj[i] = obj[i]
				copy(best[i*m:(i+1)*m], codes[i*m:(i+1)*m])
			}
		}
		copy(codes, best)
	}
}

// ComputeCodes codes the rows of x by ICM from random codes drawn from
// RandomSeed (faiss's compute_codes).
func (l *LocalSearchQuantizer) ComputeCodes(x []float32, codes []byte) error {
	const op = "LocalSearchQuantizer.compute_codes"
	if !l.trained {
		return Errorf(KindNotTrained, op, "LSQ is not trained yet")
	}
	n, err := checkBatch(op, x, l.D)
	if err != nil {
		return err
	}
	if len(codes) != n*l.cbytes {
		return Errorf(KindDimensionMismatch, op, "%d code bytes for %d codes of %d bytes", len(codes), n, l.cbytes)
	}
	if err := l.check(op); err != nil {
		return err
	}
	g := newMT19937(uint32(l.RandomSeed))
	idx := make([]int32, n*l.M)
	for i := range idx {
		idx[i] = int32(uniformInt(g, l.K))
	}
	l.icm(x, idx, l.EncodeILSIters, min(l.Nperts, l.M), g)
	l.packCodes(n, idx, l.M, l.decodedNorms(idx, n), codes)
	return nil
}

// NewIndexLocalSearchQuantizer makes an IndexLocalSearchQuantizer.
func NewIndexLocalSearchQuantizer(d, m, nbits int, metric Metric, st AQSearchType) (*IndexAdditiveQuantizer, error) {
	q, err := NewLocalSearchQuantizer(d, m, nbits, st)
	if err != nil {
		return nil, err
	}
	return NewIndexAdditiveQuantizer("IndexLocalSearchQuantizer", q, metric)
}

// NewIndexIVFLocalSearchQuantizer makes an IndexIVFLocalSearchQuantizer.
func NewIndexIVFLocalSearchQuantizer(quantizer Index, d, nlist, m, nbits int, metric Metric, st AQSearchType) (*IndexIVF, error) {
	q, err := NewLocalSearchQuantizer(d, m, nbits, st)
	if err != nil {
		return nil, err
	}
	return NewIndexIVFAdditive("IndexIVFLocalSearchQuantizer", quantizer, d, nlist, metric, q)
}

// NewProductLocalSearchQuantizer makes nsplits LSQs of msub codebooks of
// nbits bits, each for d/nsplits dimensions.
func NewProductLocalSearchQuantizer(d, nsplits, msub, nbits int, st AQSearchType) (*ProductAdditiveQuantizer, error) {
	const op = "ProductLocalSearchQuantizer"
	if err := checkSplits(op, d, nsplits, msub); err != nil {
		return nil, err
	}
	subs := make([]productSub, nsplits)
	for i := range subs {
		q, err := NewLocalSearchQuantizer(d/nsplits, msub, nbits, STDecompress)
		if err != nil {
			return nil, err
		}
		subs[i] = q
	}
	return newProductAdditive(op, d, subs, st)
}

// NewIndexProductLocalSearchQuantizer makes an
// IndexProductLocalSearchQuantizer.
func NewIndexProductLocalSearchQuantizer(d, nsplits, msub, nbits int, metric Metric, st AQSearchType) (*IndexAdditiveQuantizer, error) {
	q, err := NewProductLocalSearchQuantizer(d, nsplits, msub, nbits, st)
	if err != nil {
		return nil, err
	}
	return NewIndexAdditiveQuantizer("IndexProductLocalSearchQuantizer", q, metric)
}

// NewIndexIVFProductLocalSearchQuantizer makes an
// IndexIVFProductLocalSearchQuantizer.
func NewIndexIVFProductLocalSearchQuantizer(quantizer Index, d, nlist, nsplits, msub, nbits int, metric Metric, st AQSearchType) (*IndexIVF, error) {
	q, err := NewProductLocalSearchQuantizer(d, nsplits, msub, nbits, st)
	if err != nil {
		return nil, err
	}
	return NewIndexIVFAdditive("IndexIVFProductLocalSearchQuantizer", quantizer, d, nlist, metric, q)
}
