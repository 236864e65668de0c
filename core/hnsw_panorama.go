package core

import (
	"slices"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// IndexHNSWFlatPanorama is faiss's HNSW over flat L2 vectors that keeps,
// per vector, the norms of its suffixes from each Panorama level on
// (cum_sums, levels+1 a vector). Level 0 of a search measures the new
// neighbours of a node level by level and stops reading one once the
// Cauchy-Schwarz bound shows it cannot enter the results; it still joins
// the candidate queue, with the distance summed so far (faiss's
// search_from_candidates_panorama, so recalls match faiss's, not
// IndexHNSWFlat's).
type hnswPanorama struct {
	p    panorama // batch 1: one vector's levels in a row
	cums []float32
}

// NewIndexHNSWFlatPanorama makes an IndexHNSWFlatPanorama of M links per
// node over d dimensions cut into nLevels Panorama levels.
func NewIndexHNSWFlatPanorama(d, m, nLevels int) (*IndexHNSW, error) {
	const op = "IndexHNSWFlatPanorama"
	if err := checkHNSW(op, d, m, MetricL2); err != nil {
		return nil, err
	}
	p, err := newPanorama(op, d, nLevels, 1)
	if err != nil {
		return nil, err
	}
	flat, err := NewIndexFlat(d, MetricL2)
	if err != nil {
		return nil, err
	}
	ix := newIndexHNSW(op, flat, m)
	ix.Panorama = &hnswPanorama{p: p}
	return ix, nil
}

// PanoramaLevels is faiss's num_panorama_levels (0 for other HNSW indexes).
func (ix *IndexHNSW) PanoramaLevels() int {
	if ix.Panorama == nil {
		return 0
	}
	return ix.Panorama.p.nLevels
}

// CumSums returns the suffix norms, levels+1 per vector (not to be changed).
func (ix *IndexHNSW) CumSums() []float32 {
	if ix.Panorama == nil {
		return nil
	}
	return ix.Panorama.cums
}

// addNorms appends the suffix norms of the rows of x.
func (hp *hnswPanorama) addNorms(x []float32) {
	d, w := hp.p.d, hp.p.nLevels+1
	for i := 0; i < len(x); i += d {
		n := len(hp.cums)
		hp.cums = append(hp.cums, make([]float32, w)...)
		hp.p.suffixNorms(x[i:i+d], hp.cums[n:n+w])
	}
}

// permute reorders the norms: the new vector i has the old perm[i]'s.
func (hp *hnswPanorama) permute(perm []int64) {
	w := hp.p.nLevels + 1
	out := make([]float32, len(hp.cums))
	for i, p := range perm {
		copy(out[i*w:(i+1)*w], hp.cums[int(p)*w:(int(p)+1)*w])
	}
	hp.cums = out
}

// panoramaDistances measures L2 distances from a query to flat vectors
// level by level, giving up once a bound shows the distance reaches a
// threshold.
type panoramaDistances struct {
	hnswDistances // the plain computer, for the upper levels and the build
	p             panorama
	xb, cums      []float32
	q             []float32
	qNorms        []float32
	stats         *panoramaQuery // counts only
}

func (hp *hnswPanorama) distances(flat *IndexFlat) *panoramaDistances {
	return &panoramaDistances{hnswDistances: flat.distanceComputer(), p: hp.p, xb: flat.xb, cums: hp.cums,
		qNorms: make([]float32, hp.p.nLevels+1), stats: &panoramaQuery{}}
}

func (c *panoramaDistances) setQuery(q []float32) {
	c.hnswDistances.setQuery(q)
	c.q = q
	c.p.suffixNorms(q, c.qNorms)
}

// start is the distance to node i before any level is read: the two
// squared norms.
func (c *panoramaDistances) start(i int32) float32 {
	xn := c.cums[int(i)*(c.p.nLevels+1)]
	return c.qNorms[0]*c.qNorms[0] + xn*xn
}

// step reads level l (lw floats from start) of node i into acc, the
// distance summed so far, and returns it with the Cauchy-Schwarz lower
// bound of the whole distance.
func (c *panoramaDistances) step(i int32, acc float32, l, start, lw int) (float32, float32) {
	d, w := c.p.d, c.p.nLevels+1
	x := c.xb[int(i)*d+start : int(i)*d+start+lw]
	acc -= 2 * kernels.Inner(c.q[start:start+lw], x)
	return acc, acc - 2*c.cums[int(i)*w+l+1]*c.qNorms[l+1]
}

// MakePanorama turns a restored HNSW index over flat L2 vectors into the
// IndexHNSWFlatPanorama a file describes: nLevels levels and the vectors'
// suffix norms.
func (ix *IndexHNSW) MakePanorama(nLevels int, cums []float32) error {
	const op = "IndexHNSWFlatPanorama"
	if f, ok := ix.storage.(*IndexFlat); ix.storage != nil && (!ok || f.Metric() != MetricL2) {
		return Errorf(KindInvalidArgument, op, "the storage must be an IndexFlatL2, got %T (%s)", ix.storage, ix.storage.Metric())
	}
	p, err := newPanorama(op, ix.d, nLevels, 1)
	if err != nil {
		return err
	}
	if int64(len(cums)) != ix.Ntotal()*int64(nLevels+1) {
		return Errorf(KindInvalidArgument, op, "%d suffix norms for %d vectors of %d levels", len(cums), ix.Ntotal(), nLevels)
	}
	ix.name = op
	ix.Panorama = &hnswPanorama{p: p, cums: slices.Clone(cums)}
	return nil
}
