package core

import (
	"math"
	"slices"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// IVFPQR is what an IndexIVFPQR adds to its IndexIVFPQ (faiss's
// IndexIVFPQR): a second product quantizer coding what the first leaves
// of each residual, its codes in id order (ids are 0..ntotal-1: adds take
// no ids of their own), and KFactor: a search takes k*KFactor candidates
// from the IVF-PQ and ranks them by their distance to the refined
// reconstruction.
type IVFPQR struct {
	Refine  *ProductQuantizer
	KFactor float32
	codes   []byte
	// where maps an id to its (list << 32 | offset), rebuilt from the
	// lists when stale (faiss's search keeps (list, offset) pairs instead).
	where []int64
}

// NewIndexIVFPQR makes an L2 IVF-PQ by residual with refinement codes of
// mRefine x nbitsRefine bits (faiss's defaults: the refine quantizer's
// k-means samples 1000 points per centroid, KFactor 4).
func NewIndexIVFPQR(quantizer Index, d, nlist, m, nbits, mRefine, nbitsRefine int) (*IndexIVF, error) {
	refine, err := NewProductQuantizer(d, mRefine, nbitsRefine)
	if err != nil {
		return nil, err
	}
	refine.CP.MaxPointsPerCentroid = 1000
	ix, err := NewIndexIVFPQ(quantizer, d, nlist, m, nbits, MetricL2)
	if err != nil {
		return nil, err
	}
	ix.name, ix.ByResidual = "IndexIVFPQR", true
	ix.pqr = &IVFPQR{Refine: refine, KFactor: 4}
	return ix, nil
}

// PQR is the refinement of an IndexIVFPQR, nil for other IVF indexes.
func (ix *IndexIVF) PQR() *IVFPQR { return ix.pqr }

// RefineCodes are the refinement codes, in id order (not a copy).
func (r *IVFPQR) RefineCodes() []byte { return r.codes }

// RestoreRefineCodes installs codes read from a file.
func (r *IVFPQR) RestoreRefineCodes(codes []byte, ntotal int64) error {
	if int64(len(codes)) != ntotal*int64(r.Refine.CodeSize) {
		return Errorf(KindInvalidArgument, "IndexIVFPQR", "%d refine code bytes for ntotal=%d codes of %d bytes", len(codes), ntotal, r.Refine.CodeSize)
	}
	r.codes, r.where = codes, nil
	return nil
}

// trainingPoints is faiss's train_encoder_num_vectors: enough for both
// quantizers.
func (r *IVFPQR) trainingPoints(pq *ProductQuantizer) int {
	return max(pq.CP.MaxPointsPerCentroid*pq.Ksub, r.Refine.CP.MaxPointsPerCentroid*r.Refine.Ksub)
}

// train learns the refine codebooks on what pq leaves of the residuals.
func (r *IVFPQR) train(pq *ProductQuantizer, residuals []float32, log, warn func(string)) error {
	res2, err := leftover(pq, residuals)
	if err != nil {
		return err
	}
	r.Refine.Log, r.Refine.Warn = log, warn
	return r.Refine.Train(res2)
}

// leftover is x less its PQ reconstruction.
func leftover(pq *ProductQuantizer, x []float32) ([]float32, error) {
	codes := make([]byte, len(x)/pq.D*pq.CodeSize)
	if err := pq.ComputeCodes(x, codes); err != nil {
		return nil, err
	}
	out := make([]float32, len(x))
	if err := pq.Decode(codes, out); err != nil {
		return nil, err
	}
	for i, v := range x {
		out[i] = v - out[i]
	}
	return out, nil
}

// add appends the refine codes of x (rows assigned to lists, coded by pq
// in codes): faiss's residual_2 = x - centroid - pq decode.
func (r *IVFPQR) add(ix *IndexIVF, x []float32, assign []int64, codes []byte) error {
	d, n := ix.d, len(assign)
	res := make([]float32, len(x))
	if err := ix.residuals(x, assign, res); err != nil {
		return err
	}
	pq := ix.PQ()
	dec := make([]float32, len(x))
	if err := pq.Decode(codes, dec); err != nil {
		return err
	}
	for i := range res {
		res[i] -= dec[i]
	}
	rc := make([]byte, n*r.Refine.CodeSize)
	if err := r.Refine.ComputeCodes(res[:n*d], rc); err != nil {
		return err
	}
	r.codes = append(r.codes, rc...)
	r.where = nil
	return nil
}

// checkIDs refuses ids other than the next ones: the refine codes are
// found by id.
func (r *IVFPQR) checkIDs(op string, ntotal int64, ids []int64) error {
	for i, id := range ids {
		if id != ntotal+int64(i) {
			return Errorf(KindInvalidArgument, op, "IndexIVFPQR finds its refine codes by id: ids must be ntotal, ntotal+1, ... (id %d is %d, expected %d)", i, id, ntotal+int64(i))
		}
	}
	return nil
}

// locate returns the (list, offset) of every id, rebuilding the map when
// the lists have another size.
func (r *IVFPQR) locate(ix *IndexIVF) []int64 {
	if int64(len(r.where)) == ix.ntotal {
		return r.where
	}
	where := make([]int64, ix.ntotal)
	for i := range where {
		where[i] = -1
	}
	for l := 0; l < ix.nlist; l++ {
		for off, id := range ix.viewList(l).ids {
			if id >= 0 && id < ix.ntotal {
				where[id] = int64(l)<<32 | int64(off)
			}
		}
	}
	r.where = where
	return where
}

// search takes k*KFactor candidates from the IVF-PQ and keeps the k
// nearest to their refined reconstructions (faiss's search_preassigned of
// IndexIVFPQR).
func (r *IVFPQR) search(ix *IndexIVF, x []float32, k int, dist []float32, labels []int64, base func(k int, dist []float32, labels []int64) error) error {
	d, nq := ix.d, len(x)/ix.d
	kc := int(float32(k) * r.KFactor)
	if kc < 1 {
		kc = 1
	}
	cd, cl := make([]float32, nq*kc), make([]int64, nq*kc)
	if err := base(kc, cd, cl); err != nil {
		return err
	}
	where := r.locate(ix)
	cent, err := ix.centroids()
	if err != nil {
		return err
	}
	pq, cs, rcs := ix.PQ(), ix.CodeSize(), r.Refine.CodeSize
	parallelChunks(nq, chunkFor(kc*d*4), func(_, lo, hi int) {
		r1, r2 := make([]float32, d), make([]float32, d)
		h := newTopK(k)
		for q := lo; q < hi; q++ {
			h.reset()
			xq := x[q*d : (q+1)*d]
			for _, id := range cl[q*kc : (q+1)*kc] {
				if id < 0 || id >= int64(len(where)) || where[id] < 0 {
					continue
				}
				l, off := int(where[id]>>32), int(where[id]&math.MaxUint32)
				c := cent[l*d : (l+1)*d]
				for j := range r1 {
					r1[j] = xq[j] - c[j]
				}
				pq.decodeOne(ix.viewList(l).codes[off*cs:(off+1)*cs], r2)
				for j := range r2 {
					r2[j] = r1[j] - r2[j]
				}
				r.Refine.decodeOne(r.codes[id*int64(rcs):(id+1)*int64(rcs)], r1)
				h.push(kernels.L2Sqr(r1, r2), id)
			}
			h.emit(1, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
	})
	return nil
}

// reconstructAdd adds id's refine decoding to out.
func (r *IVFPQR) reconstructAdd(id int64, out []float32) {
	rcs := int64(r.Refine.CodeSize)
	if id < 0 || (id+1)*rcs > int64(len(r.codes)) {
		return
	}
	buf := make([]float32, len(out))
	r.Refine.decodeOne(r.codes[id*rcs:(id+1)*rcs], buf)
	for j, v := range buf {
		out[j] += v
	}
}

// merge appends other's refine codes (faiss's merge_from), leaving other's
// empty.
func (r *IVFPQR) merge(other *IVFPQR) {
	r.codes = append(slices.Clip(r.codes), other.codes...)
	other.codes, other.where, r.where = nil, nil, nil
}
