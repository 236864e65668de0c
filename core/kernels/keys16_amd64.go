//go:build amd64 && !noasm

package kernels

//go:noescape
func countAtMost16AVX2(keys *uint16, n16 int, t uint16) int

//go:noescape
func maskAtMost16AVX2(keys *uint16, ngroups int, t uint16, masks *uint32)
