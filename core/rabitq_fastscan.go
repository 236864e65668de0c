package core

import (
	"math/bits"
	"sync"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// RaBitQ by fast scan (faiss's IndexRaBitQFastScan family): the sign bits
// of four dimensions make a 4-bit code, so the codes pack into the
// fast-scan blocks as they are (the standard sign bytes are those codes,
// low nibble first), and the query's quantized values summed per group
// make a 16-entry table per group. The kernels sum the tables, quantized
// to uint8 as faiss quantizes them, and every vector's sum becomes its
// one-bit estimate through its own factors; multi-bit codes go through
// faiss's two stages as in IndexRaBitQ.

// newRBQFSQuery is newRBQQuery for fast scan, whose tables read the
// quantized query directly (no bit planes).
func newRBQFSQuery(q *RaBitQuantizer, qb int, centered bool) *rbqQuery {
	r := newRBQQuery(q, qb, centered)
	r.noPlanes = true
	return r
}

// fsLUT writes the query's float tables (ceil(d/4) x 16): per group of
// four dimensions and sign pattern, faiss's c1 <qq, bits> + c2 |bits|, or
// in centred mode the summed XOR contributions.
func (r *rbqQuery) fsLUT(tab []float32) {
	d := r.l.d
	maxCode := float32(int(1)<<r.qb - 1)
	for m := 0; m*4 < d; m++ {
		for code := 0; code < 16; code++ {
			var acc float32
			pop := 0
			for o := 0; o < 4 && m*4+o < d; o++ {
				qv, bit := float32(r.qq[m*4+o]), code>>o&1 != 0
				switch {
				case r.centered && bit:
					acc += maxCode - qv
				case r.centered:
					acc += qv
				case bit:
					acc += qv
					pop++
				}
			}
			if r.centered {
				tab[m*16+code] = acc
			} else {
				tab[m*16+code] = float32(r.c1*acc) + float32(r.c2*float32(pop))
			}
		}
	}
}

// adjusted is faiss's compute_1bit_adjusted_distance: the one-bit
// estimate of code's distance from v, its table sum mapped back to floats.
func (r *rbqQuery) adjusted(v float32, code []byte) float32 {
	sb := r.l.signBytes
	orMinusC, mul := getF32(code, sb), getF32(code, sb+4)
	var adj float32
	if r.centered {
		intDot := r.maxCodeTimes - 2*int64(v)
		adj = float32(r.qrToC+orMinusC) - float32(float32(float32(2*mul)*float32(intDot))*r.intDotScale)
	} else {
		adj = float32(orMinusC+r.qrToC) - float32(float32(2*mul)*(v-r.c34))
	}
	if r.qrNorm != 0 { // faiss tells inner product by the query's norm
		return -0.5 * (adj - r.qrNorm)
	}
	return clampPos(adj)
}

// offerFS pushes code's distance to h from its table value v, through the
// two stages when the codes have magnitude bits.
func (r *rbqQuery) offerFS(h *topK, v float32, code []byte, id int64, sign float32) {
	est := r.adjusted(v, code)
	if r.l.exBits > 0 {
		if !r.refine(code, est, h.dist[0]) {
			return
		}
		est = r.full(code)
	}
	if key := sign * est; key < h.dist[0] || (key == h.dist[0] && id < h.ids[0]) {
		h.replaceRoot(key, id)
	}
}

// rbqFSTables is a worker's query tables: float and quantized.
type rbqFSTables struct {
	tab []float32
	fq  fsQuery
}

// prepare quantizes r's tables with faiss's round_uint8_per_column and
// returns 1/a and b (value = sum / a + b).
func (t *rbqFSTables) prepare(r *rbqQuery, m, m2 int) (oneA, b float32) {
	if len(t.tab) != m*16 {
		t.tab = make([]float32, m*16)
	}
	r.fsLUT(t.tab)
	quantizeFSTable(t.tab, m, m2, &t.fq)
	return invScale(t.fq.a), t.fq.b
}

// invScale is 1/a, or 0 for a table without spread (all its sums are 0).
func invScale(a float32) float32 {
	if a == 0 {
		return 0
	}
	return 1 / a
}

// scanFS offers the vectors of blocks [b0, b1) of c to h under sel (the
// id of position i is ids[i], or i when ids is nil): their table sums
// (lut plus bias, value = sum * oneA + b) through faiss's one-bit handler
// and, for multi-bit codes, its second stage. codes are the standard
// codes in the same order, aux their bytes after the sign bits.
func (r *rbqQuery) scanFS(h *topK, c pq4Blocks, lut []byte, bias uint16, oneA, b float32, b0, b1 int,
	codes, aux []byte, ids []int64, sel IDSelector, sign float32, s *fsScratch) {
	cs, as := r.codeSize, r.codeSize-r.l.signBytes
	// the common case (uncentred, one bit, no selector) in one loop with
	// the threshold in a register
	fast := !r.centered && r.l.exBits == 0 && sel == nil
	qrNorm := r.qrNorm
	if fast && kernels.RaBitQFSFilterAvailable() && (qrNorm != 0) == (sign < 0) {
		r.scanFSFiltered(h, c, lut, bias, oneA, b, b0, b1, aux, ids, sign, s)
		return
	}
	thr, thrID := h.dist[0], h.ids[0]
	for blk := b0; blk < b1; {
		groups, next := c.chunk(lut, bias, 0, 0, blk, b1, rbqScanGroups, s)
		base := blk * c.bbs
		for i, sum := range s.out[:min(groups*32, c.n-base)] {
			pos := base + i
			v := float32(sum)*oneA + b
			if !fast {
				id := int64(pos)
				if ids != nil {
					id = ids[pos]
				}
				if sel == nil || sel.IsMember(id) {
					r.offerFS(h, v, codes[pos*cs:(pos+1)*cs], id, sign)
				}
				continue
			}
			key := r.fsKey(aux[pos*as:pos*as+8], v, sign)
			if !(key <= thr) {
				continue
			}
			id := int64(pos)
			if ids != nil {
				id = ids[pos]
			}
			if key < thr || id < thrID {
				h.replaceRoot(key, id)
				thr, thrID = h.dist[0], h.ids[0]
			}
		}
		blk = next
	}
}

// fsKey is a one-bit vector's heap key from its table value v and its
// factors fac, as faiss's handler computes the uncentred estimate (which
// tells inner product by the query's norm).
func (r *rbqQuery) fsKey(fac []byte, v, sign float32) float32 {
	adj := float32(getF32(fac, 0)+r.qrToC) - float32(float32(2*getF32(fac, 4))*(v-r.c34))
	if r.qrNorm != 0 {
		return sign * (-0.5 * (adj - r.qrNorm))
	}
	return sign * clampPos(adj)
}

// scanFSFiltered is scanFS's common case with the SIMD filter: each
// kernel chunk's sums are compared with the heap's threshold at the
// chunk's start, and the vectors picked get their keys again here, as
// scanFS computes them, before the heap sees them.
func (r *rbqQuery) scanFSFiltered(h *topK, c pq4Blocks, lut []byte, bias uint16, oneA, b float32, b0, b1 int,
	aux []byte, ids []int64, sign float32, s *fsScratch) {
	f := &r.fsFilter
	f.OneA, f.B, f.C34, f.QrToC, f.QrNorm, f.IP = oneA, b, r.c34, r.qrToC, r.qrNorm, 0
	if sign < 0 {
		f.IP = 1
	}
	offer := func(pos int, sum uint16) {
		key := r.fsKey(aux[pos*8:pos*8+8], float32(sum)*oneA+b, sign)
		id := int64(pos)
		if ids != nil {
			id = ids[pos]
		}
		if key < h.dist[0] || (key == h.dist[0] && id < h.ids[0]) {
			h.replaceRoot(key, id)
		}
	}
	for blk := b0; blk < b1; {
		groups, next := c.chunk(lut, bias, 0, 0, blk, b1, rbqScanGroups, s)
		base := blk * c.bbs
		out := s.out[:min(groups*32, c.n-base)]
		n16 := len(out) / 16 * 16
		if n16 > 0 {
			if cap(r.fsMasks) < n16/16 {
				r.fsMasks = make([]uint16, len(s.out)/16)
			}
			masks := r.fsMasks[:n16/16]
			f.Thr = h.dist[0]
			kernels.RaBitQFSFilterSums(out, aux[base*8:], n16, f, masks)
			for g, m := range masks {
				for ; m != 0; m &= m - 1 {
					i := 16*g + bits.TrailingZeros16(m)
					offer(base+i, out[i])
				}
			}
		}
		for i := n16; i < len(out); i++ {
			offer(base+i, out[i])
		}
		blk = next
	}
}

// rbqAux copies each of n codes' bytes after its sign bits (cs bytes a
// code) into one contiguous array.
func rbqAux(codes []byte, n, cs, signBytes int) []byte {
	as := cs - signBytes
	aux := make([]byte, n*as)
	for v := 0; v < n; v++ {
		copy(aux[v*as:(v+1)*as], codes[v*cs+signBytes:(v+1)*cs])
	}
	return aux
}

// IndexRaBitQFastScan is an IndexRaBitQ searched by fast scan (faiss's
// class of that name): the codes are kept as IndexRaBitQ keeps them, and
// their sign bits packed in blocks of Bbs vectors, repacked when the
// codes changed.
type IndexRaBitQFastScan struct {
	*IndexRaBitQ
	// Bbs is the vectors per packed block; Implem and Qbs are faiss's
	// fast-scan fields (every implementation gives the same results here).
	Bbs, Implem, Qbs int
	m, m2            int

	mu        sync.Mutex
	packed    []byte
	aux       []byte // the codes' bytes after their sign bits (see rbqAux)
	packedGen uint64
	packedOK  bool
}

// checkRaBitQFastScan checks what faiss's fast-scan RaBitQ constructors do.
func checkRaBitQFastScan(op string, d, bbs int) error {
	if d <= 0 {
		return Errorf(KindInvalidArgument, op, "d must be positive, got %d", d)
	}
	if bbs <= 0 || bbs%32 != 0 {
		return Errorf(KindInvalidArgument, op, "bbs must be a positive multiple of 32, got %d", bbs)
	}
	return nil
}

// NewIndexRaBitQFastScan makes a fast-scan RaBitQ index of nbBits (1..9)
// bits per dimension, in blocks of bbs vectors; qb is 8, as in faiss.
func NewIndexRaBitQFastScan(d int, metric Metric, bbs, nbBits int) (*IndexRaBitQFastScan, error) {
	const op = "IndexRaBitQFastScan"
	if err := checkRaBitQFastScan(op, d, bbs); err != nil {
		return nil, err
	}
	base, err := NewIndexRaBitQ(d, metric, nbBits)
	if err != nil {
		return nil, err
	}
	base.name, base.Qb = op, 8
	m := (d + 3) / 4
	return &IndexRaBitQFastScan{IndexRaBitQ: base, Bbs: bbs, m: m, m2: (m + 1) &^ 1}, nil
}

// NewIndexRaBitQFastScanFrom is faiss's IndexRaBitQFastScan(const
// IndexRaBitQ&, bbs): a copy of src's center, codes and settings.
func NewIndexRaBitQFastScanFrom(src *IndexRaBitQ, bbs int) (*IndexRaBitQFastScan, error) {
	ix, err := NewIndexRaBitQFastScan(src.d, src.metric, bbs, src.RBQ.NbBits)
	if err != nil {
		return nil, err
	}
	ix.Qb, ix.Centered = src.Qb, src.Centered
	return ix, ix.Restore(src.trained, append([]float32(nil), src.RBQ.Centroid...), append([]byte(nil), src.codes...))
}

// Name is the faiss class this type is read and written as.
func (ix *IndexRaBitQFastScan) Name() string { return "IndexRaBitQFastScan" }

// M and M2 are faiss's fast-scan sub-quantizer counts: ceil(d/4) and that
// rounded up to even.
func (ix *IndexRaBitQFastScan) M() int  { return ix.m }
func (ix *IndexRaBitQFastScan) M2() int { return ix.m2 }

// packedBlocks returns the sign bits packed in blocks, repacked when the
// codes changed since.
func (ix *IndexRaBitQFastScan) packedBlocks() pq4Blocks {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	n := int(ix.Ntotal())
	if !ix.packedOK || ix.packedGen != ix.gen {
		nb := (n + ix.Bbs - 1) / ix.Bbs * ix.Bbs
		ix.packed = make([]byte, nb*ix.m2/2+1) // +1: never empty
		PQ4PackCodesStride(ix.codes, ix.RBQ.CodeSize, ix.m, 0, n, ix.Bbs, ix.m2, ix.packed)
		ix.aux = rbqAux(ix.codes, n, ix.RBQ.CodeSize, ix.RBQ.layout().signBytes)
		ix.packedGen, ix.packedOK = ix.gen, true
	}
	return pq4Blocks{codes: ix.packed, n: n, bbs: ix.Bbs, m2: ix.m2}
}

// Search implements Index.
func (ix *IndexRaBitQFastScan) Search(x []float32, k int, dist []float32, labels []int64) error {
	return ix.SearchWithParams(x, k, dist, labels, nil)
}

// SearchWithParams implements ParamSearcher; as faiss's, this index takes
// no search parameters (its qb and centered fields decide).
func (ix *IndexRaBitQFastScan) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
	op := ix.name + ".search"
	nq, err := ix.checkSearch(op, x, k, dist, labels)
	if err != nil {
		return err
	}
	if p != nil && *p != (SearchParams{}) {
		return Errorf(KindUnsupported, op, "search parameters are not supported by this index (as in faiss)")
	}
	if ix.Qb < 1 || ix.Qb > 8 {
		return Errorf(KindInvalidArgument, op, "qb must be 1..8, got %d", ix.Qb)
	}
	c := ix.packedBlocks()
	sign := keySign(ix.metric)
	scan := func(rq *rbqQuery, t *rbqFSTables, h *topK, s *fsScratch, q, b0, b1 int) {
		rq.set(x[q*ix.d:(q+1)*ix.d], ix.RBQ.Centroid)
		oneA, b := t.prepare(rq, ix.m, ix.m2)
		rq.scanFS(h, c, t.fq.lut, 0, oneA, b, b0, b1, ix.codes, ix.aux, nil, nil, sign, s)
	}
	nb := c.nblocks()
	if nq >= 2*workers() || ix.RBQ.NbBits > 1 {
		// queries in parallel, each scanning the codes in order (the
		// thresholds of the two stages then are faiss's)
		parallelChunks(nq, chunkFor(c.n*ix.m), func(_, lo, hi int) {
			rq, t, h, s := newRBQFSQuery(ix.RBQ, ix.Qb, ix.Centered), &rbqFSTables{}, newTopK(k), newFSScratch(ix.Bbs)
			for q := lo; q < hi; q++ {
				h.reset()
				scan(rq, t, &h, s, q, 0, nb)
				h.emit(sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
			}
		})
		return nil
	}
	// one-bit codes, few queries: the blocks are shared, heaps merged
	for q := 0; q < nq; q++ {
		parts := make([]topK, workers())
		used := parallelChunks(nb, chunkFor(ix.Bbs*ix.m), func(w, lo, hi int) {
			parts[w] = newTopK(k)
			scan(newRBQFSQuery(ix.RBQ, ix.Qb, ix.Centered), &rbqFSTables{}, &parts[w], newFSScratch(ix.Bbs), q, lo, hi)
		})
		if used == 0 {
			parts[0], used = newTopK(k), 1
		}
		for w := 1; w < used; w++ {
			parts[0].merge(&parts[w])
		}
		parts[0].emit(sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
	}
	return nil
}

// FaissBlocks returns the codes as faiss's IndexRaBitQFastScan holds
// them: per block of Bbs vectors, the packed sign bits, then each
// vector's factors (and magnitude codes), zero-padded.
func (ix *IndexRaBitQFastScan) FaissBlocks() []byte {
	return rbqFaissBlocks(ix.packedBlocks(), ix.codes, ix.RBQ.CodeSize, ix.RBQ.layout().signBytes)
}

// rbqFaissBlocks interleaves packed sign blocks with the codes' other
// bytes (from signBytes on), as faiss's block layout does.
func rbqFaissBlocks(c pq4Blocks, codes []byte, cs, signBytes int) []byte {
	packedBlock, aux := c.bbs*c.m2/2, cs-signBytes
	stride := packedBlock + c.bbs*aux
	nb := c.nblocks()
	out := make([]byte, nb*stride)
	for b := 0; b < nb; b++ {
		copy(out[b*stride:], c.codes[b*packedBlock:(b+1)*packedBlock])
		for i := 0; i < c.bbs && b*c.bbs+i < c.n; i++ {
			v := b*c.bbs + i
			copy(out[b*stride+packedBlock+i*aux:], codes[v*cs+signBytes:(v+1)*cs])
		}
	}
	return out
}

// RaBitQCodesFromBlocks turns n vectors of faiss's fast-scan RaBitQ blocks
// (bbs vectors each: packed sign bits, then per vector the code's bytes
// after its sign bits) back into standard codes.
func RaBitQCodesFromBlocks(blocks []byte, n, d, nbBits, bbs int) ([]byte, error) {
	const op = "IndexRaBitQFastScan"
	cs, sb := RaBitQCodeSize(d, nbBits), (d+7)/8
	m := (d + 3) / 4
	m2 := (m + 1) &^ 1
	packedBlock := bbs * m2 / 2
	stride := packedBlock + bbs*(cs-sb)
	nb := (n + bbs - 1) / bbs
	if bbs <= 0 || len(blocks) != nb*stride {
		return nil, Errorf(KindDimensionMismatch, op, "%d code bytes for %d vectors in blocks of %d (%d bytes each)", len(blocks), n, bbs, stride)
	}
	codes := make([]byte, n*cs)
	for v := 0; v < n; v++ {
		b, i := v/bbs, v%bbs
		PQ4UnpackCode(blocks[b*stride:b*stride+packedBlock], bbs, m, i, codes[v*cs:v*cs+sb])
		copy(codes[v*cs+sb:(v+1)*cs], blocks[b*stride+packedBlock+i*(cs-sb):])
	}
	return codes, nil
}
