package core

import "cmp"

// PartitionFuzzy reorders vals (and ids alongside) so that its first q
// entries are q of the smallest values (largest when keepLargest), for
// some q in [qmin, qmax] that it picks to avoid splitting ties where it
// can, and returns q and the threshold: every kept value is at most it
// (at least it when keepLargest) and every other value at least it. This
// is faiss's partition_fuzzy (CMax keeps the smallest, CMin the largest).
// The arrays stay permutations of what they held.
func PartitionFuzzy[T cmp.Ordered](vals []T, ids []int64, qmin, qmax int, keepLargest bool) (int, T, error) {
	const op = "partition_fuzzy"
	var zero T
	n := len(vals)
	if ids != nil && len(ids) != n {
		return 0, zero, Errorf(KindDimensionMismatch, op, "%d values but %d ids", n, len(ids))
	}
	if qmin < 0 || qmax < qmin {
		return 0, zero, Errorf(KindInvalidArgument, op, "need 0 <= q_min <= q_max, got q_min=%d, q_max=%d", qmin, qmax)
	}
	if qmin >= n {
		return n, maxOf(vals, keepLargest), nil
	}
	if qmin == 0 {
		qmin = 1 // the threshold is the value at the q-th place
	}
	before := func(a, b T) bool { return a < b }
	if keepLargest {
		before = func(a, b T) bool { return a > b }
	}
	work := append([]T(nil), vals...)
	thresh := selectNth(work, qmin-1, before)
	nBefore, nTied := 0, 0
	for _, v := range vals {
		if before(v, thresh) {
			nBefore++
		} else if v == thresh {
			nTied++
		}
	}
	q := min(nBefore+nTied, qmax)
	compact(vals, ids, thresh, q-nBefore, before)
	return q, thresh, nil
}

// compact moves the values before thresh, then nTied values equal to it,
// to the front, by swaps.
func compact[T cmp.Ordered](vals []T, ids []int64, thresh T, nTied int, before func(a, b T) bool) {
	w := 0
	for i, v := range vals {
		keep := before(v, thresh)
		if !keep && v == thresh && nTied > 0 {
			keep = true
			nTied--
		}
		if keep {
			vals[w], vals[i] = vals[i], vals[w]
			if ids != nil {
				ids[w], ids[i] = ids[i], ids[w]
			}
			w++
		}
	}
}

// selectNth returns the value that would be at position k if a were
// sorted by before (quickselect; a is reordered). Lomuto partitioning
// keeps every loop bounded even when before is not a strict order (NaN).
func selectNth[T cmp.Ordered](a []T, k int, before func(a, b T) bool) T {
	lo, hi := 0, len(a)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		// median of three as the pivot, moved to hi
		if before(a[mid], a[lo]) {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if before(a[hi], a[lo]) {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if before(a[mid], a[hi]) {
			a[mid], a[hi] = a[hi], a[mid]
		}
		pivot := a[hi]
		p := lo
		for i := lo; i < hi; i++ {
			if before(a[i], pivot) {
				a[i], a[p] = a[p], a[i]
				p++
			}
		}
		a[p], a[hi] = a[hi], a[p]
		// everything equal to the pivot can sit at p: skip the run of ties
		// so that many duplicates do not make the search quadratic
		e := p + 1
		for i := p + 1; i <= hi; i++ {
			if a[i] == pivot {
				a[i], a[e] = a[e], a[i]
				e++
			}
		}
		switch {
		case k < p:
			hi = p - 1
		case k < e:
			return pivot
		default:
			lo = e
		}
	}
	return a[k]
}

func maxOf[T cmp.Ordered](vals []T, smallest bool) T {
	var m T
	for i, v := range vals {
		if i == 0 || (!smallest && v > m) || (smallest && v < m) {
			m = v
		}
	}
	return m
}
