//go:build amd64 && !noasm

package kernels

import "golang.org/x/sys/cpu"

//go:noescape
func l1AVX2(x, y *float32, n8 int) float32

//go:noescape
func linfAVX2(x, y *float32, n8 int) float32

func init() {
	if cpu.X86.HasAVX2 {
		l1SIMD, linfSIMD = l1AVX2, linfAVX2
	}
}
