package gpu

import (
	"github.com/metalfaiss/metalfaiss/core"
)

// IndexIVFPQ is faiss's GpuIndexIVFPQ (see ivfOnDevice) for 8-bit codes:
// the device keeps the codes as the host stores them and, per query and
// probed list, builds the distance table in shared memory and sums it over
// the list's codes (shaders/src/ivf_pq_scan.comp). faiss's precomputed
// tables are a CPU saving; the device computes each table whole (the same
// values up to rounding).
type IndexIVFPQ struct{ ivfOnDevice }

var _ core.Index = (*IndexIVFPQ)(nil)

// NewIndexIVFPQ makes an empty GPU IVF-PQ index (M sub-quantizers of
// nbits, which must be 8) with a GPU flat quantizer of nlist centroids.
func NewIndexIVFPQ(e *Engine, d, nlist, m, nbits int, metric core.Metric) (*IndexIVFPQ, error) {
	const op = "GpuIndexIVFPQ"
	if nbits != 8 {
		return nil, core.Errorf(core.KindUnsupported, op, "the GPU IVF-PQ takes 8-bit codes, not nbits=%d", nbits)
	}
	q, err := NewIndexFlat(e, d, metric)
	if err != nil {
		return nil, err
	}
	host, err := core.NewIndexIVFPQ(q, d, nlist, m, nbits, metric)
	if err != nil {
		return nil, err
	}
	return &IndexIVFPQ{ivfOnDevice{IndexIVF: host, e: e, lists: deviceLists{e: e, layout: rowsPQ8}, codec: &codecDevice{}}}, nil
}

// IVFPQFromCPU copies a CPU IVF-PQ index to the device (faiss's
// index_cpu_to_gpu): centroids, product quantizer, codes, ids, nprobe.
func IVFPQFromCPU(e *Engine, src *core.IndexIVF) (*IndexIVFPQ, error) {
	const op = "index_cpu_to_gpu"
	pq := src.PQ()
	if pq == nil || src.OnDiskFile() != nil || src.FastScan() != nil {
		return nil, core.Errorf(core.KindUnsupported, op, "only in-memory IVF-PQ indexes copy to a GpuIndexIVFPQ, not %s", src.Name())
	}
	ix, err := NewIndexIVFPQ(e, src.D(), src.Nlist(), pq.M, pq.Nbits, src.Metric())
	if err != nil {
		return nil, err
	}
	if err := copyIVF(src, ix.IndexIVF, false); err != nil {
		return nil, err
	}
	return ix, nil
}

// ToCPU copies the host side into a new CPU IVF-PQ index (faiss's
// index_gpu_to_cpu).
func (ix *IndexIVFPQ) ToCPU() (*core.IndexIVF, error) {
	return ix.toCPU(func(q core.Index) (*core.IndexIVF, error) {
		return core.NewIndexIVFPQ(q, ix.D(), ix.Nlist(), ix.PQ().M, ix.PQ().Nbits, ix.Metric())
	})
}

// Name is the faiss class this type is read and written as.
func (ix *IndexIVFPQ) Name() string { return "GpuIndexIVFPQ" }
