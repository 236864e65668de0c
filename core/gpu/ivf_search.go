package gpu

import (
	"github.com/metalfaiss/metalfaiss/metalbridge"
	"github.com/metalfaiss/metalfaiss/shaders"
)

// The IVF scans (flat, SQ, PQ): the probes of a batch of queries, grouped
// by list into tasks of up to 64 queries, one workgroup each (shaders/src/
// ivf_flat_scan.comp, ivf_pq_scan.comp), so that a probed list is read
// once per 64 of the queries that probe it; then one selection per query
// over its probes' candidates.

// taskWords is the words of a task in the work buffer: first row, rows,
// first slot, slots, list (ivf_flat_scan.comp).
const taskWords = 5

func b2u(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ivfTasks builds the work buffer of a batch: coarse holds each query's
// nprobe lists (-1: none), which becomes slots (query, output row q*nprobe
// + rank) sorted by list, cut into tasks of at most per slots. It
// returns the buffer's words, where each list's tasks start (firstTask[l],
// l <= nlist, and the total last) and the longest probed list.
func ivfTasks(coarse []int64, nprobe, per int, dl *deviceLists) (work []uint32, firstTask []int, longest int) {
	nlist := len(dl.size)
	counts := make([]int, nlist+1) // list nlist: probes of no list
	listOf := func(l int64) int {
		if l < 0 || l >= int64(nlist) {
			return nlist
		}
		return int(l)
	}
	for _, l := range coarse {
		counts[listOf(l)]++
	}
	firstTask = make([]int, nlist+2)
	for l, c := range counts {
		firstTask[l+1] = firstTask[l] + groups(c, per)
		if c > 0 && l < nlist {
			longest = max(longest, dl.size[l])
		}
	}
	ntasks := firstTask[nlist+1]
	slotBase := taskWords * ntasks
	work = make([]uint32, slotBase+2*len(coarse))
	first := make([]int, nlist+1) // each list's first slot
	for l, acc := 0, 0; l <= nlist; l++ {
		first[l], acc = acc, acc+counts[l]
	}
	next := append([]int(nil), first...)
	for i, l := range coarse {
		s := &next[listOf(l)]
		work[slotBase+2**s], work[slotBase+2**s+1] = uint32(i/nprobe), uint32(i)
		*s++
	}
	t := 0
	for l := 0; l <= nlist; l++ {
		start, size := 0, 0
		if l < nlist {
			start, size = dl.start[l], dl.size[l]
		}
		for s := 0; s < counts[l]; s += per {
			w := work[taskWords*t:]
			w[0], w[1], w[2], w[3], w[4] = uint32(start), uint32(size), uint32(first[l]+s), uint32(min(per, counts[l]-s)), uint32(min(l, nlist-1))
			t++
		}
	}
	return work, firstTask, longest
}

// ivfBatch is how many queries a batch takes so that its candidate
// buffers stay within the scratch budget: with k <= fusedMaxK, lists of k
// per probe (4 of them for flat and SQ lists); above, a row of keys per
// probe as long as the longest list (bounded by the longest list of the
// index) and k per probe after.
func (e *Engine) ivfBatch(nq, nprobe, k, longest, d int, layout rowLayout) int {
	budget := min(e.lim.MaxBinding, scratchBudget)
	per := int64(nprobe) * int64(candidatesPerProbe(k, layout)) * 4
	if keyRows(k) {
		per = max(per, int64(nprobe)*int64(max(longest, k))*4)
	}
	qb := int(min(budget/max(per, 1), budget/int64(4*d)))
	qb = min(qb, nq, e.lim.MaxGroups[0])
	if keyRows(k) {
		qb = min(qb, e.lim.MaxGroups[0]/nprobe)
	}
	return max(qb, 1)
}

// keyRows reports whether a scan writes rows of keys (then selected) rather
// than fused top-k lists: above fusedMaxK.
func keyRows(k int) bool { return k > fusedMaxK }

// candidatesPerProbe is the columns a fused scan writes per probe: four
// lists of k for flat and SQ lists (4 threads a query), one for PQ.
func candidatesPerProbe(k int, layout rowLayout) int {
	if layout == rowsPQ8 {
		return k
	}
	return 4 * k
}

// pqTableSubs is the sub-quantizers ivf_pq_scan.comp's shared table holds
// at a time (4096 floats: 16 KB, within Apple's 32 KB of shared memory).
const pqTableSubs = 16

// partialSums reports whether a PQ scan needs its rows of partial sums.
func partialSums(layout rowLayout, codeSize int) bool {
	return layout == rowsPQ8 && codeSize > pqTableSubs
}

// pqTaskSlots is the probes a PQ task takes: each needs its own distance
// table, so a task of many (as the flat scan's tileRows) gains little from
// reading the list once and serialises its probes in one workgroup.
const pqTaskSlots = 4

// pqScanGroups caps the workgroups of a fused PQ scan (each loops over
// tasks): its rows of partial sums, one per workgroup as long as the
// longest list, then take at most this many rows, whatever the batch. A
// variable so that tests can make workgroups loop over several tasks.
var pqScanGroups = 2048

// ivfScan runs one batch: queries x (qbn rows), their coarse lists, and
// writes the k best (key, row) pairs of each query into keys and rows.
func (e *Engine) ivfScan(dl *deviceLists, codec *codecDevice, metric Metric, x []float32, d int, coarse []int64, nprobe, k int, keys []uint32, rows []int32) error {
	qbn := len(x) / d
	per := tileRows
	if dl.layout == rowsPQ8 {
		per = pqTaskSlots
	}
	work, firstTask, longest := ivfTasks(coarse, nprobe, per, dl)
	nlist := len(dl.size)
	ntasks := firstTask[nlist+1]
	qBuf, err := e.writeQueries(x, true) // sent already by the coarse search of the same batch
	if err != nil {
		return err
	}
	wBuf, err := e.buffer("ivfWork", int64(len(work))*4)
	if err != nil {
		return err
	}
	if err := wBuf.Write(0, metalbridge.Bytes(work)); err != nil {
		return err
	}
	outKeys, outIds, err := e.pairBuffers("out", qbn*k)
	if err != nil {
		return err
	}
	family := map[rowLayout]string{rowsF32: "ivf_flat", rowsF16: "ivf_flat", rowsSQ8: "ivf_sq8", rowsSQF16: "ivf_sqfp16", rowsPQ8: "ivf_pq"}[dl.layout]
	wide := keyRows(k)
	kernel, ld := family+"_topk", candidatesPerProbe(k, dl.layout)
	if wide {
		kernel, ld = family+"_distances", max(longest, 1)
	}
	kernel = kernelFor(kernel, dl.layout == rowsF16)
	n := qbn * nprobe * ld
	ck, ci, err := e.pairBuffers("cand", n)
	if err != nil {
		return err
	}
	candKeys, candIds, cols := bind(ck, n), bind(ci, n), nprobe*ld
	var partial metalbridge.Binding
	fusedPQ := dl.layout == rowsPQ8 && !wide
	maxGroups := e.lim.MaxGroups[0]
	if fusedPQ {
		maxGroups = min(maxGroups, pqScanGroups)
		// A row of partial sums a workgroup between table parts (one word
		// when unused); the dispatches run one after the other and share it.
		m := 1
		if partialSums(dl.layout, dl.codeSize) {
			row := int64(max(longest, 1)) * 4
			maxGroups = max(1, min(maxGroups, int(min(e.lim.MaxBinding, scratchBudget)/row)))
			m = min(ntasks, maxGroups) * max(longest, 1)
		}
		pb, err := e.buffer("partial", int64(m)*4)
		if err != nil {
			return err
		}
		partial = bind(pb, m)
	}
	// One dispatch per shard of the lists, its lists' tasks; the probes of
	// no list (empty candidates) go with the first.
	var ds []metalbridge.Dispatch
	scan := func(s, t0, t1 int) {
		if t1 <= t0 {
			return
		}
		params := shaders.IVFScanParams{NQ: uint32(qbn), D: uint32(d), K: uint32(k), Metric: uint32(metric),
			NTasks: uint32(t1 - t0), SlotBase: uint32(taskWords * ntasks), RowBase: uint32(dl.shards[s].row0), TaskBase: uint32(t0)}
		if wide {
			params.LdOut = uint32(ld)
		}
		if dl.layout == rowsPQ8 && !wide {
			params.LdOut, params.NSel = uint32(max(longest, 1)), uint32(k)
		}
		bs := []metalbridge.Binding{{Buffer: qBuf, Size: int64(len(x)) * 4}, dl.rows(s), bind(wBuf, len(work)), candKeys, candIds}
		if codec != nil {
			bs = append(bs, metalbridge.Binding{Buffer: codec.aux, Size: codec.aux.Size()}, metalbridge.Binding{Buffer: codec.cents, Size: codec.cents.Size()})
			params.Residual = uint32(b2u(codec.residual))
		}
		if dl.layout == rowsPQ8 {
			params.K = uint32(dl.codeSize) // the PQ scan's M: 8-bit codes, a byte each
			if !wide {
				bs = append(bs, partial)
			}
		}
		ds = append(ds, metalbridge.Dispatch{Kernel: kernel, Params: shaders.Bytes(params), Bindings: bs,
			Groups: [3]int{min(t1-t0, maxGroups), 1, 1}})
	}
	for s, sh := range dl.shards {
		scan(s, firstTask[sh.first], firstTask[sh.end])
	}
	scan(0, firstTask[nlist], ntasks)
	if wide {
		// Each probe's k best first, then the query's k best of those.
		m := qbn * nprobe * k
		mk, mi, err := e.pairBuffers("chunk", m)
		if err != nil {
			return err
		}
		ds = append(ds, selectRows(qbn*nprobe, shaders.TopkSelectParams{NCols: uint32(ld), K: uint32(k), LdIn: uint32(ld), IDMode: 1},
			candKeys, candIds, bind(mk, m), bind(mi, m)))
		candKeys, candIds, cols = bind(mk, m), bind(mi, m), nprobe*k
	}
	ds = append(ds, selectRows(qbn, shaders.TopkSelectParams{NCols: uint32(cols), K: uint32(k), LdIn: uint32(cols), IDMode: 1},
		candKeys, candIds, bind(outKeys, qbn*k), bind(outIds, qbn*k)))
	if err := e.dev.Run(ds); err != nil {
		return err
	}
	if err := outKeys.Read(0, metalbridge.Bytes(keys)); err != nil {
		return err
	}
	return outIds.Read(0, metalbridge.Bytes(rows))
}

// pairBuffers returns the scratch buffers role+"Keys" and role+"Ids", n
// words each.
func (e *Engine) pairBuffers(role string, n int) (keys, ids metalbridge.Buffer, err error) {
	if keys, err = e.buffer(role+"Keys", int64(n)*4); err != nil {
		return nil, nil, err
	}
	ids, err = e.buffer(role+"Ids", int64(n)*4)
	return keys, ids, err
}
