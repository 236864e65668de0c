//go:build amd64 && !noasm

#include "textflag.h"

// AVX-512 versions of the tile kernels: 16 lanes, tails by mask register
// K1. The lanes are summed in one fixed tree shared by these kernels: fold
// the upper 8 lanes onto the lower 8 (l + l+8), then the AVX2 tree.

// MASK512 sets K1 to the tail mask of d (CX), CX to the bytes of the whole
// 16-float chunks and BX to the row length in bytes.
#define MASK512 \
	MOVQ CX, BX \
	SHLQ $2, BX \
	MOVQ CX, R12 \
	ANDQ $15, CX \
	MOVQ $1, AX \
	SHLQ CX, AX \
	DECQ AX \
	KMOVW AX, K1 \
	MOVQ R12, CX \
	ANDQ $-16, CX \
	SHLQ $2, CX

// FOLD adds the upper 256 bits of Z onto its lower half Y (in place).
#define FOLD(Z, Y) \
	VEXTRACTF64X4 $1, Z, Y14 \
	VADDPS Y14, Y, Y

#define REDUCE4Z(A, B, C, D, ZA, ZB, ZC, ZD, dst) \
	FOLD(ZA, A) \
	FOLD(ZB, B) \
	FOLD(ZC, C) \
	FOLD(ZD, D) \
	VHADDPS B, A, Y12 \
	VHADDPS D, C, Y13 \
	VHADDPS Y13, Y12, Y12 \
	VEXTRACTF128 $1, Y12, X13 \
	VADDPS X13, X12, X12 \
	VMOVUPS X12, dst

// FMA2x4Z accumulates x0 (Z12) and x1 (Z13) times four y chunks (Z8-Z11)
// into Z0-Z7.
#define FMA2x4Z \
	VFMADD231PS Z8, Z12, Z0 \
	VFMADD231PS Z9, Z12, Z1 \
	VFMADD231PS Z10, Z12, Z2 \
	VFMADD231PS Z11, Z12, Z3 \
	VFMADD231PS Z8, Z13, Z4 \
	VFMADD231PS Z9, Z13, Z5 \
	VFMADD231PS Z10, Z13, Z6 \
	VFMADD231PS Z11, Z13, Z7

// func dotRows1AVX512(x, y *float32, n4, d int, out *float32)
TEXT ·dotRows1AVX512(SB), NOSPLIT, $0-40
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), R8
	MOVQ n4+16(FP), R13
	MOVQ d+24(FP), CX
	MOVQ out+32(FP), DI
	MASK512

z1Next:
	TESTQ R13, R13
	JE    z1Done
	LEAQ  (R8)(BX*1), R9
	LEAQ  (R9)(BX*1), R10
	LEAQ  (R10)(BX*1), R11
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	XORQ  AX, AX

z1Loop:
	CMPQ AX, CX
	JGE  z1Tail
	VMOVUPS (SI)(AX*1), Z12
	VFMADD231PS (R8)(AX*1), Z12, Z0
	VFMADD231PS (R9)(AX*1), Z12, Z1
	VFMADD231PS (R10)(AX*1), Z12, Z2
	VFMADD231PS (R11)(AX*1), Z12, Z3
	ADDQ $64, AX
	JMP  z1Loop

z1Tail:
	CMPQ AX, BX
	JE   z1Reduce
	VMOVUPS.Z (R8)(AX*1), K1, Z8
	VMOVUPS.Z (R9)(AX*1), K1, Z9
	VMOVUPS.Z (R10)(AX*1), K1, Z10
	VMOVUPS.Z (R11)(AX*1), K1, Z11
	VMOVUPS.Z (SI)(AX*1), K1, Z12
	VFMADD231PS Z8, Z12, Z0
	VFMADD231PS Z9, Z12, Z1
	VFMADD231PS Z10, Z12, Z2
	VFMADD231PS Z11, Z12, Z3

z1Reduce:
	REDUCE4Z(Y0, Y1, Y2, Y3, Z0, Z1, Z2, Z3, (DI))
	ADDQ $16, DI
	LEAQ (R11)(BX*1), R8
	DECQ R13
	JMP  z1Next

z1Done:
	VZEROUPPER
	RET

// func dot1AVX512(x, y *float32, d int) float32
TEXT ·dot1AVX512(SB), NOSPLIT, $0-28
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), R8
	MOVQ d+16(FP), CX
	MASK512
	VPXORD Z0, Z0, Z0
	XORQ AX, AX

zd1Loop:
	CMPQ AX, CX
	JGE  zd1Tail
	VMOVUPS (SI)(AX*1), Z12
	VFMADD231PS (R8)(AX*1), Z12, Z0
	ADDQ $64, AX
	JMP  zd1Loop

zd1Tail:
	CMPQ AX, BX
	JE   zd1Reduce
	VMOVUPS.Z (R8)(AX*1), K1, Z8
	VMOVUPS.Z (SI)(AX*1), K1, Z12
	VFMADD231PS Z8, Z12, Z0

zd1Reduce:
	FOLD(Z0, Y0)
	VHADDPS Y0, Y0, Y12
	VHADDPS Y12, Y12, Y12
	VEXTRACTF128 $1, Y12, X13
	VADDPS X13, X12, X12
	VMOVSS X12, ret+24(FP)
	VZEROUPPER
	RET

// func dotPairsAVX512(x *float32, npairs int, y *float32, n4, d int, out *float32, ldo int)
// 2x4 blocks for npairs consecutive pairs of x rows (stride d) against the
// same n4 groups of y rows: one call per panel, not one per pair.
TEXT ·dotPairsAVX512(SB), NOSPLIT, $0-56
	MOVQ d+32(FP), CX
	MASK512
	MOVQ npairs+8(FP), R12

zpPair:
	TESTQ R12, R12
	JE    zpAllDone
	MOVQ x+0(FP), SI
	LEAQ (SI)(BX*1), DX
	MOVQ y+16(FP), R8
	MOVQ n4+24(FP), R13
	MOVQ out+40(FP), DI
	MOVQ ldo+48(FP), R14
	LEAQ (DI)(R14*4), R14

zpNext:
	TESTQ R13, R13
	JE    zpPairDone
	LEAQ  (R8)(BX*1), R9
	LEAQ  (R9)(BX*1), R10
	LEAQ  (R10)(BX*1), R11
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	XORQ  AX, AX

zpLoop:
	CMPQ AX, CX
	JGE  zpTail
	VMOVUPS (R8)(AX*1), Z8
	VMOVUPS (R9)(AX*1), Z9
	VMOVUPS (R10)(AX*1), Z10
	VMOVUPS (R11)(AX*1), Z11
	VMOVUPS (SI)(AX*1), Z12
	VMOVUPS (DX)(AX*1), Z13
	FMA2x4Z
	ADDQ $64, AX
	JMP  zpLoop

zpTail:
	CMPQ AX, BX
	JE   zpReduce
	VMOVUPS.Z (R8)(AX*1), K1, Z8
	VMOVUPS.Z (R9)(AX*1), K1, Z9
	VMOVUPS.Z (R10)(AX*1), K1, Z10
	VMOVUPS.Z (R11)(AX*1), K1, Z11
	VMOVUPS.Z (SI)(AX*1), K1, Z12
	VMOVUPS.Z (DX)(AX*1), K1, Z13
	FMA2x4Z

zpReduce:
	REDUCE4Z(Y0, Y1, Y2, Y3, Z0, Z1, Z2, Z3, (DI))
	REDUCE4Z(Y4, Y5, Y6, Y7, Z4, Z5, Z6, Z7, (R14))
	ADDQ $16, DI
	ADDQ $16, R14
	LEAQ (R11)(BX*1), R8
	DECQ R13
	JMP  zpNext

zpPairDone:
	MOVQ x+0(FP), SI
	LEAQ (SI)(BX*2), SI
	MOVQ SI, x+0(FP)
	MOVQ out+40(FP), DI
	MOVQ ldo+48(FP), AX
	LEAQ (DI)(AX*8), DI
	MOVQ DI, out+40(FP)
	DECQ R12
	JMP  zpPair

zpAllDone:
	VZEROUPPER
	RET
