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

// PQ4_FINISH_TO turns Y0..Y3 into the 32 sums (plus Y12, xor Y14),
// stores them at outLo and outHi (16 each) and the mask of those <= Y13
// at maskm; Y4..Y8 and AX are scratch.
#define PQ4_FINISH_TO(outLo, outHi, maskm) \
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
	VMOVDQU    Y4, outLo          \
	VMOVDQU    Y6, outHi          \
	VPMINUW    Y13, Y4, Y7        \
	VPCMPEQW   Y7, Y4, Y7         \
	VPMINUW    Y13, Y6, Y8        \
	VPCMPEQW   Y8, Y6, Y8         \
	VPACKSSWB  Y8, Y7, Y7         \
	VPERMQ     $0xd8, Y7, Y7      \
	VPMOVMSKB  Y7, AX             \
	MOVL       AX, maskm

#define PQ4_FINISH PQ4_FINISH_TO((DI), 32(DI), (R9))

// PQ4_ARGS loads the arguments of the one-query kernels and broadcasts
// bias (Y12), flip (Y14) and thr-1 (Y13); X15 gets the nibble mask.
#define PQ4_ARGS \
	MOVQ codes+0(FP), SI         \
	MOVQ ngroups+8(FP), CX       \
	MOVQ groupStride+16(FP), R8  \
	MOVQ pairStride+24(FP), R12  \
	MOVQ npairs+32(FP), R13      \
	MOVQ lut+40(FP), R14         \
	MOVQ out+72(FP), DI          \
	MOVQ masks+80(FP), R9        \
	MOVL $0x0f0f0f0f, AX         \
	MOVQ AX, X15                 \
	MOVQ bias+48(FP), AX         \
	MOVQ AX, X12                 \
	VPBROADCASTW X12, Y12        \
	MOVQ flip+56(FP), AX         \
	MOVQ AX, X14                 \
	VPBROADCASTW X14, Y14        \
	MOVQ thrm1+64(FP), AX        \
	MOVQ AX, X13                 \
	VPBROADCASTW X13, Y13

// func pq4ScanAVX2(codes *byte, ngroups, groupStride, pairStride, npairs int, lut *byte, bias, flip, thrm1 int, out *uint16, masks *uint32)
TEXT ·pq4ScanAVX2(SB), NOSPLIT, $0-88
	PQ4_ARGS
	VPBROADCASTD X15, Y15

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
	PQ4_ARGS
	VPBROADCASTD X15, Z15

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

// PQ4_Q4_STEP adds two pairs (nibbles in Z0, Z1) looked up in the tables at
// lut into the accumulators a0..a3 of one query.
#define PQ4_Q4_STEP(lut, a0, a1, a2, a3) \
	VMOVDQU64 lut, Z2      \
	VPSHUFB   Z0, Z2, Z3   \
	VPSHUFB   Z1, Z2, Z2   \
	VPADDW    Z3, a0, a0   \
	VPSRLW    $8, Z3, Z3   \
	VPADDW    Z3, a1, a1   \
	VPADDW    Z2, a2, a2   \
	VPSRLW    $8, Z2, Z2   \
	VPADDW    Z2, a3, a3

// PQ4_Q4_PAIR is PQ4_Q4_STEP for the last, odd pair (nibbles in Y0, Y1).
#define PQ4_Q4_PAIR(lut, a0, a1, a2, a3) \
	VMOVDQU   lut, Y2      \
	VPSHUFB   Y0, Y2, Y3   \
	VPSHUFB   Y1, Y2, Y2   \
	VPADDW    Y3, a0, a0   \
	VPSRLW    $8, Y3, Y3   \
	VPADDW    Y3, a1, a1   \
	VPADDW    Y2, a2, a2   \
	VPSRLW    $8, Y2, Y2   \
	VPADDW    Y2, a3, a3

// PQ4_FOLD adds the upper 256 bits of a 512-bit accumulator to its lower.
#define PQ4_FOLD(z, y) \
	VEXTRACTI64X4 $1, z, Y0 \
	VPADDW        Y0, y, y

// PQ4_Q4_FINISH moves one query's accumulators to Y0..Y3 and finishes it.
#define PQ4_Q4_FINISH(a0, a1, a2, a3, biasm, thrm, outLo, outHi, maskm) \
	VMOVDQU64    a0, Y0        \
	VMOVDQU64    a1, Y1        \
	VMOVDQU64    a2, Y2        \
	VMOVDQU64    a3, Y3        \
	VPBROADCASTW biasm, Y12    \
	VPBROADCASTW thrm, Y13     \
	PQ4_FINISH_TO(outLo, outHi, maskm)

// func pq4Scan4AVX512(codes *byte, ngroups, groupStride, pairStride, npairs int, luts *byte, lutStride int, biases *uint16, flip int, thrm1 *uint16, out *uint16, outStride int, masks *uint32, maskStride int)
// Four queries over the same codes: the nibbles of each pair are taken out
// once, each query's tables (lutStride bytes apart) looked up into its own
// accumulators, Z16..Z31.
TEXT ·pq4Scan4AVX512(SB), NOSPLIT, $0-112
	MOVQ codes+0(FP), SI
	MOVQ ngroups+8(FP), CX
	MOVQ pairStride+24(FP), R12
	MOVQ luts+40(FP), R14
	MOVQ out+80(FP), DI
	MOVQ masks+96(FP), BX
	MOVL $0x0f0f0f0f, AX
	MOVQ AX, X15
	VPBROADCASTD X15, Z15
	MOVQ flip+64(FP), AX
	MOVQ AX, X14
	VPBROADCASTW X14, Y14

q4Group:
	MOVQ    lutStride+48(FP), R9
	LEAQ    (R9)(R9*2), R15
	MOVQ    npairs+32(FP), DX
	VPXORD  Z16, Z16, Z16
	VPXORD  Z17, Z17, Z17
	VPXORD  Z18, Z18, Z18
	VPXORD  Z19, Z19, Z19
	VPXORD  Z20, Z20, Z20
	VPXORD  Z21, Z21, Z21
	VPXORD  Z22, Z22, Z22
	VPXORD  Z23, Z23, Z23
	VPXORD  Z24, Z24, Z24
	VPXORD  Z25, Z25, Z25
	VPXORD  Z26, Z26, Z26
	VPXORD  Z27, Z27, Z27
	VPXORD  Z28, Z28, Z28
	VPXORD  Z29, Z29, Z29
	VPXORD  Z30, Z30, Z30
	VPXORD  Z31, Z31, Z31
	MOVQ    SI, R10
	MOVQ    R14, R11
	CMPQ    DX, $2
	JLT     q4Fold

q4Pairs:
	VMOVDQU      (R10), Y0
	VINSERTI64X4 $1, (R10)(R12*1), Z0, Z0
	VPSRLW       $4, Z0, Z1
	VPANDD       Z15, Z0, Z0
	VPANDD       Z15, Z1, Z1
	PQ4_Q4_STEP((R11), Z16, Z17, Z18, Z19)
	PQ4_Q4_STEP((R11)(R9*1), Z20, Z21, Z22, Z23)
	PQ4_Q4_STEP((R11)(R9*2), Z24, Z25, Z26, Z27)
	PQ4_Q4_STEP((R11)(R15*1), Z28, Z29, Z30, Z31)
	LEAQ         (R10)(R12*2), R10
	ADDQ         $64, R11
	SUBQ         $2, DX
	CMPQ         DX, $2
	JGE          q4Pairs

q4Fold:
	PQ4_FOLD(Z16, Y16)
	PQ4_FOLD(Z17, Y17)
	PQ4_FOLD(Z18, Y18)
	PQ4_FOLD(Z19, Y19)
	PQ4_FOLD(Z20, Y20)
	PQ4_FOLD(Z21, Y21)
	PQ4_FOLD(Z22, Y22)
	PQ4_FOLD(Z23, Y23)
	PQ4_FOLD(Z24, Y24)
	PQ4_FOLD(Z25, Y25)
	PQ4_FOLD(Z26, Y26)
	PQ4_FOLD(Z27, Y27)
	PQ4_FOLD(Z28, Y28)
	PQ4_FOLD(Z29, Y29)
	PQ4_FOLD(Z30, Y30)
	PQ4_FOLD(Z31, Y31)
	TESTQ DX, DX
	JZ    q4Finish
	VMOVDQU (R10), Y0
	VPSRLW  $4, Y0, Y1
	VPAND   Y15, Y0, Y0
	VPAND   Y15, Y1, Y1
	PQ4_Q4_PAIR((R11), Y16, Y17, Y18, Y19)
	PQ4_Q4_PAIR((R11)(R9*1), Y20, Y21, Y22, Y23)
	PQ4_Q4_PAIR((R11)(R9*2), Y24, Y25, Y26, Y27)
	PQ4_Q4_PAIR((R11)(R15*1), Y28, Y29, Y30, Y31)

q4Finish:
	MOVQ biases+56(FP), R8
	MOVQ thrm1+72(FP), R9
	MOVQ outStride+88(FP), R10
	MOVQ maskStride+104(FP), R11
	LEAQ (R10)(R10*2), DX
	LEAQ (R11)(R11*2), R15
	PQ4_Q4_FINISH(Y16, Y17, Y18, Y19, (R8), (R9), (DI), 32(DI), (BX))
	PQ4_Q4_FINISH(Y20, Y21, Y22, Y23, 2(R8), 2(R9), (DI)(R10*1), 32(DI)(R10*1), (BX)(R11*1))
	PQ4_Q4_FINISH(Y24, Y25, Y26, Y27, 4(R8), 4(R9), (DI)(R10*2), 32(DI)(R10*2), (BX)(R11*2))
	PQ4_Q4_FINISH(Y28, Y29, Y30, Y31, 6(R8), 6(R9), (DI)(DX*1), 32(DI)(DX*1), (BX)(R15*1))
	ADDQ $64, DI
	ADDQ $4, BX
	ADDQ groupStride+16(FP), SI
	DECQ CX
	JNZ  q4Group
	VZEROUPPER
	RET
