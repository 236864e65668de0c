//go:build amd64 && !noasm

package kernels

//go:noescape
func rbqFilterAVX512(codes *byte, cs, n8, sb int, planes *uint64, words, qb int, f *RaBitQFilter, masks *byte)
