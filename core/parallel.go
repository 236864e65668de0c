package core

import (
	"fmt"
	"runtime"
	"sync"
)

// workers is how many goroutines bulk work is split over.
func workers() int { return runtime.GOMAXPROCS(0) }

// parallelChunks splits [0, n) into at most workers() contiguous chunks of
// at least minChunk items and runs fn on each concurrently; it returns the
// number of chunks. Chunk c always covers the same range for the same n, so
// results are reproducible. A panic in a worker is re-raised on the calling
// goroutine, where pyapi can recover it (a panic left in a worker goroutine
// would kill the whole process).
func parallelChunks(n, minChunk int, fn func(chunk, lo, hi int)) int {
	if n <= 0 {
		return 0
	}
	nc := workers()
	if minChunk < 1 {
		minChunk = 1
	}
	if maxc := (n + minChunk - 1) / minChunk; nc > maxc {
		nc = maxc
	}
	if nc <= 1 {
		fn(0, 0, n)
		return 1
	}
	var wg sync.WaitGroup
	var once sync.Once
	var failure any
	for c := 0; c < nc; c++ {
		lo, hi := c*n/nc, (c+1)*n/nc
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					once.Do(func() { failure = r })
				}
			}()
			fn(c, lo, hi)
		}()
	}
	wg.Wait()
	if failure != nil {
		panic(fmt.Sprintf("worker panic: %v", failure))
	}
	return nc
}
