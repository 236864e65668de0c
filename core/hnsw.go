package core

import (
	"math"
	"slices"
)

// HNSW is faiss's hierarchical navigable small-world graph over the
// vectors of a storage index. In faiss's layout node i has levels[i]
// levels, and its neighbours on level l are
// neighbors[offsets[i]+cum[l] : offsets[i]+cum[l+1]], -1 padding the end
// of a list. Level 0 holds 2*M neighbours, the others M. In memory the
// level-0 lists are kept apart, at a fixed stride (links0): a search step
// reads a node's list without first reading its offset, one dependent
// cache miss fewer per hop (hnsw_layout.go converts; files and the
// offsets and neighbors arrays users read keep faiss's layout).
type HNSW struct {
	M              int
	EfConstruction int
	EfSearch       int
	// CheckRelativeDistance stops a bounded search once efSearch visited
	// candidates are nearer than the next one (faiss's default, true).
	CheckRelativeDistance bool
	// SearchBoundedQueue searches level 0 with a bounded candidate heap
	// (faiss's default, true); false uses unbounded queues.
	SearchBoundedQueue bool
	// PruneHeadroom is the share of a full list that a re-selection frees
	// (faiss 1.15's prune_headroom, default 0.2, clamped to [0, 0.5]): a
	// pruned list keeps room for the next links without another pruning.
	PruneHeadroom float32
	// HnswlibSelection builds as hnswlib selects neighbours (off by
	// default: faiss's graph): a new node keeps at most M links on level 0
	// (faiss keeps 2M), a full list is re-selected back to its full size
	// (no headroom), and each level's insertion starts from the nearest
	// node the level above linked to. A build option only: files and
	// searches are faiss's.
	HnswlibSelection bool
	Levels           []int32 // per node, its number of levels (level + 1)
	Offsets          []int64 // len(Levels)+1 starts into faiss's neighbour array
	// links0 holds node i's level-0 list at i*2M; upper holds the lists
	// of levels 1 and up in faiss's order, node i's from
	// Offsets[i] - i*2M.
	links0       []int32
	upper        []int32
	EntryPoint   int32 // -1 while empty
	MaxLevel     int   // -1 while empty
	assignProbas []float64
	cum          []int // cumulative neighbour counts per level
	rng          *mt19937
}

// newHNSW sets faiss's defaults: efConstruction 40, efSearch 16, level
// probabilities exp(-l/mL)(1-exp(-1/mL)) with mL = 1/ln(M), and the level
// generator seeded with 12345.
func newHNSW(m int) *HNSW {
	h := &HNSW{M: m, EfConstruction: 40, EfSearch: 16, CheckRelativeDistance: true,
		SearchBoundedQueue: true, PruneHeadroom: 0.2, Offsets: []int64{0}, EntryPoint: -1, MaxLevel: -1, rng: newMT19937(12345)}
	// faiss passes the multiplier as a float, divides in float and takes
	// the exponentials in double.
	mult := float32(1 / math.Log(float64(m)))
	h.cum = []int{0}
	for level := 0; ; level++ {
		p := float32(math.Exp(float64(float32(-level)/mult)) * (1 - math.Exp(float64(-1/mult))))
		if p < 1e-9 {
			break
		}
		h.assignProbas = append(h.assignProbas, float64(p))
		n := m
		if level == 0 {
			n = 2 * m
		}
		h.cum = append(h.cum, h.cum[len(h.cum)-1]+n)
	}
	return h
}

// NbNeighbors is the length of a neighbour list on level.
func (h *HNSW) NbNeighbors(level int) int { return h.cum[level+1] - h.cum[level] }

// list returns node's neighbour list on level (its slots, -1 padded).
func (h *HNSW) list(node int32, level int) []int32 {
	nb0 := h.cum[1]
	if level == 0 {
		o := int(node) * nb0
		return h.links0[o : o+nb0 : o+nb0]
	}
	o := int(h.Offsets[node]) - int(node)*nb0 - nb0
	return h.upper[o+h.cum[level] : o+h.cum[level+1] : o+h.cum[level+1]]
}

// randomLevel draws a level as faiss does: a float in [0, 1] walked down
// the level probabilities in double precision.
func (h *HNSW) randomLevel() int {
	f := float64(h.rng.float())
	for level, p := range h.assignProbas {
		if f < p {
			return level
		}
		f -= p
	}
	return len(h.assignProbas) - 1
}

// prepareLevels draws the levels of n new nodes (unless they were preset)
// and reserves their neighbour lists; it returns the highest new level.
func (h *HNSW) prepareLevels(n int) int {
	n0 := len(h.Offsets) - 1
	// Each array grows once, to its size (growing by appends would leave
	// up to twice the memory behind).
	h.Levels = slices.Grow(h.Levels, n0+n-len(h.Levels))
	for len(h.Levels) < n0+n {
		h.Levels = append(h.Levels, int32(h.randomLevel()+1))
	}
	top := 0
	h.Offsets = slices.Grow(h.Offsets, n)
	for i := n0; i < n0+n; i++ {
		level := int(h.Levels[i]) - 1
		top = max(top, level)
		h.Offsets = append(h.Offsets, h.Offsets[len(h.Offsets)-1]+int64(h.cum[level+1]))
	}
	n1 := n0 + n
	h.links0 = growPadded(h.links0, n1*h.cum[1])
	h.upper = growPadded(h.upper, int(h.Offsets[n1])-n1*h.cum[1])
	return top
}

// growPadded extends links to total slots, the new ones -1.
func growPadded(links []int32, total int) []int32 {
	old := len(links)
	links = slices.Grow(links, total-old)[:total]
	for i := old; i < total; i++ {
		links[i] = -1
	}
	return links
}

// reset forgets every node; the level generator goes on where it was, as
// faiss's does.
func (h *HNSW) reset() {
	h.Levels, h.Offsets, h.links0, h.upper = h.Levels[:0], append(h.Offsets[:0], 0), h.links0[:0], h.upper[:0]
	h.EntryPoint, h.MaxLevel = -1, -1
}

// visited is faiss's VisitedTable: a generation number per node, so that
// clearing it between queries costs nothing.
type visited struct {
	gen []uint8
	cur uint8
}

func newVisited(n int) *visited { return &visited{gen: make([]uint8, n), cur: 1} }

// set marks node and reports whether it was new.
func (v *visited) set(node int32) bool {
	if v.gen[node] == v.cur {
		return false
	}
	v.gen[node] = v.cur
	return true
}

// advance starts a new query.
func (v *visited) advance() {
	if v.cur++; v.cur == 250 {
		clear(v.gen)
		v.cur = 1
	}
}

// HNSWGraph is what an index file stores of an HNSW graph.
type HNSWGraph struct {
	AssignProbas   []float64
	CumNeighbors   []int32
	Levels         []int32
	Offsets        []int64
	Neighbors      []int32
	EntryPoint     int32
	MaxLevel       int32
	EfConstruction int32
	EfSearch       int32
}

// Graph returns the stored form of h.
func (h *HNSW) Graph() HNSWGraph {
	cum := make([]int32, len(h.cum))
	for i, c := range h.cum {
		cum[i] = int32(c)
	}
	return HNSWGraph{AssignProbas: h.assignProbas, CumNeighbors: cum, Levels: h.Levels, Offsets: h.Offsets,
		Neighbors: h.Neighbors(), EntryPoint: h.EntryPoint, MaxLevel: int32(h.MaxLevel),
		EfConstruction: int32(h.EfConstruction), EfSearch: int32(h.EfSearch)}
}

func badGraph(op, format string, args ...any) error {
	return Errorf(KindInvalidArgument, op, "the stored graph is inconsistent: "+format, args...)
}

// graphM is the M of a stored graph (half its level-0 list length).
func graphM(op string, g HNSWGraph) (int, error) {
	if len(g.CumNeighbors) < 2 || g.CumNeighbors[0] != 0 || len(g.AssignProbas) != len(g.CumNeighbors)-1 {
		return 0, badGraph(op, "%d level probabilities for %d cumulative neighbour counts", len(g.AssignProbas), len(g.CumNeighbors))
	}
	return int(g.CumNeighbors[1]) / 2, nil
}

// restore installs a stored graph of ntotal nodes after checking that it
// is whole: a node per vector, lists where the offsets say, links to
// existing nodes on levels they live on, and an entry point on the top
// level.
func (h *HNSW) restore(op string, g HNSWGraph, ntotal int64) error {
	cum := make([]int, len(g.CumNeighbors))
	for i, c := range g.CumNeighbors {
		if i > 0 && (c <= g.CumNeighbors[i-1] || c > 1<<20) {
			return badGraph(op, "cumulative neighbour counts must grow, got %v", g.CumNeighbors)
		}
		cum[i] = int(c)
	}
	n := len(g.Levels)
	if int64(n) != ntotal || len(g.Offsets) != n+1 || g.Offsets[0] != 0 {
		return badGraph(op, "%d levels and %d offsets for %d vectors", n, len(g.Offsets), ntotal)
	}
	top := int32(-1)
	for i, l := range g.Levels {
		if l < 1 || int(l) >= len(cum) {
			return badGraph(op, "node %d has %d levels (1..%d allowed)", i, l, len(cum)-1)
		}
		if g.Offsets[i+1] != g.Offsets[i]+int64(cum[l]) {
			return badGraph(op, "node %d's lists do not span its %d levels", i, l)
		}
		top = max(top, l-1)
	}
	if int64(len(g.Neighbors)) != g.Offsets[n] {
		return badGraph(op, "%d neighbour slots where the offsets need %d", len(g.Neighbors), g.Offsets[n])
	}
	for node := 0; node < n; node++ {
		for level := 0; level < int(g.Levels[node]); level++ {
			o := int(g.Offsets[node])
			for _, v := range g.Neighbors[o+cum[level] : o+cum[level+1]] {
				if v < -1 || int(v) >= n || (v >= 0 && int(g.Levels[v]) <= level) {
					return badGraph(op, "node %d links to %d on level %d", node, v, level)
				}
			}
		}
	}
	switch {
	case n == 0 && (g.EntryPoint != -1 || g.MaxLevel != -1):
		return badGraph(op, "an empty graph with entry point %d", g.EntryPoint)
	case n > 0 && (g.EntryPoint < 0 || int(g.EntryPoint) >= n || g.Levels[g.EntryPoint]-1 != g.MaxLevel || g.MaxLevel != top):
		return badGraph(op, "entry point %d at level %d is not on the top level %d", g.EntryPoint, g.MaxLevel, top)
	case g.EfConstruction < 1 || g.EfSearch < 1:
		return badGraph(op, "efConstruction %d and efSearch %d must be positive", g.EfConstruction, g.EfSearch)
	}
	h.assignProbas, h.cum = g.AssignProbas, cum
	h.Levels, h.Offsets = g.Levels, g.Offsets
	h.setNeighbors(g.Neighbors)
	h.EntryPoint, h.MaxLevel = g.EntryPoint, int(g.MaxLevel)
	h.EfConstruction, h.EfSearch = int(g.EfConstruction), int(g.EfSearch)
	return nil
}
