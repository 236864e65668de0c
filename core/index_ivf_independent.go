package core

// IndexIVFIndependentQuantizer assigns vectors to lists with a quantizer
// of its own, in the input space, while an IVF index stores them after an
// optional transform (faiss's IndexIVFIndependentQuantizer): the IVF
// index's own quantizer holds the transformed centroids, for its
// residuals, and searches scan the lists the independent quantizer picks.
type IndexIVFIndependentQuantizer struct {
	quantizer Index
	vt        VectorTransform // nil: none, the IVF index takes the vectors as they are
	ivf       *IndexIVF
}

var _ Index = (*IndexIVFIndependentQuantizer)(nil)

// NewIndexIVFIndependentQuantizer puts quantizer (of the input dimension)
// in front of ivf; vt, when not nil, maps the input dimension to ivf's.
// IVFPQ's precomputed tables are turned off, as in faiss.
func NewIndexIVFIndependentQuantizer(quantizer Index, ivf *IndexIVF, vt VectorTransform) (*IndexIVFIndependentQuantizer, error) {
	const op = "IndexIVFIndependentQuantizer"
	if quantizer == nil || ivf == nil {
		return nil, Errorf(KindInvalidArgument, op, "a quantizer and an IVF index are required")
	}
	d := quantizer.D()
	if vt != nil && (vt.DIn() != d || vt.DOut() != ivf.D()) || vt == nil && ivf.D() != d {
		return nil, Errorf(KindDimensionMismatch, op, "invalid vector dimensions: quantizer d=%d, IVF d=%d", d, ivf.D())
	}
	if quantizer.IsTrained() && quantizer.Ntotal() != 0 && quantizer.Ntotal() != int64(ivf.nlist) {
		return nil, Errorf(KindInvalidArgument, op, "the quantizer holds %d centroids, the IVF index has nlist=%d", quantizer.Ntotal(), ivf.nlist)
	}
	if ivf.IsTrained() && vt != nil && !vt.IsTrained() {
		return nil, Errorf(KindNotTrained, op, "the IVF index is trained but the transform is not")
	}
	if Contains(quantizer, ivf) || Contains(ivf, quantizer) {
		return nil, Errorf(KindInvalidArgument, op, "the quantizer and the IVF index must be distinct")
	}
	ivf.UsePrecomputedTable = -1
	ivf.pqTerms, ivf.pqTermsMI = nil, nil
	return &IndexIVFIndependentQuantizer{quantizer: quantizer, vt: vt, ivf: ivf}, nil
}

func (ix *IndexIVFIndependentQuantizer) D() int             { return ix.quantizer.D() }
func (ix *IndexIVFIndependentQuantizer) Ntotal() int64      { return ix.ivf.Ntotal() }
func (ix *IndexIVFIndependentQuantizer) Metric() Metric     { return ix.ivf.Metric() }
func (ix *IndexIVFIndependentQuantizer) MetricArg() float32 { return ix.ivf.MetricArg() }
func (ix *IndexIVFIndependentQuantizer) Reset()             { ix.ivf.Reset() }
func (ix *IndexIVFIndependentQuantizer) Name() string       { return "IndexIVFIndependentQuantizer" }

// Quantizer, IVF and Transform are the parts (Transform nil when none).
func (ix *IndexIVFIndependentQuantizer) Quantizer() Index           { return ix.quantizer }
func (ix *IndexIVFIndependentQuantizer) IVF() *IndexIVF             { return ix.ivf }
func (ix *IndexIVFIndependentQuantizer) Transform() VectorTransform { return ix.vt }

// Members implements Composite.
func (ix *IndexIVFIndependentQuantizer) Members() []Index { return []Index{ix.quantizer, ix.ivf} }

// IsTrained: the quantizer holds nlist centroids and the transform and the
// IVF index are trained.
func (ix *IndexIVFIndependentQuantizer) IsTrained() bool {
	return ix.quantizer.IsTrained() && ix.quantizer.Ntotal() == int64(ix.ivf.nlist) &&
		(ix.vt == nil || ix.vt.IsTrained()) && ix.ivf.IsTrained()
}

// transform applies vt (when set) to the rows of x.
func (ix *IndexIVFIndependentQuantizer) transform(x []float32) ([]float32, error) {
	if ix.vt == nil {
		return x, nil
	}
	out := make([]float32, len(x)/ix.vt.DIn()*ix.vt.DOut())
	return out, ix.vt.Apply(x, out)
}

// Train places the quantizer's centroids (k-means with the IVF index's
// parameters, unless it holds nlist), trains the transform, gives the IVF
// index's quantizer the transformed centroids and trains the IVF index's
// codes on (the residuals of) a sample, assigned by the quantizer.
func (ix *IndexIVFIndependentQuantizer) Train(x []float32) error {
	const op = "IndexIVFIndependentQuantizer.train"
	n, err := checkBatch(op, x, ix.D())
	if err != nil {
		return err
	}
	nlist := ix.ivf.nlist
	rec, ok := ix.quantizer.(Reconstructor)
	if !ok {
		return Errorf(KindUnsupported, op, "the quantizer %T cannot give its centroids back", ix.quantizer)
	}
	if !(ix.quantizer.IsTrained() && ix.quantizer.Ntotal() == int64(nlist)) {
		if n < nlist {
			return Errorf(KindInvalidArgument, op, "%d training points for nlist=%d lists: need at least one per list", n, nlist)
		}
		c, err := NewClustering(ix.D(), nlist, ix.ivf.CP)
		if err != nil {
			return err
		}
		c.Log, c.Warn = ix.ivf.Log, ix.ivf.Warn
		ix.quantizer.Reset()
		if err := c.Train(x, ix.quantizer, nil); err != nil {
			ix.quantizer.Reset()
			return err
		}
	}
	if ix.vt != nil && !ix.vt.IsTrained() {
		if err := ix.vt.Train(x); err != nil {
			return err
		}
	}
	cent := make([]float32, nlist*ix.D())
	if err := rec.ReconstructN(0, int64(nlist), cent); err != nil {
		return err
	}
	tcent, err := ix.transform(cent)
	if err != nil {
		return err
	}
	iq := ix.ivf.quantizer
	if !iq.IsTrained() {
		if err := iq.Train(tcent); err != nil {
			return err
		}
	}
	iq.Reset()
	ix.ivf.centCache = nil
	if err := iq.Add(tcent); err != nil {
		return err
	}
	return ix.trainEncoder(op, x)
}

// trainEncoder trains the IVF index's codec on a sample of x, transformed,
// as residuals to the centroid the quantizer assigns when ByResidual.
func (ix *IndexIVFIndependentQuantizer) trainEncoder(op string, x []float32) error {
	ivf := ix.ivf
	if ivf.codec == nil || ivf.codec.IsTrained() {
		return nil
	}
	x, n := maybeSubsample(x, ix.D(), ivf.maxCodecTrainingPoints())
	tx, err := ix.transform(x)
	if err != nil {
		return err
	}
	if ivf.ByResidual {
		assign := make([]int64, n)
		if err := assignOne(ix.quantizer, x, assign); err != nil {
			return err
		}
		res := make([]float32, len(tx))
		if err := ivf.residuals(tx, assign, res); err != nil {
			return err
		}
		tx = res
	}
	return ivf.codec.Train(tx)
}

// Add assigns x with the quantizer and adds it, transformed, to those
// lists.
func (ix *IndexIVFIndependentQuantizer) Add(x []float32) error {
	const op = "IndexIVFIndependentQuantizer.add"
	n, err := checkBatch(op, x, ix.D())
	if err != nil {
		return err
	}
	if !ix.IsTrained() {
		return Errorf(KindNotTrained, op, "train the index before adding")
	}
	assign := make([]int64, n)
	if err := assignOne(ix.quantizer, x, assign); err != nil {
		return err
	}
	tx, err := ix.transform(x)
	if err != nil {
		return err
	}
	return ix.ivf.AddPreassigned(tx, nil, assign)
}

// Search probes the quantizer's Nprobe (the IVF index's) nearest lists
// with the transformed queries.
func (ix *IndexIVFIndependentQuantizer) Search(x []float32, k int, dist []float32, labels []int64) error {
	const op = "IndexIVFIndependentQuantizer.search"
	nq, err := checkBatch(op, x, ix.D())
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	if !ix.IsTrained() {
		return Errorf(KindNotTrained, op, "train the index before searching")
	}
	nprobe := min(ix.ivf.Nprobe, ix.ivf.nlist)
	coarse, coarseDis := make([]int64, nq*nprobe), make([]float32, nq*nprobe)
	if nq > 0 {
		if err := ix.quantizer.Search(x, nprobe, coarseDis, coarse); err != nil {
			return err
		}
	}
	tx, err := ix.transform(x)
	if err != nil {
		return err
	}
	return ix.ivf.SearchPreassigned(tx, k, coarse, coarseDis, nprobe, dist, labels, nil)
}
