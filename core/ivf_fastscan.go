package core

import "sync"

// IVFFastScan is what makes an IndexIVF faiss's IndexIVFPQFastScan: 4-bit
// PQ codes, scanned by the fast-scan kernels from lists packed in blocks of
// Bbs vectors. The lists keep the standard codes (what every IVF path
// reads, edits and writes); the packed copy of each list is rebuilt
// before a search when the list changed.
type IVFFastScan struct {
	Bbs int
	// Implem picks faiss's search variants: 0 automatic, 1 and 2 code by
	// code (float and uint8 tables), 10/11 lists in probe order, 12..15
	// lists in increasing number (faiss's query batching; which order
	// the lists come in decides which of equal distances stay). 100 +
	// n: n on one thread in faiss, the same here.
	Implem int
	// Qbs and Qbs2 are faiss's query batching fields; Qbs2 is written to
	// files.
	Qbs, Qbs2 int
	m, m2     int // sub-quantizers (4-bit codes per vector), rounded up to even
	// aq is set for additive-quantizer codes (ivf_aq_fastscan.go).
	aq *ivfAQFastScan

	mu     sync.Mutex
	packed []fsPackedList
}

// fsPackedList is a list's packed codes and what they were packed from.
type fsPackedList struct {
	gen    uint64
	n      int
	ids    *int64
	codes  *byte
	blocks []byte
	// aux holds, for RaBitQ, each code's bytes after its sign bits (the
	// factors), contiguous as faiss keeps them next to the blocks: the
	// scan reads them for every vector.
	aux []byte
	// ext is the blocks extended for a norm scale of extScale
	// (fastscan_scaled.go), what the kernels scan.
	ext      []byte
	extScale int
}

// NewIndexIVFPQFastScan makes an IVF index of M 4-bit PQ codes per vector
// searched by fast scan; faiss codes without residuals by default.
func NewIndexIVFPQFastScan(quantizer Index, d, nlist, m, nbits int, metric Metric, bbs int) (*IndexIVF, error) {
	const op = "IndexIVFPQFastScan"
	if err := checkFastScan(op, d, m, nbits, bbs, metric); err != nil {
		return nil, err
	}
	pq, err := NewProductQuantizer(d, m, nbits)
	if err != nil {
		return nil, err
	}
	ix, err := newIndexIVF(op, quantizer, d, nlist, metric, pq)
	if err != nil {
		return nil, err
	}
	ix.ByResidual = false
	ix.fastScan = &IVFFastScan{Bbs: bbs, m: m, m2: (m + 1) &^ 1}
	return ix, nil
}

// NewIndexIVFPQFastScanFrom is faiss's IndexIVFPQFastScan(const
// IndexIVFPQ&, bbs): the same quantizer (shared), a copy of the product
// quantizer (4-bit codes), of the lists and of the settings.
func NewIndexIVFPQFastScanFrom(src *IndexIVF, bbs int) (*IndexIVF, error) {
	const op = "IndexIVFPQFastScan"
	pq := src.PQ()
	if pq == nil || src.fastScan != nil || src.name != "IndexIVFPQ" {
		return nil, Errorf(KindInvalidArgument, op, "expected an IndexIVFPQ, got a %s", src.name)
	}
	ix, err := NewIndexIVFPQFastScan(src.quantizer, src.d, src.nlist, pq.M, pq.Nbits, src.metric, bbs)
	if err != nil {
		return nil, err
	}
	if pq.IsTrained() {
		if err := ix.PQ().RestorePQ(append([]float32(nil), pq.Centroids...)); err != nil {
			return nil, err
		}
	}
	ix.ByResidual, ix.Nprobe, ix.UsePrecomputedTable = src.ByResidual, src.Nprobe, src.UsePrecomputedTable
	ix.CP = src.CP
	for l := range src.lists.lists {
		s, d := &src.lists.lists[l], &ix.lists.lists[l]
		d.ids, d.codes = append([]int64(nil), s.ids...), append([]byte(nil), s.codes...)
	}
	ix.ntotal = src.ntotal
	if pq.IsTrained() {
		if err := ix.precomputeTables(); err != nil {
			return nil, err
		}
	}
	return ix, nil
}

// FastScan returns the fast-scan settings (nil for other IVF indexes).
func (ix *IndexIVF) FastScan() *IVFFastScan { return ix.fastScan }

// M is the 4-bit fields per code; M2 is M rounded up to even.
func (fs *IVFFastScan) M() int  { return fs.m }
func (fs *IVFFastScan) M2() int { return fs.m2 }

// packedLists returns every list packed, repacking those that changed
// since they were packed (searches run this under the index's read lock:
// the mutex orders concurrent ones).
func (ix *IndexIVF) packedLists() []fsPackedList {
	fs := ix.fastScan
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if len(fs.packed) != ix.nlist {
		fs.packed = make([]fsPackedList, ix.nlist)
	}
	var stale []int
	layout := fs.scaledLayout(ix.metric)
	extScale := 0
	if layout != nil {
		extScale = layout.scale
	}
	for l := range ix.lists.lists {
		lst, p := &ix.lists.lists[l], &fs.packed[l]
		if p.blocks == nil || p.gen != lst.gen || p.n != len(lst.ids) || p.ids != firstOf(lst.ids) || p.codes != firstOf(lst.codes) ||
			p.extScale != extScale {
			stale = append(stale, l)
		}
	}
	m, cs := fs.m, ix.codec.codeSize()
	parallelChunks(len(stale), chunkFor(fs.Bbs*m*64), func(_, lo, hi int) {
		for _, l := range stale[lo:hi] {
			lst := &ix.lists.lists[l]
			n := len(lst.ids)
			nb := (n + fs.Bbs - 1) / fs.Bbs * fs.Bbs
			blocks := make([]byte, nb*fs.m2/2+1) // +1: never nil, even empty
			PQ4PackCodesStride(lst.codes, cs, m, 0, n, fs.Bbs, fs.m2, blocks)
			fs.packed[l] = fsPackedList{gen: lst.gen, n: n, ids: firstOf(lst.ids), codes: firstOf(lst.codes), blocks: blocks}
			if q := ix.RBQ(); q != nil {
				fs.packed[l].aux = rbqAux(lst.codes, n, cs, q.layout().signBytes)
			}
			if layout != nil {
				fs.packed[l].ext, fs.packed[l].extScale = layout.extendBlocks(blocks, nb/fs.Bbs, fs.Bbs), extScale
			}
		}
	})
	return fs.packed
}

// listBlocks is packed list l as the search sees it (n: the view's size).
func (fs *IVFFastScan) listBlocks(p *fsPackedList, n int, metric Metric) pq4Blocks {
	if p.ext != nil {
		return pq4Blocks{codes: p.ext, n: n, bbs: fs.Bbs, m2: newFSScaledLayout(fs.m, fs.m2, p.extScale).extM2(), m: fs.m}
	}
	return pq4Blocks{codes: p.blocks, n: n, bbs: fs.Bbs, m2: fs.m2, scale: uint16(fs.tableScale(metric)), m: fs.m}
}

// scaledLayout is the extended layout the lists are scanned in under the
// norm scale in force (nil: none, or past its bound).
func (fs *IVFFastScan) scaledLayout(metric Metric) *fsScaledLayout {
	return newFSScaledLayout(fs.m, fs.m2, fs.tableScale(metric))
}

// PackedList returns list l's packed codes as faiss's BlockInvertedLists
// holds them (whole blocks of Bbs vectors), not a copy.
func (ix *IndexIVF) PackedList(l int) []byte {
	if ix.rabitq != nil {
		return ix.rbqFaissBlocks(l) // the blocks hold the factors too
	}
	p := &ix.packedLists()[l]
	fs := ix.fastScan
	return p.blocks[:(p.n+fs.Bbs-1)/fs.Bbs*fs.Bbs*fs.m2/2]
}

// UnpackList turns n packed codes (whole blocks) into standard codes.
func (fs *IVFFastScan) UnpackList(blocks []byte, n, m int) []byte {
	cs := (m + 1) / 2
	codes := make([]byte, n*cs)
	for i := 0; i < n; i++ {
		PQ4UnpackCode(blocks, fs.Bbs, m, i, codes[i*cs:(i+1)*cs])
	}
	return codes
}

// firstOf is the address of s's first element (nil when empty): with the
// length, what tells a list's storage apart from a replaced one.
func firstOf[T any](s []T) *T {
	if len(s) == 0 {
		return nil
	}
	return &s[0]
}
