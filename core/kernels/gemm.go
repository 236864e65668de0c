package kernels

import "math"

// Packed GEMM: the inner products of many x rows with many y rows, the
// way BLAS computes them. y is packed once into panels of GemmNR rows
// stored dimension-major (for each k, the panel's GemmNR values side by
// side), x in slivers of gemmMR rows the same way; a register-blocked
// micro-kernel then keeps a gemmMR x GemmNR block of sums in registers,
// loading one panel row and broadcasting one x value per product, with no
// horizontal reductions.
//
// Every value is summed in one fixed order, whatever the block sizes and
// wherever the rows sit: in blocks of GemmKC dimensions, each block over
// k in order with one fused multiply-add per term from zero, the blocks'
// sums added in turn. Values do not depend on how callers split the work,
// and equal the reference loop bit for bit (gemmRef). The blocks keep a
// sliver in L1 and, for long vectors, sum more accurately than one chain.

// GemmNR is the number of y rows per packed panel (two AVX-512 vectors,
// four AVX2 / NEON vectors).
const GemmNR = 32

// GemmMR is the number of x rows per micro-kernel call: 14 x 32 sums
// take 28 of the 32 AVX-512 registers. Callers block rows by multiples of
// it (a partial block costs a whole one).
const GemmMR = 14

const gemmMR = GemmMR

// GemmKC is the dimension block: a 14 x 256 sliver (14 KiB) stays in L1
// while the panels stream past it.
const GemmKC = 256

// HasGemm reports whether the kernel set has a SIMD micro-kernel (else
// GemmPacked runs its reference loop: callers keep DotTile).
func HasGemm() bool { return hasGemm }

var hasGemm = false

// PackedSize is the length PackPanels needs for n rows of dimension d.
func PackedSize(n, d int) int { return (n + GemmNR - 1) / GemmNR * GemmNR * d }

// PackPanels packs n rows of y (dimension d, row-major) into dst
// (PackedSize(n, d) floats): panel p holds rows p*GemmNR.., element k of
// its row j at dst[(p*d+k)*GemmNR+j]; rows past n are zero.
func PackPanels(y []float32, n, d int, dst []float32) {
	dst = dst[:PackedSize(n, d)]
	for p := 0; p*GemmNR < n; p++ {
		panel := dst[p*d*GemmNR : (p+1)*d*GemmNR]
		rows := min(GemmNR, n-p*GemmNR)
		for j := 0; j < rows; j++ {
			row := y[(p*GemmNR+j)*d : (p*GemmNR+j+1)*d]
			for k, v := range row {
				panel[k*GemmNR+j] = v
			}
		}
		for j := rows; j < GemmNR; j++ {
			for k := 0; k < d; k++ {
				panel[k*GemmNR+j] = 0
			}
		}
	}
}

// GemmScratch holds one worker's packed x sliver and edge block.
type GemmScratch struct {
	a    []float32
	edge [gemmMR * GemmNR]float32
}

// GemmPacked writes the inner products of nx rows of x (dimension d,
// row-major) with the ny rows packed in yp into out: row i at
// out[i*ldo : i*ldo+ny]. s may be nil (a fresh one is made).
func GemmPacked(x []float32, nx int, yp []float32, ny, d int, out []float32, ldo int, s *GemmScratch) {
	if nx == 0 || ny == 0 {
		return
	}
	if len(x) < nx*d || len(yp) < PackedSize(ny, d) || len(out) < (nx-1)*ldo+ny || ldo < ny {
		panic("kernels.GemmPacked: slice too short")
	}
	if s == nil {
		s = &GemmScratch{}
	}
	if cap(s.a) < gemmMR*d {
		s.a = make([]float32, gemmMR*d)
	}
	a := s.a[:gemmMR*d]
	if d == 0 {
		for i := 0; i < nx; i++ {
			clear(out[i*ldo : i*ldo+ny])
		}
		return
	}
	for i0 := 0; i0 < nx; i0 += gemmMR {
		mr := min(gemmMR, nx-i0)
		packSliver(x[i0*d:(i0+mr)*d], mr, d, a)
		for k0 := 0; k0 < d; k0 += GemmKC {
			kc, add := min(GemmKC, d-k0), k0 > 0
			ak := a[k0*gemmMR : (k0+kc)*gemmMR]
			for j0 := 0; j0 < ny; j0 += GemmNR {
				nr := min(GemmNR, ny-j0)
				panel := yp[j0*d+k0*GemmNR : j0*d+(k0+kc)*GemmNR]
				if mr == gemmMR && nr == GemmNR {
					gemmBlock(ak, panel, kc, out[i0*ldo+j0:], ldo, add)
					continue
				}
				// an edge block: through s.edge, so that nothing past the
				// rows and columns asked for is written
				for i := 0; i < mr && add; i++ {
					copy(s.edge[i*GemmNR:i*GemmNR+nr], out[(i0+i)*ldo+j0:(i0+i)*ldo+j0+nr])
				}
				gemmBlock(ak, panel, kc, s.edge[:], GemmNR, add)
				for i := 0; i < mr; i++ {
					copy(out[(i0+i)*ldo+j0:(i0+i)*ldo+j0+nr], s.edge[i*GemmNR:i*GemmNR+nr])
				}
			}
		}
	}
}

// packSliver packs mr rows of x into a (dimension-major, gemmMR values
// per k); rows past mr are zero.
func packSliver(x []float32, mr, d int, a []float32) {
	for i := 0; i < mr; i++ {
		for k, v := range x[i*d : (i+1)*d] {
			a[k*gemmMR+i] = v
		}
	}
	for i := mr; i < gemmMR; i++ {
		for k := 0; k < d; k++ {
			a[k*gemmMR+i] = 0
		}
	}
}

// gemmBlock computes the gemmMR x GemmNR block of a packed sliver and
// panel (d dimensions) into c (row i at c[i*ldc:]), or adds it to c's
// values when add is set; the SIMD versions replace it.
var gemmBlock = gemmBlockGo

func gemmBlockGo(a, b []float32, d int, c []float32, ldc int, add bool) {
	var acc [gemmMR][GemmNR]float32
	for k := 0; k < d; k++ {
		bk := b[k*GemmNR : (k+1)*GemmNR]
		ak := a[k*gemmMR : (k+1)*gemmMR]
		for i, av := range ak {
			row := &acc[i]
			for j, bv := range bk {
				row[j] = fmaf(av, bv, row[j])
			}
		}
	}
	for i := range acc {
		row := c[i*ldc : i*ldc+GemmNR]
		if add {
			for j := range row {
				row[j] += acc[i][j]
			}
			continue
		}
		copy(row, acc[i][:])
	}
}

// fmaf is a*b+c rounded once to float32 (through float64, where a*b is
// exact; the second rounding can differ from a single one only when the
// float64 sum lands exactly halfway between two float32 values).
func fmaf(a, b, c float32) float32 {
	return float32(math.FMA(float64(a), float64(b), float64(c)))
}

// b2i is the int flag the assembly kernels take for a bool.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
