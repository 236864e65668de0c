//go:build amd64 && !noasm

package kernels

//go:noescape
func gemm14x32AVX512(a, b *float32, d int, c *float32, ldc int, add int)

//go:noescape
func gemm6x16AVX2(a, b *float32, d int, c *float32, ldc int, add int)

//go:noescape
func gemm2x16AVX2(a, b *float32, d int, c *float32, ldc int, add int)

// gemmBlockAVX512 is gemmBlock on the AVX-512 micro-kernel (d > 0: the
// kernel runs its loop at least once).
func gemmBlockAVX512(a, b []float32, d int, c []float32, ldc int, add bool) {
	_ = c[(gemmMR-1)*ldc+GemmNR-1]
	_ = a[gemmMR*d-1]
	_ = b[GemmNR*d-1]
	gemm14x32AVX512(&a[0], &b[0], d, &c[0], ldc, b2i(add))
}

// gemmBlockAVX2 is gemmBlock on the AVX2 kernels: rows 0-5, 6-11 and
// 12-13 of each half of the panel.
func gemmBlockAVX2(a, b []float32, d int, c []float32, ldc int, add bool) {
	_ = c[(gemmMR-1)*ldc+GemmNR-1]
	_ = a[gemmMR*d-1]
	_ = b[GemmNR*d-1]
	ad := b2i(add)
	for h := 0; h < GemmNR; h += 16 {
		gemm6x16AVX2(&a[0], &b[h], d, &c[h], ldc, ad)
		gemm6x16AVX2(&a[6], &b[h], d, &c[6*ldc+h], ldc, ad)
		gemm2x16AVX2(&a[12], &b[h], d, &c[12*ldc+h], ldc, ad)
	}
}
