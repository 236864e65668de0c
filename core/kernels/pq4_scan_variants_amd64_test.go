//go:build amd64 && !noasm

package kernels

import "golang.org/x/sys/cpu"

func pq4SIMDVariants() map[string]func(codes *byte, ngroups, groupStride, pairStride, npairs int, lut *byte, bias, flip, thrm1 int, out *uint16, masks *uint32) {
	v := map[string]func(codes *byte, ngroups, groupStride, pairStride, npairs int, lut *byte, bias, flip, thrm1 int, out *uint16, masks *uint32){}
	if hasAVX2 {
		v["avx2"] = pq4ScanAVX2
	}
	if hasAVX512 && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL {
		v["avx512"] = pq4ScanAVX512
	}
	return v
}
