package gpu

import (
	"github.com/metalfaiss/metalfaiss/metalbridge"
	"github.com/metalfaiss/metalfaiss/shaders"
)

// Searches with k above fusedMaxK over a large database bound each query
// first: the k-th key over a sample of the database (samplePieces pieces
// spread evenly over it) is at or above the k-th key over all of it, so
// only keys at or below it can rank. knn_filter_tiled then keeps just those
// keys (a few times k·nb/sample of them a query instead of nb), and
// topk_select_counted picks the k best. A query whose kept keys overflow
// its row is searched again through the rows of keys (searchBatch).

// filterMinRows is the smallest database that is bounded first: below it a
// query's rows of keys are short enough to select from directly.
const filterMinRows = 1 << 17

// samplePieces is how many pieces make the sample: enough that a database
// stored in clusters still puts rows near most queries into it.
const samplePieces = 64

// sampleShare is the database's share in the sample (1 / sampleShare).
const sampleShare = 32

// filterPlan is how a bounded search is cut.
type filterPlan struct {
	plan
	pieceRows int // rows of one piece of the sample (a multiple of tileRows)
	cols      int // candidates a query keeps
}

// filter returns the bounded plan of p, or false where p should select
// from rows of keys.
func (p plan) filter(lim metalbridge.Limits) (filterPlan, bool) {
	if p.fused || p.nb < filterMinRows {
		return filterPlan{}, false
	}
	piece := min(1024, p.nb/(sampleShare*samplePieces)) / tileRows * tileRows
	if piece < tileRows {
		return filterPlan{}, false
	}
	sample := samplePieces * piece
	// About k·nb/sample keys pass a bound; room for four times that.
	cols := roundUp(4*int(int64(p.k)*int64(p.nb)/int64(sample))+1024, 256)
	f := filterPlan{plan: p, pieceRows: piece, cols: cols}
	words := int(p.budget / 4)
	f.qb = min(p.nq, lim.MaxGroups[0], words/sample, words/cols)
	if f.qb > tileRows {
		f.qb = f.qb / tileRows * tileRows // resident query bindings stay aligned
	}
	if f.qb < 1 {
		return filterPlan{}, false
	}
	rowsPerBinding := int(lim.MaxBinding / int64(4*p.d))
	f.chunk = min(rowsPerBinding/tileRows*tileRows, roundUp(p.nb, tileRows))
	f.chunk = max(f.chunk, tileRows)
	return f, true
}

// pieceStart is the first row of piece i of the sample.
func (f filterPlan) pieceStart(i int) int {
	r0 := int(int64(i) * int64(f.nb-f.pieceRows) / int64(samplePieces-1))
	return r0 / tileRows * tileRows
}

// searchBatchFiltered runs queries [q0, q0+qbn) through the bounded search
// and reads back their k best (key, id) pairs; overflow lists the batch's
// queries (from 0) whose kept keys did not fit, to be searched again.
func (e *Engine) searchBatchFiltered(f filterPlan, db *Matrix, metric Metric, q Queries, q0, qbn int, keys []uint32, ids []int32) (overflow []int, err error) {
	d, k := f.d, f.k
	qBind, qNorms, ds, err := e.queryBinding(q, q0, qbn, d)
	if err != nil {
		return nil, err
	}
	sample := samplePieces * f.pieceRows
	sk, err := e.buffer("sampleKeys", int64(qbn*sample)*4)
	if err != nil {
		return nil, err
	}
	// The sample's rows of keys, piece i in columns i*pieceRows on.
	for i := range samplePieces {
		r0 := f.pieceStart(i)
		off := i * f.pieceRows
		out := metalbridge.Binding{Buffer: sk, Offset: int64(off) * 4, Size: int64(qbn*sample-off) * 4}
		span, nsplit := f.splits(qbn, f.pieceRows, e.lim.MaxGroups[1])
		params := shaders.KnnTiledParams{NQ: uint32(qbn), NB: uint32(f.pieceRows), D: uint32(d), K: uint32(k),
			Metric: uint32(metric), Span: uint32(span), LdOut: uint32(sample)}
		ds = append(ds, metalbridge.Dispatch{Kernel: kernelFor("knn_distances_tiled", db.half()), Params: shaders.Bytes(params),
			Bindings: []metalbridge.Binding{qBind, db.binding(r0, f.pieceRows), db.normsBinding(r0, f.pieceRows), qNorms, out, out},
			Groups:   [3]int{groups(qbn, flatTile), nsplit, 1}})
	}
	bk, bi, err := e.pairBuffers("bound", qbn*k)
	if err != nil {
		return nil, err
	}
	bounds := bind(bk, qbn*k)
	ds = append(ds, selectRows(qbn, shaders.TopkSelectParams{NCols: uint32(sample), K: uint32(k), LdIn: uint32(sample)},
		bind(sk, qbn*sample), bind(sk, qbn*sample), bounds, bind(bi, qbn*k)))

	// The kept keys of every chunk, appended to each query's row.
	cb, err := e.buffer("keptCounts", int64(qbn)*4)
	if err != nil {
		return nil, err
	}
	counts := make([]uint32, qbn)
	if err := cb.Write(0, metalbridge.Bytes(counts)); err != nil {
		return nil, err
	}
	ck, ci, err := e.pairBuffers("cand", qbn*f.cols)
	if err != nil {
		return nil, err
	}
	candKeys, candIds, countBind := bind(ck, qbn*f.cols), bind(ci, qbn*f.cols), bind(cb, qbn)
	for c0 := 0; c0 < f.nb; c0 += f.chunk {
		cn := min(f.chunk, f.nb-c0)
		span, nsplit := f.splits(qbn, cn, e.lim.MaxGroups[1])
		params := shaders.KnnTiledParams{NQ: uint32(qbn), NB: uint32(cn), D: uint32(d), K: uint32(k),
			Metric: uint32(metric), Span: uint32(span), IDBase: int32(c0), LdOut: uint32(f.cols)}
		ds = append(ds, metalbridge.Dispatch{Kernel: kernelFor("knn_filter_tiled", db.half()), Params: shaders.Bytes(params),
			Bindings: []metalbridge.Binding{qBind, db.binding(c0, cn), db.normsBinding(c0, cn), qNorms, candKeys, candIds, bounds, countBind},
			Groups:   [3]int{groups(qbn, flatTile), nsplit, 1}})
	}
	outKeys, outIds, err := e.pairBuffers("out", qbn*k)
	if err != nil {
		return nil, err
	}
	ds = append(ds, metalbridge.Dispatch{
		Kernel: "topk_select_counted",
		Params: shaders.Bytes(shaders.TopkSelectParams{NRows: uint32(qbn), NCols: uint32(f.cols), K: uint32(k),
			LdIn: uint32(f.cols), LdOut: uint32(k), IDMode: 1}),
		Bindings: []metalbridge.Binding{candKeys, candIds, bind(outKeys, qbn*k), bind(outIds, qbn*k), countBind},
		Groups:   [3]int{qbn, 1, 1},
	})
	if err := e.dev.Run(ds); err != nil {
		return nil, err
	}
	if err := outKeys.Read(0, metalbridge.Bytes(keys)); err != nil {
		return nil, err
	}
	if err := outIds.Read(0, metalbridge.Bytes(ids)); err != nil {
		return nil, err
	}
	if err := cb.Read(0, metalbridge.Bytes(counts)); err != nil {
		return nil, err
	}
	for i, n := range counts {
		if int(n) > f.cols {
			overflow = append(overflow, i)
		}
	}
	return overflow, nil
}
