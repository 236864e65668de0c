package core

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// workers is how many goroutines bulk work is split over.
func workers() int { return runtime.GOMAXPROCS(0) }

// minParallelWork is the least work (in multiply-adds or element updates)
// worth a second goroutine. Waking Go's idle threads from a Python call
// costs tens of microseconds: a k-means iteration on 1,000 x 8 points took
// 250 us split over two goroutines and 80 us on one.
// (A variable so that the tests can split even tiny inputs and exercise
// the parallel paths.)
var minParallelWork = 1 << 18

// chunkFor returns the least chunk of items, each costing perItem, that
// carries minParallelWork.
func chunkFor(perItem int) int { return max(1, minParallelWork/max(1, perItem)) }

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

// parallelDynamic runs fn over [0, n) in pieces of grain items handed out
// to at most workers() goroutines as they free up (worker is the
// goroutine's number, for its scratch): for items whose costs differ
// (queries probing lists of different lengths), where equal halves leave
// one core idle. An item's result must not depend on the worker that ran
// it. Panics reach the caller as in parallelChunks.
func parallelDynamic(n, grain int, fn func(worker, lo, hi int)) {
	if n <= 0 {
		return
	}
	grain = max(1, grain)
	nw := min(workers(), (n+grain-1)/grain)
	if nw <= 1 {
		fn(0, 0, n)
		return
	}
	var next atomic.Int64
	parallelChunks(nw, 1, func(w, _, _ int) {
		for {
			lo := int(next.Add(int64(grain))) - grain
			if lo >= n {
				return
			}
			fn(w, lo, min(n, lo+grain))
		}
	})
}
