//go:build amd64 && !noasm

package kernels

import "golang.org/x/sys/cpu"

//go:noescape
func addToAVX2(dst, x *float32, n8 int)

//go:noescape
func axpyToAVX2(dst, x *float32, n8 int, a float32)

func init() {
	if !cpu.X86.HasAVX2 {
		return
	}
	addToSIMD = func(dst, x []float32) int {
		n8 := len(x) / 8
		if n8 > 0 {
			addToAVX2(&dst[0], &x[0], n8)
		}
		return 8 * n8
	}
	axpyToSIMD = func(dst []float32, a float32, x []float32) int {
		n8 := len(x) / 8
		if n8 > 0 {
			axpyToAVX2(&dst[0], &x[0], n8, a)
		}
		return 8 * n8
	}
}
