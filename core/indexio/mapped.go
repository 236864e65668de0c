package indexio

import (
	"os"

	"github.com/metalfaiss/metalfaiss/core"
)

// ReadFile reads the index in the file at path. With mapped set (faiss's
// IO_FLAG_MMAP) the file is mapped privately instead of read: vectors and
// codes stay in the mapping, paged in as searches touch them, and a change
// to the index (add, remove) copies what it changes rather than writing to
// the file. The mapping is released once no index uses it.
func ReadFile(path string, mapped bool) (core.Index, error) {
	if mapped {
		if data, keep, err := mapFile(path); err == nil && data != nil {
			r := &reader{b: data, mapped: true, keep: keep}
			return finish(r, read(r, 0))
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, core.Errorf(core.KindInvalidArgument, "read_index", "%v", err)
	}
	return Read(data)
}
