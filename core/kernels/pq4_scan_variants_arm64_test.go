//go:build arm64 && !noasm

package kernels

func pq4SIMDVariants() map[string]func(codes *byte, ngroups, groupStride, pairStride, npairs int, lut *byte, bias, flip, thrm1 int, out *uint16, masks *uint32) {
	return map[string]func(codes *byte, ngroups, groupStride, pairStride, npairs int, lut *byte, bias, flip, thrm1 int, out *uint16, masks *uint32){"neon": pq4ScanNEON}
}
