package core

// HNSWStats are faiss's HNSWStats: totals over every HNSW search of level
// 0 since the last reset. N1 counts the queries, N2 those whose candidate
// queue ran empty, NDis the distances computed and NHops the candidates
// expanded.
type HNSWStats struct {
	N1, N2, NDis, NHops int64
}

var hnswStats totals[HNSWStats]

// GetHNSWStats returns the totals so far.
func GetHNSWStats() HNSWStats { return hnswStats.get() }

// ResetHNSWStats sets the totals to zero.
func ResetHNSWStats() { hnswStats.reset() }

// record adds a worker's counts (kept in the searcher so that the walk
// touches no shared memory) to the totals.
func (s *hnswSearcher) record() {
	hnswStats.add(func(t *HNSWStats) {
		t.N1 += s.stats.N1
		t.N2 += s.stats.N2
		t.NDis += s.stats.NDis
		t.NHops += s.stats.NHops
	})
	s.stats = HNSWStats{}
}
