//go:build amd64 && !noasm

#include "textflag.h"

// The offsets of RaBitQFilter's fields.
#define F_C1 0
#define F_C2 4
#define F_C34 8
#define F_QRTOC 12
#define F_QRNORM 16
#define F_THR 20
#define F_L2 24
#define F_IDX 32

// func rbqFilterAVX512(codes *byte, cs, n8, sb int, planes *uint64, words, qb int, f *RaBitQFilter, masks *byte)
//
// Eight codes per iteration, one per qword lane: each sign word gathered
// (VPGATHERQQ at the offsets in f.Idx), AND each query plane (broadcast),
// VPOPCNTQ, shifted by the plane's weight and summed; the factors gathered
// likewise; then faiss's float steps on eight lanes, compared with the
// threshold into one mask byte.
TEXT ·rbqFilterAVX512(SB), NOSPLIT, $0-72
	MOVQ codes+0(FP), DI
	MOVQ n8+16(FP), CX
	MOVQ f+56(FP), DX
	MOVQ masks+64(FP), BX
	VMOVDQU64 F_IDX(DX), Z31          // gather offsets
	VPXORQ Z28, Z28, Z28              // zero
	MOVQ $1, AX
	VPBROADCASTQ AX, Z29              // ones (shift step)
	VBROADCASTSS F_C1(DX), Y20
	VBROADCASTSS F_C2(DX), Y21
	VBROADCASTSS F_C34(DX), Y22
	VBROADCASTSS F_QRTOC(DX), Y23
	VBROADCASTSS F_QRNORM(DX), Y24
	VBROADCASTSS F_THR(DX), Y25
	MOVL $0x3f000000, AX              // 0.5
	VMOVD AX, X26
	VBROADCASTSS X26, Y26
	TESTQ CX, CX
	JZ done

group:
	VPXORQ Z0, Z0, Z0                 // dot
	VPXORQ Z1, Z1, Z1                 // popcount of the signs
	MOVQ planes+32(FP), R9
	MOVQ words+40(FP), R11
	MOVQ DI, R10

word:
	KXNORB K1, K1, K1
	VPGATHERQQ (R10)(Z31*1), K1, Z2
	VPOPCNTQ Z2, Z3
	VPADDQ Z3, Z1, Z1
	VPXORQ Z30, Z30, Z30              // shift = plane index
	MOVQ qb+48(FP), R12

plane:
	VPANDQ.BCST (R9), Z2, Z4
	VPOPCNTQ Z4, Z4
	VPSLLVQ Z30, Z4, Z4
	VPADDQ Z4, Z0, Z0
	VPADDQ Z29, Z30, Z30
	ADDQ $8, R9
	DECQ R12
	JNZ plane
	ADDQ $8, R10
	DECQ R11
	JNZ word

	// factors: |r|^2 term in the low dword, multiplier in the high one
	MOVQ sb+24(FP), R10
	ADDQ DI, R10
	KXNORB K1, K1, K1
	VPGATHERQQ (R10)(Z31*1), K1, Z5
	VPMOVQD Z5, Y6                    // orMinusC
	VPSRLQ $32, Z5, Z5
	VPMOVQD Z5, Y7                    // multiplier
	VPMOVQD Z0, Y8
	VCVTDQ2PS Y8, Y8                  // dot
	VPMOVQD Z1, Y9
	VCVTDQ2PS Y9, Y9                  // pop
	VMULPS Y20, Y8, Y8                // c1 dot
	VMULPS Y21, Y9, Y9                // c2 pop
	VADDPS Y9, Y8, Y8
	VSUBPS Y22, Y8, Y8                // finalDot
	VADDPS Y23, Y6, Y6                // orMinusC + |q-c|^2
	VADDPS Y7, Y7, Y7                 // 2 mul
	VMULPS Y8, Y7, Y7
	VSUBPS Y7, Y6, Y6                 // pre
	CMPL F_L2(DX), $0
	JEQ ip
	VMAXPS Y28, Y6, Y6                // 0 < pre ? pre : 0 (NaN: 0)
	JMP compare

ip:
	VSUBPS Y24, Y6, Y6
	VMULPS Y26, Y6, Y6                // 0.5 (pre - |q|^2)

compare:
	VCMPPS $2, Y25, Y6, K2            // key <= thr (NaN: false)
	KMOVB K2, AX
	MOVB AL, (BX)
	INCQ BX
	MOVQ cs+8(FP), AX
	SHLQ $3, AX
	ADDQ AX, DI
	DECQ CX
	JNZ group

done:
	VZEROUPPER
	RET

// Deinterleaving two registers of (orMinusC, multiplier) pairs.
DATA rbqEven<>+0(SB)/4, $0
DATA rbqEven<>+4(SB)/4, $2
DATA rbqEven<>+8(SB)/4, $4
DATA rbqEven<>+12(SB)/4, $6
DATA rbqEven<>+16(SB)/4, $8
DATA rbqEven<>+20(SB)/4, $10
DATA rbqEven<>+24(SB)/4, $12
DATA rbqEven<>+28(SB)/4, $14
DATA rbqEven<>+32(SB)/4, $16
DATA rbqEven<>+36(SB)/4, $18
DATA rbqEven<>+40(SB)/4, $20
DATA rbqEven<>+44(SB)/4, $22
DATA rbqEven<>+48(SB)/4, $24
DATA rbqEven<>+52(SB)/4, $26
DATA rbqEven<>+56(SB)/4, $28
DATA rbqEven<>+60(SB)/4, $30
GLOBL rbqEven<>(SB), RODATA|NOPTR, $64

#define FS_ONEA 0
#define FS_B 4
#define FS_C34 8
#define FS_QRTOC 12
#define FS_QRNORM 16
#define FS_THR 20
#define FS_IP 24

// func rbqFSFilterAVX512(sums *uint16, aux *byte, n16 int, f *RaBitQFSFilter, masks *uint16)
//
// Sixteen vectors per iteration: their table sums widened and mapped to
// floats, their factors split from (orMinusC, multiplier) pairs, faiss's
// one-bit handler's float steps, and a 16-bit mask of keys <= thr.
TEXT ·rbqFSFilterAVX512(SB), NOSPLIT, $0-40
	MOVQ sums+0(FP), SI
	MOVQ aux+8(FP), DI
	MOVQ n16+16(FP), CX
	MOVQ f+24(FP), DX
	MOVQ masks+32(FP), BX
	VMOVDQU32 rbqEven<>(SB), Z27      // even dword indexes
	MOVL $1, AX
	VPBROADCASTD AX, Z26
	VPADDD Z26, Z27, Z26              // odd dword indexes
	VBROADCASTSS FS_ONEA(DX), Z20
	VBROADCASTSS FS_B(DX), Z21
	VBROADCASTSS FS_C34(DX), Z22
	VBROADCASTSS FS_QRTOC(DX), Z23
	VBROADCASTSS FS_QRNORM(DX), Z24
	VBROADCASTSS FS_THR(DX), Z25
	MOVL $0x3f000000, AX              // 0.5
	VMOVD AX, X19
	VBROADCASTSS X19, Z19
	VPXORD Z18, Z18, Z18              // zero
	MOVL FS_IP(DX), R8
	TESTQ CX, CX
	JZ fsdone

fsloop:
	VPMOVZXWD (SI), Z0
	VCVTDQ2PS Z0, Z0
	VMULPS Z20, Z0, Z0
	VADDPS Z21, Z0, Z0                // v = sum / a + b
	VMOVDQU32 (DI), Z1
	VMOVDQU32 64(DI), Z2
	VMOVDQA32 Z27, Z3
	VPERMI2D Z2, Z1, Z3               // orMinusC of the 16
	VMOVDQA32 Z26, Z4
	VPERMI2D Z2, Z1, Z4               // multipliers
	VSUBPS Z22, Z0, Z0                // v - c34
	VADDPS Z4, Z4, Z4                 // 2 mul
	VMULPS Z0, Z4, Z4
	VADDPS Z23, Z3, Z3                // orMinusC + |q-c|^2
	VSUBPS Z4, Z3, Z3                 // adj
	TESTL R8, R8
	JNZ fsip
	VMAXPS Z18, Z3, Z3                // 0 < adj ? adj : 0
	JMP fscompare

fsip:
	VSUBPS Z24, Z3, Z3
	VMULPS Z19, Z3, Z3                // 0.5 (adj - |q|^2)

fscompare:
	VCMPPS $2, Z25, Z3, K1
	KMOVW K1, AX
	MOVW AX, (BX)
	ADDQ $32, SI
	ADDQ $128, DI
	ADDQ $2, BX
	DECQ CX
	JNZ fsloop

fsdone:
	VZEROUPPER
	RET
