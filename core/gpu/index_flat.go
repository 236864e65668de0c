package gpu

import (
	"sync"
	"unsafe"

	"github.com/metalfaiss/metalfaiss/core"
)

// IndexFlat is faiss's GpuIndexFlat: a core.IndexFlat (the host copy, which
// serves reconstruct, range search and removal) mirrored on the device,
// where k-NN search runs. k above MaxK and metrics other than L2 and inner
// product search on the CPU.
type IndexFlat struct {
	*core.IndexFlat
	e *Engine
	// mu guards the device side: concurrent searches (which callers may run
	// under a read lock) all sync the device copy first.
	mu     sync.Mutex
	db     *Matrix
	synced int // leading rows of the host copy known to be on the device

	points  *Matrix   // k-means training points, while bound
	pointsX []float32 // the host slice they came from
}

var (
	_ core.Index               = (*IndexFlat)(nil)
	_ core.TrainingAccelerator = (*IndexFlat)(nil)
)

// NewIndexFlat makes an empty GPU flat index on engine e.
func NewIndexFlat(e *Engine, d int, metric core.Metric) (*IndexFlat, error) {
	host, err := core.NewIndexFlat(d, metric)
	if err != nil {
		return nil, err
	}
	return &IndexFlat{IndexFlat: host, e: e, db: e.NewMatrix(d)}, nil
}

// NewIndexFlatF16 makes an empty GPU flat index that stores its vectors as
// float16 (faiss's GpuIndexFlatConfig.useFloat16; see half_rows.go).
func NewIndexFlatF16(e *Engine, d int, metric core.Metric) (*IndexFlat, error) {
	ix, err := NewIndexFlat(e, d, metric)
	if err != nil {
		return nil, err
	}
	ix.db = e.NewHalfMatrix(d)
	return ix, nil
}

// FromCPU copies a CPU flat index to the device (faiss's index_cpu_to_gpu),
// as float16 when half is set.
func FromCPU(e *Engine, src *core.IndexFlat, half bool) (*IndexFlat, error) {
	newFlat := NewIndexFlat
	if half {
		newFlat = NewIndexFlatF16
	}
	ix, err := newFlat(e, src.D(), src.Metric())
	if err != nil {
		return nil, err
	}
	ix.SetMetricArg(src.MetricArg())
	if err := ix.Add(src.Vectors()); err != nil {
		return nil, err
	}
	return ix, ix.sync()
}

// Float16 reports whether the index stores float16 vectors.
func (ix *IndexFlat) Float16() bool { return ix.db.half() }

// Add implements core.Index; a float16 index keeps the rounded values on
// the host as well.
func (ix *IndexFlat) Add(x []float32) error {
	if ix.db.half() {
		x = RoundToHalf(x)
	}
	return ix.IndexFlat.Add(x)
}

// Host returns the host copy (faiss's index_gpu_to_cpu copies it).
func (ix *IndexFlat) Host() *core.IndexFlat { return ix.IndexFlat }

// Engine returns the engine the index runs on.
func (ix *IndexFlat) Engine() *Engine { return ix.e }

func (ix *IndexFlat) metric() (Metric, bool) {
	switch ix.Metric() {
	case core.MetricL2:
		return L2, true
	case core.MetricInnerProduct:
		return InnerProduct, true
	}
	return 0, false
}

// Reset implements core.Index; the device memory is kept for the next Add.
func (ix *IndexFlat) Reset() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.IndexFlat.Reset()
	ix.synced = 0
}

// RemoveIDs implements core.IDRemover; the device copy is rebuilt on the
// next search.
func (ix *IndexFlat) RemoveIDs(sel core.IDSelector) (int64, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	n, err := ix.IndexFlat.RemoveIDs(sel)
	if n > 0 {
		ix.synced = 0
	}
	return n, err
}

// PermuteEntries reorders the host copy; the device copy is rebuilt on the
// next search.
func (ix *IndexFlat) PermuteEntries(perm []int64) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := ix.IndexFlat.PermuteEntries(perm); err != nil {
		return err
	}
	ix.synced = 0
	return nil
}

func (ix *IndexFlat) sync() error {
	if err := ix.db.Sync(ix.Vectors(), ix.synced); err != nil {
		return err
	}
	ix.synced = ix.db.Rows()
	return nil
}

// Search implements core.Index on the device.
func (ix *IndexFlat) Search(x []float32, k int, dist []float32, labels []int64) error {
	m, ok := ix.metric()
	if !ok || k <= 0 || k > MaxK {
		return ix.IndexFlat.Search(x, k, dist, labels) // the CPU validates and answers
	}
	const op = "GpuIndexFlat.search"
	d := ix.D()
	if len(x)%d != 0 {
		return core.Errorf(core.KindDimensionMismatch, op, "input of %d floats is not a multiple of d=%d", len(x), d)
	}
	if nq := len(x) / d; len(dist) != nq*k || len(labels) != nq*k {
		return core.Errorf(core.KindDimensionMismatch, op, "outputs hold %d distances and %d labels, need %d (nq=%d, k=%d)",
			len(dist), len(labels), nq*k, nq, k)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := ix.sync(); err != nil {
		return err
	}
	q := Queries{X: x}
	if row, ok := rowsWithin(x, ix.pointsX, d); ix.points != nil && ok {
		q.Resident, q.Row = ix.points, row // k-means assigning its points (in blocks): no re-rank
	}
	if err := ix.e.Search(ix.db, m, q, k, dist, labels); err != nil {
		return err
	}
	if m == L2 && q.Resident == nil {
		rerankL2(x, ix.Vectors(), d, k, dist, labels)
	}
	return nil
}

// Assign implements core.Assigner.
func (ix *IndexFlat) Assign(x []float32, k int, labels []int64) error {
	return ix.Search(x, k, make([]float32, len(labels)), labels)
}

// BindTrainingPoints implements core.TrainingAccelerator.
func (ix *IndexFlat) BindTrainingPoints(x []float32) error {
	ix.ReleaseTrainingPoints()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	m := ix.e.NewMatrix(ix.D())
	if err := m.Sync(x, 0); err != nil {
		return err
	}
	ix.points, ix.pointsX = m, x
	return nil
}

// ReleaseTrainingPoints implements core.TrainingAccelerator.
func (ix *IndexFlat) ReleaseTrainingPoints() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.points != nil {
		ix.points.Release()
	}
	ix.points, ix.pointsX = nil, nil
}

// SumByLabel implements core.TrainingAccelerator.
func (ix *IndexFlat) SumByLabel(assign []int64, weights []float32, k int, sums, counts []float32) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.points == nil {
		return core.Errorf(core.KindInvalidArgument, "GpuIndexFlat.sum_by_label", "no training points are bound")
	}
	return ix.e.SumByLabel(ix.points, assign, weights, k, sums, counts)
}

// Close frees the device memory; the host copy stays usable.
func (ix *IndexFlat) Close() {
	ix.ReleaseTrainingPoints()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.db.Release()
	ix.synced = 0
}

// rowsWithin reports whether x is rows of base (rows of d), and from which
// row: k-means assigns its bound points in blocks.
func rowsWithin(x, base []float32, d int) (int, bool) {
	if len(x) == 0 || len(base) == 0 {
		return 0, false
	}
	start, b := uintptr(unsafe.Pointer(unsafe.SliceData(x))), uintptr(unsafe.Pointer(unsafe.SliceData(base)))
	if start < b || (start-b)%uintptr(4*d) != 0 {
		return 0, false
	}
	row := int((start - b) / uintptr(4*d))
	return row, row*d+len(x) <= len(base)
}

// Name is the faiss class this type is read and written as.
func (ix *IndexFlat) Name() string { return "GpuIndexFlat" }
