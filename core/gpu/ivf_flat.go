package gpu

import (
	"sync"

	"github.com/metalfaiss/metalfaiss/core"
)

// IndexIVFFlat is faiss's GpuIndexIVFFlat: a core IVF-Flat index (the
// host copy, which trains, adds, edits lists, reconstructs, range-searches
// and is what index_gpu_to_cpu copies) whose coarse quantizer is a GPU
// flat index, so that training runs GPU k-means and adds assign on the
// device, and whose lists are mirrored on the device, where k-NN search
// runs. Searches the device cannot take (k above MaxK, metrics other than
// L2 and inner product, ID selectors or early-stop limits, list views)
// run on the host copy, as documented in python/metalfaiss/gpu.py.
type IndexIVFFlat struct {
	*core.IndexIVF
	e *Engine
	// mu guards the device copy: concurrent searches all sync it first.
	mu    sync.Mutex
	lists deviceLists
}

var _ core.Index = (*IndexIVFFlat)(nil)

// NewIndexIVFFlat makes an empty GPU IVF-Flat index with a GPU flat
// quantizer of nlist centroids.
func NewIndexIVFFlat(e *Engine, d, nlist int, metric core.Metric) (*IndexIVFFlat, error) {
	q, err := NewIndexFlat(e, d, metric)
	if err != nil {
		return nil, err
	}
	host, err := core.NewIndexIVFFlat(q, d, nlist, metric)
	if err != nil {
		return nil, err
	}
	return &IndexIVFFlat{IndexIVF: host, e: e, lists: deviceLists{e: e}}, nil
}

// NewIndexIVFFlatF16 is NewIndexIVFFlat with the lists stored as float16
// on the device and rounded so on the host (half_rows.go).
func NewIndexIVFFlatF16(e *Engine, d, nlist int, metric core.Metric) (*IndexIVFFlat, error) {
	ix, err := NewIndexIVFFlat(e, d, nlist, metric)
	if err != nil {
		return nil, err
	}
	ix.lists.half = true
	return ix, nil
}

// IVFFlatFromCPU copies a CPU IVF-Flat index to the device (faiss's
// index_cpu_to_gpu): the same centroids, lists, ids and nprobe; with half
// the lists are stored as float16 (the host copy's vectors rounded too).
func IVFFlatFromCPU(e *Engine, src *core.IndexIVF, half bool) (*IndexIVFFlat, error) {
	const op = "index_cpu_to_gpu"
	if src.Coded() || src.IsDedup() || src.OnDiskFile() != nil {
		return nil, core.Errorf(core.KindUnsupported, op, "only in-memory IVF-Flat indexes have a GPU version, not %s", src.Name())
	}
	newIVF := NewIndexIVFFlat
	if half {
		newIVF = NewIndexIVFFlatF16
	}
	ix, err := newIVF(e, src.D(), src.Nlist(), src.Metric())
	if err != nil {
		return nil, err
	}
	ix.SetMetricArg(src.MetricArg())
	if src.IsTrained() {
		cents := make([]float32, src.Nlist()*src.D())
		if err := src.Quantizer().(core.Reconstructor).ReconstructN(0, int64(src.Nlist()), cents); err != nil {
			return nil, err
		}
		if err := ix.Quantizer().Add(cents); err != nil {
			return nil, err
		}
	}
	if err := copyLists(src, ix.IndexIVF, half); err != nil {
		return nil, err
	}
	return ix, nil
}

// ToCPU copies the host side into a new CPU IVF-Flat index with a CPU
// flat quantizer (faiss's index_gpu_to_cpu).
func (ix *IndexIVFFlat) ToCPU() (*core.IndexIVF, error) {
	q, err := core.NewIndexFlat(ix.D(), ix.Metric())
	if err != nil {
		return nil, err
	}
	q.SetMetricArg(ix.MetricArg())
	if gq, ok := ix.Quantizer().(*IndexFlat); ok {
		if err := q.Add(gq.Vectors()); err != nil {
			return nil, err
		}
	}
	c, err := core.NewIndexIVFFlat(q, ix.D(), ix.Nlist(), ix.Metric())
	if err != nil {
		return nil, err
	}
	c.SetMetricArg(ix.MetricArg())
	if err := copyLists(ix.IndexIVF, c, false); err != nil {
		return nil, err
	}
	return c, nil
}

// copyLists gives dst (empty, with src's centroids) copies of src's
// lists, nprobe and direct map; half rounds the vectors to float16.
func copyLists(src, dst *core.IndexIVF, half bool) error {
	nlist := src.Nlist()
	ids, vecs := make([][]int64, nlist), make([][]float32, nlist)
	for l := range nlist {
		i, v, _ := src.IVFList(l)
		ids[l], vecs[l] = append([]int64(nil), i...), append([]float32(nil), v...)
		if half {
			vecs[l] = RoundToHalf(v)
		}
	}
	return dst.RestoreIVF(src.Nprobe, false, ids, vecs, nil, src.DirectMapType())
}

// Float16 reports whether the lists are stored as float16.
func (ix *IndexIVFFlat) Float16() bool { return ix.lists.half }

// Add implements core.Index; with float16 lists the host keeps the
// rounded values too.
func (ix *IndexIVFFlat) Add(x []float32) error {
	if ix.lists.half {
		x = RoundToHalf(x)
	}
	return ix.IndexIVF.Add(x)
}

// AddWithIDs is Add with the caller's ids.
func (ix *IndexIVFFlat) AddWithIDs(x []float32, ids []int64) error {
	if ix.lists.half {
		x = RoundToHalf(x)
	}
	return ix.IndexIVF.AddWithIDs(x, ids)
}

// Host returns the host copy.
func (ix *IndexIVFFlat) Host() *core.IndexIVF { return ix.IndexIVF }

// Name is the faiss class this type is read and written as.
func (ix *IndexIVFFlat) Name() string { return "GpuIndexIVFFlat" }

// Search implements core.Index.
func (ix *IndexIVFFlat) Search(x []float32, k int, dist []float32, labels []int64) error {
	return ix.SearchWithParams(x, k, dist, labels, nil)
}

// onDevice reports whether a search with k and p runs on the device.
func (ix *IndexIVFFlat) onDevice(k int, p *core.SearchParams) (Metric, bool) {
	var m Metric
	switch ix.Metric() {
	case core.MetricL2:
		m = L2
	case core.MetricInnerProduct:
		m = InnerProduct
	default:
		return 0, false
	}
	if k <= 0 || k > MaxK || !ix.IsTrained() || ix.ListView().Kind != core.ViewAll || ix.OnDiskFile() != nil {
		return 0, false
	}
	if p != nil && (p.Sel != nil || p.IVF != (core.IVFLimits{}) || p.Quantizer != nil) {
		return 0, false
	}
	return m, true
}

// SearchWithParams implements core.ParamSearcher: nprobe from p (or the
// index), the coarse search on the GPU quantizer, the lists' scan on the
// device.
func (ix *IndexIVFFlat) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *core.SearchParams) error {
	m, ok := ix.onDevice(k, p)
	if !ok {
		return ix.IndexIVF.SearchWithParams(x, k, dist, labels, p) // the CPU validates and answers
	}
	const op = "GpuIndexIVFFlat.search"
	d := ix.D()
	if len(x)%d != 0 {
		return core.Errorf(core.KindDimensionMismatch, op, "input of %d floats is not a multiple of d=%d", len(x), d)
	}
	nq := len(x) / d
	if len(dist) != nq*k || len(labels) != nq*k {
		return core.Errorf(core.KindDimensionMismatch, op, "outputs hold %d distances and %d labels, need %d (nq=%d, k=%d)",
			len(dist), len(labels), nq*k, nq, k)
	}
	nprobe := ix.Nprobe
	if p != nil && p.Nprobe != 0 { // as the CPU reads it
		nprobe = p.Nprobe
	}
	if nprobe < 1 {
		return core.Errorf(core.KindInvalidArgument, op, "nprobe must be positive, got %d", nprobe)
	}
	nprobe = min(nprobe, ix.Nlist())
	if nq == 0 {
		return nil
	}
	coarse := make([]int64, nq*nprobe)
	if err := ix.Quantizer().Search(x, nprobe, make([]float32, nq*nprobe), coarse); err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.e.mu.Lock()
	defer ix.e.mu.Unlock()
	if err := ix.lists.sync(ix.IndexIVF); err != nil {
		return err
	}
	longest := 0
	for _, s := range ix.lists.size {
		longest = max(longest, s)
	}
	qb := ix.e.ivfBatch(nq, nprobe, k, longest, d)
	keys, rows := make([]uint32, qb*k), make([]int32, qb*k)
	for q0 := 0; q0 < nq; q0 += qb {
		qbn := min(qb, nq-q0)
		if err := ix.e.ivfScan(&ix.lists, m, x[q0*d:(q0+qbn)*d], d, coarse[q0*nprobe:(q0+qbn)*nprobe], nprobe, k,
			keys[:qbn*k], rows[:qbn*k]); err != nil {
			return wrap(op, err)
		}
		out := labels[q0*k : (q0+qbn)*k]
		decode(m, keys[:qbn*k], rows[:qbn*k], dist[q0*k:(q0+qbn)*k], out)
		for j, r := range out {
			if r >= 0 {
				out[j] = ix.lists.pos2id[r]
			}
		}
	}
	return nil
}

// Close frees the device memory; the host copy stays usable.
func (ix *IndexIVFFlat) Close() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.lists.release()
	if q, ok := ix.Quantizer().(*IndexFlat); ok {
		q.Close()
	}
}
