package core

// directMap finds a stored vector from its id (faiss's DirectMap), so that
// an IVF index can reconstruct. faiss's two kinds: an array, for the ids
// 0..ntotal-1 given by add, and a hashtable for any ids (which also allows
// removal).
type directMap struct {
	kind directMapKind
	pos  map[int64]listPos
}

type directMapKind int

// The kinds, with faiss's numbers (DirectMap::Type).
const (
	directMapNone  directMapKind = 0
	directMapArray directMapKind = 1
	directMapHash  directMapKind = 2
)

type listPos struct{ list, offset int }

func (m *directMap) record(id int64, list, offset int) {
	if m.kind != directMapNone {
		m.pos[id] = listPos{list, offset}
	}
}

func (m *directMap) clear() {
	if m.kind != directMapNone {
		m.pos = map[int64]listPos{}
	}
}

func (m *directMap) rebuild(il *invertedLists) {
	m.fill(len(il.lists), func(l int) []int64 { return il.lists[l].ids })
}

// fill maps every id of the nlist lists that ids gives.
func (m *directMap) fill(nlist int, ids func(l int) []int64) {
	m.pos = map[int64]listPos{}
	for li := 0; li < nlist; li++ {
		for off, id := range ids(li) {
			m.pos[id] = listPos{li, off}
		}
	}
}

// newDirectMap builds a map of the given kind (faiss's numbers) over the
// nlist lists that ids gives, holding ntotal entries; an array map needs
// the ids 0..ntotal-1.
func newDirectMap(op string, kind int, ntotal int64, nlist int, ids func(l int) []int64) (directMap, error) {
	k := directMapKind(kind)
	switch k {
	case directMapNone:
		return directMap{}, nil
	case directMapArray, directMapHash:
	default:
		return directMap{}, Errorf(KindInvalidArgument, op, "unknown direct map type %d (0 none, 1 array, 2 hashtable)", kind)
	}
	m := directMap{kind: k}
	m.fill(nlist, ids)
	if k == directMapArray {
		for id := range m.pos {
			if id < 0 || id >= ntotal {
				return directMap{}, Errorf(KindInvalidArgument, op, "an array direct map needs the ids 0..ntotal-1 that add gives; id %d is not one (use the hashtable type)", id)
			}
		}
	}
	return m, nil
}

// SetDirectMapType builds (or drops) the id -> vector map: 0 none, 1 array
// (ids must be 0..ntotal-1, as add gives them), 2 hashtable.
func (ix *IndexIVF) SetDirectMapType(kind int) error {
	if kind != 0 {
		if err := ix.refuseDedup(ix.name + ".set_direct_map_type"); err != nil {
			return err
		}
	}
	m, err := newDirectMap(ix.name+".set_direct_map_type", kind, ix.ntotal, len(ix.lists.lists),
		func(l int) []int64 { return ix.lists.lists[l].ids })
	if err == nil {
		ix.directMap = m
	}
	return err
}

// DirectMapType is the current kind (0 none, 1 array, 2 hashtable).
func (ix *IndexIVF) DirectMapType() int { return int(ix.directMap.kind) }

// Reconstruct copies the vector with id key into out (needs a direct map).
func (ix *IndexIVF) Reconstruct(key int64, out []float32) error {
	op := ix.name + ".reconstruct"
	if ix.directMap.kind == directMapNone {
		return Errorf(KindInvalidArgument, op, "direct map not initialized: call make_direct_map() first")
	}
	if len(out) != ix.d {
		return Errorf(KindDimensionMismatch, op, "output holds %d floats, need d=%d", len(out), ix.d)
	}
	p, ok := ix.directMap.pos[key]
	if !ok {
		return Errorf(KindInvalidArgument, op, "id %d is not in the index", key)
	}
	if err := ix.decodeEntry(p.list, p.offset, out); err != nil {
		return err
	}
	if ix.pqr != nil {
		ix.pqr.reconstructAdd(key, out)
	}
	return nil
}

// ReconstructN copies the vectors with ids i0..i0+n-1 into out; without a
// direct map it reads the lists (faiss's reconstruct_n).
func (ix *IndexIVF) ReconstructN(i0, n int64, out []float32) error {
	if int64(len(out)) != n*int64(ix.d) || n < 0 {
		return Errorf(KindDimensionMismatch, ix.name+".reconstruct_n", "output holds %d floats, need %d", len(out), n*int64(ix.d))
	}
	if ix.directMap.kind == directMapNone {
		return ix.reconstructRange(i0, n, out)
	}
	for i := int64(0); i < n; i++ {
		if err := ix.Reconstruct(i0+i, out[i*int64(ix.d):(i+1)*int64(ix.d)]); err != nil {
			return err
		}
	}
	return nil
}

// reconstructRange is ReconstructN without a direct map, as faiss's: the
// lists are read once and each entry with an id in i0..i0+n-1 is decoded
// into its row; rows of ids that are in no list are NaN.
func (ix *IndexIVF) reconstructRange(i0, n int64, out []float32) error {
	fillNaN(out)
	d := int64(ix.d)
	for l := range ix.lists.lists {
		for off, id := range ix.lists.lists[l].ids {
			if id >= i0 && id < i0+n {
				row := out[(id-i0)*d : (id-i0+1)*d]
				if err := ix.decodeEntry(l, off, row); err != nil {
					return err
				}
				if ix.pqr != nil {
					ix.pqr.reconstructAdd(id, row)
				}
			}
		}
	}
	return nil
}
