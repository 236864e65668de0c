package core

import (
	"math"
	"slices"
)

// HNSW is faiss's hierarchical navigable small-world graph over the
// vectors of a storage index, with faiss's layout: node i has levels[i]
// levels, and its neighbours on level l are
// neighbors[offsets[i]+cum[l] : offsets[i]+cum[l+1]], -1 padding the end
// of a list. Level 0 holds 2*M neighbours, the others M.
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
	Levels        []int32 // per node, its number of levels (level + 1)
	Offsets       []int64 // len(Levels)+1 starts into Neighbors
	Neighbors     []int32
	EntryPoint    int32 // -1 while empty
	MaxLevel      int   // -1 while empty
	assignProbas  []float64
	cum           []int // cumulative neighbour counts per level
	rng           *mt19937
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

// neighborRange returns where node's level-l list lies in Neighbors.
func (h *HNSW) neighborRange(node int32, level int) (int, int) {
	o := int(h.Offsets[node])
	return o + h.cum[level], o + h.cum[level+1]
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
	total := int(h.Offsets[len(h.Offsets)-1])
	old := len(h.Neighbors)
	h.Neighbors = slices.Grow(h.Neighbors, total-old)[:total]
	for i := old; i < total; i++ {
		h.Neighbors[i] = -1
	}
	return top
}

// reset forgets every node; the level generator goes on where it was, as
// faiss's does.
func (h *HNSW) reset() {
	h.Levels, h.Offsets, h.Neighbors = h.Levels[:0], append(h.Offsets[:0], 0), h.Neighbors[:0]
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
