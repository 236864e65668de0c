package core

import (
	"sync"
)

// IndexIVFFlatPanorama is an IVFFlat index whose scan measures each vector
// level by level and drops it once the Cauchy-Schwarz bound on the levels
// left shows it cannot enter the results (faiss's IndexIVFFlatPanorama):
// the results are those of IndexIVFFlat. faiss keeps its lists in the
// Panorama level layout; metalfaiss keeps the rows of IndexIVFFlat (a
// vector's levels are consecutive dimensions, so its row serves as well)
// and the suffix norms beside them, and converts to faiss's layout in
// files (indexio).

// ivfPanorama is the Panorama part of an IndexIVF: the levels, faiss's
// batch size (the layout of its files only: the scan refreshes its bound
// after each vector), and each list's suffix norms, nLevels+1 per vector,
// computed when a search first needs them after the list changed.
type ivfPanorama struct {
	p     panorama
	mu    sync.Mutex
	norms []panoramaListNorms
}

type panoramaListNorms struct {
	stamp ListStamp
	cums  []float32
}

// NewIndexIVFFlatPanorama makes an empty IndexIVFFlatPanorama with nLevels
// levels and faiss's batch size (1024 by default); L2 or inner product.
func NewIndexIVFFlatPanorama(quantizer Index, d, nlist, nLevels, batch int, metric Metric) (*IndexIVF, error) {
	const op = "IndexIVFFlatPanorama"
	if metric != MetricL2 && metric != MetricInnerProduct {
		return nil, Errorf(KindInvalidArgument, op, "only METRIC_L2 and METRIC_INNER_PRODUCT are supported (as in faiss), got metric %d", metric)
	}
	p, err := newPanorama(op, d, nLevels, batch)
	if err != nil {
		return nil, err
	}
	ix, err := newIndexIVF(op, quantizer, d, nlist, metric, nil)
	if err == nil {
		ix.pano = &ivfPanorama{p: p, norms: make([]panoramaListNorms, nlist)}
	}
	return ix, err
}

// PanoramaLayout returns an IndexIVFFlatPanorama's levels and batch size
// (ok false for other indexes).
func (ix *IndexIVF) PanoramaLayout() (nLevels, batch int, ok bool) {
	if ix.pano == nil {
		return 0, 0, false
	}
	return ix.pano.p.nLevels, ix.pano.p.batch, true
}

// PanoramaList returns list l of an IndexIVFFlatPanorama in faiss's level
// layout: the codes and suffix norms of whole batches (zero past the
// list's end), as its files hold them.
func (ix *IndexIVF) PanoramaList(l int) (codes, cums []float32) {
	p := ix.pano.p
	lst := &ix.lists.lists[l]
	n := len(lst.ids)
	nc, nn := p.sizes(n)
	codes, cums = make([]float32, nc), make([]float32, nn)
	for i := 0; i < n; i++ {
		p.store(codes, cums, i, lst.vecs[i*ix.d:(i+1)*ix.d])
	}
	return codes, cums
}

// PanoramaRows converts n vectors of faiss's level layout back to rows.
func PanoramaRows(d, nLevels, batch, n int, codes []float32) ([]float32, error) {
	p, err := newPanorama("IndexIVFFlatPanorama", d, nLevels, batch)
	if err != nil {
		return nil, err
	}
	if nc, _ := p.sizes(n); len(codes) < nc {
		return nil, Errorf(KindInvalidArgument, "IndexIVFFlatPanorama", "%d floats hold no %d vectors of d=%d in batches of %d", len(codes), n, d, batch)
	}
	rows := make([]float32, n*d)
	for i := 0; i < n; i++ {
		p.load(codes, i, rows[i*d:(i+1)*d])
	}
	return rows, nil
}

// listNorms returns the suffix norms of the probed lists (nil for the
// others), computing those of lists changed since they were last measured,
// in parallel. Searches may run concurrently; lists change only under the
// caller's write lock, so a list's norms, once current, stay so until then.
func (pan *ivfPanorama) listNorms(ix *IndexIVF, coarse []int64) [][]float32 {
	out := make([][]float32, ix.nlist)
	pan.mu.Lock()
	defer pan.mu.Unlock()
	var stale []int
	for _, l := range coarse {
		if l < 0 || out[l] != nil {
			continue
		}
		c := &pan.norms[l]
		if st := ix.ListStamp(int(l)); c.cums == nil || c.stamp != st {
			stale = append(stale, int(l))
			c.stamp = st
		}
		out[l] = []float32{} // marked: seen
	}
	w := pan.p.nLevels + 1
	parallelChunks(len(stale), chunkFor(ix.d*64), func(_, lo, hi int) {
		for _, l := range stale[lo:hi] {
			lst := &ix.lists.lists[l]
			n := len(lst.ids)
			cums := make([]float32, n*w)
			for i := 0; i < n; i++ {
				pan.p.suffixNorms(lst.vecs[i*ix.d:(i+1)*ix.d], cums[i*w:(i+1)*w])
			}
			pan.norms[l].cums = cums
		}
	})
	for l := range out {
		if out[l] != nil {
			out[l] = pan.norms[l].cums
		}
	}
	return out
}

// scanPanorama measures the vectors of query q's r-th probed list level by
// level: with h, those that beat its worst enter it; without, those within
// limit (a key) are returned through hit, for a range search.
func (pr *ivfProbe) scanPanorama(s *panoramaQuery, norms [][]float32, q, r int, h *topK, limit float32, hit func(key float32, id int64)) {
	ix := pr.ix
	list := pr.coarse[q*pr.nprobe+r]
	if list < 0 {
		return
	}
	l := ix.viewList(int(list))
	cums := norms[list]
	p := ix.pano.p
	w := p.nLevels + 1
	d := ix.d
	for i, id := range l.ids {
		if pr.sel != nil && !pr.sel.IsMember(id) {
			continue
		}
		if h != nil {
			limit = h.dist[0]
		}
		key, ok := p.rowKey(s, l.vecs[i*d:(i+1)*d], cums[i*w:(i+1)*w], limit)
		switch {
		case !ok:
		case h != nil:
			h.push(key, id)
		default:
			hit(key, id)
		}
	}
}

// searchPanorama is search for an IndexIVFFlatPanorama: each query's lists
// in order, each vector measured until it cannot beat the query's k-th.
func (pr *ivfProbe) searchPanorama(nq, k int, dist []float32, labels []int64) {
	defer pr.record()
	ix := pr.ix
	norms := ix.pano.listNorms(ix, pr.coarse)
	sign := keySign(ix.metric)
	perQuery := pr.nprobe * max(1, int(ix.ntotal)/ix.nlist) * ix.d
	parallelChunks(nq, chunkFor(perQuery), func(_, lo, hi int) {
		s := ix.pano.p.newPanoramaQuery(ix.metric == MetricInnerProduct)
		h := newTopK(k)
		for q := lo; q < hi; q++ {
			h.reset()
			s.setQuery(ix.pano.p, pr.x[q*ix.d:(q+1)*ix.d])
			for r := 0; r < pr.nprobe; r++ {
				pr.scanPanorama(s, norms, q, r, &h, 0, nil)
			}
			h.emit(sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
		s.record()
	})
}

// rangeSearchPanorama is rangeSearch for an IndexIVFFlatPanorama: a vector
// is dropped once its bound shows it outside the radius.
func (pr *ivfProbe) rangeSearchPanorama(radius float32) *RangeResult {
	defer pr.record()
	ix := pr.ix
	nq := len(pr.x) / ix.d
	norms := ix.pano.listNorms(ix, pr.coarse)
	sign := keySign(ix.metric)
	limit := sign * radius
	hits := &rangeHits{dist: make([][]float32, nq), ids: make([][]int64, nq)}
	perQuery := pr.nprobe * max(1, int(ix.ntotal)/ix.nlist) * ix.d
	parallelChunks(nq, chunkFor(perQuery), func(_, lo, hi int) {
		s := ix.pano.p.newPanoramaQuery(ix.metric == MetricInnerProduct)
		for q := lo; q < hi; q++ {
			s.setQuery(ix.pano.p, pr.x[q*ix.d:(q+1)*ix.d])
			for r := 0; r < pr.nprobe; r++ {
				pr.scanPanorama(s, norms, q, r, nil, limit, func(key float32, id int64) {
					hits.dist[q] = append(hits.dist[q], sign*key)
					hits.ids[q] = append(hits.ids[q], id)
				})
			}
		}
		s.record()
	})
	return collectByQuery([]*rangeHits{hits}, []int{0}, nq)
}
