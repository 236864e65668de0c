package core

import "github.com/metalfaiss/metalfaiss/core/kernels"

// Tile sizes. A database block of dbBlockBytes stays in L2 cache while all
// the queries stream past it, queryBlock at a time (a multiple of the
// register tile height of kernels.DotTile, 2). 512 KiB beat 128 and 256 KiB
// for k-means at d=768 (each query row is reused by more database rows)
// and equalled them for batched search at d=128.
const (
	queryBlock   = 32
	dbBlockBytes = 512 << 10
	// directThreshold follows faiss's distance_compute_blas_threshold: below
	// 20 queries, L2 is computed directly (exact, no norm cancellation).
	directThreshold = 20
)

// scanJob describes one exhaustive comparison of queries with a database.
type scanJob struct {
	metric Metric
	arg    float32
	d      int
	xq     []float32
	nq     int
	xb     []float32
	nb     int
	// bNorms are the squared norms of the database rows; when set (L2 with
	// many queries) distances use |x|^2 + |y|^2 - 2 x.y from a DotTile.
	bNorms []float32
	// qNorms, when set, are the squared norms of all the queries (else
	// scan computes those of its range).
	qNorms []float32
	// dotOnly leaves inner products in the tiles of an L2-by-norms scan:
	// the visitor expands them itself (k = 1, kernels.L2ArgMin).
	dotOnly bool
	// sel, when set, filters the ids a search may return.
	sel IDSelector
	// gemm: inner-product tiles come from the packed micro-kernel
	// (kernels.GemmPacked), chosen per job so that every tile of a scan
	// sums in the same order however the work is split.
	gemm bool
}

// useGemm decides the tile kernel of a scan of nq queries: the packed
// micro-kernel where the kernel set has one and there are enough queries
// to fill its row blocks and pay for packing each database block.
func (j *scanJob) useGemm() {
	j.gemm = kernels.HasGemm() && j.nq >= directThreshold &&
		(j.metric == MetricInnerProduct || j.bNorms != nil)
}

// queryBlock is the number of queries per tile: two micro-kernel row
// blocks with the packed kernel.
func (j *scanJob) queryBlock() int {
	if j.gemm {
		return 2 * kernels.GemmMR
	}
	return queryBlock
}

func (j *scanJob) dbBlock() int {
	b := dbBlockBytes / (4 * j.d)
	b = max(16, min(b, 4096))
	return b &^ 3
}

// scratch is one worker's tile buffer, and the squared norms of the
// queries of the current tile (L2 by expansion only).
type scratch struct {
	tile   []float32
	qNorms []float32
	// With the packed kernel: the database block in panels, and the
	// kernel's query sliver.
	panels []float32
	gemm   *kernels.GemmScratch
	// With chunked tiles (long vectors): the database block and the query
	// block packed chunk-major, and the partial tile of one chunk.
	dbPack, qPack, partial []float32
}

// newScratch sizes the tile for the block shape of a scan of nq queries
// against nb vectors (a small scan must not pay for a full-size tile).
func (j *scanJob) newScratch(nq, nb int) *scratch {
	tq, tb := min(j.queryBlock(), nq), min(j.dbBlock(), nb)
	s := &scratch{tile: make([]float32, tq*tb)}
	if j.gemm {
		s.panels, s.gemm = make([]float32, kernels.PackedSize(tb, j.d)), &kernels.GemmScratch{}
		return s
	}
	if j.chunked() && nq >= queryBlock { // packing the database pays off over many queries
		s.dbPack, s.qPack, s.partial = make([]float32, tb*j.d), make([]float32, tq*j.d), make([]float32, tq*tb)
	}
	return s
}

// chunked reports whether inner-product tiles are computed chunk by chunk
// of the dimension (kernels.DotTileChunked): for long vectors, where a
// panel of whole rows no longer fits in L1 next to the query rows.
func (j *scanJob) chunked() bool {
	return j.d > 2*kernels.ChunkWidth && (j.metric == MetricInnerProduct || j.bNorms != nil)
}

// scan computes the raw metric value of every pair (q, b) with q in
// [q0, q1) and b in [b0, b1), and hands each query's row of a database
// block to visit(q, first id of the block, row). Each database block is
// loaded once and stays in cache while all the queries pass it, so a large
// database is read from memory once per scan, not once per query block.
// For a given query, blocks come in increasing id order.
func (j *scanJob) scan(q0, q1, b0, b1 int, visit func(q, base int, row []float32)) {
	d, bb := j.d, j.dbBlock()
	s := j.newScratch(q1-q0, b1-b0)
	var qNorms []float32
	switch {
	case j.qNorms != nil:
		qNorms = j.qNorms[q0:q1]
	case j.bNorms != nil:
		qNorms = make([]float32, q1-q0)
		kernels.Norms(j.xq[q0*d:q1*d], d, qNorms)
	}
	for bs := b0; bs < b1; bs += bb {
		be := min(bs+bb, b1)
		nbb := be - bs
		xb := j.xb[bs*d : be*d]
		if s.dbPack != nil {
			kernels.PackChunks(xb, nbb, d, s.dbPack)
		}
		if s.panels != nil {
			kernels.PackPanels(xb, nbb, d, s.panels)
		}
		for qs := q0; qs < q1; qs += j.queryBlock() {
			qe := min(qs+j.queryBlock(), q1)
			nqb := qe - qs
			if qNorms != nil {
				s.qNorms = qNorms[qs-q0 : qe-q0]
			}
			j.fillTile(j.xq[qs*d:qe*d], nqb, xb, nbb, bs, s)
			for qi := 0; qi < nqb; qi++ {
				visit(qs+qi, bs, s.tile[qi*nbb:(qi+1)*nbb])
			}
		}
	}
}

// dotTile writes the nq x nb inner products into s.tile, chunk by chunk
// for long vectors (the database block is packed already).
func (j *scanJob) dotTile(xq []float32, nq int, xb []float32, nb int, s *scratch) {
	d, tile := j.d, s.tile[:nq*nb]
	if s.panels != nil {
		kernels.GemmPacked(xq, nq, s.panels, nb, d, tile, nb, s.gemm)
		return
	}
	if s.dbPack == nil {
		kernels.DotTile(xq, nq, xb, nb, d, tile, nb)
		return
	}
	kernels.PackChunks(xq, nq, d, s.qPack[:nq*d])
	kernels.DotTileChunked(s.qPack[:nq*d], nq, s.dbPack[:nb*d], nb, d, tile, nb, s.partial)
}

// fillTile writes the nq x nb block of metric values into s.tile (ld = nb).
func (j *scanJob) fillTile(xq []float32, nq int, xb []float32, nb, base int, s *scratch) {
	d, tile := j.d, s.tile[:nq*nb]
	switch {
	case j.metric == MetricInnerProduct:
		j.dotTile(xq, nq, xb, nb, s)
	case j.metric == MetricL2 && j.bNorms != nil:
		j.dotTile(xq, nq, xb, nb, s)
		if j.dotOnly {
			return
		}
		bn := j.bNorms[base : base+nb]
		for qi := 0; qi < nq; qi++ {
			kernels.L2FromDot(tile[qi*nb:(qi+1)*nb], s.qNorms[qi], bn)
		}
	case j.metric == MetricL2:
		for qi := 0; qi < nq; qi++ {
			kernels.L2SqrRows(xq[qi*d:(qi+1)*d], xb, tile[qi*nb:(qi+1)*nb])
		}
	default:
		dist := pairDistance(j.metric, j.arg)
		for qi := 0; qi < nq; qi++ {
			x, row := xq[qi*d:(qi+1)*d], tile[qi*nb:(qi+1)*nb]
			for c := range row {
				row[c] = dist(x, xb[c*d:(c+1)*d])
			}
		}
	}
}

// pairDistance returns the kernel computing metric m for one pair.
func pairDistance(m Metric, arg float32) func(x, y []float32) float32 {
	switch m {
	case MetricL2:
		return kernels.L2Sqr
	case MetricInnerProduct:
		return kernels.Inner
	case MetricL1:
		return kernels.L1
	case MetricLinf:
		return kernels.Linf
	case MetricLp:
		return func(x, y []float32) float32 { return kernels.Lp(x, y, arg) }
	case MetricCanberra:
		return kernels.Canberra
	case MetricBrayCurtis:
		return kernels.BrayCurtis
	case MetricJensenShannon:
		return kernels.JensenShannon
	case MetricJaccard:
		return kernels.Jaccard
	case MetricNaNEuclidean:
		return kernels.NaNEuclidean
	case MetricGower:
		return kernels.Gower
	}
	panic("pairDistance: unchecked metric " + m.String())
}
