package gpu

import (
	"math"

	"github.com/metalfaiss/metalfaiss/metalbridge"
	"github.com/metalfaiss/metalfaiss/shaders"
)

// Metric is the GPU's metric: inner product or L2 (the two faiss's GPU flat
// indexes offer).
type Metric int

// The metrics, with the kernels' codes.
const (
	InnerProduct Metric = shaders.MetricIP
	L2           Metric = shaders.MetricL2
)

// targetGroups is how many workgroups a knn dispatch aims for: enough to
// fill a large GPU several times over (an H100 has 132 multiprocessors).
const targetGroups = 4096

// Queries are the rows to search with: always on the host (for the L2 query
// norms) and, when Resident is set, already on the device as well, from
// row Row of it on.
type Queries struct {
	X        []float32
	Resident *Matrix
	Row      int
}

// plan is how one search is cut: query batches of qb rows, database chunks
// of chunk rows, and whether candidate lists are kept in the tile kernel.
type plan struct {
	nq, nb, d, k int
	qb, chunk    int
	fused        bool
	kernel       string
	budget       int64 // bytes of one scratch binding
}

func (e *Engine) plan(nq, nb, d, k int) plan {
	lim := e.lim
	p := plan{nq: nq, nb: nb, d: d, k: k, fused: k <= fusedMaxK}
	p.budget = min(lim.MaxBinding, scratchBudget)
	switch {
	case k == 1:
		p.kernel = "kmeans_assign_tiled"
	case p.fused:
		p.kernel = "knn_topk_tiled"
	default:
		p.kernel = "knn_distances_tiled"
	}
	rowsPerBinding := int(lim.MaxBinding / int64(4*d))
	p.chunk = min(rowsPerBinding/tileRows*tileRows, roundUp(nb, tileRows))
	// A batch is one merge workgroup per query and one tile workgroup per
	// flatTile queries.
	p.qb = min(nq, lim.MaxGroups[0], rowsPerBinding)
	if p.fused {
		// At least one split's candidate lists must fit a binding.
		p.qb = min(p.qb, int(p.budget/int64(4*k)))
	} else {
		// Rows of keys: a batch of queries times a chunk must fit a binding.
		p.qb = min(p.qb, 1024)
		p.chunk = min(p.chunk, int(p.budget/int64(4*p.qb))/tileRows*tileRows)
	}
	// Whole tiles keep the next batch's resident query binding aligned (one
	// batch of all the queries needs no rounding).
	if p.qb > tileRows && p.qb < nq {
		p.qb = p.qb / tileRows * tileRows
	}
	p.qb = max(p.qb, 1)
	p.chunk = max(p.chunk, tileRows)
	return p
}

// splits cuts a chunk of cn rows among workgroups along y: enough for
// targetGroups in all, each span a whole number of tiles, and (when fused)
// the candidate lists within the scratch budget.
func (p plan) splits(qbn, cn int, maxGroups int) (span, nsplit int) {
	want := max(1, targetGroups/groups(qbn, flatTile))
	if p.fused {
		want = min(want, int(p.budget/int64(4*p.k*qbn)))
	}
	want = max(1, min(want, groups(cn, 2*flatTile), maxGroups))
	span = roundUp(groups(cn, want), flatTile)
	return span, groups(cn, span)
}

// Search writes the k nearest rows of db for each query into dist and
// labels (nq*k each), best first, padded with (±FLT_MAX, -1) like the CPU.
func (e *Engine) Search(db *Matrix, metric Metric, q Queries, k int, dist []float32, labels []int64) error {
	const op = "gpu.Search"
	d := db.d
	nq := len(q.X) / d
	if k < 1 || k > MaxK {
		return errorf(op, "k=%d is outside 1..%d", k, MaxK)
	}
	if len(dist) != nq*k || len(labels) != nq*k {
		return errorf(op, "outputs hold %d and %d values, need %d", len(dist), len(labels), nq*k)
	}
	if q.Resident != nil && (q.Resident.d != d || q.Row < 0 || q.Row+nq > q.Resident.n) {
		return errorf(op, "the resident queries are %dx%d, the host ones %dx%d from row %d", q.Resident.n, q.Resident.d, nq, d, q.Row)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if db.n == 0 || nq == 0 {
		fillEmpty(metric, dist, labels)
		return nil
	}
	p := e.plan(nq, db.n, d, k)
	if f, ok := p.filter(e.lim); ok {
		return wrapErr(op, e.searchFiltered(f, db, metric, q, dist, labels))
	}
	return wrapErr(op, e.searchRows(p, db, metric, q, dist, labels))
}

// wrapErr is wrap for errors that may be nil.
func wrapErr(op string, err error) error {
	if err != nil {
		return wrap(op, err)
	}
	return nil
}

// searchRows runs every batch of plan p.
func (e *Engine) searchRows(p plan, db *Matrix, metric Metric, q Queries, dist []float32, labels []int64) error {
	k := p.k
	keys := make([]uint32, p.qb*k)
	ids := make([]int32, p.qb*k)
	for q0 := 0; q0 < p.nq; q0 += p.qb {
		qbn := min(p.qb, p.nq-q0)
		if err := e.searchBatch(p, db, metric, q, q0, qbn, keys[:qbn*k], ids[:qbn*k]); err != nil {
			return err
		}
		decode(metric, keys[:qbn*k], ids[:qbn*k], dist[q0*k:(q0+qbn)*k], labels[q0*k:(q0+qbn)*k])
	}
	return nil
}

// searchFiltered runs every batch of the bounded plan f, then searches the
// queries whose kept keys overflowed again through rows of keys.
func (e *Engine) searchFiltered(f filterPlan, db *Matrix, metric Metric, q Queries, dist []float32, labels []int64) error {
	k, d := f.k, f.d
	keys := make([]uint32, f.qb*k)
	ids := make([]int32, f.qb*k)
	var again []int
	for q0 := 0; q0 < f.nq; q0 += f.qb {
		qbn := min(f.qb, f.nq-q0)
		overflow, err := e.searchBatchFiltered(f, db, metric, q, q0, qbn, keys[:qbn*k], ids[:qbn*k])
		if err != nil {
			return err
		}
		decode(metric, keys[:qbn*k], ids[:qbn*k], dist[q0*k:(q0+qbn)*k], labels[q0*k:(q0+qbn)*k])
		for _, i := range overflow {
			again = append(again, q0+i)
		}
	}
	e.searchedAgain += len(again)
	if len(again) == 0 {
		return nil
	}
	x := make([]float32, len(again)*d)
	for j, i := range again {
		copy(x[j*d:(j+1)*d], q.X[i*d:(i+1)*d])
	}
	dd, ll := make([]float32, len(again)*k), make([]int64, len(again)*k)
	if err := e.searchRows(e.plan(len(again), f.nb, d, k), db, metric, Queries{X: x}, dd, ll); err != nil {
		return err
	}
	for j, i := range again {
		copy(dist[i*k:(i+1)*k], dd[j*k:(j+1)*k])
		copy(labels[i*k:(i+1)*k], ll[j*k:(j+1)*k])
	}
	return nil
}

// searchBatch runs queries [q0, q0+qbn) against every chunk in one command
// buffer and reads back their k best (key, id) pairs.
func (e *Engine) searchBatch(p plan, db *Matrix, metric Metric, q Queries, q0, qbn int, keys []uint32, ids []int32) error {
	d, k := p.d, p.k
	qBind, qNorms, ds, err := e.queryBinding(q, q0, qbn, d)
	if err != nil {
		return err
	}
	nchunks := groups(p.nb, p.chunk)
	outKeys, outIds, err := e.pairBuffers("out", qbn*k)
	if err != nil {
		return err
	}
	// With several chunks, each chunk's best k go to columns c*k.. of a
	// staging matrix, merged at the end.
	mergeKeys, mergeIds, ld := outKeys, outIds, k
	if nchunks > 1 {
		ld = nchunks * k
		if mergeKeys, mergeIds, err = e.pairBuffers("chunk", qbn*ld); err != nil {
			return err
		}
	}
	for c := 0; c < nchunks; c++ {
		c0 := c * p.chunk
		cn := min(p.chunk, p.nb-c0)
		out := selection{keys: bind(mergeKeys, qbn*ld), ids: bind(mergeIds, qbn*ld), ld: uint32(ld), offset: uint32(c * k)}
		cds, err := e.chunkDispatches(p, db, metric, qBind, qNorms, qbn, c0, cn, out)
		if err != nil {
			return err
		}
		ds = append(ds, cds...)
	}
	if nchunks > 1 {
		ds = append(ds, selectRows(qbn, shaders.TopkSelectParams{NCols: uint32(ld), K: uint32(k), LdIn: uint32(ld), LdOut: uint32(k), IDMode: 1},
			bind(mergeKeys, qbn*ld), bind(mergeIds, qbn*ld), bind(outKeys, qbn*k), bind(outIds, qbn*k)))
	}
	if err := e.dev.Run(ds); err != nil {
		return err
	}
	if err := outKeys.Read(0, metalbridge.Bytes(keys)); err != nil {
		return err
	}
	return outIds.Read(0, metalbridge.Bytes(ids))
}

// selection is where a chunk's k best go: columns offset.. of rows of ld.
type selection struct {
	keys, ids  metalbridge.Binding
	ld, offset uint32
}

// chunkDispatches computes the k best of rows [c0, c0+cn) for every query
// of the batch into out.
func (e *Engine) chunkDispatches(p plan, db *Matrix, metric Metric, qBind, qNorms metalbridge.Binding, qbn, c0, cn int, out selection) ([]metalbridge.Dispatch, error) {
	d, k := p.d, p.k
	span, nsplit := p.splits(qbn, cn, e.lim.MaxGroups[1])
	rows := db.binding(c0, cn)
	norms := db.normsBinding(c0, cn)
	params := shaders.KnnTiledParams{NQ: uint32(qbn), NB: uint32(cn), D: uint32(d), K: uint32(k),
		Metric: uint32(metric), Span: uint32(span), IDBase: int32(c0), LdOut: uint32(cn)}
	tile := metalbridge.Dispatch{Kernel: kernelFor(p.kernel, db.half()), Groups: [3]int{groups(qbn, flatTile), nsplit, 1}}
	var sel shaders.TopkSelectParams
	var inKeys, inIds metalbridge.Binding
	tile.Params = shaders.Bytes(params)
	if p.fused {
		// One list per query and split; with k = 1, one split and one
		// chunk that is the result.
		ncols := nsplit * k
		if k == 1 {
			if nsplit == 1 && out.ld == 1 {
				tile.Bindings = []metalbridge.Binding{qBind, rows, norms, qNorms, out.keys, out.ids}
				return []metalbridge.Dispatch{tile}, nil
			}
		}
		ck, ci, err := e.pairBuffers("cand", qbn*ncols)
		if err != nil {
			return nil, err
		}
		inKeys, inIds = bind(ck, qbn*ncols), bind(ci, qbn*ncols)
		sel = shaders.TopkSelectParams{NCols: uint32(ncols), K: uint32(k), LdIn: uint32(ncols), IDMode: 1}
	} else {
		rk, err := e.buffer("rowKeys", int64(qbn*cn*4))
		if err != nil {
			return nil, err
		}
		inKeys, inIds = bind(rk, qbn*cn), bind(rk, qbn*cn)
		sel = shaders.TopkSelectParams{NCols: uint32(cn), K: uint32(k), LdIn: uint32(cn), IDMode: 0, IDBase: int32(c0)}
	}
	tile.Bindings = []metalbridge.Binding{qBind, rows, norms, qNorms, inKeys, inIds}
	sel.LdOut, sel.OutOffset = out.ld, out.offset
	return []metalbridge.Dispatch{tile, selectRows(qbn, sel, inKeys, inIds, out.keys, out.ids)}, nil
}

// queryBinding binds queries [q0, q0+n) and their norms: rows of the
// resident matrix, or uploaded to scratch with a dispatch of norms_rows
// (returned, to run first).
func (e *Engine) queryBinding(q Queries, q0, n, d int) (rows, norms metalbridge.Binding, ds []metalbridge.Dispatch, err error) {
	size := int64(n) * int64(d) * 4
	if r, r0 := q.Resident, q.Row+q0; r != nil && (r0*4)%metalbridge.BindingAlign == 0 {
		rows = metalbridge.Binding{Buffer: r.rows, Offset: int64(r0) * int64(d) * 4, Size: size}
		norms = metalbridge.Binding{Buffer: r.norms, Offset: int64(r0) * 4, Size: int64(n) * 4}
		return rows, norms, nil, nil
	}
	b, err := e.writeQueries(q.X[q0*d:(q0+n)*d], false)
	if err != nil {
		return rows, norms, nil, err
	}
	nb, err := e.buffer("queryNorms", int64(n)*4)
	if err != nil {
		return rows, norms, nil, err
	}
	rows, norms = metalbridge.Binding{Buffer: b, Size: size}, bind(nb, n)
	ds = []metalbridge.Dispatch{{
		Kernel:   "norms_rows",
		Params:   shaders.Bytes(shaders.NormsParams{N: uint32(n), D: uint32(d)}),
		Bindings: []metalbridge.Binding{rows, norms},
		Groups:   [3]int{groups(n, shaders.WorkgroupSize), 1, 1},
	}}
	return rows, norms, ds, nil
}

// smallMergeCols is the longest row topk_merge_small takes: one thread
// reads it all, so longer rows go to topk_select_rows' 256 threads.
const smallMergeCols = 2048

// selectRows picks the k best of each row: a thread per row for short rows
// and small k, a workgroup per row otherwise.
func selectRows(rows int, p shaders.TopkSelectParams, inKeys, inIds, outKeys, outIds metalbridge.Binding) metalbridge.Dispatch {
	p.NRows = uint32(rows)
	if p.LdOut == 0 {
		p.LdOut = p.K
	}
	d := metalbridge.Dispatch{
		Kernel:   "topk_select_rows",
		Params:   shaders.Bytes(p),
		Bindings: []metalbridge.Binding{inKeys, inIds, outKeys, outIds},
		Groups:   [3]int{rows, 1, 1},
	}
	if p.K <= fusedMaxK && p.NCols <= smallMergeCols {
		d.Kernel, d.Groups[0] = "topk_merge_small", groups(rows, shaders.WorkgroupSize)
	}
	return d
}

func bind(b metalbridge.Buffer, n int) metalbridge.Binding {
	return metalbridge.Binding{Buffer: b, Size: int64(n) * 4}
}

// decode turns (key, id) pairs into distances and labels.
func decode(metric Metric, keys []uint32, ids []int32, dist []float32, labels []int64) {
	for j, key := range keys {
		switch {
		case key == keyNone || ids[j] < 0:
			labels[j], dist[j] = -1, emptyDistance(metric)
		case metric == L2:
			labels[j], dist[j] = int64(ids[j]), fromKey(key)
		default:
			labels[j], dist[j] = int64(ids[j]), -fromKey(key)
		}
	}
}

func emptyDistance(metric Metric) float32 {
	if metric == L2 {
		return math.MaxFloat32
	}
	return -math.MaxFloat32
}

func fillEmpty(metric Metric, dist []float32, labels []int64) {
	for i := range labels {
		labels[i], dist[i] = -1, emptyDistance(metric)
	}
}
