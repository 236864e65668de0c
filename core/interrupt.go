package core

import "sync/atomic"

// Interrupts (faiss's InterruptCallback): Ctrl-C in Python sets the flag
// from another thread while a long add or train runs; the operation polls
// it at safe points, drops what it computed, leaves the index as it was
// and returns a KindInterrupted error. The flag is process-wide, as
// faiss's callback is: every long operation in progress stops.
var interruptRequested atomic.Bool

// RequestInterrupt asks the long operations in progress to stop.
func RequestInterrupt() { interruptRequested.Store(true) }

// ClearInterrupt forgets a request (once the interrupted call has
// returned, or before a new one starts).
func ClearInterrupt() { interruptRequested.Store(false) }

// pollInterrupt is what every poll reads (a variable so that tests can
// stop an operation at an exact point).
var pollInterrupt = interruptRequested.Load

// interrupted reports whether a stop was requested.
func interrupted() bool { return pollInterrupt() }

// checkInterrupt returns op's interrupted error when a stop was requested.
func checkInterrupt(op string) error {
	if pollInterrupt() {
		return Errorf(KindInterrupted, op, "interrupted; the index is as it was before the call")
	}
	return nil
}

// interruptBlock is how many rows a long computation handles between two
// polls of the flag: tens of milliseconds of work at the usual sizes.
const interruptBlock = 1 << 14

// kmeansInterruptBlock is the same for k-means assignments, larger so that
// a GPU assignment keeps large dispatches (65,536 points against 4,096
// centroids of d=64: about 0.2 s on two cores).
const kmeansInterruptBlock = 1 << 16

// inInterruptibleBlocks runs fn on consecutive blocks of [0, n) rows and
// stops with op's interrupted error when a stop is requested between two
// blocks. Callers compute into fresh buffers and commit only after it
// succeeds.
func inInterruptibleBlocks(op string, n int, fn func(lo, hi int) error) error {
	return inInterruptibleRows(op, n, interruptBlock, fn)
}

// inInterruptibleRows is inInterruptibleBlocks with blocks of block rows.
func inInterruptibleRows(op string, n, block int, fn func(lo, hi int) error) error {
	for lo := 0; lo < n; lo += block {
		if err := checkInterrupt(op); err != nil {
			return err
		}
		if err := fn(lo, min(n, lo+block)); err != nil {
			return err
		}
	}
	return checkInterrupt(op)
}
