package gpu

import "github.com/metalfaiss/metalfaiss/core"

// IndexIVFScalarQuantizer is faiss's GpuIndexIVFScalarQuantizer (see
// ivfOnDevice) for QT_8bit, QT_8bit_uniform and QT_fp16 codes: the
// device holds the codes as the host stores them and decodes them in the
// scan (shaders/src/ivf_flat_scan.comp, SQ), adding the list's centroid
// to codes of residuals.
type IndexIVFScalarQuantizer struct{ ivfOnDevice }

var _ core.Index = (*IndexIVFScalarQuantizer)(nil)

// sqLayout is the device layout of a quantizer type's codes.
func sqLayout(op string, t core.QuantizerType) (rowLayout, error) {
	switch t {
	case core.QT8bit, core.QT8bitUniform:
		return rowsSQ8, nil
	case core.QTfp16:
		return rowsSQF16, nil
	}
	return 0, core.Errorf(core.KindUnsupported, op, "the GPU scalar quantizer takes QT_8bit, QT_8bit_uniform and QT_fp16, not type %d", t)
}

// NewIndexIVFScalarQuantizer makes an empty GPU IVF-SQ index with a GPU
// flat quantizer of nlist centroids.
func NewIndexIVFScalarQuantizer(e *Engine, d, nlist int, t core.QuantizerType, metric core.Metric, byResidual bool) (*IndexIVFScalarQuantizer, error) {
	const op = "GpuIndexIVFScalarQuantizer"
	layout, err := sqLayout(op, t)
	if err != nil {
		return nil, err
	}
	q, err := NewIndexFlat(e, d, metric)
	if err != nil {
		return nil, err
	}
	host, err := core.NewIndexIVFScalarQuantizer(q, d, nlist, t, metric, byResidual)
	if err != nil {
		return nil, err
	}
	return &IndexIVFScalarQuantizer{ivfOnDevice{IndexIVF: host, e: e, lists: deviceLists{e: e, layout: layout}, codec: &codecDevice{}}}, nil
}

// IVFSQFromCPU copies a CPU IVF-SQ index to the device (faiss's
// index_cpu_to_gpu): the same centroids, quantizer ranges, codes, ids
// and nprobe.
func IVFSQFromCPU(e *Engine, src *core.IndexIVF) (*IndexIVFScalarQuantizer, error) {
	const op = "index_cpu_to_gpu"
	sq := src.SQ()
	if sq == nil || src.OnDiskFile() != nil {
		return nil, core.Errorf(core.KindUnsupported, op, "only in-memory IVF-SQ indexes copy to a GpuIndexIVFScalarQuantizer, not %s", src.Name())
	}
	ix, err := NewIndexIVFScalarQuantizer(e, src.D(), src.Nlist(), sq.Type, src.Metric(), src.ByResidual)
	if err != nil {
		return nil, err
	}
	if err := copyIVF(src, ix.IndexIVF, false); err != nil {
		return nil, err
	}
	return ix, nil
}

// ToCPU copies the host side into a new CPU IVF-SQ index (faiss's
// index_gpu_to_cpu).
func (ix *IndexIVFScalarQuantizer) ToCPU() (*core.IndexIVF, error) {
	return ix.toCPU(func(q core.Index) (*core.IndexIVF, error) {
		return core.NewIndexIVFScalarQuantizer(q, ix.D(), ix.Nlist(), ix.SQ().Type, ix.Metric(), ix.ByResidual)
	})
}

// Name is the faiss class this type is read and written as.
func (ix *IndexIVFScalarQuantizer) Name() string { return "GpuIndexIVFScalarQuantizer" }
