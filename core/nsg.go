package core

import (
	"slices"
	"sync"
)

// NSG is faiss's navigating spreading-out graph (Fu et al., 2019), built
// from a k-nearest-neighbour graph: each node searches the kNN graph from
// a navigating node near the centroid, and keeps from what it met at most
// R neighbours that no kept one occludes (a candidate nearer to a kept
// neighbour than to the node is left out); reverse links are then added
// under the same rule, and nodes the navigating node cannot reach are
// attached to reachable ones with room, so that every node is reachable.
type NSG struct {
	R, L, C    int
	SearchL    int
	EnterPoint int32
	IsBuilt    bool
	Ntotal     int
	Graph      []int32 // Ntotal rows of R ids, -1 after a row's last
	rng        *mt19937
}

func newNSG(r int) *NSG {
	return &NSG{R: r, L: r + 32, C: r + 100, SearchL: 16, rng: newMT19937(0x0903)}
}

// nsgRandomSeed seeds the random start nodes of every walk, as faiss's
// search_on_graph does, so that a search repeats.
const nsgRandomSeed = 0x1234

func (g *NSG) graph() fixedGraph { return fixedGraph{ids: g.Graph, width: g.R} }

// walk searches graph for the query set in dc from ep with a pool of size
// nodes (at most the graph's size), starting from ep's neighbours and
// random nodes; collect sees every node measured. It returns the sorted
// pool.
func (g *NSG) walk(graph fixedGraph, dc hnswDistances, vt *visited, ep int32, size int, w *graphWalker, collect func(int32, float32)) []poolEntry {
	size = min(size, g.Ntotal)
	pool := w.reset(size)
	n := 0
	for _, id := range graph.row(ep) {
		if n == size || id < 0 {
			break
		}
		if id >= 0 && int(id) < g.Ntotal && vt.set(id) {
			pool[n].id = id
			n++
		}
	}
	var rng *mt19937 // made only when the entry's neighbours do not fill the pool
	if n < size {
		rng = newMT19937(nsgRandomSeed)
	}
	for n < size {
		if id := int32(rng.below(g.Ntotal)); vt.set(id) {
			pool[n].id = id
			n++
		}
	}
	for i := range pool[:size] {
		pool[i].d, pool[i].fresh = dc.dist(pool[i].id), true
		if collect != nil {
			collect(pool[i].id, pool[i].d)
		}
	}
	sortPool(pool[:size])
	walkPool(graph, dc, vt, pool, size, w, collect)
	return pool[:size]
}

// search writes the k nearest to the query set in dc.
func (g *NSG) search(dc hnswDistances, k int, vt *visited, w *graphWalker, dist []float32, labels []int64) {
	pool := g.walk(g.graph(), dc, vt, g.EnterPoint, max(g.SearchL, k), w, nil)
	vt.advance()
	emitPool(pool, dist, labels)
}

// nsgBuild is the state of one build.
type nsgBuild struct {
	g       *NSG
	knn     fixedGraph
	newDist func() hnswDistances
	vector  func(i int, out []float32) // a stored vector, decoded
	d       int
	// the pruned lists before compaction: ids (-1: empty) and distances
	ids   []int32
	dists []float32
	// unreached: no node before it is unreached by the depth-first search
	unreached int
}

// build makes the graph over the n stored vectors from knn (n rows).
func (g *NSG) build(op string, n, d int, knn fixedGraph, newDist func() hnswDistances, vector func(int, []float32)) error {
	if g.R < 1 || g.L < 1 || g.C < 1 {
		return Errorf(KindInvalidArgument, op, "NSG needs R, L and C >= 1 (R=%d, L=%d, C=%d)", g.R, g.L, g.C)
	}
	g.Ntotal = n
	b := &nsgBuild{g: g, knn: knn, newDist: newDist, vector: vector, d: d}
	b.enterPoint()
	b.ids, b.dists = make([]int32, n*g.R), make([]float32, n*g.R)
	b.link()
	if err := checkInterrupt(op); err != nil {
		g.Ntotal = 0
		return err
	}
	b.reverseLinks()
	graph := make([]int32, n*g.R)
	degrees := make([]int, n)
	for i := range n {
		row := graph[i*g.R : (i+1)*g.R]
		c := 0
		for _, id := range b.ids[i*g.R : (i+1)*g.R] {
			if id != -1 {
				row[c] = id
				c++
			}
		}
		for j := c; j < g.R; j++ {
			row[j] = -1
		}
		degrees[i] = c
	}
	g.Graph = graph
	b.treeGrow(degrees)
	g.IsBuilt = true
	return nil
}

// enterPoint picks the navigating node: the nearest to the mean of the
// stored vectors found by a walk of the kNN graph from a random node.
func (b *nsgBuild) enterPoint() {
	g, n := b.g, b.g.Ntotal
	center := make([]float64, b.d)
	vec := make([]float32, b.d)
	for i := range n {
		b.vector(i, vec)
		for j, v := range vec {
			center[j] += float64(v)
		}
	}
	q := make([]float32, b.d)
	for j := range q {
		q[j] = float32(center[j] / float64(n))
	}
	dc := b.newDist()
	dc.setQuery(q)
	ep := int32(g.rng.below(n))
	pool := g.walk(b.knn, dc, newVisited(n), ep, g.L, &graphWalker{}, nil)
	g.EnterPoint = pool[0].id
}

// link gives each node its pruned list of what a walk toward it meets.
func (b *nsgBuild) link() {
	g, n := b.g, b.g.Ntotal
	var scratch scratchPool
	parallelDynamic(n, 100, func(_, lo, hi int) {
		vt := scratch.get(n)
		defer scratch.put(vt)
		dc := b.newDist()
		vec := make([]float32, b.d)
		var met []poolEntry
		var w graphWalker
		for i := lo; i < hi; i++ {
			b.vector(i, vec)
			dc.setQuery(vec)
			met = met[:0]
			g.walk(b.knn, dc, vt.visited, g.EnterPoint, g.L, &w, func(id int32, d float32) {
				met = append(met, poolEntry{id: id, d: d})
			})
			met = b.prune(int32(i), met, dc, vt.visited)
			vt.advance()
		}
	})
}

// prune keeps node q's neighbours among met (plus its kNN neighbours not
// met): nearest first, each kept unless a kept one is nearer to it than q
// is, at most R, looking at the C nearest.
func (b *nsgBuild) prune(q int32, met []poolEntry, dc hnswDistances, vt *visited) []poolEntry {
	g := b.g
	for _, id := range b.knn.row(q) {
		if id < 0 || int(id) >= g.Ntotal || vt.gen[id] == vt.cur {
			continue
		}
		met = append(met, poolEntry{id: id, d: dc.symmetric(q, id)})
	}
	sortPool(met)
	ids, dists := b.ids[int(q)*g.R:(int(q)+1)*g.R], b.dists[int(q)*g.R:(int(q)+1)*g.R]
	kept := occlusionPrune(met, q, g.R, g.C, dc, ids, dists)
	for j := kept; j < g.R; j++ {
		ids[j] = -1
	}
	return met
}

// occlusionPrune writes to ids and dists the nodes of sorted that no
// earlier kept node occludes (skipping skip and repeats), at most len(ids),
// reading at most limit of sorted; it returns how many it kept.
func occlusionPrune(sorted []poolEntry, skip int32, limit int, scan int, dc hnswDistances, ids []int32, dists []float32) int {
	kept := 0
	start := 0
	if len(sorted) > 0 && sorted[0].id == skip {
		start = 1
	}
	for i := start; i < len(sorted) && i < scan && kept < limit; i++ {
		p := sorted[i]
		ok := true
		for t := range kept {
			if ids[t] == p.id || dc.symmetric(ids[t], p.id) < p.d {
				ok = false
				break
			}
		}
		if ok {
			ids[kept], dists[kept] = p.id, p.d
			kept++
		}
	}
	return kept
}

// reverseLinks adds q to the list of each of its neighbours: appended
// where there is room, else the list and q are pruned again to R.
func (b *nsgBuild) reverseLinks() {
	n, r := b.g.Ntotal, b.g.R
	locks := make([]sync.Mutex, n)
	parallelDynamic(n, 100, func(_, lo, hi int) {
		dc := b.newDist()
		var tmp []poolEntry
		ids, dists := make([]int32, r), make([]float32, r)
		for q := lo; q < hi; q++ {
			locks[q].Lock()
			own := slices.Clone(b.ids[q*r : (q+1)*r])
			ownD := slices.Clone(b.dists[q*r : (q+1)*r])
			locks[q].Unlock()
			for i, des := range own {
				if des == -1 {
					break
				}
				locks[des].Lock()
				b.addReverse(int32(q), ownD[i], des, dc, &tmp, ids, dists)
				locks[des].Unlock()
			}
		}
	})
}

func (b *nsgBuild) addReverse(q int32, d float32, des int32, dc hnswDistances, tmp *[]poolEntry, ids []int32, dists []float32) {
	r := b.g.R
	rowIDs, rowD := b.ids[int(des)*r:(int(des)+1)*r], b.dists[int(des)*r:(int(des)+1)*r]
	pool := (*tmp)[:0]
	for j, id := range rowIDs {
		if id == -1 {
			break
		}
		if id == q {
			return
		}
		pool = append(pool, poolEntry{id: id, d: rowD[j]})
	}
	*tmp = pool
	if len(pool) < r {
		rowIDs[len(pool)], rowD[len(pool)] = q, d
		return
	}
	pool = append(pool, poolEntry{id: q, d: d})
	*tmp = pool
	sortPool(pool)
	kept := occlusionPrune(pool, -1, r, len(pool), dc, ids, dists)
	// as faiss: the pruned list overwrites the row's start; the rest keeps
	// its earlier neighbours
	copy(rowIDs, ids[:kept])
	copy(rowD, dists[:kept])
}

// treeGrow attaches the nodes that a depth-first search from the
// navigating node does not reach, until it reaches every node.
func (b *nsgBuild) treeGrow(degrees []int) {
	g, n := b.g, b.g.Ntotal
	vt, walked := newVisited(n), newVisited(n)
	root, count := g.EnterPoint, 0
	for {
		count = g.dfs(vt, root, count)
		if count >= n {
			return
		}
		root = b.attach(vt, walked, degrees)
		walked.advance()
	}
}

// dfs marks in vt the nodes reachable from root and returns count plus the
// number newly marked (faiss's NSG::dfs).
func (g *NSG) dfs(vt *visited, root int32, count int) int {
	if vt.set(root) {
		count++
	}
	stack := []int32{root}
	node := root
	for len(stack) > 0 {
		next := int32(-1)
		for _, id := range g.graph().row(node) {
			if id < 0 {
				break
			}
			if vt.gen[id] != vt.cur {
				next = id
				break
			}
		}
		if next == -1 {
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				node = stack[len(stack)-1]
			}
			continue
		}
		vt.set(next)
		count++
		stack = append(stack, next)
		node = next
	}
	return count
}

// attach links the first unreached node from the nearest node with room
// that a walk toward it meets (a random reached node with room if none),
// and returns that node.
func (b *nsgBuild) attach(reached, walked *visited, degrees []int) int32 {
	g, n := b.g, b.g.Ntotal
	for reached.gen[b.unreached] == reached.cur {
		b.unreached++ // the reached set only grows
	}
	id := int32(b.unreached)
	vec := make([]float32, b.d)
	b.vector(int(id), vec)
	dc := b.newDist()
	dc.setQuery(vec)
	var met []poolEntry
	g.walk(g.graph(), dc, walked, g.EnterPoint, g.SearchL, &graphWalker{}, func(i int32, d float32) {
		met = append(met, poolEntry{id: i, d: d})
	})
	sortPool(met)
	node := int32(-1)
	for _, p := range met {
		if degrees[p.id] < g.R && p.id != id {
			node = p.id
			break
		}
	}
	for node == -1 {
		c := int32(g.rng.below(n))
		if reached.gen[c] == reached.cur && degrees[c] < g.R && c != id {
			node = c
		}
	}
	g.Graph[int(node)*g.R+degrees[node]] = id
	degrees[node]++
	return node
}
