package pyapi

import (
	"github.com/metalfaiss/metalfaiss/core"
	"github.com/metalfaiss/metalfaiss/core/indexio"
)

// IVFReplaceOnDisk gives the IVF index h the inverted lists kept in file
// (faiss's OnDiskInvertedLists layout): lists holds nlist (size, capacity,
// offset) triples, slots nslots (offset, capacity) pairs, totsize the
// file's size. The index's lists are replaced (faiss's replace_invlists);
// write_index then refers to the file.
func IVFReplaceOnDisk(h int64, file string, lists uintptr, nlist int64, slots uintptr, nslots, totsize int64) string {
	const op = "IndexIVF.replace_invlists"
	return withIVF(op, h, true, func(ix *core.IndexIVF) error {
		triples, err := int64s(lists, 3*nlist)
		if err != nil {
			return err
		}
		pairs, err := int64s(slots, 2*nslots)
		if err != nil {
			return err
		}
		od := &core.OnDiskLists{Filename: file, Totsize: uint64(totsize), Lists: make([]core.OnDiskList, nlist)}
		for i := range od.Lists {
			t := triples[3*i : 3*i+3]
			if t[0] < 0 || t[1] < 0 || t[2] < 0 {
				return core.Errorf(core.KindInvalidArgument, op, "list %d: negative size, capacity or offset", i)
			}
			od.Lists[i] = core.OnDiskList{Size: uint64(t[0]), Capacity: uint64(t[1]), Offset: uint64(t[2])}
		}
		for i := int64(0); i < nslots; i++ {
			od.Slots = append(od.Slots, [2]uint64{uint64(pairs[2*i]), uint64(pairs[2*i+1])})
		}
		flat := !ix.Coded()
		ids, vecs, codes, keep, err := indexio.LoadOnDisk(od, ix.CodeSize(), flat, "")
		if err != nil {
			return err
		}
		return ix.ReplaceLists(od, ids, vecs, codes, keep)
	})
}

// IVFOnDiskFile returns the name of the on-disk lists file the IVF index
// h refers to ("" when its lists are in memory).
func IVFOnDiskFile(h int64) string {
	const op = "IndexIVF.invlists"
	var name string
	if st := withIVF(op, h, false, func(ix *core.IndexIVF) error {
		if od := ix.OnDiskFile(); od != nil {
			name = od.Filename
		}
		return nil
	}); st != "" {
		return st
	}
	return text(op, func() (string, error) { return name, nil })
}

// IVFDetachOnDisk makes the IVF index h's lists live in memory only (its
// lists were replaced by lists of another kind).
func IVFDetachOnDisk(h int64) string {
	return withIVF("IndexIVF.replace_invlists", h, true, func(ix *core.IndexIVF) error {
		ix.DetachOnDisk()
		return nil
	})
}

// IVFSetListView sets what searches see of the lists: kind 0 all, 1 the
// lists of at most limit entries (stop words), 2 the first limit entries
// of each (capped).
func IVFSetListView(h, kind, limit int64) string {
	return withIVF("IndexIVF.replace_invlists", h, true, func(ix *core.IndexIVF) error {
		return ix.SetListView(core.ListView{Kind: core.ListViewKind(kind), Limit: int(limit)})
	})
}
