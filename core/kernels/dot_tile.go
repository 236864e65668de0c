package kernels

// DotTile writes the inner products of nx rows of x with ny rows of y (both
// of dimension d) into out, row i of the tile starting at out[i*ldo]:
//
//	for i := 0; i < nx; i++ {
//		for j := 0; j < ny; j++ {
//			out[i*ldo+j] = Inner(x[i*d:(i+1)*d], y[j*d:(j+1)*d])
//		}
//	}
//
// It works on 2x4 register blocks so each loaded value is used two or four
// times; the edges use 1x4 blocks and single products. 2x4 (8 accumulators)
// beat 4x4 and 3x4 in pure Go on amd64: 7.5 vs 4.1 and 4.4 GFLOP/s per core
// at d=128, because larger blocks spill the 15 usable XMM registers.
//
// Every element is summed in the same order (one accumulator, k = 0..d-1)
// wherever its rows sit in the tile, so a value never depends on how callers
// split the work: k-means gives the same result on any number of threads.
//
// The SIMD versions (chosen at start-up, see KernelSet) keep the same
// promise with their own fixed order.
func DotTile(x []float32, nx int, y []float32, ny int, d int, out []float32, ldo int) {
	if nx <= 0 || ny <= 0 {
		return
	}
	// The assembly trusts these sizes: check them once here.
	_, _, _ = x[nx*d-1], y[ny*d-1], out[(nx-1)*ldo+ny-1]
	dotTile(x, nx, y, ny, d, out, ldo)
}

// dotTile is the implementation DotTile uses: dotTileGo unless a SIMD
// version replaced it at start-up.
var dotTile = dotTileGo

// kernelSet names the kernels in use, for benchmarks and bug reports;
// level is the set's short name (Levels' names).
var kernelSet, level = "go", "go"

// KernelSet says which kernels this process runs ("go", "avx2+fma", ...).
func KernelSet() string { return kernelSet }

func dotTileGo(x []float32, nx int, y []float32, ny int, d int, out []float32, ldo int) {
	i := 0
	for ; i+2 <= nx; i += 2 {
		x0 := x[i*d : i*d+d]
		x1 := x[(i+1)*d : (i+1)*d+d]
		j := 0
		for ; j+4 <= ny; j += 4 {
			dot2x4(x0, x1, y[j*d:(j+4)*d], d, out[i*ldo+j:], ldo)
		}
		for ; j < ny; j++ {
			yj := y[j*d : j*d+d]
			out[i*ldo+j] = dotInOrder(x0, yj)
			out[(i+1)*ldo+j] = dotInOrder(x1, yj)
		}
	}
	for ; i < nx; i++ {
		xi := x[i*d : i*d+d]
		j := 0
		for ; j+4 <= ny; j += 4 {
			dot1x4(xi, y[j*d:(j+4)*d], d, out[i*ldo+j:i*ldo+j+4])
		}
		for ; j < ny; j++ {
			out[i*ldo+j] = dotInOrder(xi, y[j*d:j*d+d])
		}
	}
}

// dotInOrder is the inner product with one accumulator, the order every
// element of a DotTile is summed in.
func dotInOrder(x, y []float32) float32 {
	y = y[:len(x)]
	var s float32
	for k, v := range x {
		s += v * y[k]
	}
	return s
}

// dot1x4 is one row of dot2x4.
func dot1x4(x0, y4 []float32, d int, out []float32) {
	y0 := y4[0:d]
	y1 := y4[d : 2*d]
	y2 := y4[2*d : 3*d]
	y3 := y4[3*d : 4*d]
	x0 = x0[:d]
	var c0, c1, c2, c3 float32
	for k := 0; k < d; k++ {
		a := x0[k]
		c0 += a * y0[k]
		c1 += a * y1[k]
		c2 += a * y2[k]
		c3 += a * y3[k]
	}
	out[0], out[1], out[2], out[3] = c0, c1, c2, c3
}

// dot2x4 computes the 2x4 block of inner products of x0, x1 with the four
// consecutive rows in y4 (length 4*d) and stores it at out[r*ldo+c].
func dot2x4(x0, x1, y4 []float32, d int, out []float32, ldo int) {
	y0 := y4[0:d]
	y1 := y4[d : 2*d]
	y2 := y4[2*d : 3*d]
	y3 := y4[3*d : 4*d]
	x0, x1 = x0[:d], x1[:d]
	var c00, c01, c02, c03, c10, c11, c12, c13 float32
	for k := 0; k < d; k++ {
		a0, a1 := x0[k], x1[k]
		b0, b1, b2, b3 := y0[k], y1[k], y2[k], y3[k]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
	}
	o := out[0 : ldo+4]
	o[0], o[1], o[2], o[3] = c00, c01, c02, c03
	o[ldo], o[ldo+1], o[ldo+2], o[ldo+3] = c10, c11, c12, c13
}
