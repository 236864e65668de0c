package core

// ProductAdditiveQuantizer cuts vectors into Subs' dimension ranges and
// codes each range with its own additive quantizer (faiss's
// ProductResidualQuantizer and ProductLocalSearchQuantizer): a code is
// the sub-codes' indices one after another, then the norm of the whole
// reconstruction that SearchType stores. Codebooks holds the
// sub-quantizers' codebooks one after another, each as wide as its range.
type ProductAdditiveQuantizer struct {
	AdditiveQuantizer
	Subs []productSub
}

// productSub is a sub-quantizer of a product: trained on its range, it
// codes without norms (STDecompress).
type productSub interface {
	Additive
	// withCodebooks is a trained shallow copy coding with cb.
	withCodebooks(cb []float32) productSub
}

func (rq *ResidualQuantizer) withCodebooks(cb []float32) productSub {
	c := *rq
	c.Codebooks, c.trained, c.entryNorms, c.cross = cb, true, nil, nil
	return &c
}

// NewProductResidualQuantizer makes nsplits residual quantizers of msub
// codebooks of nbits bits, each for d/nsplits dimensions.
func NewProductResidualQuantizer(d, nsplits, msub, nbits int, st AQSearchType) (*ProductAdditiveQuantizer, error) {
	const op = "ProductResidualQuantizer"
	if err := checkSplits(op, d, nsplits, msub); err != nil {
		return nil, err
	}
	subs := make([]productSub, nsplits)
	for i := range subs {
		rq, err := NewResidualQuantizer(d/nsplits, repeatBits(msub, nbits), STDecompress)
		if err != nil {
			return nil, err
		}
		subs[i] = rq
	}
	return newProductAdditive(op, d, subs, st)
}

func checkSplits(op string, d, nsplits, msub int) error {
	switch {
	case nsplits < 1:
		return Errorf(KindInvalidArgument, op, "nsplits must be positive, got %d", nsplits)
	case msub < 1:
		return Errorf(KindInvalidArgument, op, "Msub must be positive, got %d", msub)
	case d%nsplits != 0:
		return Errorf(KindInvalidArgument, op, "d=%d is not a multiple of nsplits=%d", d, nsplits)
	}
	return nil
}

func repeatBits(m, nbits int) []int {
	out := make([]int, m)
	for i := range out {
		out[i] = nbits
	}
	return out
}

// newProductAdditive lays out the product of subs (dimension ranges one
// after another) for vectors of dimension d.
func newProductAdditive(op string, d int, subs []productSub, st AQSearchType) (*ProductAdditiveQuantizer, error) {
	var nbits []int
	dsum := 0
	for _, s := range subs {
		nbits = append(nbits, s.additive().Nbits...)
		dsum += s.additive().D
	}
	if dsum != d {
		return nil, Errorf(KindDimensionMismatch, op, "the sub-quantizers cover %d dimensions, not d=%d", dsum, d)
	}
	aq, err := newAdditiveQuantizer(op, d, nbits, st)
	if err != nil {
		return nil, err
	}
	m0, d0, start := 0, 0, 0
	for _, s := range subs {
		sa := s.additive()
		sp := aqSplit{m0: m0, m1: m0 + sa.M, d0: d0, d1: d0 + sa.D, start: start}
		aq.splits = append(aq.splits, sp)
		start += (aq.offsets[sp.m1] - aq.offsets[sp.m0]) * sa.D
		m0, d0 = sp.m1, sp.d1
	}
	return &ProductAdditiveQuantizer{AdditiveQuantizer: aq, Subs: subs}, nil
}

// Nsplits is the number of sub-quantizers.
func (p *ProductAdditiveQuantizer) Nsplits() int { return len(p.Subs) }

// columns copies dimensions [d0, d1) of the rows of x.
func columns(x []float32, d, d0, d1 int) []float32 {
	n, w := len(x)/d, d1-d0
	out := make([]float32, n*w)
	for i := 0; i < n; i++ {
		copy(out[i*w:(i+1)*w], x[i*d+d0:i*d+d1])
	}
	return out
}

// Train trains each sub-quantizer on its dimensions, then the norms of
// the reconstructions; a trained product stays as it is (as in faiss).
func (p *ProductAdditiveQuantizer) Train(x []float32) error {
	const op = "ProductAdditiveQuantizer.train"
	n, err := checkBatch(op, x, p.D)
	if err != nil {
		return err
	}
	if p.trained {
		return nil
	}
	if n == 0 {
		return Errorf(KindInvalidArgument, op, "no training vectors")
	}
	if err := checkFinite(op, x); err != nil {
		return err
	}
	trained := make([]productSub, len(p.Subs))
	cb := make([]float32, 0, p.codebookLen())
	for i, s := range p.Subs {
		sp := p.splits[i]
		// train a copy, so that a failure leaves every sub as it was
		fresh := s.withCodebooks(nil)
		fresh.additive().trained = false
		if err := fresh.Train(columns(x, p.D, sp.d0, sp.d1)); err != nil {
			return err
		}
		trained[i] = fresh
		cb = append(cb, fresh.additive().Codebooks...)
	}
	saved := p.AdditiveQuantizer
	p.Codebooks, p.trained, p.entryNorms, p.cross = cb, true, nil, nil
	if p.needsNorms() {
		codes := make([]byte, n*p.cbytes)
		norms, err := p.encode(x, codes)
		if err == nil {
			err = p.trainNorm(norms)
		}
		if err != nil {
			p.AdditiveQuantizer = saved
			return err
		}
	}
	p.Subs = trained
	return nil
}

// ComputeCodes codes each range with its sub-quantizer.
func (p *ProductAdditiveQuantizer) ComputeCodes(x []float32, codes []byte) error {
	const op = "ProductAdditiveQuantizer.compute_codes"
	if !p.trained {
		return Errorf(KindNotTrained, op, "the product additive quantizer is not trained yet")
	}
	n, err := checkBatch(op, x, p.D)
	if err != nil {
		return err
	}
	if len(codes) != n*p.cbytes {
		return Errorf(KindDimensionMismatch, op, "%d code bytes for %d codes of %d bytes", len(codes), n, p.cbytes)
	}
	_, err = p.encode(x, codes)
	return err
}

// encode packs the sub-codes of x with their norms (computed when stored)
// and returns the norms.
func (p *ProductAdditiveQuantizer) encode(x []float32, codes []byte) ([]float32, error) {
	n, d := len(x)/p.D, p.D
	idx := make([]int32, n*p.M)
	for i, s := range p.Subs {
		sp := p.splits[i]
		w := sp.d1 - sp.d0
		sub := s.withCodebooks(p.Codebooks[sp.start : sp.start+(p.offsets[sp.m1]-p.offsets[sp.m0])*w])
		sa := sub.additive()
		sc := make([]byte, n*sa.cbytes)
		if err := sub.ComputeCodes(columns(x, d, sp.d0, sp.d1), sc); err != nil {
			return nil, err
		}
		parallelChunks(n, chunkFor(sa.M), func(_, lo, hi int) {
			for j := lo; j < hi; j++ {
				sa.unpack(sc[j*sa.cbytes:(j+1)*sa.cbytes], idx[j*p.M+sp.m0:j*p.M+sp.m1])
			}
		})
	}
	var norms []float32
	if p.needsNorms() {
		norms = make([]float32, n)
		parallelChunks(n, chunkFor(p.M*d), func(_, lo, hi int) {
			rec := make([]float32, d)
			for j := lo; j < hi; j++ {
				p.decodeIndices(idx[j*p.M:(j+1)*p.M], rec)
				var s float32
				for _, v := range rec {
					s += v * v
				}
				norms[j] = s
			}
		})
	}
	p.packCodes(n, idx, p.M, norms, codes)
	return norms, nil
}

// NewIndexProductResidualQuantizer makes an IndexProductResidualQuantizer.
func NewIndexProductResidualQuantizer(d, nsplits, msub, nbits int, metric Metric, st AQSearchType) (*IndexAdditiveQuantizer, error) {
	q, err := NewProductResidualQuantizer(d, nsplits, msub, nbits, st)
	if err != nil {
		return nil, err
	}
	return NewIndexAdditiveQuantizer("IndexProductResidualQuantizer", q, metric)
}

// NewIndexIVFProductResidualQuantizer makes an
// IndexIVFProductResidualQuantizer.
func NewIndexIVFProductResidualQuantizer(quantizer Index, d, nlist, nsplits, msub, nbits int, metric Metric, st AQSearchType) (*IndexIVF, error) {
	q, err := NewProductResidualQuantizer(d, nsplits, msub, nbits, st)
	if err != nil {
		return nil, err
	}
	return NewIndexIVFAdditive("IndexIVFProductResidualQuantizer", quantizer, d, nlist, metric, q)
}

// RestoreProductAdditive makes the product of subs read from a file
// (each a residual or local-search quantizer).
func RestoreProductAdditive(name string, d int, subs []Additive, st AQSearchType) (*ProductAdditiveQuantizer, error) {
	ps := make([]productSub, len(subs))
	for i, q := range subs {
		s, ok := q.(productSub)
		if !ok {
			return nil, Errorf(KindInvalidArgument, name, "sub-quantizer %d (%T) cannot be part of a product", i, q)
		}
		ps[i] = s
	}
	return newProductAdditive(name, d, ps, st)
}
