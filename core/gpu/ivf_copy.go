package gpu

import "github.com/metalfaiss/metalfaiss/core"

// copyIVF gives dst (a new, empty IVF index of src's kind and shape) src's
// centroids, codec (SQ ranges or PQ codebooks), lists, nprobe and direct
// map: what index_cpu_to_gpu and index_gpu_to_cpu copy. half rounds flat
// vectors to float16 (the GPU's float16 storage).
func copyIVF(src, dst *core.IndexIVF, half bool) error {
	dst.SetMetricArg(src.MetricArg())
	nlist := src.Nlist()
	if src.Quantizer().Ntotal() == int64(nlist) {
		cents := make([]float32, nlist*src.D())
		if err := src.Quantizer().(core.Reconstructor).ReconstructN(0, int64(nlist), cents); err != nil {
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
	ids, vecs, codes := make([][]int64, nlist), make([][]float32, nlist), make([][]byte, nlist)
	for l := range nlist {
		i, v, c := src.IVFList(l)
		ids[l], codes[l] = append([]int64(nil), i...), append([]byte(nil), c...)
		if half {
			vecs[l] = RoundToHalf(v)
		} else {
			vecs[l] = append([]float32(nil), v...)
		}
	}
	return dst.RestoreIVF(src.Nprobe, src.ByResidual, ids, vecs, codes, src.DirectMapType())
}

// toCPU copies the host side into a new CPU IVF index with a CPU flat
// quantizer (faiss's index_gpu_to_cpu); newCPU makes the empty index of
// the right kind over that quantizer.
func (ix *ivfOnDevice) toCPU(newCPU func(q core.Index) (*core.IndexIVF, error)) (*core.IndexIVF, error) {
	q, err := core.NewIndexFlat(ix.D(), ix.Metric())
	if err != nil {
		return nil, err
	}
	q.SetMetricArg(ix.MetricArg())
	c, err := newCPU(q)
	if err != nil {
		return nil, err
	}
	if err := copyIVF(ix.IndexIVF, c, false); err != nil {
		return nil, err
	}
	return c, nil
}
