package pyapi

import (
	"fmt"
	"unsafe"
)

// Buffers come from numpy arrays that the Python layer keeps alive and
// contiguous for the duration of the call (for a k-means run, until the run
// ends: see clustering.go). They live outside the Go heap.

// pointer reinterprets an address as a pointer without the uintptr to
// unsafe.Pointer conversion that go vet flags: the memory is not Go's.
func pointer(addr uintptr) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&addr))
}

func checkBuffer(addr uintptr, n int64) error {
	if n < 0 {
		return fmt.Errorf("negative buffer length %d", n)
	}
	if addr == 0 && n > 0 {
		return fmt.Errorf("null buffer of length %d", n)
	}
	return nil
}

// view is the n values of type T at addr.
func view[T any](addr uintptr, n int64) ([]T, error) {
	if err := checkBuffer(addr, n); err != nil || n == 0 {
		return nil, err
	}
	return unsafe.Slice((*T)(pointer(addr)), n), nil
}

func floats(addr uintptr, n int64) ([]float32, error)   { return view[float32](addr, n) }
func int64s(addr uintptr, n int64) ([]int64, error)     { return view[int64](addr, n) }
func int32s(addr uintptr, n int64) ([]int32, error)     { return view[int32](addr, n) }
func float64s(addr uintptr, n int64) ([]float64, error) { return view[float64](addr, n) }
func bytesAt(addr uintptr, n int64) ([]byte, error)     { return view[byte](addr, n) }

// optional is view for an argument that may be absent (address 0: nil).
func optional[T any](addr uintptr, n int64) ([]T, error) {
	if addr == 0 {
		return nil, nil
	}
	return view[T](addr, n)
}

// results views the k-NN outputs of n queries: dist (float32[n*k]) and
// labels (int64[n*k]).
func results(n, k int64, dist, labels uintptr) ([]float32, []int64, error) {
	ds, err := floats(dist, n*k)
	if err != nil {
		return nil, nil, err
	}
	ls, err := int64s(labels, n*k)
	return ds, ls, err
}
