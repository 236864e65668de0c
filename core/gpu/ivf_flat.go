package gpu

import (
	"sync"

	"github.com/metalfaiss/metalfaiss/core"
)

// ivfOnDevice is what the GPU IVF indexes share: a core IVF index (the
// host copy, which trains, adds, edits lists, reconstructs, range-searches
// and is what index_gpu_to_cpu copies) whose coarse quantizer is a GPU
// flat index, so that training runs GPU k-means and adds assign on the
// device, and whose lists are mirrored on the device, where k-NN search
// runs. Searches the device cannot take (k above MaxK, metrics other than
// L2 and inner product, ID selectors or early-stop limits, list views)
// run on the host copy, as python/metalfaiss/gpu_ivf.py documents.
type ivfOnDevice struct {
	*core.IndexIVF
	e *Engine
	// mu guards the device copy: concurrent searches all sync it first.
	mu    sync.Mutex
	lists deviceLists
	// codec is what an IVF-SQ or IVF-PQ scan binds besides the lists (nil:
	// IVF-Flat).
	codec *codecDevice
}

// IndexIVFFlat is faiss's GpuIndexIVFFlat (see ivfOnDevice).
type IndexIVFFlat struct{ ivfOnDevice }

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
	return &IndexIVFFlat{ivfOnDevice{IndexIVF: host, e: e, lists: deviceLists{e: e}}}, nil
}

// NewIndexIVFFlatF16 is NewIndexIVFFlat with the lists stored as float16
// on the device and rounded so on the host (half_rows.go).
func NewIndexIVFFlatF16(e *Engine, d, nlist int, metric core.Metric) (*IndexIVFFlat, error) {
	ix, err := NewIndexIVFFlat(e, d, nlist, metric)
	if err != nil {
		return nil, err
	}
	ix.lists.layout = rowsF16
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
	if err := copyIVF(src, ix.IndexIVF, half); err != nil {
		return nil, err
	}
	return ix, nil
}

// ToCPU copies the host side into a new CPU IVF-Flat index (faiss's
// index_gpu_to_cpu).
func (ix *IndexIVFFlat) ToCPU() (*core.IndexIVF, error) {
	return ix.toCPU(func(q core.Index) (*core.IndexIVF, error) {
		return core.NewIndexIVFFlat(q, ix.D(), ix.Nlist(), ix.Metric())
	})
}

// Float16 reports whether the lists are stored as float16.
func (ix *IndexIVFFlat) Float16() bool { return ix.lists.layout == rowsF16 }

// Add implements core.Index; with float16 lists the host keeps the
// rounded values too.
func (ix *IndexIVFFlat) Add(x []float32) error {
	if ix.Float16() {
		x = RoundToHalf(x)
	}
	return ix.IndexIVF.Add(x)
}

// AddWithIDs is Add with the caller's ids.
func (ix *IndexIVFFlat) AddWithIDs(x []float32, ids []int64) error {
	if ix.Float16() {
		x = RoundToHalf(x)
	}
	return ix.IndexIVF.AddWithIDs(x, ids)
}

// Name is the faiss class this type is read and written as.
func (ix *IndexIVFFlat) Name() string { return "GpuIndexIVFFlat" }
