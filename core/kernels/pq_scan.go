package kernels

// PQScan8 sums, for each of the len(out) codes of m one-byte sub-codes
// (codes holds them back to back), the entries of table (m tables of 256
// floats, one per sub-space) that the sub-codes pick, plus bias: the
// asymmetric distance computation of a product quantizer with 8-bit codes.
// The terms go into four sums (sub-space j mod 4, bias in the first; the
// m mod 4 sub-spaces after the last whole group of four go into the
// first), added at the end as (s0 + s1) + (s2 + s3).
func PQScan8(codes []byte, m int, table []float32, bias float32, out []float32) {
	n := len(out)
	if n == 0 {
		return
	}
	codes, table = codes[:n*m], table[:m*256]
	if m == 0 {
		for i := range out {
			out[i] = bias
		}
		return
	}
	if pqScan8SIMD != nil {
		pqScan8SIMD(&codes[0], m, &table[0], n, bias, &out[0])
		return
	}
	for i := range out {
		code := codes[i*m : (i+1)*m]
		var s [4]float32
		s[0] = bias
		whole := m &^ 3
		for j, c := range code[:whole] {
			s[j&3] += table[j*256+int(c)]
		}
		for j := whole; j < m; j++ {
			s[0] += table[j*256+int(code[j])]
		}
		out[i] = (s[0] + s[1]) + (s[2] + s[3])
	}
}

// pqScan8SIMD is PQScan8's loop in assembly (nil without it).
var pqScan8SIMD func(codes *byte, m int, table *float32, n int, bias float32, out *float32)
