package core

// Converting between faiss's neighbour array (every list of a node, level
// after level, node after node) and the split layout kept in memory (the
// level-0 lists at a fixed stride, the upper levels apart).

// NeighborCount is the length of faiss's neighbour array.
func (h *HNSW) NeighborCount() int { return int(h.Offsets[len(h.Offsets)-1]) }

// Neighbors returns faiss's neighbour array (a new slice).
func (h *HNSW) Neighbors() []int32 {
	out := make([]int32, h.NeighborCount())
	h.NeighborsInto(out)
	return out
}

// NeighborsInto writes faiss's neighbour array into out (NeighborCount long).
func (h *HNSW) NeighborsInto(out []int32) {
	nb0 := h.cum[1]
	for i := range h.Levels {
		o, end := int(h.Offsets[i]), int(h.Offsets[i+1])
		copy(out[o:o+nb0], h.links0[i*nb0:(i+1)*nb0])
		u := o - i*nb0
		copy(out[o+nb0:end], h.upper[u:u+end-o-nb0])
	}
}

// setNeighbors splits faiss's neighbour array, laid out by h.Offsets.
func (h *HNSW) setNeighbors(all []int32) {
	nb0, n := h.cum[1], len(h.Levels)
	h.links0 = make([]int32, n*nb0)
	h.upper = make([]int32, len(all)-n*nb0)
	for i := 0; i < n; i++ {
		o, end := int(h.Offsets[i]), int(h.Offsets[i+1])
		copy(h.links0[i*nb0:], all[o:o+nb0])
		u := o - i*nb0
		copy(h.upper[u:], all[o+nb0:end])
	}
}

// nodeLinks copies node's lists, all levels, in faiss's order.
func (h *HNSW) nodeLinks(node int32) []int32 {
	out := make([]int32, 0, h.Offsets[node+1]-h.Offsets[node])
	for level := range int(h.Levels[node]) {
		out = append(out, h.list(node, level)...)
	}
	return out
}

// setNodeLinks writes back what nodeLinks gave.
func (h *HNSW) setNodeLinks(node int32, links []int32) {
	for level := range int(h.Levels[node]) {
		links = links[copy(h.list(node, level), links):]
	}
}
