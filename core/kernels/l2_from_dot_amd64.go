//go:build amd64 && !noasm

package kernels

//go:noescape
func l2FromDotAVX2(row, norms *float32, n8 int, qn float32)

func l2FromDotAVX2Chunks(row []float32, qn float32, norms []float32) int {
	n8 := len(row) / 8
	if n8 > 0 {
		l2FromDotAVX2(&row[0], &norms[0], n8, qn)
	}
	return 8 * n8
}

//go:noescape
func l2ArgMinAVX2(row, norms *float32, n8 int, qn float32, lanes *float32, idx *int32)

// l2ArgMinAVX2Lanes calls the kernel directly, so its lanes stay on the
// stack (see l2ArgMinSIMD).
func l2ArgMinAVX2Lanes(row, norms *float32, n8 int, qn float32) (lanes [8]float32, idx [8]int32) {
	l2ArgMinAVX2(row, norms, n8, qn, &lanes[0], &idx[0])
	return
}
