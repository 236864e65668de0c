//go:build amd64 && !noasm

package kernels

import "golang.org/x/sys/cpu"

// AVX2 + FMA kernels (dot_amd64.s). Each x row is multiplied with n4 groups
// of four consecutive y rows of length d (contiguous, stride d).

//go:noescape
func dotRows2AVX2(x0, x1, y *float32, n4, d int, out0, out1 *float32)

//go:noescape
func dotRows1AVX2(x, y *float32, n4, d int, out *float32)

//go:noescape
func dot1AVX2(x, y *float32, d int) float32

//go:noescape
func l2RowsAVX2(x, y *float32, n4, d int, out *float32)

//go:noescape
func l2OneAVX2(x, y *float32, d int) float32

func init() {
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		dotTile = dotTileAVX2
		inner = func(x, y []float32) float32 { return dot1AVX2(&x[0], &y[0], len(x)) }
		l2Sqr = func(x, y []float32) float32 { return l2OneAVX2(&x[0], &y[0], len(x)) }
		l2SqrRows = l2SqrRowsAVX2
		kernelSet = "avx2+fma"
	}
}

func l2SqrRowsAVX2(x, y []float32, d int, out []float32) {
	n4 := len(out) / 4
	if n4 > 0 {
		l2RowsAVX2(&x[0], &y[0], n4, d, &out[0])
	}
	for j := 4 * n4; j < len(out); j++ {
		out[j] = l2OneAVX2(&x[0], &y[j*d], d)
	}
}

// yPanel is how many y rows one pass keeps in L1 while every x row pair
// streams past them: 16 rows of d=128 are 8 KiB, next to the x block.
const yPanel = 16

func dotTileAVX2(x []float32, nx int, y []float32, ny int, d int, out []float32, ldo int) {
	for j0 := 0; j0 < ny; j0 += yPanel {
		dotPanelAVX2(x, nx, y[j0*d:], min(yPanel, ny-j0), d, out[j0:], ldo)
	}
}

// dotPanelAVX2 is DotTile for ny <= yPanel rows of y.
func dotPanelAVX2(x []float32, nx int, y []float32, ny int, d int, out []float32, ldo int) {
	n4 := ny / 4
	i := 0
	for ; i+2 <= nx; i += 2 {
		o0, o1 := out[i*ldo:i*ldo+ny], out[(i+1)*ldo:(i+1)*ldo+ny]
		x0, x1 := x[i*d:(i+1)*d], x[(i+1)*d:(i+2)*d]
		if n4 > 0 {
			dotRows2AVX2(&x0[0], &x1[0], &y[0], n4, d, &o0[0], &o1[0])
		}
		for j := 4 * n4; j < ny; j++ {
			yj := &y[j*d]
			o0[j] = dot1AVX2(&x0[0], yj, d)
			o1[j] = dot1AVX2(&x1[0], yj, d)
		}
	}
	if i < nx {
		o, xi := out[i*ldo:i*ldo+ny], x[i*d:(i+1)*d]
		if n4 > 0 {
			dotRows1AVX2(&xi[0], &y[0], n4, d, &o[0])
		}
		for j := 4 * n4; j < ny; j++ {
			o[j] = dot1AVX2(&xi[0], &y[j*d], d)
		}
	}
}
