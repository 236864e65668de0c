package core

// OnDiskList places one inverted list in an on-disk lists file: Size
// entries used of Capacity, starting Offset bytes in, as Capacity codes
// followed by Capacity int64 ids (faiss's OnDiskOneList).
type OnDiskList struct {
	Size, Capacity, Offset uint64
}

// OnDiskLists describes inverted lists kept in their own file, in faiss's
// OnDiskInvertedLists layout: where each list lies, the free slots
// (offset, capacity) and the file's total size. An index whose lists come
// from such a file remembers it, and write_index writes this reference
// (faiss's "ilod" block) instead of the entries, until the lists change:
// changes are made in memory (the file is mapped privately) and the index
// is written with its entries from then on.
type OnDiskLists struct {
	Filename string
	Lists    []OnDiskList
	Slots    [][2]uint64
	Totsize  uint64
}

// OnDisk returns the file the lists were read from, unchanged since; nil
// when they live in memory.
func (ix *IndexIVF) OnDisk() *OnDiskLists { return ix.onDisk }

// ReplaceLists installs lists read from the file od describes (ids, and
// vecs or codes, per list, which may point into memory that keep holds),
// as faiss's replace_invlists; nprobe, by_residual and the direct map type
// stay.
func (ix *IndexIVF) ReplaceLists(od *OnDiskLists, ids [][]int64, vecs [][]float32, codes [][]byte, keep any) error {
	if len(od.Lists) != ix.nlist {
		return Errorf(KindDimensionMismatch, ix.name+".replace_invlists", "%d lists for nlist=%d", len(od.Lists), ix.nlist)
	}
	if err := ix.RestoreIVF(ix.Nprobe, ix.ByResidual, ids, vecs, codes, ix.DirectMapType()); err != nil {
		return err
	}
	ix.AttachOnDisk(od, keep)
	return nil
}

// AttachOnDisk records that the lists just installed (RestoreIVF) come
// from the file od describes, whose memory keep holds.
func (ix *IndexIVF) AttachOnDisk(od *OnDiskLists, keep any) {
	ix.KeepAlive(keep)
	ix.onDisk = od
}

// listsChanged forgets the lists' file: from now on they are written whole.
func (ix *IndexIVF) listsChanged() { ix.onDisk = nil }
