package core

import (
	"math/bits"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// The search side of the 4-bit fast-scan indexes: float distance tables
// quantized to uint8 (sum / a + b stands for the distance), summed over
// packed codes by kernels.PQ4Scan, and kept in a heap of uint16 keys as
// faiss's fast-scan heap handler keeps them: a candidate enters only if
// its key is strictly below the worst kept one (first come wins among
// equal keys), and the kept pairs are ordered by (key, id) for L2. For
// inner products faiss's min-heap breaks ties the other way (the lower id
// is the worse), so the heap holds -id there: one heap order serves both.

// fsKeyNone is the key of an empty heap slot: faiss's uint16 heap starts
// full of the worst value (65535 for L2; 0 for inner products, which keys
// flip).
const fsKeyNone = 0xffff

// fsScanGroups is how many 32-vector groups one kernel call covers: the
// threshold is refreshed from the heap between calls, and the pre-cut
// (fastscan_precut.go) thins what a stale one lets through. Measured on
// 1M x 128, IVF1024 nprobe 1, k = 40: 16 groups 133k QPS, 64 149k, 128
// about the same. The RaBitQ scans, without a pre-cut, take
// rbqScanGroups.
const (
	fsScanGroups  = 64
	rbqScanGroups = 16
)

// scanGroups is the groups of a PQ kernel call with threshold thr: without
// the pre-cut's SIMD counts (arm64 and pure Go for now), one while the heap
// fills, so that its threshold tightens early, and rbqScanGroups after, as
// before the pre-cut.
func scanGroups(thr uint16) int {
	switch {
	case kernels.Keys16IsFast():
		return fsScanGroups
	case thr == fsKeyNone:
		return 1
	}
	return rbqScanGroups
}

// fsQuery is one query's quantized tables, laid out for the kernel (32
// bytes per pair of sub-quantizers), and the map back to distances.
type fsQuery struct {
	lut  []byte
	a, b float32
}

// fsScratch is a worker's kernel output (out4, masks4: four queries'),
// and lut4 four queries' tables side by side.
type fsScratch struct {
	out    []uint16
	masks  []uint32
	out4   []uint16
	masks4 []uint32
	lut4   []byte
}

func newFSScratch(bbs int) *fsScratch {
	g := max(fsScanGroups, bbs/32)
	return &fsScratch{out: make([]uint16, 32*g), masks: make([]uint32, g), out4: make([]uint16, 4*32*g),
		masks4: make([]uint32, 4*g)}
}

// pq4Blocks is a table of packed codes: n vectors in blocks of bbs, m2
// (even) sub-quantizers.
type pq4Blocks struct {
	codes []byte
	n     int
	bbs   int
	m2    int
	// scale > 1 multiplies the table entries of the last two of the m
	// fields (the norm codes of additive quantizers; faiss's
	// NormTableScaler) where the extended layout of fastscan_scaled.go
	// would be too large: the kernel sums every entry once and addScaled
	// adds the rest to the vectors it flags.
	scale uint16
	m     int
}

// chunk runs the kernel on the blocks from b on (up to b1; up to
// maxGroups when bbs is 32, one otherwise) against threshold thr: keys are the sums of
// the tables lut plus bias, xor flip (see kernels.PQ4Scan), into s. It
// returns the 32-vector groups done and the next block.
func (c pq4Blocks) chunk(lut []byte, bias, flip, thr uint16, b, b1, maxGroups int, s *fsScratch) (groups, next int) {
	npairs, bbs := c.m2/2, c.bbs
	blockBytes := bbs * npairs
	if bbs == 32 {
		next = min(b1, b+maxGroups)
		groups = next - b
		kernels.PQ4Scan(c.codes[b*blockBytes:], groups, blockBytes, 32, npairs, lut, bias, flip, thr, s.out, s.masks)
	} else {
		groups, next = bbs/32, b+1
		kernels.PQ4Scan(c.codes[b*blockBytes:], groups, 32, bbs, npairs, lut, bias, flip, thr, s.out, s.masks)
	}
	if c.scale > 1 {
		c.addScaled(lut, thr, b, s.out[:32*groups], s.masks[:groups])
	}
	return groups, next
}

// addScaled adds scale-1 more times the entries of the last two of the m
// fields (the norm codes, which the kernel summed once) to the keys of
// the vectors the masks of the groups from block b flag, keeps the flags
// of those still below thr, and marks every other key as none (the
// pre-cut counts keys). The added entries are never negative, so the
// kernel's sums flag a superset of the vectors below thr. Sums wrap at 16
// bits, as faiss's do. (faiss's kernels scale the last packed pair, which
// for an odd M is the second norm code and the padding: the first norm
// code's table stays divided. Its code-by-code search scales the two norm
// codes, as both searches do here.)
func (c pq4Blocks) addScaled(lut []byte, thr uint16, b int, out []uint16, masks []uint32) {
	var fields [2][]byte // the norm fields' bytes of a group
	var tabs [2][]byte
	for i := range tabs {
		f := c.m - 2 + i
		tabs[i] = lut[f/2*32+16*(f&1) : f/2*32+16*(f&1)+16]
	}
	extra := c.scale - 1
	for g, m := range masks {
		pos := b*c.bbs + 32*g
		for i := range fields {
			off, _ := pq4Byte(c.bbs, c.m2, pos, c.m-2+i)
			fields[i] = c.codes[off : off+16]
		}
		keys := out[32*g : 32*g+32]
		kept := uint32(0)
		for j := 0; j < 32; j++ {
			if m&(1<<j) == 0 {
				keys[j] = fsKeyNone
				continue
			}
			p := pq4InvPerm[j&15]
			v0, v1 := fields[0][p], fields[1][p]
			if j >= 16 {
				v0, v1 = v0>>4, v1>>4
			}
			keys[j] += extra * (uint16(tabs[0][v0&15]) + uint16(tabs[1][v1&15]))
			if keys[j] < thr {
				kept |= 1 << j
			}
		}
		masks[g] = kept
	}
}

// scanWith runs the kernel over blocks [b0, b1) with threshold thr and
// calls emit with the position and key of each vector below it.
func (c pq4Blocks) scanWith(lut []byte, bias, flip, thr uint16, b0, b1 int, s *fsScratch, emit func(pos int, key uint16)) {
	for b := b0; b < b1; {
		groups, next := c.chunk(lut, bias, flip, thr, b, b1, scanGroups(thr), s)
		for g, m := range s.masks[:groups] {
			for ; m != 0; m &= m - 1 {
				j := bits.TrailingZeros32(m)
				pos := b*c.bbs + 32*g + j
				if pos >= c.n {
					break
				}
				emit(pos, s.out[32*g+j])
			}
		}
		b = next
	}
}

// scan offers the vectors of blocks [b0, b1) to h under faiss's heap rules
// (see chunk for the keys); ids maps positions to ids (nil: base +
// position). The threshold follows the heap from one kernel call to the
// next.
func (c pq4Blocks) scan(lut []byte, bias, flip uint16, b0, b1 int, ids []int64, base int64, sel IDSelector, h *fsSink, s *fsScratch) {
	for b := b0; b < b1; {
		groups, next := c.chunk(lut, bias, flip, uint16(h.root()), b, b1, scanGroups(uint16(h.root())), s)
		c.offer(h, s.out, s.masks[:groups], b, flip, ids, base, sel)
		b = next
	}
}

// scan4 is scan for four queries at once (tables lutStride bytes apart in
// luts), the codes read once for all four.
func (c pq4Blocks) scan4(luts []byte, lutStride int, biases *[4]uint16, flip uint16, b0, b1 int, ids []int64, base int64, sel IDSelector, hs *[4]*fsSink, s *fsScratch) {
	npairs, bbs := c.m2/2, c.bbs
	blockBytes := bbs * npairs
	for b := b0; b < b1; {
		var thrs [4]uint16
		for q, h := range hs {
			thrs[q] = uint16(h.root())
		}
		groups, next := bbs/32, b+1
		if bbs == 32 {
			next = min(b1, b+scanGroups(max(thrs[0], thrs[1], thrs[2], thrs[3])))
			groups = next - b
			kernels.PQ4Scan4(c.codes[b*blockBytes:], groups, blockBytes, 32, npairs, luts, lutStride, biases, flip, &thrs, s.out4, s.masks4)
		} else {
			kernels.PQ4Scan4(c.codes[b*blockBytes:], groups, 32, bbs, npairs, luts, lutStride, biases, flip, &thrs, s.out4, s.masks4)
		}
		for q, h := range hs {
			out, masks := s.out4[q*32*groups:(q+1)*32*groups], s.masks4[q*groups:(q+1)*groups]
			if c.scale > 1 {
				c.addScaled(luts[q*lutStride:], thrs[q], b, out, masks)
			}
			c.offer(h, out, masks, b, flip, ids, base, sel)
		}
		b = next
	}
}

// offer gives h the vectors that the masks of the groups from block b
// select (keys in out).
func (c pq4Blocks) offer(h *fsSink, out []uint16, masks []uint32, b int, flip uint16, ids []int64, base int64, sel IDSelector) {
	if sel == nil {
		c.precut(h, out, masks, b)
	}
	for g, m := range masks {
		for ; m != 0; m &= m - 1 {
			j := bits.TrailingZeros32(m)
			pos := b*c.bbs + 32*g + j
			if pos >= c.n {
				break
			}
			key := float32(out[32*g+j])
			if key >= h.root() {
				continue
			}
			id := base + int64(pos)
			if ids != nil {
				id = ids[pos]
			}
			if sel == nil || sel.IsMember(id) {
				if flip != 0 {
					id = -id
				}
				h.add(key, id)
			}
		}
	}
}

// nblocks is how many blocks hold the n vectors.
func (c pq4Blocks) nblocks() int { return (c.n + c.bbs - 1) / c.bbs }

// resetFS empties h the way faiss's fast-scan heaps start (ids as the
// heap holds them: -id under flip).
func resetFS(h *topK, flip uint16) { resetTies(h, fsKeyNone, flip != 0) }

// resetTies fills h with (key, no id) sentinels; reversed: ids are held
// negated, which turns the heap's tie order around.
func resetTies(h *topK, key float32, reversed bool) {
	none := int64(-1)
	if reversed {
		none = 1
	}
	for i := range h.dist {
		h.dist[i], h.ids[i] = key, none
	}
}

// negateIDs turns held ids back (or into held form).
func negateIDs(labels []int64) {
	for j, id := range labels {
		labels[j] = -id
	}
}

// quantizeFSTable turns a float table (M x 16) into q's packed uint8
// table (pairs of sub-quantizers, the last padded with zeros when M is
// odd) with faiss's round_uint8_per_column. tab is overwritten.
func quantizeFSTable(tab []float32, m, m2 int, q *fsQuery) {
	q.a, q.b = RoundUint8PerColumn(tab, m, 16)
	if len(q.lut) != m2*16 {
		q.lut = make([]byte, m2*16)
	}
	for i, v := range tab[:m*16] {
		q.lut[i] = byte(int32(v))
	}
	clear(q.lut[m*16:])
}
