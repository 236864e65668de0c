package core

import (
	"encoding/binary"
	"fmt"
	"math"
	"sync"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// IndexIVF partitions the vectors into nlist inverted lists by their
// nearest centroid (held by a coarse quantizer, normally a flat index) and
// searches only the Nprobe lists closest to each query. The lists hold the
// vectors as they are (IndexIVFFlat) or codes of a product or scalar
// quantizer (IndexIVFPQ, IndexIVFScalarQuantizer), which by default code
// the residual x - centroid, as faiss does.
type IndexIVF struct {
	name      string // faiss's class name, for messages
	d         int
	metric    Metric
	arg       float32
	nlist     int
	quantizer Index
	// Nprobe is how many lists a search visits (faiss's default 1).
	Nprobe int
	// CP trains the quantizer: faiss's defaults for IVF (10 iterations,
	// spherical for inner product).
	CP ClusteringParameters
	// Log and Warn receive the clustering's progress and warnings.
	Log, Warn func(string)
	// ByResidual codes x - centroid instead of x (not for flat lists).
	ByResidual bool
	codec      codec // nil: flat lists of float32 vectors
	// IVFPQ's polysemous fields: DoPolysemousTraining renumbers the PQ
	// centroids after training; PolysemousHT > 0 skips the codes whose
	// Hamming distance to the query's (residual's) code reaches it (L2
	// only: under other metrics every code is scanned).
	DoPolysemousTraining bool
	Polysemous           PolysemousTraining
	PolysemousHT         int
	// dedup is set for an IndexIVFFlatDedup (see ivf_dedup.go).
	dedup *ivfDedup
	// progress receives train and add progress (nil: none); see SetProgress.
	progress *Progress
	// pqr is set for an IndexIVFPQR (see ivf_pqr.go).
	pqr *IVFPQR
	// sh is set for an IndexIVFSpectralHash (see ivf_spectral_hash.go).
	sh *IVFSpectralHash
	// QuantizerTrainsAlone is faiss's quantizer_trains_alone: 0 k-means
	// with the quantizer as the assignment index, 1 the quantizer's own
	// Train (it must then hold nlist centroids), 2 k-means on a flat L2
	// index whose centroids are added to the quantizer; -1 (the default)
	// picks 1 for self-training quantizers (additive coarse quantizers)
	// and 0 otherwise.
	QuantizerTrainsAlone int
	// UsePrecomputedTable < 0 turns IVFPQ's precomputed tables off (they
	// add the coarse distances, which an independent quantizer computes
	// in another space); faiss's field, 0 by default.
	UsePrecomputedTable int

	lists     invertedLists
	view      ListView // what searches see of the lists (ivf_list_view.go)
	ntotal    int64
	directMap directMap
	centCache []float32 // the quantizer's centroids, read once after training
	// pqTerms are faiss's precomputed tables for IVFPQ with L2 residuals:
	// |r_mj|^2 + 2 <c_l,m, r_mj> per list l, sub-space m, centroid j.
	pqTerms []float32
	// pqTermsMI are faiss's tables of mode 2 for a multi-index quantizer:
	// the same terms per sub-space centroid of each half (precompute_mi.go).
	pqTermsMI []float32
	// backing keeps alive what the lists and codec may point into (mapped
	// files: the index file and an on-disk lists file).
	backing []any
	onDisk  *OnDiskLists // the lists' own file (see ivf_ondisk.go)
	// onDiskDirty: the lists changed since the file was last written
	onDiskDirty bool
	onDiskMu    sync.Mutex // rewriting the file, which writing the index may do
	// fastScan is set for an IndexIVFPQFastScan (ivf_fastscan.go).
	fastScan *IVFFastScan
	// rabitq is set for an IndexIVFRaBitQ (ivf_rabitq.go).
	rabitq *IVFRaBitQ
	// pano is set for an IndexIVFFlatPanorama (ivf_panorama.go).
	pano *ivfPanorama
}

var (
	_ Index              = (*IndexIVF)(nil)
	_ ParamSearcher      = (*IndexIVF)(nil)
	_ ParamRangeSearcher = (*IndexIVF)(nil)
	_ IDRemover          = (*IndexIVF)(nil)
	_ Reconstructor      = (*IndexIVF)(nil)
)

// ivfClusteringParameters are the parameters faiss's IVF indexes train
// their quantizer with.
func ivfClusteringParameters(metric Metric) ClusteringParameters {
	p := DefaultClusteringParameters()
	p.Niter = 10
	p.Spherical = metric == MetricInnerProduct
	return p
}

func newIndexIVF(name string, quantizer Index, d, nlist int, metric Metric, c codec) (*IndexIVF, error) {
	switch {
	case quantizer == nil:
		return nil, Errorf(KindInvalidArgument, name, "a quantizer index is required")
	case d <= 0:
		return nil, Errorf(KindInvalidArgument, name, "d must be positive, got %d", d)
	case nlist <= 0:
		return nil, Errorf(KindInvalidArgument, name, "nlist must be positive, got %d", nlist)
	case quantizer.D() != d:
		return nil, Errorf(KindDimensionMismatch, name, "the quantizer has d=%d, the index d=%d", quantizer.D(), d)
	}
	if err := checkMetric(name, metric); err != nil {
		return nil, err
	}
	if c != nil && metric != MetricL2 && metric != MetricInnerProduct {
		return nil, Errorf(KindInvalidArgument, name, "metric %s is not supported: L2 or inner product", metric)
	}
	return &IndexIVF{
		name: name, d: d, metric: metric, nlist: nlist, quantizer: quantizer, Nprobe: 1,
		CP: ivfClusteringParameters(metric), lists: newInvertedLists(nlist, d), codec: c, ByResidual: c != nil,
		QuantizerTrainsAlone: -1,
	}, nil
}

// NewIndexIVFFlat makes an IVF index of vectors stored as they are.
func NewIndexIVFFlat(quantizer Index, d, nlist int, metric Metric) (*IndexIVF, error) {
	return newIndexIVF("IndexIVFFlat", quantizer, d, nlist, metric, nil)
}

// NewIndexIVFPQ makes an IVF index of product-quantizer codes (M
// sub-quantizers of nbits bits) of the residuals.
func NewIndexIVFPQ(quantizer Index, d, nlist, m, nbits int, metric Metric) (*IndexIVF, error) {
	pq, err := NewProductQuantizer(d, m, nbits)
	if err != nil {
		return nil, err
	}
	ix, err := newIndexIVF("IndexIVFPQ", quantizer, d, nlist, metric, pq)
	if err == nil {
		ix.Polysemous = DefaultPolysemousTraining()
	}
	return ix, err
}

// NewIndexIVFScalarQuantizer makes an IVF index of scalar-quantizer codes,
// of the residuals when encodeResidual is set (faiss's default).
func NewIndexIVFScalarQuantizer(quantizer Index, d, nlist int, t QuantizerType, metric Metric, encodeResidual bool) (*IndexIVF, error) {
	sq, err := NewScalarQuantizer(d, t)
	if err != nil {
		return nil, err
	}
	ix, err := newIndexIVF("IndexIVFScalarQuantizer", quantizer, d, nlist, metric, sq)
	if err == nil {
		// faiss codes QT_0bit and the full TurboQuant types without residuals.
		ix.ByResidual = encodeResidual && t != QT0bit && !t.tqFull()
	}
	return ix, err
}

func (ix *IndexIVF) D() int                   { return ix.d }
func (ix *IndexIVF) Ntotal() int64            { return ix.ntotal }
func (ix *IndexIVF) Metric() Metric           { return ix.metric }
func (ix *IndexIVF) MetricArg() float32       { return ix.arg }
func (ix *IndexIVF) SetMetricArg(arg float32) { ix.arg = arg }
func (ix *IndexIVF) Nlist() int               { return ix.nlist }
func (ix *IndexIVF) Quantizer() Index         { return ix.quantizer }
func (ix *IndexIVF) Name() string             { return ix.name }

// PQ is the product quantizer of an IndexIVFPQ (nil otherwise).
func (ix *IndexIVF) PQ() *ProductQuantizer { pq, _ := ix.codec.(*ProductQuantizer); return pq }

// SQ is the scalar quantizer of an IndexIVFScalarQuantizer (nil otherwise).
func (ix *IndexIVF) SQ() *ScalarQuantizer { sq, _ := ix.codec.(*ScalarQuantizer); return sq }

// CodeSize is the bytes per stored vector (4*d for flat lists).
func (ix *IndexIVF) CodeSize() int {
	if ix.codec == nil {
		return 4 * ix.d
	}
	return ix.codec.codeSize()
}

// Coded reports whether the lists hold codes (not float vectors).
func (ix *IndexIVF) Coded() bool { return ix.codec != nil }

// IsTrained: the quantizer holds nlist centroids and the codec is trained.
func (ix *IndexIVF) IsTrained() bool {
	return ix.quantizer.IsTrained() && ix.quantizer.Ntotal() == int64(ix.nlist) &&
		(ix.codec == nil || ix.codec.IsTrained())
}

// ListSize is the number of vectors in list i.
func (ix *IndexIVF) ListSize(i int) (int, error) {
	if i < 0 || i >= ix.nlist {
		return 0, Errorf(KindInvalidArgument, ix.name+".get_list_size", "list %d is outside 0..%d", i, ix.nlist-1)
	}
	return ix.lists.size(i), nil
}

// CopyList writes list i's ids and codes (CodeSize bytes each, in the
// order added; flat lists give their float32 vectors' bytes, little-endian)
// into ids and codes, which must fit the list exactly.
func (ix *IndexIVF) CopyList(i int, ids []int64, codes []byte) error {
	n, err := ix.ListSize(i)
	if err != nil {
		return err
	}
	cs := ix.CodeSize()
	if len(ids) != n || len(codes) != n*cs {
		return Errorf(KindDimensionMismatch, ix.name+".invlists", "list %d holds %d entries of %d bytes, "+
			"buffers hold %d ids and %d bytes", i, n, cs, len(ids), len(codes))
	}
	l := &ix.lists.lists[i]
	copy(ids, l.ids)
	if ix.codec != nil {
		copy(codes, l.codes)
		return nil
	}
	for j, v := range l.vecs {
		binary.LittleEndian.PutUint32(codes[4*j:], math.Float32bits(v))
	}
	return nil
}

// ImbalanceFactor is 1 when the lists are equally full, larger otherwise.
func (ix *IndexIVF) ImbalanceFactor() float64 { return ix.lists.imbalanceFactor() }

// maxCodecTrainingPoints is how many vectors a codec is trained on at
// most, as in faiss (train_encoder_num_vectors): what a product
// quantizer's k-means would keep, and 100,000 for a scalar quantizer.
func (ix *IndexIVF) maxCodecTrainingPoints() int {
	if fs := ix.fastScan; fs != nil && fs.aq != nil {
		if fs.aq.maxTrainPoints <= 0 {
			return 1 << 35 // faiss: no bound
		}
		return fs.aq.maxTrainPoints
	}
	if pq := ix.PQ(); pq != nil && ix.pqr != nil {
		return ix.pqr.trainingPoints(pq)
	}
	if ix.sh != nil {
		return 1 << 35 // faiss: no bound
	}
	if pq := ix.PQ(); pq != nil {
		return pq.CP.MaxPointsPerCentroid * pq.Ksub
	}
	if q := ix.AQ(); q != nil {
		aq := q.additive()
		if _, lsq := q.(*LocalSearchQuantizer); lsq {
			return 1024 * aq.M << aq.Nbits[0] // faiss: LSQ needs more data
		}
		return 1024 << aq.Nbits[0]
	}
	return 100000
}

// Train places the nlist centroids with k-means on x, unless the quantizer
// already holds them, then trains the codec on (the residuals of) x.
func (ix *IndexIVF) Train(x []float32) error {
	op := ix.name + ".train"
	n, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if ix.dedup != nil && !ix.IsTrained() { // faiss trains IVFFlatDedup on the distinct vectors
		x = dedupTraining(x, ix.d)
		n = len(x) / ix.d
		if ix.Log != nil {
			ix.Log(fmt.Sprintf("%s: train on %d points after dedup", op, n))
		}
	}
	if ix.IsTrained() {
		return nil
	}
	fresh, err := trainLevel1(op, ix.quantizer, ix.d, ix.nlist, ix.QuantizerTrainsAloneMode(), ix.CP, ix.Log, ix.Warn, ix.progress, x)
	ix.centCache = nil
	if err != nil {
		return err
	}
	pq := ix.PQ()
	switch {
	case pq != nil:
		ix.progress.Stage("train codec", int64(pq.M)) // one unit per sub-quantizer
	case ix.codec != nil:
		ix.progress.Stage("train codec", 1)
	}
	if err := ix.trainCodec(op, x); err != nil {
		if fresh {
			// Interrupted or failed: the quantizer this call filled is
			// emptied, so the index is as untrained as before.
			ix.quantizer.Reset()
		}
		return err
	}
	if ix.codec != nil && pq == nil {
		ix.progress.Advance(1)
	}
	return nil
}

// SetProgress implements ProgressReporter: train and add report their
// stages to p, and the clustering's verbose lines go to it.
func (ix *IndexIVF) SetProgress(p *Progress) {
	ix.progress = p
	if p != nil {
		ix.Log = p.Line
	} else {
		ix.Log = nil
	}
}

// trainCodec trains the PQ or SQ codec (of residuals when ByResidual) on
// up to maxCodecTrainingPoints of x, once the quantizer holds nlist
// centroids.
func (ix *IndexIVF) trainCodec(op string, x []float32) error {
	if ix.codec == nil || ix.codec.IsTrained() {
		return nil
	}
	if pq := ix.PQ(); pq != nil && ix.DoPolysemousTraining {
		if err := ix.Polysemous.Check(pq); err != nil {
			return err
		}
	}
	// faiss's fvecs_maybe_subsample: the first points of a seeded
	// permutation.
	x, n := maybeSubsample(x, ix.d, ix.maxCodecTrainingPoints())
	var assign []int64
	if ix.ByResidual {
		assign = make([]int64, n)
		if err := assignOne(ix.quantizer, x, assign); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		res := make([]float32, len(x))
		if err := ix.residuals(x, assign, res); err != nil {
			return err
		}
		x = res
	}
	if pq := ix.PQ(); pq != nil {
		pq.Log, pq.Warn = ix.Log, ix.Warn
		defer pq.reportTo(ix.progress)()
		if ix.Log != nil {
			ix.Log(fmt.Sprintf("training %dx%d product quantizer on %d vectors in %dD", pq.M, pq.Ksub, n, ix.d))
		}
	}
	if err := ix.codec.Train(x); err != nil {
		return err
	}
	if ix.pqr != nil {
		if err := ix.pqr.train(ix.PQ(), x, ix.Log, ix.Warn); err != nil {
			return err
		}
	}
	if ix.fastScan != nil && ix.fastScan.aq != nil {
		return ix.trainAQNorms(x, assign)
	}
	if pq := ix.PQ(); pq != nil && ix.DoPolysemousTraining {
		if err := ix.Polysemous.Optimize(pq); err != nil {
			pq.trained = false // the codec's training is undone with the quantizer's
			return err
		}
	}
	return ix.precomputeTables()
}

// maxPrecomputedBytes caps the IVFPQ tables, as faiss's
// precomputed_table_max_bytes does (2 GiB).
const maxPrecomputedBytes = 1 << 31

// RefreshTables rebuilds what depends on the quantizer and the codec
// (after their parameters were set from outside).
func (ix *IndexIVF) RefreshTables() error {
	ix.centCache = nil
	return ix.precomputeTables()
}

// precomputeTables builds pqTerms for IVFPQ with L2 residuals, so that a
// query's table for a list is its own -2 <x_m, r_mj> (computed once per
// query) plus the list's terms, instead of a table of the residual query
// per list: faiss's use_precomputed_table.
func (ix *IndexIVF) precomputeTables() error {
	pq := ix.PQ()
	ix.pqTerms, ix.pqTermsMI = nil, nil
	if pq == nil || !ix.ByResidual || ix.metric != MetricL2 || !pq.IsTrained() || ix.UsePrecomputedTable < 0 {
		return nil
	}
	if ix.precomputeMultiIndex() || ix.nlist*pq.M*pq.Ksub*4 > maxPrecomputedBytes {
		return nil
	}
	c, err := ix.centroids()
	if err != nil {
		return nil // no centroids to read: searches build tables per list
	}
	ks, ds := pq.Ksub, pq.Dsub
	rnorms := make([]float32, pq.M*ks)
	kernels.Norms(pq.Centroids, ds, rnorms)
	terms := make([]float32, ix.nlist*pq.M*ks)
	parallelChunks(ix.nlist, chunkFor(pq.D*ks), func(_, lo, hi int) {
		for l := lo; l < hi; l++ {
			for m := 0; m < pq.M; m++ {
				t := terms[(l*pq.M+m)*ks : (l*pq.M+m+1)*ks]
				kernels.DotTile(c[l*ix.d+m*ds:l*ix.d+(m+1)*ds], 1, pq.sub(m), ks, ds, t, ks)
				for j := range t {
					t[j] = rnorms[m*ks+j] + 2*t[j]
				}
			}
		}
	})
	ix.pqTerms = terms
	return nil
}

// centroids returns the quantizer's centroids (for residuals). Calls that
// may change the index (train, add) keep them until the next training;
// searches, which may run concurrently, only read what is kept.
func (ix *IndexIVF) centroids() ([]float32, error) { return ix.readCentroids(true) }

func (ix *IndexIVF) readCentroids(keep bool) ([]float32, error) {
	if len(ix.centCache) == ix.nlist*ix.d {
		return ix.centCache, nil
	}
	r, ok := ix.quantizer.(Reconstructor)
	if !ok {
		return nil, Errorf(KindUnsupported, ix.name, "coding residuals needs a quantizer that can reconstruct its centroids, not %T", ix.quantizer)
	}
	c := make([]float32, ix.nlist*ix.d)
	if err := r.ReconstructN(0, int64(ix.nlist), c); err != nil {
		return nil, err
	}
	if keep {
		ix.centCache = c
	}
	return c, nil
}

// residuals writes x - centroid(assign) into out (rows without a list are
// copied as they are), rows in parallel.
func (ix *IndexIVF) residuals(x []float32, assign []int64, out []float32) error {
	c, err := ix.centroids()
	if err != nil {
		return err
	}
	d := ix.d
	parallelChunks(len(assign), chunkFor(d), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			xr, or := x[i*d:(i+1)*d], out[i*d:(i+1)*d]
			l := int(assign[i])
			if l < 0 {
				copy(or, xr)
				continue
			}
			cr := c[l*d : (l+1)*d]
			for j, v := range xr {
				or[j] = v - cr[j]
			}
		}
	})
	return nil
}

// encode writes the codes of the rows of x (of their residuals when
// ByResidual), a block of rows at a time so that the residuals need no
// copy of the whole batch.
func (ix *IndexIVF) encode(x []float32, assign []int64) ([]byte, error) {
	const block = 8192
	d, cs := ix.d, ix.codec.codeSize()
	codes := make([]byte, len(assign)*cs)
	var res []float32
	if ix.ByResidual {
		res = make([]float32, min(block, len(assign))*d)
	}
	for lo := 0; lo < len(assign); lo += block {
		hi := min(lo+block, len(assign))
		src := x[lo*d : hi*d]
		if ix.rabitq != nil {
			if err := ix.encodeRaBitQ(src, assign[lo:hi], codes[lo*cs:hi*cs]); err != nil {
				return nil, err
			}
			continue
		}
		if ix.sh != nil {
			if err := ix.sh.encode(src, assign[lo:hi], codes[lo*cs:hi*cs]); err != nil {
				return nil, err
			}
			continue
		}
		if ix.ByResidual {
			if err := ix.residuals(src, assign[lo:hi], res[:len(src)]); err != nil {
				return nil, err
			}
			src = res[:len(src)]
			if ix.fastScan != nil && ix.fastScan.aq != nil {
				if err := ix.encodeAQ(src, assign[lo:hi], codes[lo*cs:hi*cs]); err != nil {
					return nil, err
				}
				continue
			}
		}
		if err := ix.codec.ComputeCodes(src, codes[lo*cs:hi*cs]); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// Add appends the rows of x with ids ntotal, ntotal+1, ...
func (ix *IndexIVF) Add(x []float32) error { return ix.add(ix.name+".add", x, nil) }

// AddWithIDs appends the rows of x with the given ids.
func (ix *IndexIVF) AddWithIDs(x []float32, ids []int64) error {
	return ix.add(ix.name+".add_with_ids", x, ids)
}

// AddPreassigned adds x to the lists given in assign, one per vector (-1:
// counted, not stored), instead of the quantizer's nearest (faiss's
// add_core with precomputed assignments); ids nil numbers them on from
// ntotal.
func (ix *IndexIVF) AddPreassigned(x []float32, ids, assign []int64) error {
	op := ix.name + ".add_preassigned"
	if err := ix.checkAssign(op, x, assign, 1); err != nil {
		return err
	}
	return ix.addAssigned(op, x, ids, assign)
}

// checkAssign checks that assign holds per row of x perRow list numbers
// in [-1, nlist).
func (ix *IndexIVF) checkAssign(op string, x []float32, assign []int64, perRow int) error {
	n, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if len(assign) != n*perRow {
		return Errorf(KindDimensionMismatch, op, "%d list numbers for %d vectors (%d each)", len(assign), n, perRow)
	}
	for _, l := range assign {
		if l < -1 || l >= int64(ix.nlist) {
			return Errorf(KindInvalidArgument, op, "list number %d out of [-1, %d)", l, ix.nlist)
		}
	}
	return nil
}

func (ix *IndexIVF) add(op string, x []float32, ids []int64) error {
	return ix.addAssigned(op, x, ids, nil)
}

// addAssigned adds x to the lists given (nil: the quantizer's nearest).
func (ix *IndexIVF) addAssigned(op string, x []float32, ids, given []int64) error {
	n, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if ids != nil && len(ids) != n {
		return Errorf(KindDimensionMismatch, op, "%d ids for %d vectors", len(ids), n)
	}
	if !ix.IsTrained() {
		return Errorf(KindNotTrained, op, "train the index (or give it a quantizer holding nlist=%d centroids) before adding", ix.nlist)
	}
	if n == 0 {
		return nil
	}
	if !ix.hasTables() {
		_ = ix.precomputeTables() // codecs trained outside Train: build them now
	}
	if ids == nil && ix.directMap.kind == directMapHash {
		return Errorf(KindInvalidArgument, op, "a hashtable direct map needs explicit ids: use add_with_ids")
	}
	// Compute first, in blocks between which Ctrl-C may stop the add;
	// then commit, which cannot be interrupted.
	if ix.pqr != nil {
		if err := ix.pqr.checkIDs(op, ix.ntotal, ids); err != nil {
			return err
		}
	}
	ix.progress.Stage("add", int64(n))
	assign, codes, err := ix.assignAndEncode(op, x, given)
	if err != nil {
		return err
	}
	if ix.pqr != nil {
		if err := ix.pqr.add(ix, x, assign, codes); err != nil {
			return err
		}
	}
	ix.listsChanged()
	cs := ix.CodeSize()
	if codes == nil {
		ix.lists.reserve(assign, 0)
	} else {
		ix.lists.reserve(assign, cs)
	}
	for i, list := range assign {
		id := ix.ntotal + int64(i)
		if ids != nil {
			id = ids[i]
		}
		if list < 0 { // no centroid (NaN row): counted, not stored, as faiss does
			continue
		}
		if ix.dedup != nil {
			if stored, ok := ix.storedTwin(int(list), x[i*ix.d:(i+1)*ix.d]); ok {
				ix.dedup.instances[stored] = append(ix.dedup.instances[stored], id)
				continue
			}
		}
		var off int
		if codes == nil {
			off = ix.lists.add(int(list), id, x[i*ix.d:(i+1)*ix.d])
		} else {
			off = ix.lists.addCode(int(list), id, codes[i*cs:(i+1)*cs])
		}
		ix.directMap.record(id, int(list), off)
	}
	ix.ntotal += int64(n)
	if ix.fastScan != nil {
		ix.packedLists() // packed as added, as faiss's lists are
	}
	ix.progress.Logf("%s::add_core: added %d / %d vectors", ix.name, n, n)
	return nil
}

// assignAndEncode returns the lists of the rows of x (given, or the
// quantizer's nearest) and their codes (nil for flat lists), computed in
// blocks between which Ctrl-C may stop the call.
func (ix *IndexIVF) assignAndEncode(op string, x []float32, given []int64) ([]int64, []byte, error) {
	n := len(x) / ix.d
	assign := make([]int64, n)
	var codes []byte
	if ix.codec != nil {
		codes = make([]byte, n*ix.codec.codeSize())
	}
	err := inInterruptibleBlocks(op, n, func(lo, hi int) error {
		xs := x[lo*ix.d : hi*ix.d]
		if given != nil {
			copy(assign[lo:hi], given[lo:hi])
		} else if err := assignOne(ix.quantizer, xs, assign[lo:hi]); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		defer ix.progress.Advance(int64(hi - lo))
		if ix.codec == nil {
			return nil
		}
		block, err := ix.encode(xs, assign[lo:hi])
		copy(codes[lo*ix.codec.codeSize():], block)
		return err
	})
	return assign, codes, err
}

// assignOne writes the nearest quantizer entry of each row of x.
func assignOne(q Index, x []float32, labels []int64) error {
	if a, ok := q.(Assigner); ok {
		return a.Assign(x, 1, labels)
	}
	return q.Search(x, 1, make([]float32, len(labels)), labels)
}

// Reset removes every vector; the quantizer and codec stay trained.
func (ix *IndexIVF) Reset() {
	ix.listsChanged()
	ix.lists.reset()
	ix.ntotal = 0
	ix.directMap.clear()
	if ix.dedup != nil {
		ix.dedup.instances = map[int64][]int64{}
	}
	if ix.pqr != nil {
		ix.pqr.codes, ix.pqr.where = nil, nil
	}
}

// RemoveIDs deletes the selected vectors (ids are kept by the others) and
// returns how many went. Like faiss, not with an array direct map.
func (ix *IndexIVF) RemoveIDs(sel IDSelector) (int64, error) {
	if ix.pqr != nil { // its refine codes are found by id
		return 0, Errorf(KindUnsupported, ix.name+".remove_ids", "not implemented (as in faiss)")
	}
	if ix.dedup != nil {
		return ix.removeDedup(sel), nil
	}
	if ix.directMap.kind == directMapArray {
		return 0, Errorf(KindUnsupported, ix.name+".remove_ids",
			"not supported with an array direct map; use set_direct_map_type(DirectMap.Hashtable)")
	}
	n := ix.lists.removeIf(sel, ix.CodeSize())
	if n > 0 {
		ix.listsChanged()
	}
	ix.ntotal -= n
	if ix.directMap.kind == directMapHash {
		ix.directMap.rebuild(&ix.lists)
	}
	return n, nil
}

// decodeEntry writes the vector at offset off of list into out.
func (ix *IndexIVF) decodeEntry(list, off int, out []float32) error {
	l := &ix.lists.lists[list]
	if ix.codec == nil {
		copy(out, l.vecs[off*ix.d:(off+1)*ix.d])
		return nil
	}
	cs := ix.codec.codeSize()
	if err := ix.codec.Decode(l.codes[off*cs:(off+1)*cs], out); err != nil {
		return err
	}
	if ix.ByResidual {
		c, err := ix.readCentroids(false)
		if err != nil {
			return err
		}
		for j := range out {
			out[j] += c[list*ix.d+j]
		}
	}
	return nil
}

// Members implements Composite.
func (ix *IndexIVF) Members() []Index { return []Index{ix.quantizer} }

// IVFList returns list l of an IVF index: its ids, and its vectors (flat
// lists) or codes.
func (ix *IndexIVF) IVFList(l int) (ids []int64, vecs []float32, codes []byte) {
	lst := &ix.lists.lists[l]
	return lst.ids, lst.vecs, lst.codes
}

// DirectMapEntry returns where the vector of id lies, if the index keeps
// a direct map that knows it.
func (ix *IndexIVF) DirectMapEntry(id int64) (list, offset int, ok bool) {
	p, ok := ix.directMap.pos[id]
	return p.list, p.offset, ok
}

// RestoreIVF fills a new, empty IVF index (whose quantizer holds its
// centroids) with stored lists: for each list its ids and its vectors
// (flat) or codes, then rebuilds the direct map of the given type. The
// codec is restored first with RestorePQ / RestoreSQ.
func (ix *IndexIVF) RestoreIVF(nprobe int, byResidual bool, ids [][]int64, vecs [][]float32, codes [][]byte, directMapType int) error {
	const op = "IndexIVF"
	if len(ids) != ix.nlist {
		return Errorf(KindDimensionMismatch, op, "%d lists for nlist=%d", len(ids), ix.nlist)
	}
	if nprobe < 1 {
		return Errorf(KindInvalidArgument, op, "nprobe must be positive, got %d", nprobe)
	}
	if ix.codec == nil && byResidual {
		return Errorf(KindInvalidArgument, op, "flat lists are never coded by residual")
	}
	var total int64
	for l := range ids {
		n := len(ids[l])
		switch {
		case ix.codec == nil && len(vecs[l]) != n*ix.d:
			return Errorf(KindDimensionMismatch, op, "list %d: %d floats for %d vectors of d=%d", l, len(vecs[l]), n, ix.d)
		case ix.codec != nil && len(codes[l]) != n*ix.codec.codeSize():
			return Errorf(KindDimensionMismatch, op, "list %d: %d code bytes for %d codes of %d bytes", l, len(codes[l]), n, ix.codec.codeSize())
		}
		total += int64(n)
	}
	ix.Nprobe, ix.ByResidual = nprobe, byResidual
	for l := range ids {
		if ix.codec == nil {
			ix.lists.setFlat(l, ids[l], vecs[l])
		} else {
			lst := &ix.lists.lists[l]
			lst.ids, lst.codes = ids[l], codes[l]
			lst.gen++
		}
	}
	ix.ntotal = total
	ix.centCache = nil
	ix.pqTerms, ix.pqTermsMI = nil, nil
	if ix.IsTrained() {
		_ = ix.precomputeTables()
	}
	if err := ix.SetDirectMapType(directMapType); err != nil {
		ix.Reset()
		return err
	}
	return nil
}

// KeepAlive ties b's life to the index (a mapped file its lists or codec
// use); each call adds one.
func (ix *IndexIVF) KeepAlive(b any) {
	if b != nil {
		ix.backing = append(ix.backing, b)
	}
}

// SetQuantizer replaces the coarse quantizer (faiss scripts assign
// index.quantizer: contrib's replace_ivf_quantizer, ivflib's sharding).
// The lists stay as they are: re-adding the vectors is the caller's task.
func (ix *IndexIVF) SetQuantizer(q Index) error {
	if q == nil || q.D() != ix.d {
		return Errorf(KindDimensionMismatch, ix.name+".quantizer", "the quantizer must have d=%d", ix.d)
	}
	ix.quantizer = q
	return ix.RefreshTables()
}

// SetMetric changes the metric of an empty index (faiss scripts set
// index.metric_type after construction); the quantizer and the clustering
// parameters keep theirs, as in faiss.
func (ix *IndexIVF) SetMetric(m Metric) error {
	op := ix.name + ".metric_type"
	if ix.ntotal != 0 {
		return Errorf(KindInvalidArgument, op, "the index holds %d vectors: set the metric before adding", ix.ntotal)
	}
	if err := checkMetric(op, m); err != nil {
		return err
	}
	if ix.codec != nil && m != MetricL2 && m != MetricInnerProduct {
		return Errorf(KindInvalidArgument, op, "metric %s is not supported: L2 or inner product", m)
	}
	ix.metric = m
	return ix.RefreshTables()
}
