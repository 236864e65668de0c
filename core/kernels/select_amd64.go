//go:build amd64 && !noasm

package kernels

//go:noescape
func nextAtMostAVX2(r *float32, n8 int, t float32) int

//go:noescape
func nextAtLeastAVX2(r *float32, n8 int, t float32) int

func scanAtMostAVX2(r []float32, t float32) int {
	if n8 := len(r) / 8; n8 > 0 {
		return nextAtMostAVX2(&r[0], n8, t)
	}
	return 0
}

func scanAtLeastAVX2(r []float32, t float32) int {
	if n8 := len(r) / 8; n8 > 0 {
		return nextAtLeastAVX2(&r[0], n8, t)
	}
	return 0
}

//go:noescape
func minOfAVX2(r *float32, n8 int) float32

//go:noescape
func maxOfAVX2(r *float32, n8 int) float32

//go:noescape
func nonFiniteAVX2(x *float32, n8 int) int
