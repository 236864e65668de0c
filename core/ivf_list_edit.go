package core

import (
	"encoding/binary"
	"math"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// Editing the lists entry by entry, as faiss scripts do through
// index.invlists (add_entries, update_entries, resize) and ivflib's
// set_invlist_range. Entries come as codes of CodeSize bytes: for flat
// lists, the vector's float32 bytes (little-endian). Unlike faiss, ntotal
// follows the lists, so that it always counts what a search can return.

func (ix *IndexIVF) checkList(op string, list int) error {
	if list < 0 || list >= ix.nlist {
		return Errorf(KindInvalidArgument, op, "list %d is outside 0..%d", list, ix.nlist-1)
	}
	return nil
}

func (ix *IndexIVF) checkEntries(op string, ids []int64, codes []byte) error {
	if cs := ix.CodeSize(); len(codes) != len(ids)*cs {
		return Errorf(KindDimensionMismatch, op, "%d ids need %d bytes of codes (%d each), got %d",
			len(ids), len(ids)*cs, cs, len(codes))
	}
	return nil
}

// codeVector decodes the float32 vector of a flat list's code.
func codeVector(code []byte, out []float32) {
	for j := range out {
		out[j] = math.Float32frombits(binary.LittleEndian.Uint32(code[4*j:]))
	}
}

// AddEntries appends n entries (ids, and n*CodeSize bytes of codes) to
// list and returns the offset of the first.
func (ix *IndexIVF) AddEntries(list int, ids []int64, codes []byte) (int, error) {
	op := ix.name + ".invlists.add_entries"
	if err := ix.checkList(op, list); err != nil {
		return 0, err
	}
	if err := ix.checkEntries(op, ids, codes); err != nil {
		return 0, err
	}
	start := ix.lists.size(list)
	ix.listsChanged()
	ix.appendEntries(list, ids, codes)
	ix.ntotal += int64(len(ids))
	ix.entriesMoved()
	return start, nil
}

func (ix *IndexIVF) appendEntries(list int, ids []int64, codes []byte) {
	cs := ix.CodeSize()
	if ix.codec != nil {
		l := &ix.lists.lists[list]
		l.gen++
		l.ids = append(l.ids, ids...)
		l.codes = append(l.codes, codes...)
		return
	}
	v := make([]float32, ix.d)
	for i, id := range ids {
		codeVector(codes[i*cs:], v)
		ix.lists.add(list, id, v)
	}
}

// UpdateEntries overwrites the entries at offset.. of list.
func (ix *IndexIVF) UpdateEntries(list, offset int, ids []int64, codes []byte) error {
	op := ix.name + ".invlists.update_entries"
	if err := ix.checkList(op, list); err != nil {
		return err
	}
	if err := ix.checkEntries(op, ids, codes); err != nil {
		return err
	}
	if n := ix.lists.size(list); offset < 0 || offset+len(ids) > n {
		return Errorf(KindInvalidArgument, op, "entries %d..%d are outside list %d, which holds %d",
			offset, offset+len(ids)-1, list, n)
	}
	ix.listsChanged()
	l := &ix.lists.lists[list]
	l.gen++
	copy(l.ids[offset:], ids)
	if ix.codec != nil {
		copy(l.codes[offset*ix.CodeSize():], codes)
	} else {
		for i := range ids {
			v := l.vecs[(offset+i)*ix.d : (offset+i+1)*ix.d]
			codeVector(codes[i*4*ix.d:], v)
			var norm [1]float32
			kernels.Norms(v, ix.d, norm[:])
			l.norms[offset+i] = norm[0]
		}
	}
	ix.entriesMoved()
	return nil
}

// ResizeList truncates list to n entries or pads it with entries of id -1
// and zero codes (to be filled by UpdateEntries).
func (ix *IndexIVF) ResizeList(list, n int) error {
	op := ix.name + ".invlists.resize"
	if err := ix.checkList(op, list); err != nil {
		return err
	}
	if n < 0 {
		return Errorf(KindInvalidArgument, op, "the new size must be >= 0, got %d", n)
	}
	ix.listsChanged()
	old := ix.lists.size(list)
	l := &ix.lists.lists[list]
	l.gen++
	if n <= old {
		l.ids = l.ids[:n]
		if ix.codec != nil {
			l.codes = l.codes[:n*ix.CodeSize()]
		} else {
			l.vecs, l.norms = l.vecs[:n*ix.d], l.norms[:n]
		}
	} else {
		pad := make([]int64, n-old)
		for i := range pad {
			pad[i] = -1
		}
		ix.appendEntries(list, pad, make([]byte, len(pad)*ix.CodeSize()))
	}
	ix.ntotal += int64(n - old)
	ix.entriesMoved()
	return nil
}

// SetListRange replaces lists first..first+len(sizes)-1 with the entries
// given: sizes[i] of them for each list, their ids and codes one after the
// other (ivflib's set_invlist_range; replace_invlists with all lists).
func (ix *IndexIVF) SetListRange(first int, sizes []int64, ids []int64, codes []byte) error {
	op := ix.name + ".set_invlist_range"
	if first < 0 || first+len(sizes) > ix.nlist {
		return Errorf(KindInvalidArgument, op, "lists %d..%d are outside 0..%d", first, first+len(sizes)-1, ix.nlist-1)
	}
	var total int64
	for _, s := range sizes {
		if s < 0 {
			return Errorf(KindInvalidArgument, op, "a list size is negative: %d", s)
		}
		total += s
	}
	if total != int64(len(ids)) {
		return Errorf(KindDimensionMismatch, op, "the sizes add up to %d entries, %d ids given", total, len(ids))
	}
	if err := ix.checkEntries(op, ids, codes); err != nil {
		return err
	}
	ix.listsChanged()
	cs, at := ix.CodeSize(), 0
	for i, s := range sizes {
		list := first + i
		ix.ntotal -= int64(ix.lists.size(list))
		ix.lists.lists[list] = invertedList{gen: ix.lists.lists[list].gen + 1}
		ix.appendEntries(list, ids[at:at+int(s)], codes[at*cs:(at+int(s))*cs])
		at += int(s)
		ix.ntotal += s
	}
	ix.entriesMoved()
	return nil
}

// entriesMoved keeps a direct map in step with edited lists.
func (ix *IndexIVF) entriesMoved() {
	if ix.directMap.kind != directMapNone {
		ix.directMap.rebuild(&ix.lists)
	}
}

// UpdateVectors gives the stored ids new vectors (faiss's update_vectors):
// each moves to the list its new vector is assigned to. Needs a direct map
// (array or hashtable); every id must be in the index, and nothing changes
// otherwise.
func (ix *IndexIVF) UpdateVectors(ids []int64, x []float32) error {
	op := ix.name + ".update_vectors"
	if err := ix.refuseDedup(op); err != nil {
		return err
	}
	n, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if len(ids) != n {
		return Errorf(KindDimensionMismatch, op, "%d ids for %d vectors", len(ids), n)
	}
	if ix.directMap.kind == directMapNone {
		return Errorf(KindUnsupported, op, "needs a direct map: make_direct_map() or set_direct_map_type(DirectMap.Hashtable)")
	}
	seen := make(map[int64]bool, n)
	for _, id := range ids {
		if _, ok := ix.directMap.pos[id]; !ok {
			return Errorf(KindInvalidArgument, op, "id %d is not in the index", id)
		}
		if seen[id] {
			return Errorf(KindInvalidArgument, op, "id %d is given twice", id)
		}
		seen[id] = true
	}
	if !ix.IsTrained() {
		return Errorf(KindNotTrained, op, "the index is not trained")
	}
	// encode first (this may fail or be interrupted), then swap the entries
	assign, codes, err := ix.assignAndEncode(op, x, nil)
	if err != nil {
		return err
	}
	ix.listsChanged()
	ix.lists.removeIf(idSet(seen), ix.CodeSize())
	cs := ix.CodeSize()
	removed := 0
	for i, l := range assign {
		if l < 0 { // no list (a NaN row): the id leaves the index, as an add would not store it
			removed++
			continue
		}
		if codes != nil {
			ix.lists.addCode(int(l), ids[i], codes[i*cs:(i+1)*cs])
		} else {
			ix.lists.add(int(l), ids[i], x[i*ix.d:(i+1)*ix.d])
		}
	}
	ix.ntotal -= int64(removed)
	ix.entriesMoved()
	return nil
}

// idSet selects the ids of a set.
type idSet map[int64]bool

func (s idSet) IsMember(id int64) bool { return s[id] }
