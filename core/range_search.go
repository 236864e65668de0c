package core

// RangeResult holds range-search results as faiss does: the matches of
// query i are Dist[Lims[i]:Lims[i+1]] and Labels[Lims[i]:Lims[i+1]], in
// increasing id order.
type RangeResult struct {
	Lims   []int64
	Dist   []float32
	Labels []int64
}

// rangeHits collects matches per query.
type rangeHits struct {
	dist [][]float32
	ids  [][]int64
}

// rangeSearch returns every pair closer than radius (metric value < radius),
// or more similar (value > radius) for inner product, as faiss does.
func (j *scanJob) rangeSearch(radius float32) *RangeResult {
	sim := j.metric.IsSimilarity()
	visitor := func(h *rangeHits, first int) func(q, base int, row []float32) {
		return func(q, base int, row []float32) {
			i := q - first
			for c, v := range row {
				if (sim && v > radius) || (!sim && v < radius) {
					if j.sel != nil && !j.sel.IsMember(int64(base+c)) {
						continue
					}
					h.dist[i] = append(h.dist[i], v)
					h.ids[i] = append(h.ids[i], int64(base+c))
				}
			}
		}
	}
	newHits := func(n int) *rangeHits {
		return &rangeHits{dist: make([][]float32, n), ids: make([][]int64, n)}
	}
	// Database chunks are contiguous and concatenated in order, so ids stay
	// increasing whichever way the work is split.
	var parts []*rangeHits
	var firsts []int
	if j.nq >= 4*workers() {
		parts, firsts = make([]*rangeHits, workers()), make([]int, workers())
		used := parallelChunks(j.nq, chunkFor(j.nb*j.d), func(c, lo, hi int) {
			parts[c], firsts[c] = newHits(hi-lo), lo
			j.scan(lo, hi, 0, j.nb, visitor(parts[c], lo))
		})
		return collectByQuery(parts[:used], firsts[:used], j.nq)
	}
	parts = make([]*rangeHits, workers())
	used := parallelChunks(j.nb, max(j.dbBlock(), chunkFor(j.nq*j.d)), func(c, lo, hi int) {
		parts[c] = newHits(j.nq)
		j.scan(0, j.nq, lo, hi, visitor(parts[c], 0))
	})
	return collectByDatabase(parts[:used], j.nq)
}

// collectByQuery joins parts that each hold a contiguous range of queries.
func collectByQuery(parts []*rangeHits, firsts []int, nq int) *RangeResult {
	res := &RangeResult{Lims: make([]int64, nq+1)}
	for p, h := range parts {
		for i := range h.dist {
			q := firsts[p] + i
			res.Lims[q+1] = int64(len(h.dist[i]))
		}
	}
	return res.fill(func(q int, add func([]float32, []int64)) {
		for p := len(parts) - 1; p >= 0; p-- {
			if q >= firsts[p] {
				add(parts[p].dist[q-firsts[p]], parts[p].ids[q-firsts[p]])
				return
			}
		}
	})
}

// collectByDatabase joins parts that each hold all queries over a
// contiguous range of the database.
func collectByDatabase(parts []*rangeHits, nq int) *RangeResult {
	res := &RangeResult{Lims: make([]int64, nq+1)}
	for _, h := range parts {
		for q := range h.dist {
			res.Lims[q+1] += int64(len(h.dist[q]))
		}
	}
	return res.fill(func(q int, add func([]float32, []int64)) {
		for _, h := range parts {
			add(h.dist[q], h.ids[q])
		}
	})
}

// fill turns per-query counts in Lims[1:] into offsets and copies each
// query's matches, handed over by each(q, add), into Dist and Labels.
func (r *RangeResult) fill(each func(q int, add func([]float32, []int64))) *RangeResult {
	nq := len(r.Lims) - 1
	for q := 0; q < nq; q++ {
		r.Lims[q+1] += r.Lims[q]
	}
	r.Dist = make([]float32, r.Lims[nq])
	r.Labels = make([]int64, r.Lims[nq])
	for q := 0; q < nq; q++ {
		at := r.Lims[q]
		each(q, func(d []float32, ids []int64) {
			copy(r.Dist[at:], d)
			copy(r.Labels[at:], ids)
			at += int64(len(d))
		})
	}
	return r
}
