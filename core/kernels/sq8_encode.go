package kernels

// SQ8Encode codes x as 8-bit scalar-quantizer bytes with faiss's exact
// arithmetic: t = (x[j] - vmin[j]) / vdiv[j], clamped to [0, 1] (NaN
// codes as 0), then code[j] = byte(int(255 * t)). Callers pass +Inf in
// vdiv where faiss's vdiff is 0, which makes every finite x code as 0,
// as faiss does. len(x) = len(vmin) = len(vdiv) = len(code).
func SQ8Encode(x, vmin, vdiv []float32, code []byte) {
	n := len(code)
	x, vmin, vdiv = x[:n], vmin[:n], vdiv[:n]
	j := 0
	if n8 := n / 8; n8 > 0 && sq8EncodeSIMD != nil {
		sq8EncodeSIMD(&x[0], &vmin[0], &vdiv[0], &code[0], n8)
		j = 8 * n8
	}
	for ; j < n; j++ {
		code[j] = sq8Component(x[j], vmin[j], vdiv[j])
	}
}

// sq8Component is one byte of SQ8Encode.
func sq8Component(x, vmin, vdiv float32) byte {
	t := (x - vmin) / vdiv
	if !(t > 0) { // also NaN
		return 0
	}
	if t > 1 {
		t = 1
	}
	return byte(int32(255 * t))
}

// sq8EncodeSIMD codes whole groups of 8 dimensions (nil without SIMD).
var sq8EncodeSIMD func(x, vmin, vdiv *float32, code *byte, n8 int)
