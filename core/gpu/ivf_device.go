package gpu

import (
	"github.com/metalfaiss/metalfaiss/core"
)

// Host returns the host copy.
func (ix *ivfOnDevice) Host() *core.IndexIVF { return ix.IndexIVF }

// Search implements core.Index.
func (ix *ivfOnDevice) Search(x []float32, k int, dist []float32, labels []int64) error {
	return ix.SearchWithParams(x, k, dist, labels, nil)
}

// onDevice reports whether a search with k and p runs on the device.
func (ix *ivfOnDevice) onDevice(k int, p *core.SearchParams) (Metric, bool) {
	var m Metric
	switch ix.Metric() {
	case core.MetricL2:
		m = L2
	case core.MetricInnerProduct:
		m = InnerProduct
	default:
		return 0, false
	}
	if k <= 0 || k > MaxK || !ix.IsTrained() || ix.ListView().Kind != core.ViewAll || ix.OnDiskFile() != nil || ix.PolysemousHT > 0 {
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
func (ix *ivfOnDevice) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *core.SearchParams) error {
	m, ok := ix.onDevice(k, p)
	if !ok {
		return ix.IndexIVF.SearchWithParams(x, k, dist, labels, p) // the CPU validates and answers
	}
	op := "Gpu" + ix.IndexIVF.Name() + ".search"
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
	if nprobe > MaxK { // faiss's GPU limit on nprobe too: the host answers
		return ix.IndexIVF.SearchWithParams(x, k, dist, labels, p)
	}
	if nq == 0 {
		return nil
	}
	ix.e.mu.Lock()
	ix.e.queriesHold = hostSpan{} // what the coarse search sends, if it runs here, the scan may reuse
	ix.e.mu.Unlock()
	coarse := make([]int64, nq*nprobe)
	if err := ix.Quantizer().Search(x, nprobe, make([]float32, nq*nprobe), coarse); err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.e.mu.Lock()
	defer ix.e.mu.Unlock()
	defer func() { ix.e.queriesHold = hostSpan{} }()
	sent, err := ix.lists.sync(ix.IndexIVF)
	if err != nil {
		return err
	}
	if sent && ix.codec != nil {
		if err := ix.syncCodec(); err != nil {
			ix.lists.release()
			return err
		}
	}
	longest := 0
	for _, s := range ix.lists.size {
		longest = max(longest, s)
	}
	qb := ix.e.ivfBatch(nq, nprobe, k, longest, d, ix.lists.layout)
	keys, rows := make([]uint32, qb*k), make([]int32, qb*k)
	for q0 := 0; q0 < nq; q0 += qb {
		qbn := min(qb, nq-q0)
		if err := ix.e.ivfScan(&ix.lists, ix.codec, m, x[q0*d:(q0+qbn)*d], d, coarse[q0*nprobe:(q0+qbn)*nprobe], nprobe, k,
			keys[:qbn*k], rows[:qbn*k]); err != nil {
			return wrap(op, err)
		}
		// Decoded on every core: the rows' ids are random reads of a table
		// as long as the index (0.8 ms for 10,000 x 10 on one core of the H100 host).
		out, outDist := labels[q0*k:(q0+qbn)*k], dist[q0*k:(q0+qbn)*k]
		inParallel(qbn*k, 8192, func(lo, hi int) {
			decode(m, keys[lo:hi], rows[lo:hi], outDist[lo:hi], out[lo:hi])
			for j, r := range out[lo:hi] {
				if r >= 0 {
					out[lo+j] = ix.lists.pos2id[r]
				}
			}
		})
	}
	return nil
}

// Close frees the device memory; the host copy stays usable.
func (ix *ivfOnDevice) Close() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.lists.release()
	ix.codec.release()
	if q, ok := ix.Quantizer().(*IndexFlat); ok {
		q.Close()
	}
}
