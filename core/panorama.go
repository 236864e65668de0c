package core

import (
	"math"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// panorama is faiss's Panorama layout (Ghosh et al., 2025): the d
// dimensions are cut into nLevels levels of ceil(d/nLevels) (the last one
// shorter), vectors are stored in batches, level by level within a batch,
// and each vector keeps the norms of its suffixes from each level on
// ("cumulative sums", nLevels+1 of them, the last 0). A search measures a
// batch level by level and drops a vector once the Cauchy-Schwarz bound
// on the levels left shows it cannot enter the results.
type panorama struct {
	d, nLevels, batch int
	width             int // floats per level
}

func newPanorama(op string, d, nLevels, batch int) (panorama, error) {
	switch {
	case d <= 0:
		return panorama{}, Errorf(KindInvalidArgument, op, "d must be positive, got %d", d)
	case nLevels < 1 || nLevels > d:
		return panorama{}, Errorf(KindInvalidArgument, op, "n_levels must be in 1..d=%d, got %d", d, nLevels)
	case batch < 1 || batch > 1<<20:
		return panorama{}, Errorf(KindInvalidArgument, op, "batch_size must be in 1..2^20, got %d", batch)
	}
	return panorama{d: d, nLevels: nLevels, batch: batch, width: (d + nLevels - 1) / nLevels}, nil
}

// level returns where level l starts in a vector and how many floats it
// holds (none for the levels past d when n_levels widths overshoot it).
func (p panorama) level(l int) (int, int) {
	start := l * p.width
	return start, max(0, min(p.width, p.d-start))
}

// slot returns where level l of the vector at position i starts in codes.
func (p panorama) slot(i, l int) int {
	b, pos := i/p.batch, i%p.batch
	_, w := p.level(l)
	return b*p.batch*p.d + l*p.width*p.batch + pos*w
}

// cumSlot returns where the suffix norm of level l of vector i lies.
func (p panorama) cumSlot(i, l int) int {
	b, pos := i/p.batch, i%p.batch
	return b*p.batch*(p.nLevels+1) + l*p.batch + pos
}

// sizes are the lengths of codes and cumulative sums for n vectors (whole
// batches).
func (p panorama) sizes(n int) (int, int) {
	nb := (n + p.batch - 1) / p.batch
	return nb * p.batch * p.d, nb * p.batch * (p.nLevels + 1)
}

// suffixNorms writes the norms of x's suffixes from each level on, summed
// as faiss's (levels from the last, each level's squares in order, in
// float; the conversion keeps the compiler from fusing a multiply-add,
// which rounds differently).
func (p panorama) suffixNorms(x []float32, out []float32) {
	var sum float32
	for l := p.nLevels - 1; l >= 0; l-- {
		start, w := p.level(l)
		for _, v := range x[min(start, p.d) : min(start, p.d)+w] {
			sum += float32(v * v)
		}
		out[l] = float32(math.Sqrt(float64(sum)))
	}
	out[p.nLevels] = 0
}

// store writes vector x at position i of codes and cums.
func (p panorama) store(codes, cums []float32, i int, x []float32) {
	for l := 0; l < p.nLevels; l++ {
		if start, w := p.level(l); w > 0 {
			copy(codes[p.slot(i, l):p.slot(i, l)+w], x[start:start+w])
		}
	}
	norms := make([]float32, p.nLevels+1)
	p.suffixNorms(x, norms)
	for l, v := range norms {
		cums[p.cumSlot(i, l)] = v
	}
}

// load reads the vector at position i into out.
func (p panorama) load(codes []float32, i int, out []float32) {
	for l := 0; l < p.nLevels; l++ {
		if start, w := p.level(l); w > 0 {
			copy(out[start:start+w], codes[p.slot(i, l):p.slot(i, l)+w])
		}
	}
}

// move copies the vector at position from to position to (both layouts).
func (p panorama) move(dstCodes, dstCums, codes, cums []float32, to, from int) {
	for l := 0; l < p.nLevels; l++ {
		if _, w := p.level(l); w > 0 {
			copy(dstCodes[p.slot(to, l):p.slot(to, l)+w], codes[p.slot(from, l):p.slot(from, l)+w])
		}
	}
	for l := 0; l <= p.nLevels; l++ {
		dstCums[p.cumSlot(to, l)] = cums[p.cumSlot(from, l)]
	}
}

// panoramaQuery is one query's state for filtering batches.
type panoramaQuery struct {
	q      []float32
	qNorms []float32 // suffix norms
	ip     bool
	active []int32
	acc    []float32 // per batch position: the distance (or -similarity) so far
	// dimensions considered and measured since the last record
	total, scanned int64
}

// filterBatch measures the live vectors of batch b (n of them) level by
// level and returns the positions that survive threshold (a key: distance,
// or -similarity; a vector whose bound cannot beat it is dropped) with
// their exact keys in acc. keep, when set, filters ids.
func (p panorama) filterBatch(codes, cums []float32, s *panoramaQuery, b, n int, threshold float32, keep func(i int) bool) []int32 {
	s.active = s.active[:0]
	base := b * p.batch
	q2 := s.qNorms[0] * s.qNorms[0]
	for j := range n {
		if keep != nil && !keep(base+j) {
			continue
		}
		s.active = append(s.active, int32(j))
		s.total += int64(p.d)
		if s.ip {
			s.acc[j] = 0
		} else {
			x := cums[p.cumSlot(base, 0)+j]
			s.acc[j] = q2 + x*x
		}
	}
	for l := 0; l < p.nLevels && len(s.active) > 0; l++ {
		start, w := p.level(l)
		if w == 0 {
			continue // levels past d (d does not fill n_levels widths)
		}
		qs := s.q[start : start+w]
		s.scanned += int64(w * len(s.active))
		block := p.slot(base, l)
		rest := s.qNorms[l+1]
		restSlot := p.cumSlot(base, l+1)
		kept := s.active[:0]
		for _, j := range s.active {
			dot := kernels.Inner(qs, codes[block+int(j)*w:block+int(j)*w+w])
			var bound float32
			if s.ip {
				s.acc[j] -= dot
				bound = s.acc[j] - rest*cums[restSlot+int(j)]
			} else {
				s.acc[j] -= 2 * dot
				bound = s.acc[j] - 2*rest*cums[restSlot+int(j)]
			}
			// Later vectors lose ties to the kept ones (lower ids), so a
			// bound equal to the threshold drops the vector too.
			if bound < threshold {
				kept = append(kept, j)
			}
		}
		s.active = kept
	}
	return s.active
}

// rowKey is the key (distance, or -similarity) of the vector x, a row of
// d floats whose suffix norms are xn, for the query in s, measured level
// by level; false once its bound reaches threshold (then, as in faiss, a
// key equal to the threshold is dropped too: the earlier entry keeps it).
func (p panorama) rowKey(s *panoramaQuery, x, xn []float32, threshold float32) (float32, bool) {
	key, scanned, kept := kernels.PanoramaRow(s.q[:p.d], x[:p.d], xn, s.qNorms, p.width, s.ip, s.first(xn[0]), threshold)
	s.total += int64(p.d)
	s.scanned += int64(scanned)
	return key, kept
}

// first is a vector's key before any level is measured: |q|^2 + |x|^2 for
// L2 (x0 is the vector's first suffix norm, |x|), 0 for inner product.
func (s *panoramaQuery) first(x0 float32) float32 {
	if s.ip {
		return 0
	}
	return s.qNorms[0]*s.qNorms[0] + x0*x0
}

// step takes level l's dot product into the key acc and returns it with
// its bound over the levels left, whose suffix norm for the vector is rest.
func (s *panoramaQuery) step(acc, dot, rest float32, l int) (float32, float32) {
	rest *= s.qNorms[l+1]
	if s.ip {
		acc -= dot
		return acc, acc - rest
	}
	acc -= 2 * dot
	return acc, acc - 2*rest
}

// newPanoramaQuery prepares the state for query q.
func (p panorama) newPanoramaQuery(ip bool) *panoramaQuery {
	return &panoramaQuery{qNorms: make([]float32, p.nLevels+1), ip: ip, acc: make([]float32, p.batch)}
}

func (s *panoramaQuery) setQuery(p panorama, q []float32) {
	s.q = q
	p.suffixNorms(q, s.qNorms)
}
