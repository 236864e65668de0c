package core

// IndexBinaryIDMap gives the codes of a binary index caller-chosen ids
// (faiss's IndexBinaryIDMap); with two, it also maps ids back to codes so
// that reconstruct takes them (IndexBinaryIDMap2).
type IndexBinaryIDMap struct {
	sub BinaryIndex
	idBook
}

var (
	_ BinaryIndex         = (*IndexBinaryIDMap)(nil)
	_ BinaryRangeSearcher = (*IndexBinaryIDMap)(nil)
)

func binaryIDMapName(two bool) string {
	if two {
		return "IndexBinaryIDMap2"
	}
	return "IndexBinaryIDMap"
}

// NewIndexBinaryIDMap wraps sub, which must be empty.
func NewIndexBinaryIDMap(sub BinaryIndex, two bool) (*IndexBinaryIDMap, error) {
	op := binaryIDMapName(two)
	if sub == nil {
		return nil, Errorf(KindInvalidArgument, op, "a sub-index is required")
	}
	if sub.Ntotal() != 0 {
		return nil, Errorf(KindInvalidArgument, op, "the sub-index must be empty, it holds %d codes", sub.Ntotal())
	}
	return &IndexBinaryIDMap{sub: sub, idBook: newIDBook(nil, two)}, nil
}

// RestoreIndexBinaryIDMap pairs a sub-index read from a file with its ids.
func RestoreIndexBinaryIDMap(sub BinaryIndex, ids []int64, two bool) (*IndexBinaryIDMap, error) {
	op := binaryIDMapName(two)
	if int64(len(ids)) != sub.Ntotal() {
		return nil, Errorf(KindDimensionMismatch, op, "%d ids for %d codes", len(ids), sub.Ntotal())
	}
	return &IndexBinaryIDMap{sub: sub, idBook: newIDBook(ids, two)}, nil
}

func (m *IndexBinaryIDMap) op(name string) string { return binaryIDMapName(m.two) + "." + name }

// Name is faiss's class name.
func (m *IndexBinaryIDMap) Name() string { return binaryIDMapName(m.two) }

// Sub returns the wrapped index.
func (m *IndexBinaryIDMap) Sub() BinaryIndex { return m.sub }

func (m *IndexBinaryIDMap) D() int               { return m.sub.D() }
func (m *IndexBinaryIDMap) CodeSize() int        { return m.sub.CodeSize() }
func (m *IndexBinaryIDMap) Ntotal() int64        { return m.sub.Ntotal() }
func (m *IndexBinaryIDMap) IsTrained() bool      { return m.sub.IsTrained() }
func (m *IndexBinaryIDMap) Train(x []byte) error { return m.sub.Train(x) }

// Add is refused, as in faiss: every code needs a caller id.
func (m *IndexBinaryIDMap) Add([]byte) error {
	return Errorf(KindUnsupported, m.op("add"), "add does not work with an IndexBinaryIDMap: use add_with_ids")
}

// AddWithIDs adds codes under the given ids.
func (m *IndexBinaryIDMap) AddWithIDs(x []byte, ids []int64) error {
	op := m.op("add_with_ids")
	n, err := checkBinaryCodes(op, x, m.CodeSize(), m.D())
	if err != nil {
		return err
	}
	if len(ids) != n {
		return Errorf(KindDimensionMismatch, op, "%d ids for %d codes", len(ids), n)
	}
	start := m.sub.Ntotal()
	if err := m.sub.Add(x); err != nil {
		return err
	}
	m.appendIDs(ids, start)
	return nil
}

// Search searches the sub-index and returns the caller's ids.
func (m *IndexBinaryIDMap) Search(x []byte, k int, dist []int32, labels []int64) error {
	if err := m.sub.Search(x, k, dist, labels); err != nil {
		return err
	}
	m.translate(labels)
	return nil
}

// RangeSearch range-searches the sub-index and returns the caller's ids.
func (m *IndexBinaryIDMap) RangeSearch(x []byte, radius int) ([]int64, []int32, []int64, error) {
	rs, ok := m.sub.(BinaryRangeSearcher)
	if !ok {
		return nil, nil, nil, Errorf(KindUnsupported, m.op("range_search"), "the sub-index %T has no range search", m.sub)
	}
	lims, dist, labels, err := rs.RangeSearch(x, radius)
	if err == nil {
		m.translate(labels)
	}
	return lims, dist, labels, err
}

// Reset empties the sub-index and the map.
func (m *IndexBinaryIDMap) Reset() {
	m.sub.Reset()
	m.clearIDs()
}

// Reconstruct copies the code of caller id key (IndexBinaryIDMap2 only).
func (m *IndexBinaryIDMap) Reconstruct(key int64, out []byte) error {
	op := m.op("reconstruct")
	if !m.two {
		return Errorf(KindUnsupported, op, "an IndexBinaryIDMap cannot reconstruct by id: use IndexBinaryIDMap2")
	}
	i, ok := m.entryOf(key)
	if !ok {
		return Errorf(KindInvalidArgument, op, "id %d is not in the index", key)
	}
	r, ok := m.sub.(BinaryReconstructor)
	if !ok {
		return Errorf(KindUnsupported, op, "the sub-index %T cannot reconstruct", m.sub)
	}
	return r.Reconstruct(i, out)
}

// binaryRemover is a binary index that can drop codes (numbering the rest
// on, as flat indexes do).
type binaryRemover interface {
	RemoveIDs(sel IDSelector) int64
}

// RemoveIDs removes the codes whose caller ids sel picks and returns how
// many went; the others keep their ids.
func (m *IndexBinaryIDMap) RemoveIDs(sel IDSelector) (int64, error) {
	r, ok := m.sub.(binaryRemover)
	if !ok {
		return 0, Errorf(KindUnsupported, m.op("remove_ids"), "the sub-index %T cannot remove codes", m.sub)
	}
	n := r.RemoveIDs(translated{ids: m.IDMap, sel: sel})
	m.dropIDs(sel)
	return n, nil
}
