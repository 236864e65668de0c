package core

import (
	"math"
	"math/bits"
	"sort"
)

// IVFSpectralHash is what an IndexIVFSpectralHash adds to an IVF (faiss's
// IndexIVFSpectralHash): vectors go through VT (a random rotation to Nbit
// dimensions unless replaced), each value less a threshold is cut into
// periods and the parity of its period is one bit of the code; searches
// rank codes by Hamming distance to the query's code for the list. The
// thresholds (Trained, Nbit per list) are zero (ThreshGlobal), the
// transformed centroids (ThreshCentroid, less a quarter period for
// ThreshCentroidHalf) or the medians of the list's training vectors
// (ThreshMedian).
type IVFSpectralHash struct {
	VT            VectorTransform
	Nbit          int
	Period        float32
	ThresholdType int
	// Trained holds the thresholds as faiss keeps them: for medians, as
	// many rows as training points (faiss sizes it so), the first nlist
	// used.
	Trained []float32
	ix      *IndexIVF
	ready   bool
}

// The threshold types (faiss's IndexIVFSpectralHash::ThresholdType).
const (
	ThreshGlobal = iota
	ThreshCentroid
	ThreshCentroidHalf
	ThreshMedian
)

// NewIndexIVFSpectralHash makes an IndexIVFSpectralHash of nbit-bit codes
// over a random rotation (seed 1234, as faiss's) and global thresholds.
func NewIndexIVFSpectralHash(quantizer Index, d, nlist, nbit int, period float32) (*IndexIVF, error) {
	const op = "IndexIVFSpectralHash"
	if nbit < 1 || nbit > 1<<16 {
		return nil, Errorf(KindInvalidArgument, op, "nbit=%d is outside 1..65536", nbit)
	}
	rr, err := NewRandomRotationMatrix(d, nbit)
	if err != nil {
		return nil, err
	}
	rr.Init(1234)
	sh := &IVFSpectralHash{VT: rr, Nbit: nbit, Period: period}
	ix, err := newIndexIVF(op, quantizer, d, nlist, MetricL2, shCodec{sh})
	if err != nil {
		return nil, err
	}
	sh.ix, ix.sh, ix.ByResidual = ix, sh, false
	return ix, nil
}

// SpectralHash is the spectral hash of an IndexIVFSpectralHash, nil for
// other IVF indexes.
func (ix *IndexIVF) SpectralHash() *IVFSpectralHash { return ix.sh }

// ReplaceVT installs another transform (d in, Nbit out) and global
// thresholds (faiss's replace_vt).
func (sh *IVFSpectralHash) ReplaceVT(vt VectorTransform) error {
	const op = "IndexIVFSpectralHash.replace_vt"
	if vt.DIn() != sh.ix.d || vt.DOut() != sh.Nbit {
		return Errorf(KindDimensionMismatch, op, "the transform maps %d to %d dimensions, the index needs %d to nbit=%d", vt.DIn(), vt.DOut(), sh.ix.d, sh.Nbit)
	}
	sh.VT, sh.ThresholdType, sh.Trained, sh.ready = vt, ThreshGlobal, nil, vt.IsTrained()
	return nil
}

// Restore sets what a file holds.
func (sh *IVFSpectralHash) Restore(vt VectorTransform, period float32, thresholdType int, trained []float32, isTrained bool) error {
	if thresholdType < ThreshGlobal || thresholdType > ThreshMedian {
		return Errorf(KindInvalidArgument, "IndexIVFSpectralHash", "threshold_type %d is outside 0..3", thresholdType)
	}
	if vt.DIn() != sh.ix.d || vt.DOut() != sh.Nbit {
		return Errorf(KindDimensionMismatch, "IndexIVFSpectralHash", "the transform maps %d to %d dimensions, the index needs %d to nbit=%d", vt.DIn(), vt.DOut(), sh.ix.d, sh.Nbit)
	}
	if isTrained && thresholdType != ThreshGlobal && len(trained) < sh.ix.nlist*sh.Nbit {
		return Errorf(KindInvalidArgument, "IndexIVFSpectralHash", "%d thresholds for nlist=%d lists of nbit=%d", len(trained), sh.ix.nlist, sh.Nbit)
	}
	sh.VT, sh.Period, sh.ThresholdType, sh.Trained, sh.ready = vt, period, thresholdType, trained, isTrained
	return nil
}

// SetThresholdType changes the thresholds' kind; they are trained again
// at the next train.
func (sh *IVFSpectralHash) SetThresholdType(t int) error {
	if t < ThreshGlobal || t > ThreshMedian {
		return Errorf(KindInvalidArgument, "IndexIVFSpectralHash.threshold_type", "must be 0..3 (Thresh_global, _centroid, _centroid_half, _median), got %d", t)
	}
	if t != sh.ThresholdType {
		sh.ThresholdType, sh.ready = t, t == ThreshGlobal && sh.VT.IsTrained()
	}
	return nil
}

// thresholds returns list's thresholds (zeros for global ones).
func (sh *IVFSpectralHash) thresholds(list int, zero []float32) []float32 {
	if sh.ThresholdType == ThreshGlobal {
		return zero
	}
	return sh.Trained[list*sh.Nbit : (list+1)*sh.Nbit]
}

// binarize is faiss's binarize_with_freq: bit i is the parity of
// floor((x_i - c_i) * freq).
func binarize(x, c []float32, freq float32, code []byte) {
	clear(code)
	for i, v := range x {
		p := int64(math.Floor(float64((v - c[i]) * freq)))
		code[i>>3] |= byte(p&1) << (i & 7)
	}
}

func (sh *IVFSpectralHash) freq() float32 { return float32(2.0 / float64(sh.Period)) }

// train is faiss's train_encoder: the transform when untrained, then the
// thresholds.
func (sh *IVFSpectralHash) train(x []float32) error {
	const op = "IndexIVFSpectralHash.train"
	ix, nb := sh.ix, sh.Nbit
	if !sh.VT.IsTrained() {
		if err := sh.VT.Train(x); err != nil {
			return err
		}
	}
	switch sh.ThresholdType {
	case ThreshGlobal:
	case ThreshCentroid, ThreshCentroidHalf:
		cents, err := ix.centroids()
		if err != nil {
			return err
		}
		t := make([]float32, ix.nlist*nb)
		if err := sh.VT.Apply(cents, t); err != nil {
			return err
		}
		if sh.ThresholdType == ThreshCentroidHalf {
			for i := range t {
				t[i] -= 0.25 * sh.Period
			}
		}
		sh.Trained = t
	default:
		n := len(x) / ix.d
		assign := make([]int64, n)
		if err := assignOne(ix.quantizer, x, assign); err != nil {
			return err
		}
		xt := make([]float32, n*nb)
		if err := sh.VT.Apply(x, xt); err != nil {
			return err
		}
		rows := make([][]int, ix.nlist)
		for i, l := range assign {
			if l < 0 {
				return Errorf(KindInvalidArgument, op, "training vector %d has no nearest list (NaN values?)", i)
			}
			rows[l] = append(rows[l], i)
		}
		t := make([]float32, max(n, ix.nlist)*nb)
		vals := make([]float32, 0, n)
		for l, members := range rows {
			for j := 0; j < nb && len(members) > 0; j++ {
				vals = vals[:0]
				for _, i := range members {
					vals = append(vals, xt[i*nb+j])
				}
				t[l*nb+j] = median(vals)
			}
		}
		sh.Trained = t
	}
	sh.ready = true
	return nil
}

// median is faiss's: the middle value, or the mean of the two middle ones.
func median(v []float32) float32 {
	sort.Slice(v, func(a, b int) bool { return v[a] < v[b] })
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// encode writes the codes of x, rows assigned to lists.
func (sh *IVFSpectralHash) encode(x []float32, assign []int64, codes []byte) error {
	nb, cs := sh.Nbit, (sh.Nbit+7)/8
	xt := make([]float32, len(assign)*nb)
	if err := sh.VT.Apply(x, xt); err != nil {
		return err
	}
	zero, freq := make([]float32, nb), sh.freq()
	for i, l := range assign {
		code := codes[i*cs : (i+1)*cs]
		if l < 0 {
			clear(code)
			continue
		}
		binarize(xt[i*nb:(i+1)*nb], sh.thresholds(int(l), zero), freq, code)
	}
	return nil
}

// shCodec is the IVF codec of a spectral hash: the encoding and scanning
// go through IVFSpectralHash (they need the list); codes do not decode.
type shCodec struct{ sh *IVFSpectralHash }

func (c shCodec) codeSize() int { return (c.sh.Nbit + 7) / 8 }
func (c shCodec) IsTrained() bool {
	return c.sh.ready && c.sh.VT.IsTrained()
}
func (c shCodec) Train(x []float32) error { return c.sh.train(x) }

func (c shCodec) ComputeCodes(x []float32, codes []byte) error {
	return Errorf(KindUnsupported, "IndexIVFSpectralHash.encode", "codes depend on the list: encode through the index")
}

func (c shCodec) Decode(codes []byte, x []float32) error {
	return Errorf(KindUnsupported, "IndexIVFSpectralHash.reconstruct", "spectral-hash codes cannot be decoded")
}

func (c shCodec) newScanner(Metric) codeScanner {
	nb := c.sh.Nbit
	return &shScanner{sh: c.sh, q: make([]float32, nb), zero: make([]float32, nb), code: make([]byte, (nb+7)/8), list: -1}
}

// shScanner holds the query through the transform and its code for the
// list being scanned.
type shScanner struct {
	sh   *IVFSpectralHash
	q    []float32
	zero []float32
	code []byte
	list int // the list code is for (-1: none yet)
}

func (s *shScanner) setQuery(xq []float32) {
	_ = s.sh.VT.Apply(xq, s.q) // a trained transform of the index's d: cannot fail
	s.list = -1
}

// setList makes the query's code against list's thresholds.
func (s *shScanner) setList(list int) {
	if s.list == list || (s.list >= 0 && s.sh.ThresholdType == ThreshGlobal) {
		return
	}
	binarize(s.q, s.sh.thresholds(list, s.zero), s.sh.freq(), s.code)
	s.list = list
}

// scan writes the Hamming distances of the codes to the query's code.
func (s *shScanner) scan(codes []byte, bias float32, out []float32) {
	cs := len(s.code)
	for i := range out {
		c := codes[i*cs : (i+1)*cs]
		h := 0
		for j, b := range c {
			h += bits.OnesCount8(b ^ s.code[j])
		}
		out[i] = bias + float32(h)
	}
}

// searchSpectralHash is faiss's scan for Hamming codes: each query's lists
// in probe order, a code entering the heap only when strictly nearer than
// its worst (distances tie constantly: the first codes met stay), so that
// the results are faiss's, ties included.
func (pr *ivfProbe) searchSpectralHash(nq, k int, dist []float32, labels []int64) {
	defer pr.record()
	parallelChunks(nq, chunkFor(pr.nprobe*max(1, int(pr.ix.ntotal)/pr.ix.nlist)*4), func(_, lo, hi int) {
		w := pr.newWorker()
		h := newTopK(k)
		for q := lo; q < hi; q++ {
			h.reset()
			for r := 0; r < pr.nprobe; r++ {
				list := pr.coarse[q*pr.nprobe+r]
				if list < 0 || pr.ix.viewSize(int(list)) == 0 {
					continue
				}
				row, l := pr.distances(w, q, r)
				for c, v := range row {
					if v < h.dist[0] && (pr.sel == nil || pr.sel.IsMember(l.ids[c])) {
						h.replaceRoot(v, l.ids[c])
					}
				}
			}
			h.emit(1, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
	})
}
