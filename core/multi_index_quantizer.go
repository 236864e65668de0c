package core

import (
	"math"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// MultiIndexQuantizer is the inverted multi-index's coarse quantizer
// (faiss's MultiIndexQuantizer): a product quantizer whose Ksub^M centroid
// combinations are the index's "vectors" (label: the combination's
// centroid numbers, that of sub-space m in bits Nbits*m), searched by the
// multi-sequence algorithm over each query's distance tables. Always L2;
// adds and resets are refused (the vectors are virtual).
type MultiIndexQuantizer struct {
	// PQ is the quantizer; the index is trained when it is (its centroids
	// may also be set directly, as faiss scripts do).
	PQ *ProductQuantizer
	// assign, for MultiIndexQuantizer2, holds one index per sub-space that
	// finds a sub-vector's nearest centroids (they receive the centroids
	// at train); nil for a plain MultiIndexQuantizer.
	assign []Index
}

var (
	_ Index         = (*MultiIndexQuantizer)(nil)
	_ Reconstructor = (*MultiIndexQuantizer)(nil)
)

// NewMultiIndexQuantizer makes an untrained quantizer of M sub-spaces of
// nbits bits each.
func NewMultiIndexQuantizer(d, m, nbits int) (*MultiIndexQuantizer, error) {
	const op = "MultiIndexQuantizer"
	pq, err := NewProductQuantizer(d, m, nbits)
	if err != nil {
		return nil, err
	}
	if m*nbits > 62 {
		return nil, Errorf(KindInvalidArgument, op, "M=%d sub-spaces of nbits=%d: %d bits of labels, at most 62", m, nbits, m*nbits)
	}
	return &MultiIndexQuantizer{PQ: pq}, nil
}

// NewMultiIndexQuantizer2 is a MultiIndexQuantizer whose sub-spaces are
// searched by the given indexes (faiss's MultiIndexQuantizer2), one per
// sub-space, each of d/M dimensions.
func NewMultiIndexQuantizer2(d, nbits int, assign []Index) (*MultiIndexQuantizer, error) {
	const op = "MultiIndexQuantizer2"
	if len(assign) == 0 {
		return nil, Errorf(KindInvalidArgument, op, "no sub-space indexes")
	}
	q, err := NewMultiIndexQuantizer(d, len(assign), nbits)
	if err != nil {
		return nil, err
	}
	for i, a := range assign {
		if a == nil || a.D() != q.PQ.Dsub {
			return nil, Errorf(KindInvalidArgument, op, "Provided sub-index has incorrect size: index %d must have d=%d", i, q.PQ.Dsub)
		}
	}
	q.assign = append([]Index(nil), assign...)
	return q, nil
}

// RestoreMultiIndexQuantizer rebuilds one over a quantizer read from a
// file.
func RestoreMultiIndexQuantizer(pq *ProductQuantizer) (*MultiIndexQuantizer, error) {
	q, err := NewMultiIndexQuantizer(pq.D, pq.M, pq.Nbits)
	if err != nil {
		return nil, err
	}
	q.PQ = pq
	return q, nil
}

func (q *MultiIndexQuantizer) Name() string {
	if q.assign != nil {
		return "MultiIndexQuantizer2"
	}
	return "MultiIndexQuantizer"
}

func (q *MultiIndexQuantizer) D() int { return q.PQ.D }
func (q *MultiIndexQuantizer) Ntotal() int64 {
	if !q.PQ.IsTrained() {
		return 0
	}
	return int64(1) << (q.PQ.M * q.PQ.Nbits)
}
func (q *MultiIndexQuantizer) Metric() Metric     { return MetricL2 }
func (q *MultiIndexQuantizer) MetricArg() float32 { return 0 }
func (q *MultiIndexQuantizer) IsTrained() bool    { return q.PQ.IsTrained() }

// Members are the sub-space indexes of a MultiIndexQuantizer2.
func (q *MultiIndexQuantizer) Members() []Index { return q.assign }

// trainsAlone makes an IVF over it train it directly (faiss's
// quantizer_trains_alone = 1).
func (q *MultiIndexQuantizer) trainsAlone() {}

// Train trains the product quantizer; the index then holds Ksub^M
// vectors. A MultiIndexQuantizer2 gives each sub-space index its
// sub-space's centroids.
func (q *MultiIndexQuantizer) Train(x []float32) error {
	if err := q.PQ.Train(x); err != nil {
		return err
	}
	if q.assign != nil {
		for m, a := range q.assign {
			if err := a.Add(q.PQ.sub(m)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (q *MultiIndexQuantizer) Add(x []float32) error {
	return Errorf(KindUnsupported, q.Name()+".add", "This index has virtual elements, it does not support add")
}

// Reset does nothing (faiss raises; the Python layer raises as faiss).
func (q *MultiIndexQuantizer) Reset() {}

// Reconstruct writes the centroids of combination key.
func (q *MultiIndexQuantizer) Reconstruct(key int64, out []float32) error {
	op := q.Name() + ".reconstruct"
	if !q.IsTrained() {
		return Errorf(KindNotTrained, op, "train the quantizer first")
	}
	if key < 0 || key >= q.Ntotal() {
		return Errorf(KindInvalidArgument, op, "key %d is outside 0..%d", key, q.Ntotal()-1)
	}
	if len(out) != q.PQ.D {
		return Errorf(KindDimensionMismatch, op, "output holds %d floats, need d=%d", len(out), q.PQ.D)
	}
	ds, mask := q.PQ.Dsub, int64(q.PQ.Ksub-1)
	for m := 0; m < q.PQ.M; m++ {
		j := int(key & mask)
		key >>= q.PQ.Nbits
		copy(out[m*ds:(m+1)*ds], q.PQ.sub(m)[j*ds:(j+1)*ds])
	}
	return nil
}

func (q *MultiIndexQuantizer) ReconstructN(i0, n int64, out []float32) error {
	d := int64(q.PQ.D)
	if int64(len(out)) != n*d {
		return Errorf(KindDimensionMismatch, q.Name()+".reconstruct_n", "output holds %d floats, need %d", len(out), n*d)
	}
	for i := range n {
		if err := q.Reconstruct(i0+i, out[i*d:(i+1)*d]); err != nil {
			return err
		}
	}
	return nil
}

// Search writes the k nearest centroid combinations of each query.
func (q *MultiIndexQuantizer) Search(x []float32, k int, dist []float32, labels []int64) error {
	op := q.Name() + ".search"
	n, err := checkBatch(op, x, q.PQ.D)
	if err != nil {
		return err
	}
	if err := checkResults(op, n, k, len(dist), len(labels)); err != nil {
		return err
	}
	if !q.IsTrained() {
		return Errorf(KindNotTrained, op, "train the quantizer first")
	}
	if n == 0 {
		return nil
	}
	if q.assign != nil {
		return q.searchAssigned(x, n, k, dist, labels)
	}
	ks, m := q.PQ.Ksub, q.PQ.M
	size := m * ks
	const block = 32768 // queries whose tables are held at once (faiss's multi_index_quantizer_search_bs)
	tables := make([]float32, min(n, block)*size)
	for i0 := 0; i0 < n; i0 += block {
		i1 := min(n, i0+block)
		t := tables[:(i1-i0)*size]
		if err := q.tables(x[i0*q.PQ.D:i1*q.PQ.D], t); err != nil {
			return err
		}
		parallelChunks(i1-i0, chunkFor(k*m*8+size), func(_, lo, hi int) {
			var s *minSumK
			if k > 1 {
				s = newMinSumK(k, m, q.PQ.Nbits, ks)
			}
			for i := lo; i < hi; i++ {
				d, l := dist[(i0+i)*k:(i0+i+1)*k], labels[(i0+i)*k:(i0+i+1)*k]
				if k == 1 {
					d[0], l[0] = q.argminSum(t[i*size : (i+1)*size])
				} else {
					s.run(t[i*size:(i+1)*size], ks, false, d, l)
				}
			}
		})
	}
	return nil
}

// argminSum is faiss's k = 1 search: each table's first minimum.
func (q *MultiIndexQuantizer) argminSum(table []float32) (float32, int64) {
	var dis float32
	var label int64
	ks := q.PQ.Ksub
	for m := 0; m < q.PQ.M; m++ {
		vmin, lmin := float32(math.Inf(1)), int64(-1)
		for j, v := range table[m*ks : (m+1)*ks] {
			if v < vmin {
				vmin, lmin = v, int64(j)
			}
		}
		dis += vmin
		label |= lmin << (m * q.PQ.Nbits)
	}
	return dis, label
}

// searchAssigned is MultiIndexQuantizer2's search: each sub-space index
// finds min(k, Ksub) nearest centroids, and the multi-sequence algorithm
// combines those sorted lists.
func (q *MultiIndexQuantizer) searchAssigned(x []float32, n, k int, dist []float32, labels []int64) error {
	m, ds, d := q.PQ.M, q.PQ.Dsub, q.PQ.D
	k2 := min(k, q.PQ.Ksub)
	subDis := make([]float32, m*n*k2)
	subIDs := make([]int64, m*n*k2)
	xs := make([]float32, n*ds)
	for s := 0; s < m; s++ {
		for i := range n {
			copy(xs[i*ds:(i+1)*ds], x[i*d+s*ds:i*d+(s+1)*ds])
		}
		if err := q.assign[s].Search(xs, k2, subDis[s*n*k2:(s+1)*n*k2], subIDs[s*n*k2:(s+1)*n*k2]); err != nil {
			return err
		}
	}
	nb := q.PQ.Nbits
	if k == 1 {
		for i := range n {
			var dis float32
			var label int64
			for s := 0; s < m; s++ {
				dis += subDis[s*n+i]
				label |= subIDs[s*n+i] << (s * nb)
			}
			dist[i], labels[i] = dis, label
		}
		return nil
	}
	parallelChunks(n, chunkFor(k*m*8), func(_, lo, hi int) {
		s := newMinSumK(k, m, nb, k2)
		mask := int64(q.PQ.Ksub - 1)
		for i := lo; i < hi; i++ {
			li := labels[i*k : (i+1)*k]
			s.run(subDis[i*k2:], k2*n, true, dist[i*k:(i+1)*k], li)
			for j, vin := range li {
				if vin < 0 {
					continue
				}
				var vout int64
				for sq := 0; sq < m; sq++ {
					vout |= subIDs[(sq*n+i)*k2+int(vin&mask)] << (sq * nb)
					vin >>= nb
				}
				li[j] = vout
			}
		}
	})
	return nil
}

// tables fills the L2 tables of the rows of x (n x M x Ksub). Sub-vectors
// of 16 dimensions or more go through dot-product tiles and faiss's
// expansion |x|^2 + |c|^2 - 2 <x, c> (its compute_distance_tables does the
// same with BLAS there), shorter ones through direct differences.
func (q *MultiIndexQuantizer) tables(x []float32, out []float32) error {
	pq := q.PQ
	if pq.Dsub < 16 {
		return pq.DistanceTables(x, MetricL2, out)
	}
	n, ks, ds, size := len(x)/pq.D, pq.Ksub, pq.Dsub, pq.M*pq.Ksub
	cnorms := make([]float32, pq.M*ks)
	kernels.Norms(pq.Centroids, ds, cnorms)
	parallelChunks(n, chunkFor(size*ds), func(_, lo, hi int) {
		m0 := hi - lo
		sub := make([]float32, m0*ds)
		xn := make([]float32, m0)
		for m := 0; m < pq.M; m++ {
			for i := range m0 {
				copy(sub[i*ds:(i+1)*ds], x[(lo+i)*pq.D+m*ds:(lo+i)*pq.D+(m+1)*ds])
			}
			kernels.Norms(sub, ds, xn)
			o := out[lo*size+m*ks:]
			kernels.DotTile(sub, m0, pq.sub(m), ks, ds, o, size)
			for i := range m0 {
				row := o[i*size : i*size+ks]
				for j, v := range row {
					row[j] = xn[i] + cnorms[m*ks+j] - 2*v
				}
			}
		}
	})
	return nil
}
