//go:build amd64 && !noasm

#include "textflag.h"

// func dotsTransposedAVX2(x *float32, d int, yt *float32, ldy int, n32 int, out *float32)
// Groups of 32 columns: four accumulators, one multiply-add per dimension
// (k in order), the x value broadcast.
TEXT ·dotsTransposedAVX2(SB), NOSPLIT, $0-48
	MOVQ x+0(FP), SI
	MOVQ d+8(FP), DX
	MOVQ yt+16(FP), DI
	MOVQ ldy+24(FP), R8
	SHLQ $2, R8          // row stride in bytes
	MOVQ n32+32(FP), CX
	MOVQ out+40(FP), R9

group:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	MOVQ   DI, R10       // column group start in row 0
	XORQ   AX, AX        // k

dims:
	VBROADCASTSS (SI)(AX*4), Y4
	VFMADD231PS  (R10), Y4, Y0
	VFMADD231PS  32(R10), Y4, Y1
	VFMADD231PS  64(R10), Y4, Y2
	VFMADD231PS  96(R10), Y4, Y3
	ADDQ         R8, R10
	INCQ         AX
	CMPQ         AX, DX
	JLT          dims

	VMOVUPS Y0, (R9)
	VMOVUPS Y1, 32(R9)
	VMOVUPS Y2, 64(R9)
	VMOVUPS Y3, 96(R9)
	ADDQ    $128, DI
	ADDQ    $128, R9
	DECQ    CX
	JNE     group
	VZEROUPPER
	RET

// func l2TransposedAVX2(x *float32, d int, yt *float32, ldy int, n32 int, out *float32)
// As dotsTransposedAVX2, accumulating (x_k - y)^2.
TEXT ·l2TransposedAVX2(SB), NOSPLIT, $0-48
	MOVQ x+0(FP), SI
	MOVQ d+8(FP), DX
	MOVQ yt+16(FP), DI
	MOVQ ldy+24(FP), R8
	SHLQ $2, R8
	MOVQ n32+32(FP), CX
	MOVQ out+40(FP), R9

l2group:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	MOVQ   DI, R10
	XORQ   AX, AX

l2dims:
	VBROADCASTSS (SI)(AX*4), Y4
	VSUBPS       (R10), Y4, Y5
	VSUBPS       32(R10), Y4, Y6
	VSUBPS       64(R10), Y4, Y7
	VSUBPS       96(R10), Y4, Y8
	VFMADD231PS  Y5, Y5, Y0
	VFMADD231PS  Y6, Y6, Y1
	VFMADD231PS  Y7, Y7, Y2
	VFMADD231PS  Y8, Y8, Y3
	ADDQ         R8, R10
	INCQ         AX
	CMPQ         AX, DX
	JLT          l2dims

	VMOVUPS Y0, (R9)
	VMOVUPS Y1, 32(R9)
	VMOVUPS Y2, 64(R9)
	VMOVUPS Y3, 96(R9)
	ADDQ    $128, DI
	ADDQ    $128, R9
	DECQ    CX
	JNE     l2group
	VZEROUPPER
	RET
