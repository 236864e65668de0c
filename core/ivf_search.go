package core

import (
	"fmt"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// Search implements Index: the k best of the Nprobe nearest lists.
func (ix *IndexIVFFlat) Search(x []float32, k int, dist []float32, labels []int64) error {
	return ix.SearchWithParams(x, k, dist, labels, nil)
}

// ivfProbe is what a search of an IVF index needs once its lists are known.
type ivfProbe struct {
	ix     *IndexIVFFlat
	x      []float32
	nprobe int
	coarse []int64 // nq x nprobe list numbers, nearest first (-1: none)
	sel    IDSelector
	sign   float32
}

// probe validates the call and runs the coarse quantizer.
func (ix *IndexIVFFlat) probe(op string, x []float32, p *SearchParams) (*ivfProbe, error) {
	nq, err := checkBatch(op, x, ix.d)
	if err != nil {
		return nil, err
	}
	if !ix.IsTrained() {
		return nil, Errorf(KindNotTrained, op, "train the index before searching")
	}
	pr := &ivfProbe{ix: ix, x: x, nprobe: ix.Nprobe, sign: keySign(ix.metric)}
	if p != nil {
		pr.sel = p.Sel
		if p.Nprobe != 0 {
			pr.nprobe = p.Nprobe
		}
	}
	if pr.nprobe <= 0 {
		return nil, Errorf(KindInvalidArgument, op, "nprobe must be positive, got %d", pr.nprobe)
	}
	pr.nprobe = min(pr.nprobe, ix.nlist) // as faiss clamps it
	pr.coarse = make([]int64, nq*pr.nprobe)
	if nq > 0 {
		if err := ix.quantizer.Search(x, pr.nprobe, make([]float32, len(pr.coarse)), pr.coarse); err != nil {
			return nil, fmt.Errorf("%s: quantizer: %w", op, err)
		}
	}
	return pr, nil
}

// SearchWithParams implements ParamSearcher: p may set nprobe and a filter.
func (ix *IndexIVFFlat) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
	const op = "IndexIVFFlat.search"
	nq, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	pr, err := ix.probe(op, x, p)
	if err != nil {
		return err
	}
	perQuery := pr.nprobe * max(1, int(ix.ntotal)/ix.nlist) * ix.d
	if nq >= 2*workers() || nq == 0 {
		parallelChunks(nq, chunkFor(perQuery), func(_, lo, hi int) {
			var scratch []float32
			h := newTopK(k)
			for q := lo; q < hi; q++ {
				h.reset()
				for _, list := range pr.coarse[q*pr.nprobe : (q+1)*pr.nprobe] {
					pr.scanList(&h, q, list, &scratch)
				}
				h.emit(pr.sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
			}
		})
		return nil
	}
	// Few queries: the lists of each query are shared among the workers,
	// each with its own heap; heaps order ties by id, so the merge gives the
	// same result however the lists were split.
	for q := 0; q < nq; q++ {
		lists := pr.coarse[q*pr.nprobe : (q+1)*pr.nprobe]
		parts := make([]topK, workers())
		used := parallelChunks(len(lists), chunkFor(perQuery/pr.nprobe), func(c, lo, hi int) {
			var scratch []float32
			parts[c] = newTopK(k)
			for _, list := range lists[lo:hi] {
				pr.scanList(&parts[c], q, list, &scratch)
			}
		})
		for c := 1; c < used; c++ {
			parts[0].merge(&parts[c])
		}
		parts[0].emit(pr.sign, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
	}
	return nil
}

// distances writes the metric values of query q to every vector of list
// into a scratch row and returns it.
func (pr *ivfProbe) distances(q int, list int64, scratch *[]float32) ([]float32, *invertedList) {
	ix := pr.ix
	l := &ix.lists.lists[list]
	n := len(l.ids)
	if cap(*scratch) < n {
		*scratch = make([]float32, n)
	}
	out := (*scratch)[:n]
	xq := pr.x[q*ix.d : (q+1)*ix.d]
	switch ix.metric {
	case MetricL2:
		kernels.L2SqrRows(xq, l.vecs, out)
	case MetricInnerProduct:
		kernels.DotTile(xq, 1, l.vecs, n, ix.d, out, n)
	default:
		f := pairDistance(ix.metric, ix.arg)
		for i := range out {
			out[i] = f(xq, l.vecs[i*ix.d:(i+1)*ix.d])
		}
	}
	return out, l
}

// scanList offers list's vectors to the heap of query q.
func (pr *ivfProbe) scanList(h *topK, q int, list int64, scratch *[]float32) {
	if list < 0 || pr.ix.lists.size(int(list)) == 0 {
		return
	}
	row, l := pr.distances(q, list, scratch)
	pushRow(h, row, l.ids, 0, pr.sign, pr.sel)
}

// RangeSearch implements RangeSearcher over the Nprobe nearest lists.
func (ix *IndexIVFFlat) RangeSearch(x []float32, radius float32) (*RangeResult, error) {
	return ix.RangeSearchWithParams(x, radius, nil)
}

// RangeSearchWithParams returns, per query, every vector of its probed
// lists within radius (inner product: above it), in the order the lists
// are visited (nearest list first) and stored, as faiss does.
func (ix *IndexIVFFlat) RangeSearchWithParams(x []float32, radius float32, p *SearchParams) (*RangeResult, error) {
	pr, err := ix.probe("IndexIVFFlat.range_search", x, p)
	if err != nil {
		return nil, err
	}
	nq := len(x) / ix.d
	sim := ix.metric.IsSimilarity()
	hits := &rangeHits{dist: make([][]float32, nq), ids: make([][]int64, nq)}
	perQuery := pr.nprobe * max(1, int(ix.ntotal)/ix.nlist) * ix.d
	parallelChunks(nq, chunkFor(perQuery), func(_, lo, hi int) {
		var scratch []float32
		for q := lo; q < hi; q++ {
			for _, list := range pr.coarse[q*pr.nprobe : (q+1)*pr.nprobe] {
				if list < 0 || ix.lists.size(int(list)) == 0 {
					continue
				}
				row, l := pr.distances(q, list, &scratch)
				for c, v := range row {
					if (sim && v > radius) || (!sim && v < radius) {
						if pr.sel == nil || pr.sel.IsMember(l.ids[c]) {
							hits.dist[q] = append(hits.dist[q], v)
							hits.ids[q] = append(hits.ids[q], l.ids[c])
						}
					}
				}
			}
		}
	})
	return collectByQuery([]*rangeHits{hits}, []int{0}, nq), nil
}
