//go:build amd64 && !noasm

package kernels

//go:noescape
func rbqFilterAVX512(codes *byte, cs, n8, sb int, planes *uint64, words, qb int, f *RaBitQFilter, masks *byte)

//go:noescape
func rbqFSFilterAVX512(sums *uint16, aux *byte, n16 int, f *RaBitQFSFilter, masks *uint16)
