package core

import (
	"os"
	"testing"
)

// TestMain splits work over goroutines whatever its size, so that the small
// inputs of the tests go through the parallel paths (chunked scans, merged
// heaps) that large inputs take in production.
func TestMain(m *testing.M) {
	minParallelWork = 1
	os.Exit(m.Run())
}
