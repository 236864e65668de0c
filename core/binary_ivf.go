package core

import (
	"fmt"
	"math"
	"time"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// IndexBinaryIVF splits binary codes into nlist inverted lists by their
// nearest centroid in a binary quantizer, and searches the nprobe nearest
// lists (faiss's IndexBinaryIVF). Training runs k-means on the codes seen
// as -1/+1 vectors, then binarises the centroids, as faiss does.
type IndexBinaryIVF struct {
	d, cs     int
	quantizer BinaryIndex
	nlist     int
	Nprobe    int
	// CP is the k-means of the quantizer's training (faiss's: 10 iterations).
	CP ClusteringParameters
	// ClusteringIndex, when set, assigns the points in the k-means of
	// training (faiss's clustering_index) instead of a flat L2 index.
	ClusteringIndex Index
	directMap       directMap
	codes           [][]byte
	ids             [][]int64
	ntotal          int64
	trained         bool
	Log             func(string)
	Warn            func(string)
}

var (
	_ BinaryIndex         = (*IndexBinaryIVF)(nil)
	_ BinaryRangeSearcher = (*IndexBinaryIVF)(nil)
)

// NewIndexBinaryIVF makes an IVF of nlist lists over quantizer (a binary
// index of the same d; it is trained with the IVF unless it already holds
// nlist centroids).
func NewIndexBinaryIVF(quantizer BinaryIndex, d, nlist int) (*IndexBinaryIVF, error) {
	const op = "IndexBinaryIVF"
	if err := checkBinaryD(op, d); err != nil {
		return nil, err
	}
	if quantizer == nil || quantizer.D() != d {
		return nil, Errorf(KindDimensionMismatch, op, "the quantizer must be a binary index of d=%d bits", d)
	}
	if nlist <= 0 {
		return nil, Errorf(KindInvalidArgument, op, "nlist must be positive, got %d", nlist)
	}
	cp := DefaultClusteringParameters()
	cp.Niter = 10 // faiss's IndexBinaryIVF runs 10 k-means iterations
	ix := &IndexBinaryIVF{d: d, cs: d / 8, quantizer: quantizer, nlist: nlist, Nprobe: 1, CP: cp,
		codes: make([][]byte, nlist), ids: make([][]int64, nlist)}
	ix.trained = quantizer.IsTrained() && quantizer.Ntotal() == int64(nlist)
	return ix, nil
}

func (ix *IndexBinaryIVF) D() int        { return ix.d }
func (ix *IndexBinaryIVF) CodeSize() int { return ix.cs }
func (ix *IndexBinaryIVF) Ntotal() int64 { return ix.ntotal }

// IsTrained is true after train, or once the quantizer holds nlist
// centroids (faiss scripts fill it by hand and set is_trained).
func (ix *IndexBinaryIVF) IsTrained() bool {
	return ix.trained || (ix.quantizer.IsTrained() && ix.quantizer.Ntotal() == int64(ix.nlist))
}
func (ix *IndexBinaryIVF) Nlist() int             { return ix.nlist }
func (ix *IndexBinaryIVF) Quantizer() BinaryIndex { return ix.quantizer }

// List returns the codes and ids of list l.
func (ix *IndexBinaryIVF) List(l int) ([]byte, []int64) { return ix.codes[l], ix.ids[l] }

// Train learns the nlist centroids (unless the quantizer holds them).
func (ix *IndexBinaryIVF) Train(x []byte) error {
	const op = "IndexBinaryIVF.train"
	n, err := checkBinaryCodes(op, x, ix.cs, ix.d)
	if err != nil {
		return err
	}
	if ix.quantizer.IsTrained() && ix.quantizer.Ntotal() == int64(ix.nlist) {
		ix.trained = true
		return nil
	}
	if n < ix.nlist {
		return Errorf(KindInvalidArgument, op, "%d training codes for nlist=%d lists: need at least as many codes", n, ix.nlist)
	}
	c, err := NewClustering(ix.d, ix.nlist, ix.CP)
	if err != nil {
		return err
	}
	c.Log, c.Warn = ix.Log, ix.Warn
	if maxN := ix.nlist * c.MaxPointsPerCentroid; n > maxN {
		// k-means keeps maxN points of a seeded permutation: pick those
		// codes before widening each bit to a float (faiss widens all n
		// first; the training points are the same).
		perm := randPerm(n, c.actualSeed())
		sub := make([]byte, maxN*ix.cs)
		for i := 0; i < maxN; i++ {
			copy(sub[i*ix.cs:(i+1)*ix.cs], x[perm[i]*ix.cs:(perm[i]+1)*ix.cs])
		}
		x = sub
	}
	var assigner Index = ix.ClusteringIndex
	if assigner == nil {
		// The codes widened to -1/+1 tie often; the dot-product tile's
		// summation order breaks those ties as faiss-cpu does (measured:
		// the same centroids as faiss 1.15.1, against 25% of them with the
		// packed micro-kernel's order).
		flat, _ := NewIndexFlat(ix.d, MetricL2)
		flat.tileOrder = true
		assigner = flat
	} else if assigner.D() != ix.d {
		return Errorf(KindDimensionMismatch, op, "the clustering index has d=%d, the codes %d bits", assigner.D(), ix.d)
	}
	if err := c.Train(binaryToReal(x, ix.d), assigner, nil); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	ix.quantizer.Reset()
	if err := ix.quantizer.Add(realToBinary(c.Centroids)); err != nil {
		return err
	}
	ix.trained = true
	return nil
}

// Add appends codes numbered from ntotal.
func (ix *IndexBinaryIVF) Add(x []byte) error {
	ids := make([]int64, len(x)/ix.cs)
	for i := range ids {
		ids[i] = ix.ntotal + int64(i)
	}
	return ix.AddWithIDs(x, ids)
}

// AddWithIDs stores each code under its id in the list of its nearest
// centroid.
func (ix *IndexBinaryIVF) AddWithIDs(x []byte, ids []int64) error {
	return ix.addAssigned("IndexBinaryIVF.add", x, ids, nil)
}

// addAssigned stores the codes in the lists of assign (nil: the
// quantizer's nearest; -1: counted, not stored, as faiss does).
func (ix *IndexBinaryIVF) addAssigned(op string, x []byte, ids, assign []int64) error {
	n, err := checkBinaryCodes(op, x, ix.cs, ix.d)
	if err != nil {
		return err
	}
	if len(ids) != n {
		return Errorf(KindDimensionMismatch, op, "%d ids for %d codes", len(ids), n)
	}
	if !ix.IsTrained() {
		return Errorf(KindNotTrained, op, "train the index before adding")
	}
	if err := ix.checkCanAdd(op, ids); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	if assign == nil {
		assign = make([]int64, n)
		if err := ix.quantizer.Search(x, 1, make([]int32, n), assign); err != nil {
			return err
		}
	}
	for i, l := range assign {
		if l < -1 || l >= int64(ix.nlist) {
			return Errorf(KindInvalidArgument, op, "code %d is assigned to list %d, out of [-1, %d)", i, l, ix.nlist)
		}
	}
	for i, l := range assign {
		if l < 0 {
			continue
		}
		ix.directMap.record(ids[i], int(l), len(ix.ids[l]))
		ix.codes[l] = append(ix.codes[l], x[i*ix.cs:(i+1)*ix.cs]...)
		ix.ids[l] = append(ix.ids[l], ids[i])
	}
	ix.ntotal += int64(n)
	return nil
}

// Reset empties the lists; the quantizer stays trained.
func (ix *IndexBinaryIVF) Reset() {
	for l := range ix.codes {
		ix.codes[l], ix.ids[l] = nil, nil
	}
	ix.ntotal = 0
	ix.directMap.clear()
}

// checkSearch validates a search and returns the query count and the
// number of lists to probe.
func (ix *IndexBinaryIVF) checkSearch(op string, x []byte, nprobe int) (int, int, error) {
	nq, err := checkBinaryCodes(op, x, ix.cs, ix.d)
	if err != nil {
		return 0, 0, err
	}
	if !ix.IsTrained() {
		return 0, 0, Errorf(KindNotTrained, op, "train the index before searching")
	}
	if nprobe <= 0 {
		nprobe = ix.Nprobe
	}
	return nq, max(1, min(nprobe, ix.nlist)), nil
}

// assign returns the nprobe nearest lists of each query (-1 padded); qp,
// when set, goes to an HNSW quantizer's search.
func (ix *IndexBinaryIVF) assign(x []byte, nq, nprobe int, qp *SearchParams) ([]int64, error) {
	keys := make([]int64, nq*nprobe)
	if nq > 0 {
		dis := make([]int32, nq*nprobe)
		var err error
		if hq, ok := ix.quantizer.(*IndexBinaryHNSW); ok && qp != nil {
			err = hq.SearchWithParams(x, nprobe, dis, keys, qp)
		} else {
			err = ix.quantizer.Search(x, nprobe, dis, keys)
		}
		if err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// Search implements BinaryIndex with the index's nprobe.
func (ix *IndexBinaryIVF) Search(x []byte, k int, dist []int32, labels []int64) error {
	return ix.SearchNprobe(x, k, dist, labels, 0, nil)
}

// SearchNprobe searches nprobe lists (0: the index's own), scanning them
// nearest first as faiss does, so that ties keep the codes met first. Each
// worker assigns its own queries, so that one call wakes the workers once.
// Only the codes whose ids sel picks (nil: all) are candidates.
func (ix *IndexBinaryIVF) SearchNprobe(x []byte, k int, dist []int32, labels []int64, nprobe int, sel IDSelector) error {
	const op = "IndexBinaryIVF.search"
	nq, np, err := ix.checkSearch(op, x, nprobe)
	if err != nil {
		return err
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	start := time.Now()
	flat, serial := ix.quantizer.(*IndexBinaryFlat)
	var probes []int64
	var coarse []int32
	if serial {
		probes, coarse = make([]int64, nq*np), make([]int32, nq*np)
	} else if probes, err = ix.assign(x, nq, np, nil); err != nil {
		return err
	}
	quant := time.Since(start) // with a flat quantizer, the workers assign: search time
	defer func() { ix.recordSearch(nq, probes, sel, quant, start) }()
	ix.searchProbes(x, nq, np, k, probes, dist, labels, sel, func(lo, hi int) {
		if serial { // each worker assigns its own queries (rows lo..hi)
			flat.searchQueries(x, lo, hi, np, coarse, probes, nil)
		}
	})
	return nil
}

// searchProbes fills the k best of each query among the lists of its row
// of probes (np per query); before, when set, runs first in each worker
// for its queries lo..hi.
func (ix *IndexBinaryIVF) searchProbes(x []byte, nq, np, k int, probes []int64, dist []int32, labels []int64, sel IDSelector, before func(lo, hi int)) {
	parallelChunks(nq, chunkFor(ix.scanWork(np)), func(_, lo, hi int) {
		if before != nil {
			before(lo, hi)
		}
		h := newHammingHeap(k)
		var buf []int32
		for q := lo; q < hi; q++ {
			h.reset()
			ix.scan(x, q, probes[q*np:(q+1)*np], &buf, &h.dis[0], sel, h.pushIDs)
			h.emit(dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
	})
}

// scan measures query q against every code of its probed lists, nearest
// list first and in list order, as faiss scans them, and hands each list's
// distances (in buf, grown as needed) and ids to visit, skipping a list
// whose codes are all at least *bound away (nil: none is skipped). Codes
// that sel (when not nil) leaves out are handed on at distance INT32_MAX.
func (ix *IndexBinaryIVF) scan(x []byte, q int, probes []int64, buf *[]int32, bound *int32, sel IDSelector, visit func(d []int32, ids []int64)) {
	cs := ix.cs
	xq := x[q*cs : (q+1)*cs]
	for _, l := range probes {
		if l < 0 {
			continue
		}
		ids := ix.ids[l]
		below := int32(math.MaxInt32)
		if bound != nil {
			below = *bound
		}
		if cap(*buf) < len(ids) {
			*buf = make([]int32, len(ids))
		}
		d := (*buf)[:len(ids)]
		least := kernels.HammingRowsMin(xq, ix.codes[l], cs, d)
		if sel != nil {
			least = dropUnselected(d, 0, ids, sel)
		}
		if least < below {
			visit(d, ids)
		}
	}
}

// recordSearch adds a search to the IVF statistics, as faiss's binary IVF
// does.
func (ix *IndexBinaryIVF) recordSearch(nq int, probes []int64, sel IDSelector, quant time.Duration, start time.Time) {
	recordIVFSearch(nq, probes, func(l int) []int64 { return ix.ids[l] }, sel, quant, time.Since(start))
}

// scanWork estimates one query's bytes scanned, to size parallel chunks.
func (ix *IndexBinaryIVF) scanWork(nprobe int) int {
	return int(ix.ntotal)/ix.nlist*nprobe*ix.cs + 1
}

// RangeSearch returns, per query, the codes of the probed lists at Hamming
// distance below radius, in the order they were scanned (as faiss).
func (ix *IndexBinaryIVF) RangeSearch(x []byte, radius int) ([]int64, []int32, []int64, error) {
	return ix.RangeSearchNprobe(x, radius, 0, nil)
}

// RangeSearchNprobe is RangeSearch in nprobe lists (0: the index's own)
// among the codes whose ids sel picks (nil: all).
func (ix *IndexBinaryIVF) RangeSearchNprobe(x []byte, radius, nprobe int, sel IDSelector) ([]int64, []int32, []int64, error) {
	const op = "IndexBinaryIVF.range_search"
	nq, np, err := ix.checkSearch(op, x, nprobe)
	if err != nil {
		return nil, nil, nil, err
	}
	start := time.Now()
	keys, err := ix.assign(x, nq, np, nil)
	if err != nil {
		return nil, nil, nil, err
	}
	quant := time.Since(start)
	defer ix.recordSearch(nq, keys, sel, quant, start)
	return ix.rangeProbes(x, nq, np, radius, keys, sel)
}

// rangeProbes is the range search of each query in the lists of its row
// of probes (np per query).
func (ix *IndexBinaryIVF) rangeProbes(x []byte, nq, np, radius int, probes []int64, sel IDSelector) ([]int64, []int32, []int64, error) {
	return collectRanges(nq, func(q int, emit func(int32, int64)) {
		var buf []int32
		ix.scan(x, q, probes[q*np:(q+1)*np], &buf, nil, sel, func(d []int32, ids []int64) {
			for j, v := range d {
				if int(v) < radius && v != math.MaxInt32 { // INT32_MAX: left out by sel
					emit(v, ids[j])
				}
			}
		})
	}, ix.scanWork(np))
}

// collectRanges runs scan for each query in parallel and concatenates what
// each emits into faiss's (lims, dist, labels).
func collectRanges(nq int, scan func(q int, emit func(int32, int64)), work int) ([]int64, []int32, []int64, error) {
	perDist, perIDs := make([][]int32, nq), make([][]int64, nq)
	parallelChunks(nq, chunkFor(work), func(_, lo, hi int) {
		for q := lo; q < hi; q++ {
			scan(q, func(d int32, id int64) {
				perDist[q] = append(perDist[q], d)
				perIDs[q] = append(perIDs[q], id)
			})
		}
	})
	lims := make([]int64, nq+1)
	var dist []int32
	var labels []int64
	for q := range perDist {
		lims[q+1] = lims[q] + int64(len(perDist[q]))
		dist = append(dist, perDist[q]...)
		labels = append(labels, perIDs[q]...)
	}
	return lims, dist, labels, nil
}

// Name is the faiss class this type is read and written as.
func (ix *IndexBinaryIVF) Name() string { return "IndexBinaryIVF" }

// RestoreBinaryIVF fills an empty binary IVF with stored lists.
func (ix *IndexBinaryIVF) RestoreBinaryIVF(nprobe int, trained bool, ids [][]int64, codes [][]byte, directMapType int) error {
	if len(ids) != ix.nlist || len(codes) != ix.nlist {
		return Errorf(KindInvalidArgument, "IndexBinaryIVF", "%d lists for nlist=%d", len(ids), ix.nlist)
	}
	var total int64
	for l := range ids {
		if len(codes[l]) != len(ids[l])*ix.cs {
			return Errorf(KindInvalidArgument, "IndexBinaryIVF", "list %d holds %d bytes for %d ids", l, len(codes[l]), len(ids[l]))
		}
		total += int64(len(ids[l]))
	}
	ix.ids, ix.codes, ix.ntotal, ix.Nprobe, ix.trained = ids, codes, total, nprobe, trained
	return ix.SetDirectMapType(directMapType)
}

// SetQuantizer replaces the coarse quantizer (of the same d), as faiss
// scripts assign index.quantizer; the lists stay as they are.
func (ix *IndexBinaryIVF) SetQuantizer(q BinaryIndex) error {
	if q == nil || q.D() != ix.d {
		return Errorf(KindDimensionMismatch, "IndexBinaryIVF.quantizer", "the quantizer must have d=%d", ix.d)
	}
	if containsBinary(q, ix) {
		return Errorf(KindInvalidArgument, "IndexBinaryIVF.quantizer", "the quantizer is this index or contains it")
	}
	ix.quantizer = q
	return nil
}
