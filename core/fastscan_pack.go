package core

// The fast-scan code layout (faiss's pq4_fast_scan packing). Codes of 4
// bits per sub-quantizer are stored in blocks of bbs vectors (a multiple
// of 32); within a block, sub-quantizers go by pairs, and each pair takes
// bbs bytes: for every 32 vectors, 16 bytes holding the pair's first
// sub-quantizer and 16 its second. Within those 16 bytes, byte j holds
// vector perm[j] in its low nibble and vector perm[j]+16 in its high
// one, perm interleaving 0..7 with 8..15: the order the byte-shuffle
// kernels consume.

// pq4Perm is faiss's perm0 (little-endian hosts).
var pq4Perm = [16]int{0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15}

// pq4InvPerm is the byte holding vector i (and i+16) of a 32-vector group.
var pq4InvPerm = [16]int{0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15}

// PQ4PackCodes packs the n standard codes (M sub-quantizers) into blocks
// (nb*nsq/2 bytes, nb a multiple of bbs, nsq = M rounded up to even),
// zeroing what no code fills.
func PQ4PackCodes(codes []byte, n, M, nb, bbs, nsq int, blocks []byte) {
	clear(blocks[:nb*nsq/2])
	PQ4PackCodesRange(codes, M, 0, n, bbs, nsq, blocks)
}

// PQ4PackCodesRange packs the codes of vectors i0..i1-1 (codes holds only
// those) into their places in blocks, which must hold zeros there. A
// pair of sub-quantizers (2p, 2p+1) is byte p of each code: its low
// nibbles go to the pair's first 16 bytes, its high ones to the next 16.
func PQ4PackCodesRange(codes []byte, M, i0, i1, bbs, nsq int, blocks []byte) {
	PQ4PackCodesStride(codes, (M+1)/2, M, i0, i1, bbs, nsq, blocks)
}

// PQ4PackCodesStride is PQ4PackCodesRange for codes stride bytes apart
// whose first (M+1)/2 bytes are the 4-bit codes (faiss's
// code_packing_stride: RaBitQ's sign bits before its factors).
func PQ4PackCodesStride(codes []byte, stride, M, i0, i1, bbs, nsq int, blocks []byte) {
	if i1 <= i0 {
		return
	}
	n, cs := i1-i0, (M+1)/2
	byteOf := func(v, p int) byte {
		if v < 0 || v >= n || p >= cs {
			return 0
		}
		return codes[v*stride+p]
	}
	for b := i0 / bbs; b <= (i1-1)/bbs; b++ {
		out := blocks[b*bbs*nsq/2:]
		base := b*bbs - i0
		for p := 0; p < nsq/2; p++ {
			for g := 0; g < bbs; g += 32 {
				for j, perm := range pq4Perm {
					c0, c1 := byteOf(base+g+perm, p), byteOf(base+g+perm+16, p)
					out[j] |= c0&15 | c1<<4
					out[j+16] |= c0>>4 | c1&0xf0
				}
				out = out[32:]
			}
		}
	}
}

// pq4Byte returns the byte holding sub-quantizer sq of vector i and
// whether the code is its high nibble.
func pq4Byte(bbs, nsq, i, sq int) (int, bool) {
	off := (i/bbs*(nsq/2) + sq/2) * bbs
	i %= bbs
	off += i / 32 * 32
	i %= 32
	if sq&1 == 1 {
		off += 16
	}
	return off + pq4InvPerm[i%16], i >= 16
}

// PQ4GetPackedElement reads sub-quantizer sq of vector i from blocks.
func PQ4GetPackedElement(blocks []byte, bbs, nsq, i, sq int) byte {
	off, high := pq4Byte(bbs, nsq, i, sq)
	if high {
		return blocks[off] >> 4
	}
	return blocks[off] & 15
}

// PQ4SetPackedElement writes code (0..15) as sub-quantizer sq of vector i.
func PQ4SetPackedElement(blocks []byte, bbs, nsq, i, sq int, code byte) {
	off, high := pq4Byte(bbs, nsq, i, sq)
	if high {
		blocks[off] = blocks[off]&0x0f | code<<4
		return
	}
	blocks[off] = blocks[off]&0xf0 | code&15
}

// PQ4PackLUT lays out nq quantized tables (nsq x 16 bytes each) for the
// accumulation kernels: for each pair of sub-quantizers, the nq queries'
// 32 bytes in turn (faiss's pq4_pack_LUT).
func PQ4PackLUT(nq, nsq int, src, dest []byte) {
	for q := 0; q < nq; q++ {
		for sq := 0; sq < nsq; sq += 2 {
			d := dest[(sq/2*nq+q)*32:]
			copy(d[:16], src[(q*nsq+sq)*16:(q*nsq+sq+1)*16])
			copy(d[16:32], src[(q*nsq+sq+1)*16:(q*nsq+sq+2)*16])
		}
	}
}

// PQ4Accumulate adds up, for nq queries and the nb vectors of a packed
// code table (nb a multiple of bbs), the quantized table entries of each
// vector's codes: out[q*nb+i] = sum over sq < nsq of lut[q][sq][code].
// lut is nq x nsq x 16 bytes (not packed); sums are uint16 and wrap as
// the SIMD kernels' do. This is the reference the fast-scan kernels are
// tested against.
func PQ4Accumulate(nq, nb, bbs, nsq int, blocks, lut []byte, out []uint16) {
	for q := 0; q < nq; q++ {
		tab := lut[q*nsq*16 : (q+1)*nsq*16]
		row := out[q*nb : (q+1)*nb]
		for i := range row {
			var s uint16
			for sq := 0; sq < nsq; sq++ {
				s += uint16(tab[sq*16+int(PQ4GetPackedElement(blocks, bbs, nsq, i, sq))])
			}
			row[i] = s
		}
	}
}

// PQ4UnpackCode writes the standard code (M 4-bit codes, low nibble
// first) of vector i of blocks into code ((M+1)/2 bytes).
func PQ4UnpackCode(blocks []byte, bbs, M, i int, code []byte) {
	nsq := (M + 1) &^ 1
	clear(code[:(M+1)/2])
	for sq := 0; sq < M; sq++ {
		code[sq/2] |= PQ4GetPackedElement(blocks, bbs, nsq, i, sq) << (4 * (sq & 1))
	}
}

// PQ4PackCode writes the standard code of one vector as vector i of
// blocks.
func PQ4PackCode(code []byte, bbs, M, i int, blocks []byte) {
	nsq := (M + 1) &^ 1
	for sq := 0; sq < M; sq++ {
		PQ4SetPackedElement(blocks, bbs, nsq, i, sq, code[sq/2]>>(4*(sq&1))&15)
	}
}

// PQ4BlockBytes is the size of one block of bbs packed codes.
func PQ4BlockBytes(bbs, M int) int { return bbs * ((M + 1) &^ 1) / 2 }

// nibble is 4-bit field j of a standard code (low nibble first).
func nibble(code []byte, j int) int { return int(code[j/2]>>(4*(j&1))) & 15 }
