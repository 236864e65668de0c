package indexio

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"unsafe"

	"github.com/metalfaiss/metalfaiss/core"
)

// faiss's OnDiskInvertedLists in an index file: "ilod", nlist, code size,
// the lists' (size, capacity, offset) triples, the free slots' (offset,
// capacity) pairs, the lists file's name and its total size. The entries
// live in that file: list l at its offset, capacity codes then capacity
// int64 ids.

const codeOnDiskLists = "ilod"

func writeOnDisk(w *writer, od *core.OnDiskLists, cs int) {
	w.fourcc(codeOnDiskLists)
	w.u64(uint64(len(od.Lists)))
	w.u64(uint64(cs))
	w.u64(uint64(len(od.Lists)))
	for _, l := range od.Lists {
		w.u64(l.Size)
		w.u64(l.Capacity)
		w.u64(l.Offset)
	}
	w.u64(uint64(len(od.Slots)))
	for _, s := range od.Slots {
		w.u64(s[0])
		w.u64(s[1])
	}
	w.bytes([]byte(od.Filename))
	w.u64(od.Totsize)
}

// rewriteOnDisk writes the lists of ix to a new lists file at path, each
// list after the other with its capacity its size (the layout faiss's
// merge leaves), and returns its description. The file is written beside
// path and renamed over it, so that a mapping of the old file (which the
// lists may still point into) stays valid.
func rewriteOnDisk(ix *core.IndexIVF, path string) (*core.OnDiskLists, error) {
	const op = "OnDiskInvertedLists"
	od := &core.OnDiskLists{Filename: path}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, core.Errorf(core.KindInvalidArgument, op, "writing the lists file: %v", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	var buf []byte
	for l := 0; l < ix.Nlist(); l++ {
		ids, vecs, codes := ix.IVFList(l)
		n := uint64(len(ids))
		od.Lists = append(od.Lists, core.OnDiskList{Size: n, Capacity: n, Offset: od.Totsize})
		buf = buf[:0]
		if codes == nil {
			for _, v := range vecs {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			}
		} else {
			buf = append(buf, codes...)
		}
		for _, id := range ids {
			buf = binary.LittleEndian.AppendUint64(buf, uint64(id))
		}
		if _, err := tmp.Write(buf); err != nil {
			tmp.Close()
			return nil, core.Errorf(core.KindInvalidArgument, op, "writing the lists file: %v", err)
		}
		od.Totsize += uint64(len(buf))
	}
	if od.Totsize > 0 { // faiss records a merged file as one free slot
		od.Slots = [][2]uint64{{0, od.Totsize}}
	}
	if err := tmp.Close(); err != nil {
		return nil, core.Errorf(core.KindInvalidArgument, op, "writing the lists file: %v", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, core.Errorf(core.KindInvalidArgument, op, "writing the lists file: %v", err)
	}
	return od, nil
}

// readOnDisk reads an "ilod" block (its fourcc already read).
func readOnDisk(r *reader, nlist, cs int) *core.OnDiskLists {
	r.size("the lists' nlist", uint64(nlist), uint64(nlist))
	r.size("the lists' code size", uint64(cs), uint64(cs))
	n := r.size("the on-disk list count", uint64(nlist), uint64(nlist))
	od := &core.OnDiskLists{Lists: make([]core.OnDiskList, 0, nlist)}
	for i := 0; i < n && r.err == nil; i++ {
		od.Lists = append(od.Lists, core.OnDiskList{Size: r.u64("a list's size"), Capacity: r.u64("a list's capacity"),
			Offset: r.u64("a list's offset")})
	}
	slots := r.count(16, "the free slots")
	for i := uint64(0); i < slots && r.err == nil; i++ {
		od.Slots = append(od.Slots, [2]uint64{r.u64("a slot's offset"), r.u64("a slot's capacity")})
	}
	od.Filename = string(r.bytes(r.count(1, "the lists file name"), "the lists file name"))
	od.Totsize = r.u64("the lists file size")
	if r.err != nil {
		return nil
	}
	return od
}

// LoadOnDisk opens the lists file od names (relative to dir when dir is
// set: faiss's IO_FLAG_ONDISK_SAME_DIR keeps only the name) and returns
// each list's ids and vectors (flat lists) or codes of cs bytes. The file
// is mapped privately where the system allows (the entries stay in it,
// paged in as searches touch them; keep holds the mapping), else read.
func LoadOnDisk(od *core.OnDiskLists, cs int, flat bool, dir string) (ids [][]int64, vecs [][]float32, codes [][]byte, keep any, err error) {
	const op = "OnDiskInvertedLists"
	path := od.Filename
	if dir != "" {
		path = filepath.Join(dir, filepath.Base(path))
	}
	n := len(od.Lists)
	ids, vecs, codes = make([][]int64, n), make([][]float32, n), make([][]byte, n)
	empty := true
	for _, l := range od.Lists {
		empty = empty && l.Size == 0
	}
	if empty { // new lists (OnDiskInvertedLists just made): no file yet
		return ids, vecs, codes, nil, nil
	}
	data, keep, err := mapFile(path)
	if err != nil {
		return nil, nil, nil, nil, core.Errorf(core.KindInvalidArgument, op, "%v", err)
	}
	if data == nil {
		if data, err = os.ReadFile(path); err != nil {
			return nil, nil, nil, nil, core.Errorf(core.KindInvalidArgument, op, "%v", err)
		}
	}
	entry := uint64(cs) + 8
	for i, l := range od.Lists {
		if l.Size == 0 {
			continue
		}
		if l.Size > l.Capacity || l.Capacity > uint64(len(data))/entry || l.Offset > uint64(len(data))-l.Capacity*entry {
			return nil, nil, nil, nil, core.Errorf(core.KindInvalidArgument, op,
				"list %d (%d of %d entries at byte %d) lies outside %s (%d bytes)", i, l.Size, l.Capacity, l.Offset, path, len(data))
		}
		c := data[l.Offset : l.Offset+l.Size*uint64(cs)]
		idBytes := data[l.Offset+l.Capacity*uint64(cs) : l.Offset+l.Capacity*uint64(cs)+l.Size*8]
		ids[i] = aligned[int64](idBytes, l.Size)
		if flat {
			vecs[i] = aligned[float32](c, l.Size*uint64(cs)/4)
		} else {
			codes[i] = c[:len(c):len(c)] // appends copy: the next list follows
		}
	}
	return ids, vecs, codes, keep, nil
}

// aligned views b as n values of T in place when b is aligned for T, else
// copies them (little-endian machines, as the format). The view's capacity
// is its length, so that appends copy.
func aligned[T int64 | float32](b []byte, n uint64) []T {
	var zero T
	size := uint64(unsafe.Sizeof(zero))
	if uintptr(unsafe.Pointer(unsafe.SliceData(b)))%uintptr(size) == 0 {
		s := unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), n)
		return s[:n:n]
	}
	out := make([]T, n)
	copy(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(out))), n*size), b)
	return out
}
