//go:build amd64 && !noasm

#include "textflag.h"

// ABSDIFF leaves |x - y| of the chunk at offset DX (floats) in Y0; Y3 holds
// the sign-clearing mask.
#define ABSDIFF \
	VMOVUPS (SI)(DX*4), Y0 \
	VSUBPS  (DI)(DX*4), Y0, Y0 \
	VANDPS  Y3, Y0, Y0

#define SETUP \
	MOVQ x+0(FP), SI \
	MOVQ y+8(FP), DI \
	MOVQ n8+16(FP), CX \
	MOVL $0x7fffffff, AX \
	MOVL AX, X3 \
	VBROADCASTSS X3, Y3 \
	VXORPS Y1, Y1, Y1 \
	XORQ DX, DX

// func l1AVX2(x, y *float32, n8 int) float32
TEXT ·l1AVX2(SB), NOSPLIT, $0-28
	SETUP

l1Loop:
	ABSDIFF
	VADDPS Y0, Y1, Y1
	ADDQ $8, DX
	DECQ CX
	JNE  l1Loop
	VEXTRACTF128 $1, Y1, X2
	VADDPS X2, X1, X1
	VHADDPS X1, X1, X1
	VHADDPS X1, X1, X1
	VMOVSS X1, ret+24(FP)
	VZEROUPPER
	RET

// func linfAVX2(x, y *float32, n8 int) float32
// The difference is VMAXPS's first source so a NaN leaves the maximum
// alone, as the Go loop (and faiss) ignore NaN.
TEXT ·linfAVX2(SB), NOSPLIT, $0-28
	SETUP

linfLoop:
	ABSDIFF
	VMAXPS Y1, Y0, Y1
	ADDQ $8, DX
	DECQ CX
	JNE  linfLoop
	VEXTRACTF128 $1, Y1, X2
	VMAXPS X2, X1, X1
	VPERMILPS $0x4E, X1, X2
	VMAXPS X2, X1, X1
	VPERMILPS $0xB1, X1, X2
	VMAXPS X2, X1, X1
	VMOVSS X1, ret+24(FP)
	VZEROUPPER
	RET
