package core

import (
	"slices"
	"sync"
)

// NNDescent is faiss's NN-descent k-nearest-neighbour graph (after Dong,
// Charikar and Li, 2011): every node starts with S random neighbours, and
// each iteration joins the sampled neighbours of a node with each other
// (a neighbour's neighbour is likely a neighbour), each node keeping its L
// best candidates. The final graph holds each node's K best. Searches walk
// the graph from search_L random nodes.
type NNDescent struct {
	K, S, R, L, Iter int
	SearchL          int
	RandomSeed       int
	D                int
	Ntotal           int
	HasBuilt         bool
	FinalGraph       []int32 // Ntotal rows of K ids
}

// nndMinPoints is faiss's NUM_EVAL_POINTS: the least graph it builds.
const nndMinPoints = 100

func newNNDescent(d, k int) *NNDescent {
	return &NNDescent{K: k, S: 10, R: 100, L: k + 50, Iter: 10, RandomSeed: 2021, D: d}
}

// nndNode is a node's state during the build: pool is a max-heap of its
// best candidates (the worst on top), fresh ones not yet joined.
type nndNode struct {
	mu                           sync.Mutex
	pool                         []poolEntry
	m                            int // pool entries sampled last time
	nnNew, nnOld, rnnNew, rnnOld []int32
}

func (n *nndNode) insert(id int32, d float32, capacity int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	// faiss's rule: only a candidate nearer than the worst kept enters,
	// even while the pool has room.
	if len(n.pool) > 0 && d > n.pool[0].d {
		return
	}
	for _, p := range n.pool {
		if p.id == id {
			return
		}
	}
	e := poolEntry{id: id, d: d, fresh: true}
	if len(n.pool) < capacity {
		n.pool = append(n.pool, e)
		siftUp(n.pool, len(n.pool)-1)
		return
	}
	n.pool[0] = e
	siftDown(n.pool, 0)
}

func siftUp(h []poolEntry, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if h[p].d >= h[i].d {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func siftDown(h []poolEntry, i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		if r := l + 1; r < len(h) && h[r].d > h[l].d {
			l = r
		}
		if h[l].d <= h[i].d {
			return
		}
		h[i], h[l] = h[l], h[i]
		i = l
	}
}

func heapify(h []poolEntry) {
	for i := len(h)/2 - 1; i >= 0; i-- {
		siftDown(h, i)
	}
}

// sampleIDs fills out with distinct ids below n drawn as faiss's
// gen_random does (sorted draws spread to distinct values, then rotated
// by a random offset); all n ids, rotated, when out has room for them.
func sampleIDs(rng *mt19937, out []int32, n int) []int32 {
	if len(out) >= n {
		out = out[:n]
		off := rng.below(n)
		for i := range out {
			out[i] = int32((i + off) % n)
		}
		return out
	}
	size := len(out)
	for i := range out {
		out[i] = int32(rng.below(n - size))
	}
	slices.Sort(out)
	for i := 1; i < size; i++ {
		if out[i] <= out[i-1] {
			out[i] = out[i-1] + 1
		}
	}
	off := rng.below(n)
	for i := range out {
		out[i] = int32((int(out[i]) + off) % n)
	}
	return out
}

// build makes the graph over n stored nodes measured by dc's.
func (g *NNDescent) build(op string, n int, newDist func() hnswDistances) error {
	if g.L < g.K {
		return Errorf(KindInvalidArgument, op, "L should be >= K in NNDescent.build (L=%d, K=%d)", g.L, g.K)
	}
	if n <= nndMinPoints {
		return Errorf(KindInvalidArgument, op, "NNDescent.build cannot build a graph smaller than %d, got %d vectors", nndMinPoints, n)
	}
	if g.K < 1 || g.S < 1 || g.R < 0 || g.Iter < 0 {
		return Errorf(KindInvalidArgument, op, "NNDescent needs K >= 1, S >= 1, R >= 0 and iter >= 0 (K=%d, S=%d, R=%d, iter=%d)", g.K, g.S, g.R, g.Iter)
	}
	if g.K >= n {
		return Errorf(KindInvalidArgument, op, "NNDescent's K=%d must be below the number of vectors, %d", g.K, n)
	}
	nodes := g.initGraph(n, newDist)
	for range g.Iter {
		g.join(nodes, newDist)
		g.update(nodes)
		if err := checkInterrupt(op); err != nil {
			return err
		}
	}
	final := make([]int32, n*g.K)
	parallelChunks(n, chunkFor(g.L*8), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			pool := nodes[i].pool
			sortPool(pool)
			row := final[i*g.K : (i+1)*g.K]
			for j := range row {
				row[j] = -1
				if j < len(pool) {
					row[j] = pool[j].id
				}
			}
		}
	})
	g.FinalGraph, g.Ntotal, g.HasBuilt = final, n, true
	return nil
}

// initGraph gives each node 2*S random nodes to join first and S random
// candidates.
func (g *NNDescent) initGraph(n int, newDist func() hnswDistances) []nndNode {
	nodes := make([]nndNode, n)
	rng := newMT19937(uint32(g.RandomSeed * 6007))
	for i := range nodes {
		nodes[i].m = g.S
		nodes[i].nnNew = sampleIDs(rng, make([]int32, min(2*g.S, n)), n)
	}
	// Each block of nodes draws from its own generator, so that the graph
	// does not depend on how the blocks are spread over the workers.
	const block = 1024
	parallelDynamic((n+block-1)/block, 1, func(_, lo, hi int) {
		dc := newDist()
		tmp := make([]int32, min(g.S, n))
		for b := lo; b < hi; b++ {
			rng := newMT19937(uint32(g.RandomSeed*7741 + b))
			for i := b * block; i < min(n, (b+1)*block); i++ {
				pool := make([]poolEntry, 0, min(g.L, n)) // a pool never holds more than the other nodes
				for _, id := range sampleIDs(rng, tmp, n) {
					if int(id) != i {
						pool = append(pool, poolEntry{id: id, d: dc.symmetric(int32(i), id), fresh: true})
					}
				}
				heapify(pool)
				nodes[i].pool = pool
			}
		}
	})
	return nodes
}

// join measures every pair of a node's sampled neighbours of which one at
// least is new, offering each to the other's pool.
func (g *NNDescent) join(nodes []nndNode, newDist func() hnswDistances) {
	parallelDynamic(len(nodes), 100, func(_, lo, hi int) {
		dc := newDist()
		offer := func(i, j int32) {
			if i == j {
				return
			}
			d := dc.symmetric(i, j)
			nodes[i].insert(j, d, g.L)
			nodes[j].insert(i, d, g.L)
		}
		for n := lo; n < hi; n++ {
			nd := &nodes[n]
			for _, i := range nd.nnNew {
				for _, j := range nd.nnNew {
					if i < j {
						offer(i, j)
					}
				}
				for _, j := range nd.nnOld {
					offer(i, j)
				}
			}
		}
	})
}

// update samples, for each node, up to S new candidates and the old ones
// among its best, plus at most R nodes that have it as a candidate (the
// reverse links), for the next join.
func (g *NNDescent) update(nodes []nndNode) {
	n := len(nodes)
	worst := make([]float32, n)
	parallelChunks(n, chunkFor(g.L*16), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			nd := &nodes[i]
			nd.nnNew, nd.nnOld = nd.nnNew[:0], nd.nnOld[:0]
			sortPool(nd.pool)
			if len(nd.pool) > g.L {
				nd.pool = nd.pool[:g.L]
			}
			maxl := min(nd.m+g.S, len(nd.pool))
			c, l := 0, 0
			for l < maxl && c < g.S {
				if nd.pool[l].fresh {
					c++
				}
				l++
			}
			nd.m = l
			if len(nd.pool) > 0 {
				worst[i] = nd.pool[len(nd.pool)-1].d
			}
		}
	})
	// Reverse links go to random slots once R are taken; each block of
	// nodes draws from its own generator.
	const block = 1024
	parallelDynamic((n+block-1)/block, 1, func(_, lo, hi int) {
		for b := lo; b < hi; b++ {
			rng := newMT19937(uint32(g.RandomSeed*5081 + b))
			for i := b * block; i < min(n, (b+1)*block); i++ {
				nd := &nodes[i]
				for l := 0; l < nd.m; l++ {
					p := &nd.pool[l]
					other := &nodes[p.id]
					if p.fresh {
						nd.nnNew = append(nd.nnNew, p.id)
					} else {
						nd.nnOld = append(nd.nnOld, p.id)
					}
					if p.d > worst[p.id] && g.R > 0 {
						other.mu.Lock()
						list := &other.rnnOld
						if p.fresh {
							list = &other.rnnNew
						}
						if len(*list) < g.R {
							*list = append(*list, int32(i))
						} else {
							(*list)[rng.below(g.R)] = int32(i)
						}
						other.mu.Unlock()
					}
					p.fresh = false
				}
				heapify(nd.pool)
			}
		}
	})
	parallelChunks(n, chunkFor(g.R*4), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			nd := &nodes[i]
			nd.nnNew = append(nd.nnNew, nd.rnnNew...)
			nd.nnOld = append(nd.nnOld, nd.rnnOld...)
			if len(nd.nnOld) > 2*g.R {
				nd.nnOld = nd.nnOld[:2*g.R]
			}
			nd.rnnNew, nd.rnnOld = nd.rnnNew[:0], nd.rnnOld[:0]
		}
	})
}

// startIDs are the random nodes every search of k starts from (the
// same for every query: faiss seeds each search with random_seed).
func (g *NNDescent) startIDs(k int) []int32 {
	size := min(max(g.SearchL, k), g.Ntotal)
	return sampleIDs(newMT19937(uint32(g.RandomSeed)), make([]int32, size), g.Ntotal)
}

// search writes the k nearest of the query set in dc, walking from starts.
func (g *NNDescent) search(dc hnswDistances, starts []int32, vt *visited, w *graphWalker, dist []float32, labels []int64) {
	size := len(starts)
	pool := w.reset(size)
	for i, id := range starts {
		vt.set(id)
		pool[i] = poolEntry{id: id, fresh: true}
	}
	w.ds = slices.Grow(w.ds[:0], size)[:size]
	dc.dists(starts, w.ds)
	for i := range starts {
		pool[i].d = w.ds[i]
	}
	sortPool(pool[:size])
	walkPool(fixedGraph{ids: g.FinalGraph, width: g.K}, dc, vt, pool, size, w, nil)
	vt.advance()
	emitPool(pool[:size], dist, labels)
}

// emitPool writes a sorted pool's best len(dist) nodes, -1 and FLT_MAX past
// its end.
func emitPool(pool []poolEntry, dist []float32, labels []int64) {
	for i := range dist {
		if i < len(pool) {
			dist[i], labels[i] = pool[i].d, int64(pool[i].id)
		} else {
			dist[i], labels[i] = maxFloat, -1
		}
	}
}
