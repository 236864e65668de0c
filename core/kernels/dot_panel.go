package kernels

// panelRows is how many y rows one pass of a SIMD tile keeps in L1 while
// all the x rows stream past them: about 16 KiB (32 rows at d=128; measured
// 32 > 16 rows at d=128 for batched search and k-means), at least 8 rows so
// that long rows still amortise the kernel calls.
func panelRows(d int) int {
	return max(8, min(64, (16<<10)/(4*d))) &^ 3
}

// Signatures of the SIMD tile kernels: x rows against n4 groups of four
// consecutive y rows (stride d), and one pair.
type (
	rows2Kernel func(x0, x1, y *float32, n4, d int, out0, out1 *float32)
	rows1Kernel func(x, y *float32, n4, d int, out *float32)
	pairKernel  func(x, y *float32, d int) float32
	// pairsKernel runs rows2Kernel for npairs consecutive pairs of x rows.
	pairsKernel func(x *float32, npairs int, y *float32, n4, d int, out *float32, ldo int)
)

// simdTile is DotTile on SIMD kernels: panels of panelRows(d) y rows, x
// rows two at a time (all pairs in one call when there is a pairs kernel),
// then the odd x row and the y rows left over from groups of four. rows2
// may be nil when there is a pairs kernel. DotTile has checked the slice
// lengths the kernels rely on.
func simdTile(x []float32, nx int, y []float32, ny int, d int, out []float32, ldo int,
	rows2 rows2Kernel, rows1 rows1Kernel, one pairKernel, pairs pairsKernel) {
	panel := panelRows(d)
	for j0 := 0; j0 < ny; j0 += panel {
		p := min(panel, ny-j0)
		yp, op := y[j0*d:], out[j0:]
		n4 := p / 4
		// With a pairs kernel, one call covers the groups of four for every
		// pair of x rows; the loop below then only fills the leftover columns.
		allPairs := pairs != nil && n4 > 0 && nx >= 2
		if allPairs {
			pairs(&x[0], nx/2, &yp[0], n4, d, &op[0], ldo)
		}
		i := 0
		for ; i+2 <= nx; i += 2 {
			o0, o1 := op[i*ldo:i*ldo+p], op[(i+1)*ldo:(i+1)*ldo+p]
			x0, x1 := x[i*d:(i+1)*d], x[(i+1)*d:(i+2)*d]
			if n4 > 0 && !allPairs {
				rows2(&x0[0], &x1[0], &yp[0], n4, d, &o0[0], &o1[0])
			}
			for j := 4 * n4; j < p; j++ {
				o0[j] = one(&x0[0], &yp[j*d], d)
				o1[j] = one(&x1[0], &yp[j*d], d)
			}
		}
		if i < nx {
			o, xi := op[i*ldo:i*ldo+p], x[i*d:(i+1)*d]
			if n4 > 0 {
				rows1(&xi[0], &yp[0], n4, d, &o[0])
			}
			for j := 4 * n4; j < p; j++ {
				o[j] = one(&xi[0], &yp[j*d], d)
			}
		}
	}
}

// simdRows is L2SqrRows on SIMD kernels.
func simdRows(x, y []float32, d int, out []float32, rows1 rows1Kernel, one pairKernel) {
	n4 := len(out) / 4
	if n4 > 0 {
		rows1(&x[0], &y[0], n4, d, &out[0])
	}
	for j := 4 * n4; j < len(out); j++ {
		out[j] = one(&x[0], &y[j*d], d)
	}
}
