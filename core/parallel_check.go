package core

import (
	"sync"
	"time"
)

// CheckParallel reports whether the workers searches split into really
// run at the same time (faiss's check_openmp asks the same of its OpenMP
// threads): each of them waits at a barrier until all have arrived, and a
// second at most is allowed.
func CheckParallel() bool {
	n := workers()
	var mu sync.Mutex
	arrived := 0
	all := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			arrived++
			if arrived == n {
				close(all)
			}
			mu.Unlock()
			select {
			case <-all:
			case <-time.After(time.Second):
			}
		}()
	}
	wg.Wait()
	select {
	case <-all:
		return true
	default:
		return false
	}
}
