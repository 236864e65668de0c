package core

import "math/rand"

// HNSWCagra is what an IndexHNSWCagra adds to an HNSW index over flat (or
// float16) vectors (faiss's IndexHNSWCagra, the CPU side of a CAGRA graph):
// the graph keeps full level-0 lists, and with BaseLevelOnly (a graph
// imported from CAGRA has no upper levels) adds are refused and searches
// start on level 0 from the nearest of NumEntryPoints random nodes.
type HNSWCagra struct {
	BaseLevelOnly  bool
	NumEntryPoints int
	Half           bool // faiss's numeric_type Float16: fp16 scalar-quantizer storage
}

// NewIndexHNSWCagra makes an IndexHNSWCagra of M links over flat float32
// vectors, or float16 codes with half (L2 or inner product).
func NewIndexHNSWCagra(d, m int, metric Metric, half bool) (*IndexHNSW, error) {
	const op = "IndexHNSWCagra"
	if metric != MetricL2 && metric != MetricInnerProduct {
		return nil, Errorf(KindInvalidArgument, op, "unsupported metric type for IndexHNSWCagra: %s", metric)
	}
	if err := checkHNSW(op, d, m, metric); err != nil {
		return nil, err
	}
	var storage Index
	var err error
	if half {
		storage, err = NewIndexScalarQuantizer(d, QTfp16, metric)
	} else {
		storage, err = NewIndexFlat(d, metric)
	}
	if err != nil {
		return nil, err
	}
	ix := newIndexHNSW(op, storage, m)
	ix.KeepMaxSizeLevel0 = true
	ix.Cagra = &HNSWCagra{NumEntryPoints: 256, Half: half}
	return ix, nil
}

// searchBaseLevel is faiss's base_level_only search: the nearest of
// NumEntryPoints random nodes (drawn from a generator seeded by the query's
// number, so that a search repeats: faiss seeds from random_device), then
// the level-0 search from it.
func (h *HNSW) searchBaseLevel(s *hnswSearcher, k int, f hnswSearchFlags, entries int, seed int64) {
	n := len(h.Levels)
	if n == 0 {
		return
	}
	rng := rand.New(rand.NewSource(seed))
	nearest, dNearest := int32(-1), float32(0)
	for range entries {
		v := int32(rng.Intn(n))
		if d := s.dc.dist(v); nearest < 0 || d < dNearest {
			nearest, dNearest = v, d
		}
	}
	s.candidates.reset(max(f.efSearch, k))
	s.candidates.push(nearest, dNearest)
	h.searchFromCandidates(s, f)
	s.vt.advance()
}

// MakeCagra turns a restored HNSW index over flat (or fp16 scalar-quantizer)
// vectors into the IndexHNSWCagra a file describes.
func (ix *IndexHNSW) MakeCagra(keepMaxSizeLevel0, baseLevelOnly bool, numEntryPoints int, half bool) error {
	const op = "IndexHNSWCagra"
	if numEntryPoints < 1 {
		return Errorf(KindInvalidArgument, op, "num_base_level_search_entrypoints must be positive, got %d", numEntryPoints)
	}
	if ix.storage != nil {
		sq, isSQ := ix.storage.(*IndexScalarQuantizer)
		_, isFlat := ix.storage.(*IndexFlat)
		if half && !(isSQ && sq.SQ.Type == QTfp16) || !half && !isFlat {
			return Errorf(KindInvalidArgument, op, "the storage (%T) does not match the numeric type (float16: %v)", ix.storage, half)
		}
	}
	ix.name, ix.KeepMaxSizeLevel0 = op, keepMaxSizeLevel0
	ix.Cagra = &HNSWCagra{BaseLevelOnly: baseLevelOnly, NumEntryPoints: numEntryPoints, Half: half}
	return nil
}
