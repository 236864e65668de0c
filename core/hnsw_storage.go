package core

import "github.com/metalfaiss/metalfaiss/core/kernels"

// The distance computers of the storages an HNSW index may own, as faiss's
// storage_distance_computer gives them: flat vectors, scalar-quantizer
// codes (the query against decoded codes; two codes decoded) and
// product-quantizer codes (distance tables; between two codes, the
// symmetric table of centroid distances). Similarity metrics come negated.

// flatDistances measures against an IndexFlat's vectors.
type flatDistances struct {
	xb []float32
	d  int
	ip bool
	q  []float32
	// pair measures the metrics past L2 and inner product (nil for those
	// two); neg negates it (similarities).
	pair func(a, b []float32) float32
	neg  bool
}

func (f *flatDistances) setQuery(q []float32) { f.q = q }

func (f *flatDistances) row(i int32) []float32 { return f.xb[int(i)*f.d : (int(i)+1)*f.d] }

func (f *flatDistances) dist(i int32) float32 { return f.between(f.q, f.row(i)) }

func (f *flatDistances) dists(ids []int32, out []float32) {
	if f.pair != nil {
		for i, id := range ids {
			out[i] = f.between(f.q, f.row(id))
		}
		return
	}
	if !f.ip {
		kernels.L2SqrGather(f.q, f.xb, ids, out)
		return
	}
	for i, id := range ids {
		out[i] = -kernels.Inner(f.q, f.row(id))
	}
}

func (f *flatDistances) symmetric(i, j int32) float32 { return f.between(f.row(i), f.row(j)) }

func (f *flatDistances) between(a, b []float32) float32 {
	if f.pair != nil {
		if f.neg {
			return -f.pair(a, b)
		}
		return f.pair(a, b)
	}
	if f.ip {
		return -kernels.Inner(a, b)
	}
	return kernels.L2Sqr(a, b)
}

// codeDistances measures against the codes of an IndexScalarQuantizer or
// IndexPQ.
type codeDistances struct {
	codes   []byte
	cs      int
	ip      bool
	scanner codeScanner
	out     [1]float32
	decode  func(code []byte, x []float32)
	a, b    []float32
	pq      *ProductQuantizer // set: symmetric distances from pq.sdc
}

func (c *codeDistances) code(i int32) []byte { return c.codes[int(i)*c.cs : (int(i)+1)*c.cs] }

func (c *codeDistances) setQuery(q []float32) { c.scanner.setQuery(q) }

func (c *codeDistances) dist(i int32) float32 {
	c.scanner.scan(c.code(i), 0, c.out[:])
	if c.ip {
		return -c.out[0]
	}
	return c.out[0]
}

func (c *codeDistances) dists(ids []int32, out []float32) {
	for i, id := range ids {
		out[i] = c.dist(id)
	}
}

func (c *codeDistances) symmetric(i, j int32) float32 {
	var v float32
	switch {
	case c.pq != nil:
		v = c.pq.symmetricDistance(c.code(i), c.code(j))
	case c.ip:
		c.decode(c.code(i), c.a)
		c.decode(c.code(j), c.b)
		return -kernels.Inner(c.a, c.b)
	default:
		c.decode(c.code(i), c.a)
		c.decode(c.code(j), c.b)
		v = kernels.L2Sqr(c.a, c.b)
	}
	if c.ip {
		return -v
	}
	return v
}

// distanceSource is a storage that gives distance computers over its
// vectors (faiss's get_distance_computer); each worker takes its own, as
// they keep scratch space.
type distanceSource interface {
	distanceComputer() hnswDistances
}

// hnswDistancesFor returns the maker of per-worker distance computers over
// storage, a distanceSource: IndexFlat (any metric), IndexScalarQuantizer
// or IndexPQ (L2 or inner product).
func hnswDistancesFor(storage Index) (func() hnswDistances, error) {
	if h, ok := storage.(interface{ Host() *IndexFlat }); ok {
		storage = h.Host() // a GPU flat index: the graph reads its host copy
	}
	if ivf := mixedStorage(storage); ivf != nil {
		return ivfpqDistances("IndexHNSW2Level", ivf)
	}
	_, flat := storage.(*IndexFlat)
	if m := storage.Metric(); m != MetricInnerProduct && m != MetricL2 && !flat {
		return nil, Errorf(KindInvalidArgument, "IndexHNSW", "metric %s is not supported over %T: L2 or inner product (any metric over flat vectors)", m, storage)
	}
	s, ok := storage.(distanceSource)
	if !ok {
		return nil, Errorf(KindUnsupported, "IndexHNSW", "storage %T is not supported: a flat, scalar-quantizer, PQ or two-level index", storage)
	}
	return s.distanceComputer, nil
}

// computeSDC fills the symmetric distance table: for each sub-space, the
// squared L2 distance between every two of its centroids (faiss's
// compute_sdc_table).
func (pq *ProductQuantizer) computeSDC() {
	ks, ds := pq.Ksub, pq.Dsub
	sdc := make([]float32, pq.M*ks*ks)
	for m := 0; m < pq.M; m++ {
		c := pq.sub(m)
		for i := 0; i < ks; i++ {
			kernels.L2SqrRows(c[i*ds:(i+1)*ds], c, sdc[(m*ks+i)*ks:(m*ks+i+1)*ks])
		}
	}
	pq.sdc = sdc
}

// symmetricDistance sums the table entries of two codes' centroids.
func (pq *ProductQuantizer) symmetricDistance(a, b []byte) float32 {
	ks := pq.Ksub
	var s float32
	for m := 0; m < pq.M; m++ {
		s += pq.sdc[(m*ks+pq.getCode(a, m))*ks+pq.getCode(b, m)]
	}
	return s
}
