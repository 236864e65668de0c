package core

// Searching the graph as faiss's HNSW::search does: a greedy walk down the
// upper levels, then a best-first search of level 0 from the node found.

// hnswSearchFlags are the settings of one search.
type hnswSearchFlags struct {
	efSearch     int
	disCheck     bool // check_relative_distance
	boundedQueue bool
	sel          IDSelector
}

// hnswResults is faiss's heap result handler for one query: a pair enters
// only below the worst kept distance (ties do not displace).
// In range mode (ranged) it keeps every pair below radius instead.
type hnswResults struct {
	topK
	ranged  bool
	radius  float32
	hitDist []float32
	hitIDs  []int64
}

func (r *hnswResults) threshold() float32 {
	if r.ranged {
		return r.radius
	}
	return r.dist[0]
}

func (r *hnswResults) add(d float32, id int32) bool {
	if r.ranged {
		r.hitDist = append(r.hitDist, d)
		r.hitIDs = append(r.hitIDs, int64(id))
		return false // the threshold stays the radius
	}
	if r.dist[0] > d {
		r.replaceRoot(d, int64(id))
		return true
	}
	return false
}

// hnswSearcher is one worker's scratch.
type hnswSearcher struct {
	dc         hnswDistances
	vt         *hnswScratch
	candidates *minimaxHeap
	res        hnswResults
	stats      HNSWStats // this worker's counts, added up by record
	// pano measures level 0 of an IndexHNSWFlatPanorama progressively
	pano *panoramaDistances
}

// fresh collects the neighbours of node on level not visited yet (marking
// them) and measures them in one call.
func (s *hnswSearcher) fresh(h *HNSW, node int32, level int) ([]int32, []float32) {
	s.freshIDs(h, node, level)
	return s.vt.ids, s.vt.measure(s.dc)
}

// freshIDs collects the neighbours of node on level not visited yet
// (marking them) into s.vt.ids.
func (s *hnswSearcher) freshIDs(h *HNSW, node int32, level int) []int32 {
	w := s.vt
	w.ids = w.ids[:0]
	for _, v := range h.list(node, level) {
		if v < 0 {
			break
		}
		if w.set(v) {
			w.ids = append(w.ids, v)
		}
	}
	return w.ids
}

// greedy is greedy_update_nearest on a finished graph.
func (h *HNSW) greedy(dc hnswDistances, level int, nearest int32, dNearest float32) (int32, float32) {
	for {
		prev := nearest
		for _, v := range h.list(nearest, level) {
			if v < 0 {
				break
			}
			if dis := dc.dist(v); dNearest > dis {
				nearest, dNearest = v, dis
			}
		}
		if nearest == prev {
			return nearest, dNearest
		}
	}
}

// search fills s.res (k pairs, reset by the caller) for the query loaded
// in s.dc.
func (h *HNSW) search(s *hnswSearcher, k int, f hnswSearchFlags) {
	if h.EntryPoint == -1 {
		return
	}
	nearest := h.EntryPoint
	dNearest := s.dc.dist(nearest)
	for level := h.MaxLevel; level >= 1; level-- {
		nearest, dNearest = h.greedy(s.dc, level, nearest, dNearest)
	}
	ef := max(f.efSearch, k)
	if f.boundedQueue {
		s.candidates.reset(ef)
		s.candidates.push(nearest, dNearest)
		h.searchFromCandidates(s, f)
	} else {
		h.searchUnbounded(s, nodeDist{dNearest, nearest}, ef, k)
	}
	s.vt.advance()
}

// searchFromCandidates is faiss's search_from_candidates on level 0.
func (h *HNSW) searchFromCandidates(s *hnswSearcher, f hnswSearchFlags) {
	c, res := s.candidates, &s.res
	threshold := res.threshold()
	for i := 0; i < c.nvalid; i++ {
		v, d := c.ids[i], c.dis[i]
		if (f.sel == nil || f.sel.IsMember(int64(v))) && threshold > d && res.add(d, v) {
			threshold = res.threshold()
		}
		s.vt.set(v)
	}
	s.stats.N1++
	// The entries below the popped d0 exclude d0's own, so fewer than the
	// capacity: with a capacity of at most efSearch (k <= efSearch, the
	// usual case) faiss's check can never stop the search, and its scan is
	// skipped.
	disCheck := f.disCheck && c.n > f.efSearch
	nstep := 1
	for ; c.nvalid > 0; nstep++ {
		v0, d0 := c.popMin()
		if disCheck && c.countBelow(d0) >= f.efSearch {
			break
		}
		threshold = res.threshold()
		if s.pano != nil {
			s.expandPanorama(h, v0, f)
		} else {
			ids, dists := s.fresh(h, v0, 0)
			s.stats.NDis += int64(len(ids))
			for i, v := range ids {
				dis := dists[i]
				if (f.sel == nil || f.sel.IsMember(int64(v))) && threshold > dis && res.add(dis, v) {
					threshold = res.threshold()
				}
				c.push(v, dis)
			}
		}
		if !f.disCheck && nstep > f.efSearch {
			break
		}
	}
	if c.nvalid == 0 {
		s.stats.N2++
	}
	s.stats.NHops += int64(nstep - 1)
}

// expandPanorama is faiss's Panorama expansion of node v0 on level 0: the
// new neighbours the filter selects are measured together level by level;
// one whose Cauchy-Schwarz bound exceeds the results' threshold is dropped
// from the batch and joins the candidate queue with the distance summed so
// far; those measured whole join the results and the queue.
func (s *hnswSearcher) expandPanorama(h *HNSW, v0 int32, f hnswSearchFlags) {
	c, res, pn := s.candidates, &s.res, s.pano
	threshold := res.threshold()
	w := s.vt
	w.ids, w.dis = w.ids[:0], w.dis[:0]
	for _, v := range h.list(v0, 0) {
		if v < 0 {
			break
		}
		if (f.sel == nil || f.sel.IsMember(int64(v))) && w.set(v) {
			w.ids = append(w.ids, v)
			w.dis = append(w.dis, pn.start(v))
		}
	}
	pn.stats.total += int64(len(w.ids) * pn.p.d)
	ids, dis := w.ids, w.dis
	for l := 0; l < pn.p.nLevels && len(ids) > 0; l++ {
		start, lw := pn.p.level(l)
		if lw == 0 {
			continue
		}
		pn.stats.scanned += int64(len(ids) * lw)
		s.stats.NDis += int64(len(ids))
		kept := 0
		for i, v := range ids {
			d, bound := pn.step(v, dis[i], l, start, lw)
			if bound <= threshold {
				ids[kept], dis[kept] = v, d
				kept++
			} else {
				c.push(v, d)
			}
		}
		ids, dis = ids[:kept], dis[:kept]
	}
	for i, v := range ids {
		if threshold > dis[i] && res.add(dis[i], v) {
			threshold = res.threshold()
		}
		c.push(v, dis[i])
	}
}

// searchUnbounded is faiss's search_from_candidate_unbounded: both queues
// grow freely, ordered by (distance, id); the k nearest of the ef kept
// go to the results. Like faiss, it ignores the selector.
func (h *HNSW) searchUnbounded(s *hnswSearcher, start nodeDist, ef, k int) {
	s.stats.N1++
	top := newStdHeap(true, true)
	candidates := newStdHeap(false, true)
	top.push(start)
	candidates.push(start)
	s.vt.set(start.id)
	for candidates.len() > 0 {
		c := candidates.top()
		if c.d > top.top().d {
			break
		}
		candidates.pop()
		ids, dists := s.fresh(h, c.id, 0)
		s.stats.NDis += int64(len(ids))
		s.stats.NHops++
		for i, v := range ids {
			dis := dists[i]
			if top.top().d > dis || top.len() < ef {
				candidates.push(nodeDist{dis, v})
				top.push(nodeDist{dis, v})
				if top.len() > ef {
					top.pop()
				}
			}
		}
	}
	for top.len() > k {
		top.pop()
	}
	for top.len() > 0 {
		v := top.pop()
		s.res.add(v.d, v.id)
	}
}
