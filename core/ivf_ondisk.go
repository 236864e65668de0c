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
// (faiss's "ilod" block) instead of the entries. Changes to the lists are
// made in memory (the file is mapped privately); the file is rewritten
// with them when the index is next written (faiss writes it at each
// change), so that the reference always describes the lists.
type OnDiskLists struct {
	Filename string
	Lists    []OnDiskList
	Slots    [][2]uint64
	Totsize  uint64
}

// OnDisk returns the file the lists belong to and whether they changed
// since it was written (nil: the lists live in memory only). The caller
// rewriting the file holds the returned unlock until it calls
// OnDiskWritten or gives up.
func (ix *IndexIVF) OnDisk() (od *OnDiskLists, dirty bool, unlock func()) {
	ix.onDiskMu.Lock()
	return ix.onDisk, ix.onDiskDirty, ix.onDiskMu.Unlock
}

// OnDiskFile is the lists file's description (nil: in memory).
func (ix *IndexIVF) OnDiskFile() *OnDiskLists {
	od, _, unlock := ix.OnDisk()
	unlock()
	return od
}

// OnDiskWritten records that the lists file now holds the lists as od
// describes them; the caller holds OnDisk's lock.
func (ix *IndexIVF) OnDiskWritten(od *OnDiskLists) { ix.onDisk, ix.onDiskDirty = od, false }

// DetachOnDisk makes the lists live in memory only (replace_invlists with
// lists of another kind).
func (ix *IndexIVF) DetachOnDisk() {
	ix.onDiskMu.Lock()
	ix.onDisk, ix.onDiskDirty = nil, false
	ix.onDiskMu.Unlock()
}

// ReplaceLists installs lists read from the file od describes (ids, and
// vecs or codes, per list, which may point into memory that keep holds),
// as faiss's replace_invlists; nprobe, by_residual and the direct map type
// stay.
func (ix *IndexIVF) ReplaceLists(od *OnDiskLists, ids [][]int64, vecs [][]float32, codes [][]byte, keep any) error {
	if len(od.Lists) != ix.nlist {
		return Errorf(KindDimensionMismatch, ix.name+".replace_invlists", "%d lists for nlist=%d", len(od.Lists), ix.nlist)
	}
	if ix.fastScan != nil {
		return Errorf(KindUnsupported, ix.name+".replace_invlists", "fast-scan lists are packed in blocks: they stay in memory, as in faiss")
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
	ix.onDiskMu.Lock()
	ix.onDisk, ix.onDiskDirty = od, false
	ix.onDiskMu.Unlock()
}

// listsChanged records that the lists file (if any) is out of date; the
// next write of the index rewrites it. Callers hold the index exclusively.
func (ix *IndexIVF) listsChanged() {
	if ix.onDisk != nil {
		ix.onDiskDirty = true
	}
}
