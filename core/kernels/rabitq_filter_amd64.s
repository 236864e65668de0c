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
