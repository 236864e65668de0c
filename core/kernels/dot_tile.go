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
// It works on 4x4 register blocks (16 accumulators) so each loaded value is
// used four times; the edges fall back to single rows.
func DotTile(x []float32, nx int, y []float32, ny int, d int, out []float32, ldo int) {
	i := 0
	for ; i+4 <= nx; i += 4 {
		x0 := x[i*d : i*d+d]
		x1 := x[(i+1)*d : (i+1)*d+d]
		x2 := x[(i+2)*d : (i+2)*d+d]
		x3 := x[(i+3)*d : (i+3)*d+d]
		j := 0
		for ; j+4 <= ny; j += 4 {
			dot4x4(x0, x1, x2, x3, y[j*d:(j+4)*d], d, out[i*ldo+j:], ldo)
		}
		for ; j < ny; j++ {
			yj := y[j*d : j*d+d]
			out[i*ldo+j] = Inner(x0, yj)
			out[(i+1)*ldo+j] = Inner(x1, yj)
			out[(i+2)*ldo+j] = Inner(x2, yj)
			out[(i+3)*ldo+j] = Inner(x3, yj)
		}
	}
	for ; i < nx; i++ {
		xi := x[i*d : i*d+d]
		row := out[i*ldo : i*ldo+ny]
		for j := range row {
			row[j] = Inner(xi, y[j*d:j*d+d])
		}
	}
}

// dot4x4 computes the 4x4 block of inner products of x0..x3 with the four
// consecutive rows in y4 (length 4*d) and stores it at out[r*ldo+c].
func dot4x4(x0, x1, x2, x3, y4 []float32, d int, out []float32, ldo int) {
	y0 := y4[0:d]
	y1 := y4[d : 2*d]
	y2 := y4[2*d : 3*d]
	y3 := y4[3*d : 4*d]
	x0, x1, x2, x3 = x0[:d], x1[:d], x2[:d], x3[:d]
	var c00, c01, c02, c03, c10, c11, c12, c13 float32
	var c20, c21, c22, c23, c30, c31, c32, c33 float32
	for k := 0; k < d; k++ {
		a0, a1, a2, a3 := x0[k], x1[k], x2[k], x3[k]
		b0, b1, b2, b3 := y0[k], y1[k], y2[k], y3[k]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	o := out[0 : 3*ldo+4]
	o[0], o[1], o[2], o[3] = c00, c01, c02, c03
	o[ldo], o[ldo+1], o[ldo+2], o[ldo+3] = c10, c11, c12, c13
	o[2*ldo], o[2*ldo+1], o[2*ldo+2], o[2*ldo+3] = c20, c21, c22, c23
	o[3*ldo], o[3*ldo+1], o[3*ldo+2], o[3*ldo+3] = c30, c31, c32, c33
}
