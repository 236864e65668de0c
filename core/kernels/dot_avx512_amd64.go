//go:build amd64 && !noasm

package kernels

//go:noescape
func dotRows1AVX512(x, y *float32, n4, d int, out *float32)

//go:noescape
func dot1AVX512(x, y *float32, d int) float32

func dotTileAVX512(x []float32, nx int, y []float32, ny int, d int, out []float32, ldo int) {
	simdTile(x, nx, y, ny, d, out, ldo, nil, dotRows1AVX512, dot1AVX512, dotPairsAVX512)
}

//go:noescape
func dotPairsAVX512(x *float32, npairs int, y *float32, n4, d int, out *float32, ldo int)
