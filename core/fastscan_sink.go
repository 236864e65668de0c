package core

// fsHeapMaxK is the largest k kept in a heap. faiss keeps a reservoir above
// k = 20 (its implem 13 and 15), which only changes which of the keys equal
// to the k-th are kept; a heap measured faster here up to 64 (k = 40, a
// refine's k_factor 4: 108k -> 123k QPS at nprobe 1 on 1M, the threshold
// tightening at every entry instead of every cut).
const fsHeapMaxK = 64

// fsSink keeps one query's k best fast-scan keys: faiss's heap rules for
// k <= fsHeapMaxK; above, a reservoir that keeps the k best by (key, held
// id), refilled while its candidates beat the k-th key of the last cut.
type fsSink struct {
	h     topK
	pairs []keyID
	k     int
	thr   float32
	none  int64
	cand  []uint16 // the pre-cut's keys (fastscan_precut.go)
}

func newFSSink(k int) fsSink {
	if k <= fsHeapMaxK {
		return fsSink{h: newTopK(k), k: k}
	}
	return fsSink{pairs: make([]keyID, 0, 2*k), k: k}
}

// reset empties the sink (ids held negated under flip, see fastscan_search.go).
func (s *fsSink) reset(flip uint16) {
	if s.pairs == nil {
		resetFS(&s.h, flip)
		return
	}
	s.pairs, s.thr, s.none = s.pairs[:0], fsKeyNone, -1
	if flip != 0 {
		s.none = 1
	}
}

// root is the key a candidate must be strictly below to enter.
func (s *fsSink) root() float32 {
	if s.pairs == nil {
		return s.h.dist[0]
	}
	return s.thr
}

// add takes a candidate already found below root.
func (s *fsSink) add(key float32, id int64) {
	if s.pairs == nil {
		s.h.replaceRoot(key, id)
		return
	}
	if len(s.pairs) == cap(s.pairs) {
		s.cut()
		if key >= s.thr {
			return
		}
	}
	s.pairs = append(s.pairs, keyID{key, id})
}

// cut keeps the k best pairs; the largest kept key becomes the bar.
func (s *fsSink) cut() {
	selectBest(s.pairs, s.k)
	s.pairs = s.pairs[:s.k]
	s.thr = 0
	for _, p := range s.pairs {
		s.thr = max(s.thr, p.key)
	}
}

// full reports whether k candidates are kept.
func (s *fsSink) full() bool {
	if s.pairs == nil {
		return s.h.dist[0] < fsKeyNone
	}
	return len(s.pairs) >= s.k
}

// merge offers what other keeps (other covers later ids: ties go to ours).
func (s *fsSink) merge(other *fsSink) {
	if s.pairs == nil {
		s.h.merge(&other.h)
		return
	}
	for _, p := range other.pairs {
		if p.key < s.thr {
			s.add(p.key, p.id)
		}
	}
}

// emit writes the kept pairs best first, keys turned back into distances.
func (s *fsSink) emit(q *fsQuery, flip uint16, dist []float32, labels []int64) {
	if s.pairs == nil {
		emitHeapFS(&s.h, q, flip, dist, labels)
		return
	}
	s.pairs = bestSorted(s.pairs, s.k)
	for j := range dist {
		if j < len(s.pairs) {
			dist[j], labels[j] = s.pairs[j].key, s.pairs[j].id
		} else {
			dist[j], labels[j] = fsKeyNone, s.none
		}
	}
	keysToDistances(q, flip, dist, labels)
}

// emitHeapFS writes a fast-scan heap's pairs best first as distances.
func emitHeapFS(h *topK, q *fsQuery, flip uint16, dist []float32, labels []int64) {
	h.emit(1, dist, labels)
	keysToDistances(q, flip, dist, labels)
}

// keysToDistances turns held keys and ids back: sum / a + b, ids as given.
func keysToDistances(q *fsQuery, flip uint16, dist []float32, labels []int64) {
	if flip != 0 {
		negateIDs(labels)
	}
	oneA := 1 / q.a
	for j, key := range dist {
		sum := float32(uint16(key) ^ flip)
		dist[j] = float32(sum*oneA) + q.b
	}
}
