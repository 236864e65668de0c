//go:build amd64 && !noasm

package kernels

//go:noescape
func pqScan8Asm(codes *byte, m int, table *float32, n int, bias float32, out *float32)

// Scalar SSE, which every amd64 has: the gain is in addressing the table
// with the code byte directly, without bounds checks or a per-sub-space
// slice header.
func init() { pqScan8SIMD = pqScan8Asm }
