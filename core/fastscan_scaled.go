package core

// Scaled norm codes in the kernels' own arithmetic. The additive
// quantizers' fast-scan indexes divide the two norm tables by norm_scale
// s before quantizing them and multiply their entries back by s (faiss's
// NormTableScaler). The byte-shuffle kernels sum table bytes only, so the
// pairs that hold the norm codes are repeated s-1 more times after each
// block, their copies' tables keeping only the norm fields' entries:
// sum of s copies = s times the entry, and the kernel's threshold test
// sees the whole key. Past fsScaledMaxPairs extra pairs, the scan falls
// back to adding the scaled entries to the kernel's candidates
// (pq4Blocks.addScaled).

// fsScaledMaxPairs bounds the extra pairs of a block (scale 9 with the
// norm codes in one pair, 5 with them in two).
const fsScaledMaxPairs = 8

// fsScaledLayout is the extended layout of codes of m fields (m2 packed)
// under scale.
type fsScaledLayout struct {
	m, m2, scale int
	pairs        []int // the pairs holding the last two fields
}

// newFSScaledLayout returns the layout, or nil where no extension is
// needed (scale <= 1) or it would exceed fsScaledMaxPairs.
func newFSScaledLayout(m, m2, scale int) *fsScaledLayout {
	if scale <= 1 || m < 2 {
		return nil
	}
	l := &fsScaledLayout{m: m, m2: m2, scale: scale}
	for p := (m - 2) / 2; p <= (m-1)/2; p++ {
		l.pairs = append(l.pairs, p)
	}
	if (scale-1)*len(l.pairs) > fsScaledMaxPairs {
		return nil
	}
	return l
}

// extM2 is the extended sub-quantizer count (even).
func (l *fsScaledLayout) extM2() int { return l.m2 + 2*(l.scale-1)*len(l.pairs) }

// extendBlocks returns the nb blocks of bbs codes with each block's copies
// of the norm pairs after it.
func (l *fsScaledLayout) extendBlocks(codes []byte, nb, bbs int) []byte {
	src, dst := bbs*l.m2/2, bbs*l.extM2()/2
	out := make([]byte, nb*dst+1) // +1: never nil, even empty
	for b := 0; b < nb; b++ {
		blk := codes[b*src : (b+1)*src]
		o := out[b*dst : (b+1)*dst]
		copy(o, blk)
		at := src
		for r := 1; r < l.scale; r++ {
			for _, p := range l.pairs {
				at += copy(o[at:], blk[p*bbs:(p+1)*bbs])
			}
		}
	}
	return out
}

// extendLUT appends to lut (m2*16 bytes, one query's) the copies' tables:
// the norm fields' entries, zeros for the other field of their pair.
func (l *fsScaledLayout) extendLUT(lut []byte) []byte {
	out := append(lut[:l.m2*16:l.m2*16], make([]byte, (l.extM2()-l.m2)*16)...)
	at := l.m2 * 16
	for r := 1; r < l.scale; r++ {
		for _, p := range l.pairs {
			for half := 0; half < 2; half++ {
				if f := 2*p + half; f >= l.m-2 && f < l.m {
					copy(out[at+16*half:at+16*half+16], lut[f*16:(f+1)*16])
				}
			}
			at += 32
		}
	}
	return out
}
