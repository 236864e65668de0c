package core

import "sync"

// totals are process-wide statistics of type T (faiss's global stats
// objects): read, reset and added to under one lock.
type totals[T any] struct {
	mu sync.Mutex
	s  T
}

func (t *totals[T]) get() T {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.s
}

func (t *totals[T]) reset() {
	t.mu.Lock()
	var zero T
	t.s = zero
	t.mu.Unlock()
}

// add applies fn to the totals under the lock.
func (t *totals[T]) add(fn func(s *T)) {
	t.mu.Lock()
	fn(&t.s)
	t.mu.Unlock()
}
