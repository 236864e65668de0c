package kernels

// SQ8L2 is the squared L2 distance between q and an 8-bit scalar-quantizer
// code decoded as a[j] + code[j]*s[j] (len(code) = len(q) = len(a) =
// len(s)):
//
//	for j, c := range code { t := q[j] - (a[j] + float32(c)*s[j]); sum += t * t }
func SQ8L2(q, a, s []float32, code []byte) float32 {
	n := len(code)
	q, a, s = q[:n], a[:n], s[:n]
	j, acc := 0, float32(0)
	if n8 := n / 8; n8 > 0 && sq8L2SIMD != nil {
		acc = sq8L2SIMD(&q[0], &a[0], &s[0], &code[0], n8)
		j = 8 * n8
	}
	var s0, s1, s2, s3 float32
	for ; j+4 <= n; j += 4 {
		d0 := q[j] - (a[j] + float32(code[j])*s[j])
		d1 := q[j+1] - (a[j+1] + float32(code[j+1])*s[j+1])
		d2 := q[j+2] - (a[j+2] + float32(code[j+2])*s[j+2])
		d3 := q[j+3] - (a[j+3] + float32(code[j+3])*s[j+3])
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; j < n; j++ {
		d := q[j] - (a[j] + float32(code[j])*s[j])
		s0 += d * d
	}
	return acc + ((s0 + s1) + (s2 + s3))
}

// sq8L2SIMD sums whole groups of 8 dimensions (nil without SIMD).
var sq8L2SIMD func(q, a, s *float32, code *byte, n8 int) float32

// SQ8Decode reconstructs an 8-bit scalar-quantizer code as
// out[j] = a[j] + float32(code[j])*s[j] (len(code) = len(a) = len(s) =
// len(out)); the SIMD version fuses the multiply and add, so results may
// differ from the loop by an ulp.
func SQ8Decode(code []byte, a, s, out []float32) {
	n := len(code)
	a, s, out = a[:n], s[:n], out[:n]
	j := 0
	if n8 := n / 8; n8 > 0 && sq8DecodeSIMD != nil {
		sq8DecodeSIMD(&code[0], &a[0], &s[0], &out[0], n8)
		j = 8 * n8
	}
	for ; j < n; j++ {
		out[j] = a[j] + float32(code[j])*s[j]
	}
}

// sq8DecodeSIMD decodes whole groups of 8 dimensions (nil without SIMD).
var sq8DecodeSIMD func(code *byte, a, s, out *float32, n8 int)
