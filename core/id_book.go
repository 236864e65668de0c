package core

// idBook is the id bookkeeping of the id-map indexes (float and binary):
// IDMap[i] is the caller's id of the sub-index's i-th entry, and with two
// (faiss's IDMap2) rev maps ids back to entries.
type idBook struct {
	IDMap []int64
	two   bool
	rev   map[int64]int64 // caller id -> sub-index id (IDMap2)
}

func newIDBook(ids []int64, two bool) idBook {
	b := idBook{IDMap: ids, two: two}
	if two {
		b.rev = make(map[int64]int64, len(ids))
		for i, id := range ids {
			b.rev[id] = int64(i)
		}
	}
	return b
}

// IDs are the caller's ids, in the sub-index's order.
func (b *idBook) IDs() []int64 { return b.IDMap }

// IsIDMap2 reports whether ids map back to entries.
func (b *idBook) IsIDMap2() bool { return b.two }

// appendIDs records ids for the entries start, start+1, ...
func (b *idBook) appendIDs(ids []int64, start int64) {
	b.IDMap = append(b.IDMap, ids...)
	if b.two {
		for i, id := range ids {
			b.rev[id] = start + int64(i)
		}
	}
}

// dropIDs forgets the ids sel picks (their entries were removed, the
// others moving down in order).
func (b *idBook) dropIDs(sel IDSelector) {
	kept := b.IDMap[:0]
	for _, id := range b.IDMap {
		if !sel.IsMember(id) {
			kept = append(kept, id)
		}
	}
	*b = newIDBook(kept, b.two)
}

// clearIDs forgets every id.
func (b *idBook) clearIDs() { *b = newIDBook(b.IDMap[:0], b.two) }

// translate replaces entry numbers by the caller's ids (-1 stays).
func (b *idBook) translate(labels []int64) {
	for i, l := range labels {
		if l >= 0 && l < int64(len(b.IDMap)) {
			labels[i] = b.IDMap[l]
		}
	}
}

// entryOf is the entry holding caller id key (IDMap2).
func (b *idBook) entryOf(key int64) (int64, bool) {
	i, ok := b.rev[key]
	return i, ok
}
