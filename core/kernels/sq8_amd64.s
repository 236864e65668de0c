//go:build amd64 && !noasm

#include "textflag.h"

// func sq8L2AVX2(q, a, s *float32, code *byte, n8 int) float32
// 8 dimensions a step: the bytes widened to floats, r = a + c*s, then
// (q - r)^2 accumulated; one horizontal sum at the end.
TEXT ·sq8L2AVX2(SB), NOSPLIT, $0-44
	MOVQ q+0(FP), SI
	MOVQ a+8(FP), R8
	MOVQ s+16(FP), R9
	MOVQ code+24(FP), DI
	MOVQ n8+32(FP), CX
	VXORPS Y0, Y0, Y0
	XORQ   AX, AX        // dimension
	XORQ   DX, DX        // byte offset

sq8Loop:
	VPMOVZXBD   (DI)(DX*1), Y1
	VCVTDQ2PS   Y1, Y1
	VMOVUPS     (R8)(AX*4), Y2
	VFMADD231PS (R9)(AX*4), Y1, Y2   // r = a + c*s
	VMOVUPS     (SI)(AX*4), Y3
	VSUBPS      Y2, Y3, Y3           // q - r
	VFMADD231PS Y3, Y3, Y0
	ADDQ $8, AX
	ADDQ $8, DX
	DECQ CX
	JNE  sq8Loop

	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VMOVHLPS     X0, X1, X1
	VADDPS       X1, X0, X0
	VPSHUFD      $0x55, X0, X1
	VADDSS       X1, X0, X0
	VMOVSS       X0, ret+40(FP)
	VZEROUPPER
	RET

DATA sq8One<>+0(SB)/4, $0x3f800000   // 1.0
DATA sq8Max<>+0(SB)/4, $0x437f0000   // 255.0
GLOBL sq8One<>(SB), RODATA|NOPTR, $4
GLOBL sq8Max<>(SB), RODATA|NOPTR, $4

// func sq8EncodeAVX2(x, vmin, vdiv *float32, code *byte, n8 int)
// 8 dimensions a step: t = (x - vmin) / vdiv with a true division (as
// faiss), clamped with max(t, 0) first so that NaN becomes 0 (MAXPS
// returns its second source when either is NaN), then min(t, 1), times
// 255, truncated, and packed to bytes.
TEXT ·sq8EncodeAVX2(SB), NOSPLIT, $0-40
	MOVQ x+0(FP), SI
	MOVQ vmin+8(FP), R8
	MOVQ vdiv+16(FP), R9
	MOVQ code+24(FP), DI
	MOVQ n8+32(FP), CX
	VXORPS       Y5, Y5, Y5
	VBROADCASTSS sq8One<>(SB), Y6
	VBROADCASTSS sq8Max<>(SB), Y7
	XORQ AX, AX // dimension
	XORQ DX, DX // byte offset

sq8EncLoop:
	VMOVUPS    (SI)(AX*4), Y0
	VSUBPS     (R8)(AX*4), Y0, Y0
	VDIVPS     (R9)(AX*4), Y0, Y0
	VMAXPS     Y5, Y0, Y0 // max(t, 0); NaN -> 0
	VMINPS     Y6, Y0, Y0 // min(t, 1)
	VMULPS     Y7, Y0, Y0
	VCVTTPS2DQ Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPACKUSDW  X1, X0, X0
	VPACKUSWB  X0, X0, X0
	VMOVQ      X0, (DI)(DX*1)
	ADDQ $8, AX
	ADDQ $8, DX
	DECQ CX
	JNE  sq8EncLoop
	VZEROUPPER
	RET

// func sq8DecodeAVX2(code *byte, a, s, out *float32, n8 int)
// 8 dimensions a step: the bytes widened to floats, out = a + c*s.
TEXT ·sq8DecodeAVX2(SB), NOSPLIT, $0-40
	MOVQ code+0(FP), DI
	MOVQ a+8(FP), R8
	MOVQ s+16(FP), R9
	MOVQ out+24(FP), SI
	MOVQ n8+32(FP), CX
	XORQ AX, AX // dimension
	XORQ DX, DX // byte offset

sq8DecLoop:
	VPMOVZXBD   (DI)(DX*1), Y1
	VCVTDQ2PS   Y1, Y1
	VMOVUPS     (R8)(AX*4), Y2
	VFMADD231PS (R9)(AX*4), Y1, Y2
	VMOVUPS     Y2, (SI)(AX*4)
	ADDQ $8, AX
	ADDQ $8, DX
	DECQ CX
	JNE  sq8DecLoop
	VZEROUPPER
	RET
