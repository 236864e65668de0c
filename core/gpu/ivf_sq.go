package gpu

import (
	"github.com/metalfaiss/metalfaiss/core"
	"github.com/metalfaiss/metalfaiss/metalbridge"
)

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
	return &IndexIVFScalarQuantizer{ivfOnDevice{IndexIVF: host, e: e, lists: deviceLists{e: e, layout: layout}, sq: &codecDevice{}}}, nil
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
	if err := copyCodedIVF(src, ix.IndexIVF); err != nil {
		return nil, err
	}
	return ix, nil
}

// ToCPU copies the host side into a new CPU IVF-SQ index with a CPU flat
// quantizer (faiss's index_gpu_to_cpu).
func (ix *IndexIVFScalarQuantizer) ToCPU() (*core.IndexIVF, error) {
	q, err := core.NewIndexFlat(ix.D(), ix.Metric())
	if err != nil {
		return nil, err
	}
	c, err := core.NewIndexIVFScalarQuantizer(q, ix.D(), ix.Nlist(), ix.SQ().Type, ix.Metric(), ix.ByResidual)
	if err != nil {
		return nil, err
	}
	if err := copyCodedIVF(ix.IndexIVF, c); err != nil {
		return nil, err
	}
	return c, nil
}

// copyCodedIVF gives dst (a new IVF-SQ or IVF-PQ index of src's shape)
// src's centroids, codec (ranges or codebooks), lists, nprobe and direct
// map.
func copyCodedIVF(src, dst *core.IndexIVF) error {
	dst.SetMetricArg(src.MetricArg())
	if src.IsTrained() {
		cents := make([]float32, src.Nlist()*src.D())
		if err := src.Quantizer().(core.Reconstructor).ReconstructN(0, int64(src.Nlist()), cents); err != nil {
			return err
		}
		if err := dst.Quantizer().Add(cents); err != nil {
			return err
		}
	}
	if sq := src.SQ(); sq != nil {
		if err := dst.SQ().RestoreSQ(sq.IsTrained(), sq.Trained()); err != nil {
			return err
		}
	}
	if pq := src.PQ(); pq != nil && pq.IsTrained() {
		if err := dst.PQ().SetCentroids(pq.Centroids); err != nil {
			return err
		}
	}
	nlist := src.Nlist()
	ids, codes := make([][]int64, nlist), make([][]byte, nlist)
	for l := range nlist {
		i, _, c := src.IVFList(l)
		ids[l], codes[l] = append([]int64(nil), i...), append([]byte(nil), c...)
	}
	return dst.RestoreIVF(src.Nprobe, src.ByResidual, ids, nil, codes, src.DirectMapType())
}

// Name is the faiss class this type is read and written as.
func (ix *IndexIVFScalarQuantizer) Name() string { return "GpuIndexIVFScalarQuantizer" }

// syncCodec sends the codec's tables (SQ decoding terms, PQ centroids)
// and the coarse centroids, with the lists: both change only with
// training, which changes the lists too once they hold anything.
func (ix *ivfOnDevice) syncCodec() error {
	const op = "GpuIndexIVF.sync"
	d, nlist := ix.D(), ix.Nlist()
	var aux []float32
	if pq := ix.PQ(); pq != nil {
		aux = pq.Centroids
	} else {
		aux = make([]float32, 2*d)
		if a, st, ok := ix.SQ().Decode8Terms(); ok {
			copy(aux, a)
			copy(aux[d:], st)
		}
	}
	cents := make([]float32, nlist*d)
	if ix.ByResidual && ix.Quantizer().Ntotal() == int64(nlist) {
		if err := ix.Quantizer().(core.Reconstructor).ReconstructN(0, int64(nlist), cents); err != nil {
			return err
		}
	}
	ix.sq.release()
	var err error
	if ix.sq.aux, err = ix.e.dev.NewBuffer(max(int64(len(aux))*4, 256)); err != nil {
		return wrap(op, err)
	}
	if ix.sq.cents, err = ix.e.dev.NewBuffer(int64(len(cents)) * 4); err != nil {
		return wrap(op, err)
	}
	if err := ix.sq.aux.Write(0, metalbridge.Bytes(aux)); err != nil {
		return wrap(op, err)
	}
	if err := ix.sq.cents.Write(0, metalbridge.Bytes(cents)); err != nil {
		return wrap(op, err)
	}
	ix.sq.residual = ix.ByResidual
	return nil
}

func (sq *codecDevice) release() {
	if sq == nil {
		return
	}
	for _, b := range []metalbridge.Buffer{sq.aux, sq.cents} {
		if b != nil {
			b.Release()
		}
	}
	sq.aux, sq.cents = nil, nil
}
