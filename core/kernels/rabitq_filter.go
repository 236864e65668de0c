package kernels

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// RaBitQFilter holds what RaBitQFilterCodes needs of one query against
// one list: faiss's one-bit estimate constants and the heap's threshold.
// The fields are read by assembly: keep their order.
type RaBitQFilter struct {
	C1, C2, C34   float32
	QrToC, QrNorm float32
	Thr           float32
	L2            uint32   // 1: L2 (the key is max(0, pre)); 0: inner product (0.5 (pre - |q|^2))
	Idx           [8]int64 // 0, cs, 2 cs, ... 7 cs: the gather offsets
}

// RaBitQFilterCodes sets bit i%8 of masks[i/8] for each of the n codes
// (n a multiple of 8, cs bytes apart) whose one-bit RaBitQ heap key is at
// most f.Thr: sign words are the first 8*words bytes of a code, its
// factors (|r|^2 term, multiplier) the 8 bytes at sb, planes the query's
// qb bit planes word-major. The key is faiss's uncentred estimate, each
// float step rounded as the scalar code rounds it; callers recompute the
// keys of the codes picked. It reports false when no SIMD kernel is
// installed (the caller then scans code by code).
func RaBitQFilterCodes(codes []byte, cs, n, sb int, planes []uint64, words, qb int, f *RaBitQFilter, masks []byte) bool {
	if rbqFilterSIMD == nil || n%8 != 0 || n == 0 || qb < 1 || qb > 8 || words < 1 {
		return false
	}
	_ = codes[(n-1)*cs+max(8*words, sb+8)-1]
	_ = planes[words*qb-1]
	_ = masks[n/8-1]
	for i := range f.Idx {
		f.Idx[i] = int64(i * cs)
	}
	rbqFilterSIMD(&codes[0], cs, n/8, sb, &planes[0], words, qb, f, &masks[0])
	return true
}

// RaBitQFilterAvailable reports whether RaBitQFilterCodes has a kernel.
func RaBitQFilterAvailable() bool { return rbqFilterSIMD != nil }

// rbqFilterSIMD is RaBitQFilterCodes's loop in assembly (nil without it).
var rbqFilterSIMD func(codes *byte, cs, n8, sb int, planes *uint64, words, qb int, f *RaBitQFilter, masks *byte)

// rbqFilterGo is the reference the assembly is tested against.
func rbqFilterGo(codes []byte, cs, n, sb int, planes []uint64, words, qb int, f *RaBitQFilter, masks []byte) {
	clear(masks[:n/8])
	for i := 0; i < n; i++ {
		code := codes[i*cs:]
		dot, pop := 0, 0
		for w := 0; w < words; w++ {
			s := binary.LittleEndian.Uint64(code[8*w:])
			pop += bits.OnesCount64(s)
			for b, p := range planes[w*qb : (w+1)*qb] {
				dot += bits.OnesCount64(p&s) << b
			}
		}
		fd := float32(f.C1 * float32(dot))
		fd += float32(f.C2 * float32(pop))
		fd -= f.C34
		orm := math.Float32frombits(binary.LittleEndian.Uint32(code[sb:]))
		mul := math.Float32frombits(binary.LittleEndian.Uint32(code[sb+4:]))
		pre := float32(orm+f.QrToC) - float32((mul+mul)*fd)
		key := float32(0.5 * (pre - f.QrNorm))
		if f.L2 != 0 {
			key = 0
			if 0 < pre {
				key = pre
			}
		}
		if key <= f.Thr {
			masks[i/8] |= 1 << (i % 8)
		}
	}
}

// RaBitQFSFilter holds what RaBitQFSFilterSums needs of one query against
// one list of a fast-scan RaBitQ index. The fields are read by assembly:
// keep their order.
type RaBitQFSFilter struct {
	OneA, B     float32 // table sum s stands for s * OneA + B
	C34, QrToC  float32
	QrNorm, Thr float32
	IP          uint32 // 1: inner product (the key is 0.5 (adj - |q|^2)); 0: L2 (max(0, adj))
}

// RaBitQFSFilterSums sets bit i%16 of masks[i/16] for each of n vectors
// (n a multiple of 16) whose heap key, from its table sum sums[i] and its
// factors (two float32 at aux[8i:]), is at most f.Thr, each float step
// rounded as the scalar code rounds it. It reports false when no SIMD
// kernel is installed.
func RaBitQFSFilterSums(sums []uint16, aux []byte, n int, f *RaBitQFSFilter, masks []uint16) bool {
	if rbqFSFilterSIMD == nil || n%16 != 0 || n == 0 {
		return false
	}
	_, _, _ = sums[n-1], aux[8*n-1], masks[n/16-1]
	rbqFSFilterSIMD(&sums[0], &aux[0], n/16, f, &masks[0])
	return true
}

// RaBitQFSFilterAvailable reports whether RaBitQFSFilterSums has a kernel.
func RaBitQFSFilterAvailable() bool { return rbqFSFilterSIMD != nil }

// rbqFSFilterSIMD is RaBitQFSFilterSums's loop in assembly (nil without it).
var rbqFSFilterSIMD func(sums *uint16, aux *byte, n16 int, f *RaBitQFSFilter, masks *uint16)

// rbqFSFilterGo is the reference the assembly is tested against.
func rbqFSFilterGo(sums []uint16, aux []byte, n int, f *RaBitQFSFilter, masks []uint16) {
	clear(masks[:n/16])
	for i := 0; i < n; i++ {
		v := float32(sums[i])*f.OneA + f.B
		orm := math.Float32frombits(binary.LittleEndian.Uint32(aux[8*i:]))
		mul := math.Float32frombits(binary.LittleEndian.Uint32(aux[8*i+4:]))
		adj := float32(orm+f.QrToC) - float32((mul+mul)*(v-f.C34))
		key := float32(0.5 * (adj - f.QrNorm))
		if f.IP == 0 {
			key = 0
			if 0 < adj {
				key = adj
			}
		}
		if key <= f.Thr {
			masks[i/16] |= 1 << (i % 16)
		}
	}
}
