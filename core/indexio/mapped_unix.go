//go:build unix

package indexio

import (
	"os"
	"runtime"
	"syscall"
)

// mapping is a mapped file; unmapped when unreachable (every index that
// points into it holds it).
type mapping struct{ data []byte }

// mapFile maps path privately (copy on write); nil data for an empty file
// or a system that refuses, so that the caller reads it instead.
func mapFile(path string) ([]byte, any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() == 0 || st.Size() != int64(int(st.Size())) {
		return nil, nil, err
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil, nil
	}
	m := &mapping{data: data}
	runtime.AddCleanup(m, func(b []byte) { _ = syscall.Munmap(b) }, data)
	return data, m, nil
}
