package core

import "github.com/metalfaiss/metalfaiss/core/kernels"

// PQSearchType is how an IndexPQ compares a query with its codes (faiss's
// IndexPQ::Search_type_t).
type PQSearchType int

// faiss's search types, with its numbers.
const (
	// PQSearchADC: the query against each code through distance tables.
	PQSearchADC PQSearchType = 0
	// PQSearchHE: the Hamming distance between the query's code and each.
	PQSearchHE PQSearchType = 1
	// PQSearchGeneralizedHamming: the number of sub-codes that differ.
	PQSearchGeneralizedHamming PQSearchType = 2
	// PQSearchSDC: symmetric distances between the query's code and each.
	PQSearchSDC PQSearchType = 3
	// PQSearchPolysemous: ADC on the codes within a Hamming distance of
	// the query's code (below PolysemousHT).
	PQSearchPolysemous PQSearchType = 4
	// PQSearchPolysemousGeneralize: the same filter by differing sub-codes.
	PQSearchPolysemousGeneralize PQSearchType = 5
)

// PQSearchParams replace an IndexPQ's SearchType and PolysemousHT for one
// search.
type PQSearchParams struct {
	SearchType   PQSearchType
	PolysemousHT int
}

// PQStats are faiss's IndexPQStats: queries, codes considered and codes
// that passed a polysemous filter, since the last reset.
type PQStats struct {
	NQ, NCode, NHammingPass int64
}

var pqStats totals[PQStats]

// GetPQStats returns the totals so far.
func GetPQStats() PQStats { return pqStats.get() }

// ResetPQStats sets the totals to zero.
func ResetPQStats() { pqStats.reset() }

// Train trains the quantizer, then renumbers its centroids when
// DoPolysemousTraining is set (on all the points: the distance objective
// uses none, as faiss trains the PQ on all but ntrain_permutation).
func (ix *IndexPQ) Train(x []float32) error {
	n, err := checkBatch("IndexPQ.train", x, ix.d)
	if err != nil {
		return err
	}
	ix.progress.Stage("train codec", int64(ix.PQ.M))
	defer ix.PQ.reportTo(ix.progress)()
	if !ix.DoPolysemousTraining {
		return ix.PQ.Train(x)
	}
	if err := ix.Polysemous.Check(ix.PQ); err != nil {
		return err
	}
	keep := n - min(max(ix.Polysemous.NtrainPermutation, 0), n/4)
	ix.progress.Logf("PQ training on %d points, remains %d points: training polysemous on centroids", keep, n-keep)
	before := *ix.PQ
	if err := ix.PQ.Train(x[:keep*ix.d]); err != nil {
		return err
	}
	if err := ix.Polysemous.Optimize(ix.PQ); err != nil {
		*ix.PQ = before // a failed train leaves the index as it was
		return err
	}
	return nil
}

// SetProgress implements ProgressReporter: train reports a "train codec" stage
// of one unit per sub-quantizer, and faiss's verbose lines.
func (ix *IndexPQ) SetProgress(p *Progress) { ix.progress = p }

// Search implements Index with the index's search type.
func (ix *IndexPQ) Search(x []float32, k int, dist []float32, labels []int64) error {
	return ix.SearchWithParams(x, k, dist, labels, nil)
}

// SearchWithParams searches with the search type of p.PQ (else the
// index's); the selector p.Sel applies to ADC searches.
func (ix *IndexPQ) SearchWithParams(x []float32, k int, dist []float32, labels []int64, p *SearchParams) error {
	const op = "IndexPQ.search"
	st, ht := ix.SearchType, ix.PolysemousHT
	if p != nil && p.PQ != nil {
		st, ht = p.PQ.SearchType, p.PQ.PolysemousHT
	}
	nq, err := checkBatch(op, x, ix.d)
	if err != nil {
		return err
	}
	if st == PQSearchADC {
		if err := ix.indexFlatCodes.SearchWithParams(x, k, dist, labels, p); err != nil {
			return err
		}
		pqStats.add(func(t *PQStats) { t.NQ += int64(nq); t.NCode += int64(nq) * ix.Ntotal() })
		return nil
	}
	if err := checkResults(op, nq, k, len(dist), len(labels)); err != nil {
		return err
	}
	switch {
	case st < PQSearchADC || st > PQSearchPolysemousGeneralize:
		return Errorf(KindInvalidArgument, op, "unknown search_type %d (0..5)", st)
	case !ix.PQ.IsTrained():
		return Errorf(KindNotTrained, op, "train the index before searching")
	case ix.metric != MetricL2:
		return Errorf(KindUnsupported, op, "search_type %d compares codes by L2 or Hamming: the index must use L2", st)
	case p != nil && p.Sel != nil:
		return Errorf(KindUnsupported, op, "an IDSelector applies to search_type ST_PQ only")
	case (st == PQSearchPolysemous || st == PQSearchPolysemousGeneralize || st == PQSearchGeneralizedHamming) && ix.PQ.Nbits != 8:
		return Errorf(KindUnsupported, op, "search_type %d needs 8-bit sub-codes, the quantizer has nbits=%d", st, ix.PQ.Nbits)
	}
	var sdc []float32
	if st == PQSearchSDC {
		if sdc, err = ix.PQ.SDCTable(); err != nil {
			return err
		}
	}
	if ht == 0 {
		ht = ix.PQ.Nbits*ix.PQ.M + 1 // faiss: 0 lets every code pass
	}
	parallelChunks(nq, chunkFor(int(ix.Ntotal())*ix.PQ.M), func(_, lo, hi int) {
		s := ix.newTypedScan(st, ht, sdc)
		h := newTopK(k)
		var pass int64
		for q := lo; q < hi; q++ {
			h.reset()
			pass += s.query(x[q*ix.d:(q+1)*ix.d], &h)
			h.emit(1, dist[q*k:(q+1)*k], labels[q*k:(q+1)*k])
		}
		pqStats.add(func(t *PQStats) { t.NHammingPass += pass })
	})
	pqStats.add(func(t *PQStats) { t.NQ += int64(nq); t.NCode += int64(nq) * ix.Ntotal() })
	return nil
}

// typedScan runs one query of a non-ADC search type over every code.
type typedScan struct {
	ix    *IndexPQ
	st    PQSearchType
	ht    int
	sdc   []float32
	table []float32
	qcode []byte
	buf   []float32
}

func (ix *IndexPQ) newTypedScan(st PQSearchType, ht int, sdc []float32) *typedScan {
	pq := ix.PQ
	return &typedScan{ix: ix, st: st, ht: ht, sdc: sdc, table: make([]float32, pq.M*pq.Ksub),
		qcode: make([]byte, pq.CodeSize), buf: make([]float32, 1)}
}

// query offers the codes to h and returns how many passed the Hamming
// filter (polysemous types).
func (s *typedScan) query(q []float32, h *topK) int64 {
	pq, codes := s.ix.PQ, s.ix.codes
	cs, ks := pq.CodeSize, pq.Ksub
	pq.distanceTable(q, MetricL2, s.table)
	// The query's code: the nearest centroid of each sub-vector, read from
	// the table (faiss's compute_code_from_distance_table).
	clear(s.qcode)
	for m := 0; m < pq.M; m++ {
		t := s.table[m*ks : (m+1)*ks]
		best := 0
		for j, v := range t {
			if v < t[best] {
				best = j
			}
		}
		pq.putCode(s.qcode, m, best)
	}
	var pass int64
	n := len(codes) / cs
	for i := 0; i < n; i++ {
		code := codes[i*cs : (i+1)*cs]
		var d float32
		switch s.st {
		case PQSearchHE:
			d = float32(kernels.Hamming(s.qcode, code))
		case PQSearchGeneralizedHamming:
			d = float32(differingBytes(s.qcode, code))
		case PQSearchSDC:
			for m := 0; m < pq.M; m++ {
				d += s.sdc[(m*ks+pq.getCode(s.qcode, m))*ks+pq.getCode(code, m)]
			}
		default: // polysemous: ADC behind a Hamming filter
			var hd int
			if s.st == PQSearchPolysemous {
				hd = kernels.Hamming(s.qcode, code)
			} else {
				hd = differingBytes(s.qcode, code)
			}
			if hd >= s.ht {
				continue
			}
			pass++
			pq.scanCodes(code, s.table, 0, s.buf)
			d = s.buf[0]
		}
		h.push(d, int64(i))
	}
	return pass
}

func differingBytes(a, b []byte) int {
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}
