package core

import (
	"sync"
	"sync/atomic"
)

// Building the graph as faiss's hnsw_add_vertices does: new nodes are
// bucketed by level, each bucket shuffled (seed 789) and inserted from the
// top level down; a bucket of more than 100 nodes is shared among the
// workers, each node's lists guarded by its own lock. With one worker the
// graph is faiss's, edge for edge.

// hnswDistances measures one query (or one stored node) against stored
// nodes; each worker has its own. Similarity metrics are negated, so the
// graph always minimises.
type hnswDistances interface {
	setQuery(q []float32)
	dist(i int32) float32
	// dists writes dist of each of ids into out (faiss's distances_batch_4,
	// for all the new neighbours of a node at once).
	dists(ids []int32, out []float32)
	symmetric(i, j int32) float32
}

// hnswBuilder is the shared state of one add.
type hnswBuilder struct {
	h     *HNSW
	locks []sync.Mutex
	top   sync.Mutex // guards EntryPoint and MaxLevel
	keep0 bool       // keep_max_size_level0: level-0 nodes keep full lists
	// undo holds the lists of the nodes that existed before this add, as
	// they were before it first changed them: an interrupted add puts them
	// back. saved has a bit per old node whose lists are kept (set
	// atomically: neighbouring bits belong to nodes other workers lock).
	n0    int
	saved []uint64
	undoM sync.Mutex
	undo  []savedLinks
}

// savedLinks is a node's lists (all its levels).
type savedLinks struct {
	node  int32
	links []int32
}

// keepOld saves node i's lists before their first change in this add;
// the caller holds locks[i], so nobody changes them meanwhile.
func (b *hnswBuilder) keepOld(i int32) {
	if int(i) >= b.n0 {
		return
	}
	word, bit := &b.saved[i>>6], uint64(1)<<(i&63)
	if atomic.LoadUint64(word)&bit != 0 {
		return
	}
	atomic.OrUint64(word, bit)
	s := savedLinks{node: i, links: b.h.nodeLinks(i)}
	b.undoM.Lock()
	b.undo = append(b.undo, s)
	b.undoM.Unlock()
}

// rollback undoes an add that linked nodes from n0 on: the old nodes'
// lists as they were, the new nodes gone, and the entry point, top level
// and level generator of mark.
func (b *hnswBuilder) rollback(mark hnswMark) {
	h := b.h
	for _, s := range b.undo {
		h.setNodeLinks(s.node, s.links)
	}
	h.Levels = h.Levels[:mark.levels]
	h.Offsets = h.Offsets[:b.n0+1]
	h.links0 = h.links0[:b.n0*h.cum[1]]
	h.upper = h.upper[:int(h.Offsets[b.n0])-b.n0*h.cum[1]]
	h.EntryPoint, h.MaxLevel = mark.entry, mark.maxLevel
	*h.rng = mark.rng
}

// hnswMark is what an add changes in a graph besides its lists.
type hnswMark struct {
	levels   int
	entry    int32
	maxLevel int
	rng      mt19937
}

func (h *HNSW) mark() hnswMark {
	return hnswMark{levels: len(h.Levels), entry: h.EntryPoint, maxLevel: h.MaxLevel, rng: *h.rng}
}

// link reads a neighbour slot; the atomic access keeps concurrent
// inserts well defined (a plain load on amd64 and arm64).
func link(list []int32, i int) int32 { return atomic.LoadInt32(&list[i]) }

func setLink(list []int32, i int, v int32) { atomic.StoreInt32(&list[i], v) }

// addVertices links nodes n0..n0+n-1, whose levels are prepared; x holds
// their vectors and newDist makes a worker's distance computer. With
// stoppable, workers stop when an interrupt is requested; the returned
// builder's rollback then restores the graph as it was.
func (h *HNSW) addVertices(n0, n int, x []float32, d int, newDist func() hnswDistances, keep0, stoppable bool, scratch *scratchPool, progress *Progress) *hnswBuilder {
	b := &hnswBuilder{h: h, locks: make([]sync.Mutex, n0+n), keep0: keep0, n0: n0, saved: make([]uint64, (n0+63)/64)}
	if n == 0 {
		return b
	}
	var hist []int
	for i := n0; i < n0+n; i++ {
		level := int(h.Levels[i]) - 1
		for level >= len(hist) {
			hist = append(hist, 0)
		}
		hist[level]++
	}
	starts := make([]int, len(hist)+1)
	for l := 0; l < len(hist)-1; l++ {
		starts[l+1] = starts[l] + hist[l]
	}
	order := make([]int32, n)
	for i := n0; i < n0+n; i++ {
		level := int(h.Levels[i]) - 1
		order[starts[level]] = int32(i)
		starts[level]++
	}
	rng := newMT19937(789)
	i1 := n
	for level := len(hist) - 1; level >= 0; level-- {
		i0 := i1 - hist[level]
		for j := i0; j < i1; j++ { // remove any bias of the data's order
			r := j + rng.below(i1-j)
			order[j], order[r] = order[r], order[j]
		}
		bucket := order[i0:i1]
		progress.Logf("Adding %d elements at level %d", len(bucket), level)
		insert := func(_, lo, hi int) {
			dc, vt := newDist(), scratch.get(n0+n)
			defer scratch.put(vt)
			linked := int64(0) // reported in batches: one shared counter, many workers
			defer func() { progress.Advance(linked) }()
			for _, pt := range bucket[lo:hi] {
				if stoppable && interrupted() {
					return
				}
				dc.setQuery(x[(int(pt)-n0)*d : (int(pt)-n0+1)*d])
				b.addWithLocks(dc, level, pt, vt)
				if linked++; linked == 256 {
					progress.Advance(linked)
					linked = 0
				}
			}
		}
		if len(bucket) > 100 {
			parallelChunks(len(bucket), 1, insert)
		} else {
			insert(0, 0, len(bucket))
		}
		i1 = i0
	}
	return b
}

// addWithLocks inserts node pt of level ptLevel (faiss's add_with_locks).
func (b *hnswBuilder) addWithLocks(dc hnswDistances, ptLevel int, pt int32, vt *hnswScratch) {
	h := b.h
	b.top.Lock()
	nearest, level := h.EntryPoint, h.MaxLevel
	if nearest == -1 {
		h.MaxLevel, h.EntryPoint = ptLevel, pt
	}
	b.top.Unlock()
	if nearest < 0 {
		return
	}
	b.locks[pt].Lock()
	dNearest := dc.dist(nearest)
	for ; level > ptLevel; level-- {
		nearest, dNearest = b.greedy(dc, level, nearest, dNearest, vt)
	}
	for ; level >= 0; level-- {
		n, dn := b.addLinksFrom(dc, pt, nearest, dNearest, level, vt, b.keep0 && ptLevel == 0)
		if h.HnswlibSelection && n >= 0 {
			nearest, dNearest = n, dn
		}
	}
	b.locks[pt].Unlock()
	b.top.Lock()
	if ptLevel > h.MaxLevel {
		h.MaxLevel, h.EntryPoint = ptLevel, pt
	}
	b.top.Unlock()
}

// greedy walks level to the nearest node it can reach from nearest
// (faiss's greedy_update_nearest).
func (b *hnswBuilder) greedy(dc hnswDistances, level int, nearest int32, dNearest float32, w *hnswScratch) (int32, float32) {
	for {
		prev := nearest
		list := b.h.list(nearest, level)
		w.ids = w.ids[:0]
		for j := range list {
			v := link(list, j)
			if v < 0 {
				break
			}
			w.ids = append(w.ids, v)
		}
		dis := w.measure(dc)
		for i, v := range w.ids {
			if dNearest > dis[i] {
				nearest, dNearest = v, dis[i]
			}
		}
		if nearest == prev {
			return nearest, dNearest
		}
	}
}

// addLinksFrom links pt on level to the best of the efConstruction nodes
// found from nearest, and those nodes back to pt. It returns the nearest
// node linked (-1 if none).
func (b *hnswBuilder) addLinksFrom(dc hnswDistances, pt, nearest int32, dNearest float32, level int, vt *hnswScratch, keep bool) (int32, float32) {
	targets := vt.heap(&vt.targets, true)
	b.searchToAdd(dc, targets, nearest, dNearest, level, vt)
	maxSize := b.h.NbNeighbors(level)
	if b.h.HnswlibSelection {
		maxSize = b.h.M
	}
	b.shrinkInner(dc, targets, maxSize, keep, vt)
	others := vt.others[:0]
	best, dBest := int32(-1), float32(0)
	for targets.len() > 0 {
		other := targets.top().id
		best, dBest = other, targets.top().d // the nearest comes out last
		b.addLink(dc, pt, other, level, keep, vt)
		others = append(others, other)
		targets.pop()
	}
	vt.others = others
	b.locks[pt].Unlock()
	for _, other := range others {
		b.locks[other].Lock()
		b.addLink(dc, other, pt, level, keep, vt)
		b.locks[other].Unlock()
	}
	b.locks[pt].Lock()
	return best, dBest
}

// searchToAdd collects into results (farthest on top) the efConstruction
// nearest nodes of level reachable from entry.
func (b *hnswBuilder) searchToAdd(dc hnswDistances, results *stdHeap, entry int32, dEntry float32, level int, vt *hnswScratch) {
	ef := b.h.EfConstruction
	candidates := vt.heap(&vt.cand, false)
	candidates.push(nodeDist{dEntry, entry})
	results.push(nodeDist{dEntry, entry})
	vt.set(entry)
	for candidates.len() > 0 {
		curr := candidates.top()
		if curr.d > results.top().d {
			break
		}
		candidates.pop()
		list := b.h.list(curr.id, level)
		vt.ids = vt.ids[:0]
		for j := range list {
			v := link(list, j)
			if v < 0 {
				break
			}
			if vt.set(v) {
				vt.ids = append(vt.ids, v)
			}
		}
		dists := vt.measure(dc)
		for i, v := range vt.ids {
			dis := dists[i]
			if results.len() < ef || results.top().d > dis {
				results.push(nodeDist{dis, v})
				candidates.push(nodeDist{dis, v})
				if results.len() > ef {
					results.pop()
				}
			}
		}
	}
	vt.advance()
}

// shrinkInner keeps at most maxSize of the nodes in set (farthest on
// top) by faiss's heuristic; a set already smaller stays as it is. keep
// tops the list up with rejected nodes (keep_max_size_level0).
func (b *hnswBuilder) shrinkInner(dc hnswDistances, set *stdHeap, maxSize int, keep bool, w *hnswScratch) {
	if set.len() < maxSize {
		return
	}
	nearestFirst := w.heap(&w.tmp, false)
	for set.len() > 0 {
		nearestFirst.push(set.pop())
	}
	w.out, w.outsiders = shrink(dc, nearestFirst, maxSize, keep, w.out[:0], w.outsiders[:0])
	for _, v := range w.out {
		set.push(v)
	}
}

// shrink takes the nodes of input nearest first and keeps a node only if
// no node kept before it is nearer to it than the query (faiss's
// shrink_neighbor_list): the kept neighbours point in diverse directions.
func shrink(dc hnswDistances, input *stdHeap, maxSize int, keep bool, out, outsiders []nodeDist) ([]nodeDist, []nodeDist) {
	for input.len() > 0 {
		v1 := input.pop()
		good := true
		for _, v2 := range out {
			if v1.d > dc.symmetric(v2.id, v1.id) {
				good = false
				break
			}
		}
		if good {
			out = append(out, v1)
			if len(out) >= maxSize {
				return out, outsiders
			}
		} else if keep {
			outsiders = append(outsiders, v1)
		}
	}
	for i := 0; keep && len(out) < maxSize && i < len(outsiders); i++ {
		out = append(out, outsiders[i])
	}
	return out, outsiders
}

// addLink adds dest to src's list on level, re-selecting the list by the
// heuristic when it is full (faiss's add_link).
func (b *hnswBuilder) addLink(dc hnswDistances, src, dest int32, level int, keep bool, w *hnswScratch) {
	b.keepOld(src)
	list := b.h.list(src, level)
	end := len(list)
	if link(list, end-1) == -1 {
		i := end
		for i > 0 && link(list, i-1) == -1 {
			i--
		}
		setLink(list, i, dest)
		return
	}
	set := w.heap(&w.links, true)
	set.push(nodeDist{dc.symmetric(src, dest), dest})
	for i := range list {
		n := link(list, i)
		set.push(nodeDist{dc.symmetric(src, n), n})
	}
	size := end
	if !b.h.HnswlibSelection {
		size = prunedSize(end, b.h.PruneHeadroom)
	}
	b.shrinkInner(dc, set, size, keep, w)
	// Written nearest first, as faiss 1.15 leaves a pruned list.
	kept := set.len()
	for j := kept - 1; j >= 0; j-- {
		setLink(list, j, set.pop().id)
	}
	for i := kept; i < end; i++ {
		setLink(list, i, -1)
	}
}

// prunedSize is how many links a re-selected list of maxSize slots keeps:
// faiss subtracts maxSize*headroom in float and truncates.
func prunedSize(maxSize int, headroom float32) int {
	return int(float32(maxSize) - float32(maxSize)*min(max(headroom, 0), 0.5))
}

// hnswScratch is one worker's visited table, the ids of the neighbours
// being measured with their distances, and the heaps and lists of an
// insertion, kept from one insertion to the next.
type hnswScratch struct {
	*visited
	ids                       []int32
	dis                       []float32
	targets, cand, links, tmp stdHeap
	out, outsiders            []nodeDist
	others                    []int32
}

// heap empties h and sets which end it keeps on top.
func (w *hnswScratch) heap(h *stdHeap, farthest bool) *stdHeap {
	h.reset(farthest, false)
	return h
}

// measure returns the distances of the query to ids.
func (w *hnswScratch) measure(dc hnswDistances) []float32 {
	if cap(w.dis) < len(w.ids) {
		w.dis = make([]float32, len(w.ids), 2*len(w.ids))
	}
	w.dis = w.dis[:len(w.ids)]
	dc.dists(w.ids, w.dis)
	return w.dis
}

// scratchPool keeps workers' scratch (a visited table of one byte per
// node, the heaps) between calls, so that a search or an add does not
// allocate them again.
type scratchPool struct{ p sync.Pool }

// get returns scratch whose visited table covers n nodes.
func (sp *scratchPool) get(n int) *hnswScratch {
	w, _ := sp.p.Get().(*hnswScratch)
	if w == nil {
		w = &hnswScratch{}
	}
	if w.visited == nil || len(w.gen) < n {
		w.visited = newVisited(n + n/4) // room for later adds
	}
	return w
}

func (sp *scratchPool) put(w *hnswScratch) { sp.p.Put(w) }
