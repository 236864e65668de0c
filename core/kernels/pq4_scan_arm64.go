//go:build arm64 && !noasm

package kernels

//go:noescape
func pq4ScanNEON(codes *byte, ngroups, groupStride, pairStride, npairs int, lut *byte, bias, flip, thrm1 int, out *uint16, masks *uint32)

func init() { pq4ScanSIMD = pq4ScanNEON }
