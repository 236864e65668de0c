package core

import "slices"

// The candidate pool of faiss's NSG and NNDescent searches: a sorted array
// of the best nodes seen, each flagged until its neighbours were read. The
// walk reads the nearest flagged node's neighbours; any of them nearer
// than the pool's worst enters it, and the walk restarts from the nearest
// position that changed. It ends when every node of the pool was read.

// poolEntry is one node of a pool: fresh until its neighbours were read.
type poolEntry struct {
	id    int32
	d     float32
	fresh bool
}

// fixedGraph is a graph of width neighbours per node; a negative id ends a
// row early (faiss's nsg::Graph), an id past the graph is skipped.
type fixedGraph struct {
	ids   []int32
	width int
}

func (g fixedGraph) row(i int32) []int32 {
	return g.ids[int(i)*g.width : (int(i)+1)*g.width]
}

// insertPool puts e into pool[:n] (sorted, with one spare slot at pool[n])
// and returns its position; n+1 when a node of the same distance is e
// itself (nothing inserted), n when e is not nearer than every kept one
// (then only the spare slot holds it).
func insertPool(pool []poolEntry, n int, e poolEntry) int {
	// the first position whose distance exceeds e's
	pos, _ := slices.BinarySearchFunc(pool[:n], e.d, func(p poolEntry, d float32) int {
		if p.d <= d {
			return -1
		}
		return 1
	})
	for j := pos - 1; j >= 0 && pool[j].d == e.d; j-- {
		if pool[j].id == e.id {
			return n + 1
		}
	}
	if pos == n {
		pool[n] = e
		return n
	}
	copy(pool[pos+1:n+1], pool[pos:n])
	pool[pos] = e
	return pos
}

// sortPool orders pool by distance (ties by id, so that the order is
// reproducible).
func sortPool(pool []poolEntry) {
	slices.SortFunc(pool, func(a, b poolEntry) int {
		switch {
		case a.d < b.d:
			return -1
		case a.d > b.d:
			return 1
		}
		return int(a.id) - int(b.id)
	})
}

// graphWalker is one worker's scratch for walks: the pool, and a node's
// fresh neighbours with their distances (measured in one call, as the
// HNSW search does).
type graphWalker struct {
	pool []poolEntry
	ids  []int32
	ds   []float32
}

// reset returns the pool with room for size nodes and the spare slot.
func (w *graphWalker) reset(size int) []poolEntry {
	w.pool = slices.Grow(w.pool[:0], size+1)[:size+1]
	return w.pool
}

// walkPool runs the walk over g from pool[:n] (sorted; its nodes marked in
// vt). collect, when set, sees every node measured on the way.
func walkPool(g fixedGraph, dc hnswDistances, vt *visited, pool []poolEntry, n int, w *graphWalker, collect func(id int32, d float32)) {
	total := int32(len(g.ids) / max(1, g.width))
	for k := 0; k < n; {
		next := n
		if pool[k].fresh {
			pool[k].fresh = false
			w.ids = w.ids[:0]
			for _, id := range g.row(pool[k].id) {
				if id < 0 {
					break // rows end at the first negative id
				}
				if id < total && vt.set(id) { // ids past the graph: bad entries of a given kNN graph
					w.ids = append(w.ids, id)
				}
			}
			w.ds = slices.Grow(w.ds[:0], len(w.ids))[:len(w.ids)]
			dc.dists(w.ids, w.ds)
			for i, id := range w.ids {
				d := w.ds[i]
				if collect != nil {
					collect(id, d)
				}
				if d >= pool[n-1].d {
					continue
				}
				next = min(next, insertPool(pool, n, poolEntry{id: id, d: d, fresh: true}))
			}
		}
		if next <= k {
			k = next
		} else {
			k++
		}
	}
}
