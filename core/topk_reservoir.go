package core

import (
	"cmp"
	"slices"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// reservoirMinK is the k from which batched flat searches keep their best
// candidates in a reservoir rather than a heap: an IVF coarse search for
// nprobe 128 spent a third of its time in heap sifts.
const reservoirMinK = 64

// reservoir keeps the k best (key, id) pairs of one query like topK, for
// large k: candidates that beat the threshold are appended, and when the
// buffer is full a selection keeps the k best and raises the threshold to
// the k-th. The threshold only ever admits more than a heap's root would,
// so the k best kept at the end are the heap's.
type reservoir struct {
	k      int
	pairs  []keyID
	thrKey float32
	thrID  int64
}

type keyID struct {
	key float32
	id  int64
}

func worseKeyID(a, b keyID) bool { return worse(a.key, a.id, b.key, b.id) }

func newReservoir(k int) reservoir {
	return reservoir{k: k, pairs: make([]keyID, 0, 3*k), thrKey: maxFloat, thrID: -1}
}

// pushRow offers metric values with ids base+c (keys sign*value).
func (r *reservoir) pushRow(row []float32, base int64, sign float32) {
	for c := 0; ; c++ {
		if sign > 0 {
			c = kernels.NextAtMost(row, c, r.thrKey)
		} else {
			c = kernels.NextAtLeast(row, c, -r.thrKey)
		}
		if c >= len(row) {
			return
		}
		p := keyID{sign * row[c], base + int64(c)}
		if !worseKeyID(keyID{r.thrKey, r.thrID}, p) {
			continue
		}
		if len(r.pairs) == cap(r.pairs) {
			r.shrink()
			if !worseKeyID(keyID{r.thrKey, r.thrID}, p) {
				continue
			}
		}
		r.pairs = append(r.pairs, p)
	}
}

// shrink keeps the k best pairs and makes the k-th the threshold.
func (r *reservoir) shrink() {
	selectBest(r.pairs, r.k)
	r.pairs = r.pairs[:r.k]
	worst := r.pairs[0]
	for _, p := range r.pairs[1:] {
		if worseKeyID(p, worst) {
			worst = p
		}
	}
	r.thrKey, r.thrID = worst.key, worst.id
}

// emit writes the k best pairs, best first (values sign*key), padded with
// (sign*maxFloat, -1).
func (r *reservoir) emit(sign float32, dist []float32, ids []int64) {
	r.pairs = bestSorted(r.pairs, r.k)
	for i := range dist {
		if i < len(r.pairs) {
			dist[i], ids[i] = sign*r.pairs[i].key, r.pairs[i].id
		} else {
			dist[i], ids[i] = sign*maxFloat, -1
		}
	}
}

// bestSorted keeps the k best pairs of p, sorted best first.
func bestSorted(p []keyID, k int) []keyID {
	if len(p) > k {
		selectBest(p, k)
		p = p[:k]
	}
	slices.SortFunc(p, func(a, b keyID) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return p
}

// selectBest moves the k best pairs of p (in (key, id) order) to its
// front, in no order: quickselect with a middle pivot.
func selectBest(p []keyID, k int) {
	lo, hi := 0, len(p)
	for hi-lo > 1 {
		pivot := p[lo+(hi-lo)/2]
		i, j := lo, hi-1
		for i <= j {
			for worseKeyID(pivot, p[i]) {
				i++
			}
			for worseKeyID(p[j], pivot) {
				j--
			}
			if i <= j {
				p[i], p[j] = p[j], p[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j + 1
		case k >= i:
			lo = i
		default:
			return
		}
	}
}
