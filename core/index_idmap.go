package core

import "fmt"

// IndexIDMap gives the vectors of any index ids of the caller's choosing
// (faiss's IndexIDMap): the sub-index numbers them 0..n-1, and IDMap[i] is
// the caller's id of its i-th vector. IndexIDMap2 (Two set) also keeps the
// reverse map, which makes Reconstruct by caller id possible.
type IndexIDMap struct {
	sub Index
	idBook
}

var (
	_ Index              = (*IndexIDMap)(nil)
	_ ParamSearcher      = (*IndexIDMap)(nil)
	_ IDRemover          = (*IndexIDMap)(nil)
	_ RangeSearcher      = (*IndexIDMap)(nil)
	_ ParamRangeSearcher = (*IndexIDMap)(nil)
)

// NewIndexIDMap wraps sub, which must be empty; two makes an IndexIDMap2.
func NewIndexIDMap(sub Index, two bool) (*IndexIDMap, error) {
	op := idMapName(two)
	if sub == nil {
		return nil, Errorf(KindInvalidArgument, op, "a sub-index is required")
	}
	if sub.Ntotal() != 0 {
		return nil, Errorf(KindInvalidArgument, op, "the sub-index must be empty, it holds %d vectors", sub.Ntotal())
	}
	return &IndexIDMap{sub: sub, idBook: newIDBook(nil, two)}, nil
}

func idMapName(two bool) string {
	if two {
		return "IndexIDMap2"
	}
	return "IndexIDMap"
}

func (m *IndexIDMap) op(name string) string { return idMapName(m.two) + "." + name }

// Sub returns the wrapped index.
func (m *IndexIDMap) Sub() Index { return m.sub }

// SetProgress implements ProgressReporter for the wrapped index.
func (m *IndexIDMap) SetProgress(p *Progress) { forwardProgress(m.sub, p) }

func (m *IndexIDMap) D() int                  { return m.sub.D() }
func (m *IndexIDMap) Ntotal() int64           { return m.sub.Ntotal() }
func (m *IndexIDMap) Metric() Metric          { return m.sub.Metric() }
func (m *IndexIDMap) MetricArg() float32      { return m.sub.MetricArg() }
func (m *IndexIDMap) IsTrained() bool         { return m.sub.IsTrained() }
func (m *IndexIDMap) Train(x []float32) error { return m.sub.Train(x) }

// Add is refused, as in faiss: every vector needs a caller id.
func (m *IndexIDMap) Add([]float32) error {
	return Errorf(KindUnsupported, m.op("add"), "add does not work with an IndexIDMap: use add_with_ids")
}

// AddWithIDs adds the rows of x to the sub-index under the given ids.
func (m *IndexIDMap) AddWithIDs(x []float32, ids []int64) error {
	op := m.op("add_with_ids")
	n, err := checkBatch(op, x, m.D())
	if err != nil {
		return err
	}
	if len(ids) != n {
		return Errorf(KindDimensionMismatch, op, "%d ids for %d vectors", len(ids), n)
	}
	start := m.sub.Ntotal()
	if err := m.sub.Add(x); err != nil {
		return err
	}
	m.appendIDs(ids, start)
	return nil
}

// translated selects the sub-index ids whose caller ids sel selects.
type translated struct {
	ids []int64
	sel IDSelector
}

func (t translated) IsMember(i int64) bool {
	return i >= 0 && i < int64(len(t.ids)) && t.sel.IsMember(t.ids[i])
}

func (m *IndexIDMap) subParams(p *SearchParams) *SearchParams {
	if p == nil || p.Sel == nil {
		return p
	}
	q := *p
	q.Sel = translated{ids: m.IDMap, sel: p.Sel}
	return &q
}

// Search implements Index: the sub-index's results under caller ids.
func (m *IndexIDMap) Search(x []float32, k int, dist []float32, labels []int64) error {
	return m.SearchWithParams(x, k, dist, labels, nil)
}

// checkInStep refuses to read results through a map that no longer fits
// the sub-index: vectors added to it (or removed) through its own handle,
// where faiss would read past its map.
func (m *IndexIDMap) checkInStep(op string) error {
	if n := m.sub.Ntotal(); n != int64(len(m.IDMap)) {
		return Errorf(KindInvalidArgument, m.op(op), "the index holds %d vectors but the map %d ids: "+
			"vectors were added to or removed from the wrapped index directly; use add_with_ids on the map", n, len(m.IDMap))
	}
	return nil
}

// SearchWithParams implements ParamSearcher; a filter sees caller ids.
func (m *IndexIDMap) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
	if err := m.checkInStep("search"); err != nil {
		return err
	}
	var err error
	if sp, ok := m.sub.(ParamSearcher); ok {
		err = sp.SearchWithParams(x, k, dist, labels, m.subParams(p))
	} else if p != nil {
		err = Errorf(KindUnsupported, m.op("search"), "the sub-index %T takes no search parameters", m.sub)
	} else {
		err = m.sub.Search(x, k, dist, labels)
	}
	if err != nil {
		return err
	}
	m.translate(labels)
	return nil
}

// RangeSearch implements RangeSearcher when the sub-index does.
func (m *IndexIDMap) RangeSearch(x []float32, radius float32) (*RangeResult, error) {
	return m.RangeSearchWithParams(x, radius, nil)
}

// RangeSearchWithParams is RangeSearch with p's selector over the caller's
// ids (and p's other settings for the sub-index).
func (m *IndexIDMap) RangeSearchWithParams(x []float32, radius float32, p *SearchParams) (*RangeResult, error) {
	rs, ok := m.sub.(RangeSearcher)
	if !ok {
		return nil, Errorf(KindUnsupported, m.op("range_search"), "the sub-index %T has no range search", m.sub)
	}
	if err := m.checkInStep("range_search"); err != nil {
		return nil, err
	}
	var res *RangeResult
	var err error
	if prs, ok := m.sub.(ParamRangeSearcher); ok && p != nil {
		res, err = prs.RangeSearchWithParams(x, radius, m.subParams(p))
	} else if p != nil && (p.Sel != nil || p.Nprobe != 0) {
		err = Errorf(KindUnsupported, m.op("range_search"), "the sub-index %T takes no search parameters", m.sub)
	} else {
		res, err = rs.RangeSearch(x, radius)
	}
	if err != nil {
		return nil, err
	}
	m.translate(res.Labels)
	return res, nil
}

// RemoveIDs removes the vectors whose caller ids sel picks, from the
// sub-index and the map, as faiss does (which assumes a sub-index that
// renumbers what remains, like IndexFlat).
func (m *IndexIDMap) RemoveIDs(sel IDSelector) (int64, error) {
	r, ok := m.sub.(IDRemover)
	if !ok {
		return 0, Errorf(KindUnsupported, m.op("remove_ids"), "the sub-index %T cannot remove vectors", m.sub)
	}
	if err := m.checkInStep("remove_ids"); err != nil {
		return 0, err
	}
	n, err := r.RemoveIDs(translated{ids: m.IDMap, sel: sel})
	if err != nil {
		return 0, err
	}
	m.dropIDs(sel)
	return n, nil
}

// Reset empties the sub-index and the map.
func (m *IndexIDMap) Reset() {
	m.sub.Reset()
	m.clearIDs()
}

// Reconstruct copies the vector of caller id key (IndexIDMap2 only).
func (m *IndexIDMap) Reconstruct(key int64, out []float32) error {
	op := m.op("reconstruct")
	if !m.two {
		return Errorf(KindUnsupported, op, "an IndexIDMap cannot reconstruct by id: use IndexIDMap2")
	}
	i, ok := m.entryOf(key)
	if !ok {
		return Errorf(KindInvalidArgument, op, "id %d is not in the index", key)
	}
	r, ok := m.sub.(Reconstructor)
	if !ok {
		return Errorf(KindUnsupported, op, "the sub-index %T cannot reconstruct", m.sub)
	}
	if err := r.Reconstruct(i, out); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// ReconstructN copies the vectors of caller ids i0..i0+n-1 (IndexIDMap2).
func (m *IndexIDMap) ReconstructN(i0, n int64, out []float32) error {
	d := int64(m.D())
	if n < 0 || int64(len(out)) != n*d {
		return Errorf(KindDimensionMismatch, m.op("reconstruct_n"), "output holds %d floats, need %d", len(out), n*d)
	}
	for i := int64(0); i < n; i++ {
		if err := m.Reconstruct(i0+i, out[i*d:(i+1)*d]); err != nil {
			return err
		}
	}
	return nil
}

// RestoreIndexIDMap wraps sub, which already holds its vectors, with their
// ids (an index file being read): one id per vector of sub.
func RestoreIndexIDMap(sub Index, ids []int64, two bool) (*IndexIDMap, error) {
	op := idMapName(two)
	if int64(len(ids)) != sub.Ntotal() {
		return nil, Errorf(KindDimensionMismatch, op, "%d ids for the %d vectors of the sub-index", len(ids), sub.Ntotal())
	}
	return &IndexIDMap{sub: sub, idBook: newIDBook(ids, two)}, nil
}

// Name is the faiss class: IndexIDMap, or IndexIDMap2 when the map is
// kept for reconstruction.
func (m *IndexIDMap) Name() string {
	if m.IsIDMap2() {
		return "IndexIDMap2"
	}
	return "IndexIDMap"
}

// Members implements Composite.
func (m *IndexIDMap) Members() []Index { return []Index{m.sub} }

// CheckConsistency verifies that an IndexIDMap2's reverse map agrees with
// its id map and the sub-index (faiss's check_consistency).
func (m *IndexIDMap) CheckConsistency() error {
	op := m.op("check_consistency")
	if int64(len(m.IDMap)) != m.sub.Ntotal() {
		return Errorf(KindInternal, op, "the map holds %d ids, the sub-index %d vectors", len(m.IDMap), m.sub.Ntotal())
	}
	if !m.two {
		return nil
	}
	if len(m.rev) != len(m.IDMap) {
		return Errorf(KindInternal, op, "the reverse map holds %d ids, the map %d (repeated ids?)", len(m.rev), len(m.IDMap))
	}
	for i, id := range m.IDMap {
		if m.rev[id] != int64(i) {
			return Errorf(KindInternal, op, "id %d is at %d, the reverse map says %d", id, i, m.rev[id])
		}
	}
	return nil
}
