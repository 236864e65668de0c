package core

// A binary IVF finds a code from its id through a direct map, as the float
// IVF indexes do (faiss's DirectMap on IndexBinaryIVF).

// SetDirectMapType builds (or drops) the id -> code map: 0 none, 1 array
// (ids must be 0..ntotal-1, as add gives them), 2 hashtable.
func (ix *IndexBinaryIVF) SetDirectMapType(kind int) error {
	m, err := newDirectMap("IndexBinaryIVF.set_direct_map_type", kind, ix.ntotal, ix.nlist,
		func(l int) []int64 { return ix.ids[l] })
	if err == nil {
		ix.directMap = m
	}
	return err
}

// DirectMapType is the current kind (0 none, 1 array, 2 hashtable).
func (ix *IndexBinaryIVF) DirectMapType() int { return int(ix.directMap.kind) }

// DirectMapEntry returns where id is stored, if the map knows it.
func (ix *IndexBinaryIVF) DirectMapEntry(id int64) (list, offset int, ok bool) {
	p, ok := ix.directMap.pos[id]
	return p.list, p.offset, ok
}

// Reconstruct copies the code with id key into out (needs a direct map).
func (ix *IndexBinaryIVF) Reconstruct(key int64, out []byte) error {
	const op = "IndexBinaryIVF.reconstruct"
	if ix.directMap.kind == directMapNone {
		return Errorf(KindInvalidArgument, op, "direct map not initialized: call make_direct_map() first")
	}
	if len(out) != ix.cs {
		return Errorf(KindDimensionMismatch, op, "output holds %d bytes, need %d", len(out), ix.cs)
	}
	p, ok := ix.directMap.pos[key]
	if !ok {
		return Errorf(KindInvalidArgument, op, "id %d is not in the index", key)
	}
	copy(out, ix.codes[p.list][p.offset*ix.cs:])
	return nil
}

// checkCanAdd refuses ids an array map cannot hold: with one, codes take
// the ids add gives (ntotal, ntotal+1, ...), as in faiss.
func (ix *IndexBinaryIVF) checkCanAdd(op string, ids []int64) error {
	if ix.directMap.kind != directMapArray {
		return nil
	}
	for i, id := range ids {
		if id != ix.ntotal+int64(i) {
			return Errorf(KindInvalidArgument, op, "cannot add ids to an index with an array direct map (id %d); use the hashtable type", id)
		}
	}
	return nil
}
