package kernels

// PQ4Scan is the inner loop of the 4-bit fast-scan indexes. codes holds
// ngroups groups of 32 vectors in faiss's packed layout: group g starts
// at g*groupStride, and its npairs pairs of sub-quantizers lie pairStride
// bytes apart, 32 bytes each (16 for the pair's first sub-quantizer, 16
// for its second; byte j holds vectors perm[j] and perm[j]+16 in its low
// and high nibbles). lut holds one query's quantized tables, 32 bytes per
// pair (the pair's two 16-entry tables). For vector i of group g,
// out[32*g+i] receives bias plus the uint16 sum of its table entries
// (wrapping, as the SIMD additions do), xor flip, and bit i of masks[g] is
// set when that value is below thr. flip 0xffff turns "larger is better" sums (inner
// products) into "smaller is better" keys without changing their order.
func PQ4Scan(codes []byte, ngroups, groupStride, pairStride, npairs int, lut []byte, bias, flip, thr uint16, out []uint16, masks []uint32) {
	if ngroups <= 0 {
		return
	}
	if npairs <= 0 {
		for g := 0; g < ngroups; g++ {
			for i := range out[32*g : 32*g+32] {
				out[32*g+i] = bias ^ flip
			}
			masks[g] = belowMask(out[32*g:32*g+32], thr)
		}
		return
	}
	last := (ngroups-1)*groupStride + (npairs-1)*pairStride + 32
	codes, lut, out, masks = codes[:last], lut[:npairs*32], out[:32*ngroups], masks[:ngroups]
	if pq4ScanSIMD != nil {
		// the kernels test d <= thr-1, which no value passes when thr is 0
		pq4ScanSIMD(&codes[0], ngroups, groupStride, pairStride, npairs, &lut[0], int(bias), int(flip), int(thr-1), &out[0], &masks[0])
		if thr == 0 {
			clear(masks)
		}
		return
	}
	pq4ScanGo(codes, ngroups, groupStride, pairStride, npairs, lut, bias, flip, thr, out, masks)
}

// pq4ScanSIMD is PQ4Scan's loop in assembly (nil without it); thrm1 is
// thr-1 (wrapped).
var pq4ScanSIMD func(codes *byte, ngroups, groupStride, pairStride, npairs int, lut *byte, bias, flip, thrm1 int, out *uint16, masks *uint32)

// pq4Perm is the vector held by each byte of a 16-byte half pair.
var pq4Perm = [16]int{0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15}

func pq4ScanGo(codes []byte, ngroups, groupStride, pairStride, npairs int, lut []byte, bias, flip, thr uint16, out []uint16, masks []uint32) {
	for g := 0; g < ngroups; g++ {
		var sums [32]uint16
		for i := range sums {
			sums[i] = bias
		}
		for p := 0; p < npairs; p++ {
			c := codes[g*groupStride+p*pairStride : g*groupStride+p*pairStride+32]
			t := lut[p*32 : p*32+32]
			for j, v := range pq4Perm {
				lo, hi := c[j], c[j+16]
				sums[v] += uint16(t[lo&15]) + uint16(t[16+hi&15])
				sums[v+16] += uint16(t[lo>>4]) + uint16(t[16+hi>>4])
			}
		}
		row := out[32*g : 32*g+32]
		for i, s := range sums {
			row[i] = s ^ flip
		}
		masks[g] = belowMask(row, thr)
	}
}

func belowMask(row []uint16, thr uint16) uint32 {
	var m uint32
	for i, v := range row {
		if v < thr {
			m |= 1 << i
		}
	}
	return m
}

// PQ4Scan4 is PQ4Scan for four queries over the same codes, which it reads
// once: luts holds their tables one after the other, lutStride bytes
// apart; out holds four rows of 32*ngroups values and masks four rows of
// ngroups, query by query.
func PQ4Scan4(codes []byte, ngroups, groupStride, pairStride, npairs int, luts []byte, lutStride int, biases *[4]uint16, flip uint16, thrs *[4]uint16, out []uint16, masks []uint32) {
	if ngroups <= 0 {
		return
	}
	n := 32 * ngroups
	if pq4Scan4SIMD == nil || npairs <= 0 {
		for q := 0; q < 4; q++ {
			PQ4Scan(codes, ngroups, groupStride, pairStride, npairs, luts[q*lutStride:], biases[q], flip, thrs[q], out[q*n:(q+1)*n], masks[q*ngroups:(q+1)*ngroups])
		}
		return
	}
	last := (ngroups-1)*groupStride + (npairs-1)*pairStride + 32
	codes, luts, out, masks = codes[:last], luts[:3*lutStride+npairs*32], out[:4*n], masks[:4*ngroups]
	var thrm1 [4]uint16
	for q, t := range thrs {
		thrm1[q] = t - 1
	}
	pq4Scan4SIMD(&codes[0], ngroups, groupStride, pairStride, npairs, &luts[0], lutStride, &biases[0], int(flip), &thrm1[0], &out[0], 2*n, &masks[0], 4*ngroups)
	for q, t := range thrs {
		if t == 0 { // the kernel tested d <= 65535
			clear(masks[q*ngroups : (q+1)*ngroups])
		}
	}
}

// pq4Scan4SIMD is PQ4Scan4's loop in assembly (nil without it).
var pq4Scan4SIMD func(codes *byte, ngroups, groupStride, pairStride, npairs int, luts *byte, lutStride int, biases *uint16, flip int, thrm1 *uint16, out *uint16, outStride int, masks *uint32, maskStride int)
