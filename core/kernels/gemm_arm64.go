//go:build arm64 && !noasm

package kernels

//go:noescape
func gemm7x8NEON(a, b *float32, d int, c *float32, ldc int, add int)

// gemmBlockNEON is gemmBlock on the NEON kernel: rows 0-6 and 7-13 of
// each 8-column strip of the panel.
func gemmBlockNEON(a, b []float32, d int, c []float32, ldc int, add bool) {
	_ = c[(gemmMR-1)*ldc+GemmNR-1]
	_ = a[gemmMR*d-1]
	_ = b[GemmNR*d-1]
	ad := b2i(add)
	for h := 0; h < GemmNR; h += 8 {
		gemm7x8NEON(&a[0], &b[h], d, &c[h], ldc, ad)
		gemm7x8NEON(&a[7], &b[h], d, &c[7*ldc+h], ldc, ad)
	}
}
