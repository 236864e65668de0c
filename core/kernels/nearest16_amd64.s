//go:build amd64 && !noasm

#include "textflag.h"

// func nearest16AVX2(x, yt *float32, m, dsub int, out *byte)
// Per sub-space: distances to centroids 0-7 in Y0 and 8-15 in Y1, their
// minimum spread to every lane, and the first lane equal to it (a zero
// mask, all NaN, gives 16 & 15 = 0).
TEXT ·nearest16AVX2(SB), NOSPLIT, $0-40
	MOVQ x+0(FP), SI
	MOVQ yt+8(FP), DI
	MOVQ m+16(FP), CX
	MOVQ dsub+24(FP), R8
	MOVQ out+32(FP), R9

n16Sub:
	VXORPS Y0, Y0, Y0 // fma(d, d, 0) rounds as d*d: the first square exactly
	VXORPS Y1, Y1, Y1
	MOVQ   R8, DX

n16Dim:
	VBROADCASTSS (SI), Y2
	VSUBPS       (DI), Y2, Y3
	VSUBPS       32(DI), Y2, Y4
	VFMADD231PS  Y3, Y3, Y0
	VFMADD231PS  Y4, Y4, Y1
	ADDQ         $4, SI
	ADDQ         $64, DI
	DECQ         DX
	JNZ          n16Dim

n16Min:
	VMINPS       Y1, Y0, Y2
	VEXTRACTF128 $1, Y2, X3
	VMINPS       X3, X2, X2
	VPERMILPS    $0x4E, X2, X3
	VMINPS       X3, X2, X2
	VPERMILPS    $0xB1, X2, X3
	VMINPS       X3, X2, X2
	VBROADCASTSS X2, Y2
	VCMPPS       $0, Y2, Y0, Y3
	VCMPPS       $0, Y2, Y1, Y4
	VMOVMSKPS    Y3, AX
	VMOVMSKPS    Y4, DX
	SHLL         $8, DX
	ORL          DX, AX
	ORL          $0x10000, AX
	BSFL         AX, AX
	ANDL         $15, AX
	MOVB         AL, (R9)
	INCQ         R9
	DECQ         CX
	JNZ          n16Sub
	VZEROUPPER
	RET
