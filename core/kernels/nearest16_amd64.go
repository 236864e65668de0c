//go:build amd64 && !noasm

package kernels

//go:noescape
func nearest16AVX2(x, yt *float32, m, dsub int, out *byte)
