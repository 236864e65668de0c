//go:build amd64 && !noasm

#include "textflag.h"

// func addToAVX2(dst, x *float32, n8 int)
TEXT ·addToAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n8+16(FP), CX
	XORQ AX, AX

addLoop:
	VMOVUPS (DI)(AX*4), Y0
	VADDPS  (SI)(AX*4), Y0, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	DECQ CX
	JNE  addLoop
	VZEROUPPER
	RET

// func axpyToAVX2(dst, x *float32, n8 int, a float32)
// dst += x*a with the product rounded first (VMULPS then VADDPS).
TEXT ·axpyToAVX2(SB), NOSPLIT, $0-28
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n8+16(FP), CX
	VBROADCASTSS a+24(FP), Y1
	XORQ AX, AX

axpyLoop:
	VMULPS  (SI)(AX*4), Y1, Y2
	VMOVUPS (DI)(AX*4), Y0
	VADDPS  Y2, Y0, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	DECQ CX
	JNE  axpyLoop
	VZEROUPPER
	RET
