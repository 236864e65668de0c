package kernels

// Coding with 16 centroids a sub-space (4-bit product quantizers): the
// nearest centroid of each of m sub-vectors, all in one call. yt holds
// each sub-space's centroids dimension-major (dsub rows of 16 floats, one
// sub-space after the other), so that the 16 distances build up in two
// 8-lane registers, as faiss's fvec_L2sqr_ny_nearest does for short
// sub-vectors: the first dimension's square, then fused multiply-adds.

// Nearest16Transposed writes to out[s] the index of the centroid nearest
// x[s*dsub:(s+1)*dsub] among the 16 of sub-space s of yt, for s < m: the
// first of equal distances, 0 when every distance is NaN.
func Nearest16Transposed(x, yt []float32, m, dsub int, out []byte) {
	_, _, _ = x[m*dsub-1], yt[m*16*dsub-1], out[m-1]
	if nearest16SIMD != nil {
		nearest16SIMD(&x[0], &yt[0], m, dsub, &out[0])
		return
	}
	nearest16Go(x, yt, m, dsub, out)
}

// Nearest16IsFast reports whether Nearest16Transposed has a SIMD kernel
// here (the Go loop is slower than row distances and two SIMD scans).
func Nearest16IsFast() bool { return nearest16SIMD != nil }

func nearest16Go(x, yt []float32, m, dsub int, out []byte) {
	var dis [16]float32
	for s := 0; s < m; s++ {
		xs, ts := x[s*dsub:(s+1)*dsub], yt[s*16*dsub:(s+1)*16*dsub]
		for c := range dis {
			d := xs[0] - ts[c]
			acc := d * d
			for j := 1; j < dsub; j++ {
				d := xs[j] - ts[j*16+c]
				acc += float32(d * d)
			}
			dis[c] = acc
		}
		best := 0
		for c, v := range dis {
			if v < dis[best] || dis[best] != dis[best] {
				best = c
			}
		}
		if dis[best] != dis[best] {
			best = 0
		}
		out[s] = byte(best)
	}
}

// nearest16SIMD is Nearest16Transposed's kernel (m >= 1, dsub >= 1).
var nearest16SIMD func(x, yt *float32, m, dsub int, out *byte)
