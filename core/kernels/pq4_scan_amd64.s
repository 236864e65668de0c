//go:build amd64 && !noasm

#include "textflag.h"

// The fast-scan accumulation (see PQ4Scan). VPSHUFB looks up 32 table
// bytes at once: the low 128-bit lane with the pair's first sub-quantizer
// codes in its first table, the high lane with the second's. The byte
// results are added into 16-bit lanes whole (acc0 += r: low byte plus 256
// times high byte) and shifted (acc1 += r >> 8: the high byte), so that
// acc0 - acc1<<8 sums the even bytes and acc1 the odd ones, all modulo
// 2^16. With faiss's byte order, even bytes are vectors 0..7 and odd
// bytes vectors 8..15 of the nibble's half; the two lanes' sums are added
// at the end.

// PQ4_PAIR_Y adds pair (R10) with tables (R11) into Y0..Y3.
#define PQ4_PAIR_Y \
	VMOVDQU    (R10), Y4    \
	VPSRLW     $4, Y4, Y5   \
	VPAND      Y15, Y4, Y4  \
	VPAND      Y15, Y5, Y5  \
	VMOVDQU    (R11), Y6    \
	VPSHUFB    Y4, Y6, Y4   \
	VPSHUFB    Y5, Y6, Y5   \
	VPADDW     Y4, Y0, Y0   \
	VPSRLW     $8, Y4, Y4   \
	VPADDW     Y4, Y1, Y1   \
	VPADDW     Y5, Y2, Y2   \
	VPSRLW     $8, Y5, Y5   \
	VPADDW     Y5, Y3, Y3

// PQ4_FINISH turns Y0..Y3 into the 32 sums (plus Y12, xor Y14), stores them at
// (DI) and the mask of those <= Y13 at (R9).
#define PQ4_FINISH \
	VPSLLW     $8, Y1, Y4         \
	VPSUBW     Y4, Y0, Y0         \
	VPERM2I128 $0x20, Y1, Y0, Y4  \
	VPERM2I128 $0x31, Y1, Y0, Y5  \
	VPADDW     Y5, Y4, Y4         \
	VPSLLW     $8, Y3, Y6         \
	VPSUBW     Y6, Y2, Y2         \
	VPERM2I128 $0x20, Y3, Y2, Y6  \
	VPERM2I128 $0x31, Y3, Y2, Y7  \
	VPADDW     Y7, Y6, Y6         \
	VPADDW     Y12, Y4, Y4        \
	VPADDW     Y12, Y6, Y6        \
	VPXOR      Y14, Y4, Y4        \
	VPXOR      Y14, Y6, Y6        \
	VMOVDQU    Y4, (DI)           \
	VMOVDQU    Y6, 32(DI)         \
	VPMINUW    Y13, Y4, Y7        \
	VPCMPEQW   Y7, Y4, Y7         \
	VPMINUW    Y13, Y6, Y8        \
	VPCMPEQW   Y8, Y6, Y8         \
	VPACKSSWB  Y8, Y7, Y7         \
	VPERMQ     $0xd8, Y7, Y7      \
	VPMOVMSKB  Y7, AX             \
	MOVL       AX, (R9)

// func pq4ScanAVX2(codes *byte, ngroups, groupStride, pairStride, npairs int, lut *byte, bias, flip, thrm1 int, out *uint16, masks *uint32)
TEXT ·pq4ScanAVX2(SB), NOSPLIT, $0-88
	MOVQ codes+0(FP), SI
	MOVQ ngroups+8(FP), CX
	MOVQ groupStride+16(FP), R8
	MOVQ pairStride+24(FP), R12
	MOVQ npairs+32(FP), R13
	MOVQ lut+40(FP), R14
	MOVQ out+72(FP), DI
	MOVQ masks+80(FP), R9
	MOVL $0x0f0f0f0f, AX
	MOVQ AX, X15
	VPBROADCASTD X15, Y15
	MOVQ bias+48(FP), AX
	MOVQ AX, X12
	VPBROADCASTW X12, Y12
	MOVQ flip+56(FP), AX
	MOVQ AX, X14
	VPBROADCASTW X14, Y14
	MOVQ thrm1+64(FP), AX
	MOVQ AX, X13
	VPBROADCASTW X13, Y13

avx2Group:
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPXOR Y2, Y2, Y2
	VPXOR Y3, Y3, Y3
	MOVQ  SI, R10
	MOVQ  R14, R11
	MOVQ  R13, DX

avx2Pair:
	PQ4_PAIR_Y
	ADDQ R12, R10
	ADDQ $32, R11
	DECQ DX
	JNZ  avx2Pair

	PQ4_FINISH
	ADDQ $64, DI
	ADDQ $4, R9
	ADDQ R8, SI
	DECQ CX
	JNZ  avx2Group
	VZEROUPPER
	RET

// func pq4ScanAVX512(codes *byte, ngroups, groupStride, pairStride, npairs int, lut *byte, bias, flip, thrm1 int, out *uint16, masks *uint32)
// Two pairs a step in 512-bit registers (four lanes, four tables); the
// lanes are folded to 256 bits before an odd last pair and the finish.
TEXT ·pq4ScanAVX512(SB), NOSPLIT, $0-88
	MOVQ codes+0(FP), SI
	MOVQ ngroups+8(FP), CX
	MOVQ groupStride+16(FP), R8
	MOVQ pairStride+24(FP), R12
	MOVQ npairs+32(FP), R13
	MOVQ lut+40(FP), R14
	MOVQ out+72(FP), DI
	MOVQ masks+80(FP), R9
	MOVL $0x0f0f0f0f, AX
	MOVQ AX, X15
	VPBROADCASTD X15, Z15
	MOVQ bias+48(FP), AX
	MOVQ AX, X12
	VPBROADCASTW X12, Y12
	MOVQ flip+56(FP), AX
	MOVQ AX, X14
	VPBROADCASTW X14, Y14
	MOVQ thrm1+64(FP), AX
	MOVQ AX, X13
	VPBROADCASTW X13, Y13

z512Group:
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	MOVQ   SI, R10
	MOVQ   R14, R11
	MOVQ   R13, DX
	CMPQ   DX, $2
	JLT    z512Fold

z512Pairs:
	VMOVDQU      (R10), Y4
	VINSERTI64X4 $1, (R10)(R12*1), Z4, Z4
	VPSRLW       $4, Z4, Z5
	VPANDD       Z15, Z4, Z4
	VPANDD       Z15, Z5, Z5
	VMOVDQU64    (R11), Z6
	VPSHUFB      Z4, Z6, Z4
	VPSHUFB      Z5, Z6, Z5
	VPADDW       Z4, Z0, Z0
	VPSRLW       $8, Z4, Z4
	VPADDW       Z4, Z1, Z1
	VPADDW       Z5, Z2, Z2
	VPSRLW       $8, Z5, Z5
	VPADDW       Z5, Z3, Z3
	LEAQ         (R10)(R12*2), R10
	ADDQ         $64, R11
	SUBQ         $2, DX
	CMPQ         DX, $2
	JGE          z512Pairs

z512Fold:
	VEXTRACTI64X4 $1, Z0, Y4
	VPADDW        Y4, Y0, Y0
	VEXTRACTI64X4 $1, Z1, Y4
	VPADDW        Y4, Y1, Y1
	VEXTRACTI64X4 $1, Z2, Y4
	VPADDW        Y4, Y2, Y2
	VEXTRACTI64X4 $1, Z3, Y4
	VPADDW        Y4, Y3, Y3
	TESTQ         DX, DX
	JZ            z512Finish
	PQ4_PAIR_Y

z512Finish:
	PQ4_FINISH
	ADDQ $64, DI
	ADDQ $4, R9
	ADDQ R8, SI
	DECQ CX
	JNZ  z512Group
	VZEROUPPER
	RET
