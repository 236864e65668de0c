//go:build amd64 && !noasm

package kernels

//go:noescape
func l1AVX2(x, y *float32, n8 int) float32

//go:noescape
func linfAVX2(x, y *float32, n8 int) float32
