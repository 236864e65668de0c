//go:build arm64 && !noasm

package kernels

// NEON kernels (dot_arm64.s), for rows whose length is a multiple of 8;
// other lengths use the Go kernels. ASIMD is part of every arm64 CPU.

//go:noescape
func dotRows2NEON(x0, x1, y *float32, n4, d int, out0, out1 *float32)

//go:noescape
func dotRows1NEON(x, y *float32, n4, d int, out *float32)

//go:noescape
func dot1NEON(x, y *float32, d int) float32

//go:noescape
func l2RowsNEON(x, y *float32, n4, d int, out *float32)

//go:noescape
func l2OneNEON(x, y *float32, d int) float32

func l2SqrRowsNEON(x, y []float32, d int, out []float32) {
	if d%8 != 0 {
		l2SqrRowsGo(x, y, d, out)
		return
	}
	simdRows(x, y, d, out, l2RowsNEON, l2OneNEON)
}

func dotTileNEON(x []float32, nx int, y []float32, ny int, d int, out []float32, ldo int) {
	if d%8 != 0 {
		dotTileGo(x, nx, y, ny, d, out, ldo)
		return
	}
	simdTile(x, nx, y, ny, d, out, ldo, dotRows2NEON, dotRows1NEON, dot1NEON, nil)
}
