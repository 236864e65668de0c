//go:build amd64 && !noasm

package kernels

//go:noescape
func sq8L2AVX2(q, a, s *float32, code *byte, n8 int) float32

//go:noescape
func sq8EncodeAVX2(x, vmin, vdiv *float32, code *byte, n8 int)

//go:noescape
func sq8DecodeAVX2(code *byte, a, s, out *float32, n8 int)
