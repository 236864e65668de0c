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
