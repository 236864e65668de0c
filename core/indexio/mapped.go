package indexio

import (
	"os"
	"path/filepath"

	"github.com/metalfaiss/metalfaiss/core"
)

// ReadFile reads the index in the file at path. With mapped set (faiss's
// IO_FLAG_MMAP) the file is mapped privately instead of read: vectors and
// codes stay in the mapping, paged in as searches touch them, and a change
// to the index (add, remove) copies what it changes rather than writing to
// the file. The mapping is released once no index uses it.
func ReadFile(path string, mapped bool) (core.Index, error) {
	return ReadFileFrom(path, mapped, false)
}

// ReadFileFrom is ReadFile; with sameDir, on-disk inverted lists files are
// looked for beside the index file, whatever directory the index names
// (faiss's IO_FLAG_ONDISK_SAME_DIR).
func ReadFileFrom(path string, mapped, sameDir bool) (core.Index, error) {
	dir := ""
	if sameDir {
		dir = filepath.Dir(path)
	}
	if mapped {
		if data, keep, err := mapFile(path); err == nil && data != nil {
			r := &reader{b: data, mapped: true, keep: keep, listsDir: dir}
			return naming(path)(finish(r, read(r, 0)))
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, core.Errorf(core.KindInvalidArgument, "read_index", "%v", err)
	}
	r := &reader{b: data, listsDir: dir}
	return naming(path)(finish(r, read(r, 0)))
}

// naming puts the file's name in a read error, as faiss's messages have it.
func naming(path string) func(core.Index, error) (core.Index, error) {
	return func(ix core.Index, err error) (core.Index, error) {
		if e, ok := err.(*core.Error); ok {
			return nil, core.Errorf(e.Kind, e.Op, "%s: %s", path, e.Msg)
		}
		return ix, err
	}
}
