//go:build amd64 && !noasm

package kernels

// AVX2 + FMA kernels (dot_amd64.s). Each x row is multiplied with n4 groups
// of four consecutive y rows of length d (contiguous, stride d).

//go:noescape
func dotPairsAVX2(x *float32, npairs int, y *float32, n4, d int, out *float32, ldo int)

//go:noescape
func dotRows1AVX2(x, y *float32, n4, d int, out *float32)

//go:noescape
func dot1AVX2(x, y *float32, d int) float32

//go:noescape
func panoramaRowAVX2(q, x, xn, qn *float32, d, width, ip int, acc, threshold float32) (float32, int)

//go:noescape
func l2RowsAVX2(x, y *float32, n4, d int, out *float32)

//go:noescape
func l2OneAVX2(x, y *float32, d int) float32

func l2SqrRowsAVX2(x, y []float32, d int, out []float32) {
	simdRows(x, y, d, out, l2RowsAVX2, l2OneAVX2)
}

func dotTileAVX2(x []float32, nx int, y []float32, ny int, d int, out []float32, ldo int) {
	simdTile(x, nx, y, ny, d, out, ldo, nil, dotRows1AVX2, dot1AVX2, dotPairsAVX2)
}

//go:noescape
func l2Gather4AVX2(x, base *float32, ids *int32, n4, d int, out *float32)

// l2GatherAVX2 does every id: the last one to three as a group of four
// with the last id repeated (one more kernel call, not up to three).
func l2GatherAVX2(x, base []float32, ids []int32, out []float32) int {
	n := len(ids)
	n4 := n / 4
	if n4 > 0 {
		l2Gather4AVX2(&x[0], &base[0], &ids[0], n4, len(x), &out[0])
	}
	if r := n - 4*n4; r > 0 {
		var ids4 [4]int32
		var out4 [4]float32
		for j := range ids4 {
			ids4[j] = ids[min(4*n4+j, n-1)]
		}
		l2Gather4AVX2(&x[0], &base[0], &ids4[0], 1, len(x), &out4[0])
		copy(out[4*n4:], out4[:r])
	}
	return n
}
