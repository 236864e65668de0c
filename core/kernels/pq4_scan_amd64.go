//go:build amd64 && !noasm

package kernels

//go:noescape
func pq4ScanAVX2(codes *byte, ngroups, groupStride, pairStride, npairs int, lut *byte, bias, flip, thrm1 int, out *uint16, masks *uint32)

//go:noescape
func pq4ScanAVX512(codes *byte, ngroups, groupStride, pairStride, npairs int, lut *byte, bias, flip, thrm1 int, out *uint16, masks *uint32)

//go:noescape
func pq4Scan4AVX512(codes *byte, ngroups, groupStride, pairStride, npairs int, luts *byte, lutStride int, biases *uint16, flip int, thrm1 *uint16, out *uint16, outStride int, masks *uint32, maskStride int)
