//go:build amd64 && !noasm

package kernels

//go:noescape
func countBelowAVX2(x *float32, n8 int, t float32) int

//go:noescape
func minValidAVX2(dis *float32, ids *int32, n8 int) float32

//go:noescape
func lastEqualValidAVX2(dis *float32, ids *int32, n8 int, v float32) int
