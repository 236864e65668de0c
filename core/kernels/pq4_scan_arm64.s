//go:build arm64 && !noasm

#include "textflag.h"

// The fast-scan accumulation (see PQ4Scan) with TBL: one table lookup per
// sub-quantizer and nibble half, 16 bytes at a time. Bytes are added into
// 16-bit lanes whole and shifted right by 8, so that acc0 - acc1<<8 sums
// the even bytes (vectors 0..7 of the half) and acc1 the odd ones (8..15).
// The mask of values <= thr-1 weighs each compared lane by its bit and
// adds the lanes.

DATA pq4Weights<>+0(SB)/8, $0x0008000400020001
DATA pq4Weights<>+8(SB)/8, $0x0080004000200010
GLOBL pq4Weights<>(SB), RODATA|NOPTR, $16

// PQ4_MASK sets bits shift..shift+7 of R3 from the lanes of V of V(out)
#define PQ4_MASK(vin, shift) \
	VUMIN   V22.H8, vin.H8, V8.H8  \
	VCMEQ   V8.H8, vin.H8, V8.H8   \
	VAND    V23.B16, V8.B16, V8.B16 \
	VADDV   V8.H8, V8              \
	VMOV    V8.H[0], R4            \
	ORR     R4<<shift, R3, R3

// func pq4ScanNEON(codes *byte, ngroups, groupStride, pairStride, npairs int, lut *byte, bias, flip, thrm1 int, out *uint16, masks *uint32)
TEXT ·pq4ScanNEON(SB), NOSPLIT, $0-88
	MOVD codes+0(FP), R0
	MOVD ngroups+8(FP), R1
	MOVD groupStride+16(FP), R2
	MOVD pairStride+24(FP), R12
	MOVD npairs+32(FP), R13
	MOVD lut+40(FP), R14
	MOVD bias+48(FP), R4
	VDUP R4, V24.H8
	MOVD flip+56(FP), R4
	VDUP R4, V21.H8
	MOVD thrm1+64(FP), R4
	VDUP R4, V22.H8
	MOVD out+72(FP), R7
	MOVD masks+80(FP), R9
	MOVD $pq4Weights<>(SB), R4
	VLD1 (R4), [V23.B16]
	VMOVI $15, V20.B16

neonGroup:
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	MOVD R0, R10
	MOVD R14, R11
	MOVD R13, R15

neonPair:
	VLD1   (R10), [V4.B16, V5.B16]
	VLD1.P 32(R11), [V6.B16, V7.B16]
	VAND   V20.B16, V4.B16, V8.B16
	VUSHR  $4, V4.B16, V9.B16
	VAND   V20.B16, V5.B16, V10.B16
	VUSHR  $4, V5.B16, V11.B16
	VTBL   V8.B16, [V6.B16], V8.B16
	VTBL   V9.B16, [V6.B16], V9.B16
	VTBL   V10.B16, [V7.B16], V10.B16
	VTBL   V11.B16, [V7.B16], V11.B16
	VADD   V8.H8, V0.H8, V0.H8
	VUSHR  $8, V8.H8, V8.H8
	VADD   V8.H8, V1.H8, V1.H8
	VADD   V10.H8, V0.H8, V0.H8
	VUSHR  $8, V10.H8, V10.H8
	VADD   V10.H8, V1.H8, V1.H8
	VADD   V9.H8, V2.H8, V2.H8
	VUSHR  $8, V9.H8, V9.H8
	VADD   V9.H8, V3.H8, V3.H8
	VADD   V11.H8, V2.H8, V2.H8
	VUSHR  $8, V11.H8, V11.H8
	VADD   V11.H8, V3.H8, V3.H8
	ADD    R12, R10, R10
	SUBS   $1, R15, R15
	BNE    neonPair

	VSHL  $8, V1.H8, V8.H8
	VSUB  V8.H8, V0.H8, V0.H8
	VSHL  $8, V3.H8, V8.H8
	VSUB  V8.H8, V2.H8, V2.H8
	VADD  V24.H8, V0.H8, V0.H8
	VADD  V24.H8, V1.H8, V1.H8
	VADD  V24.H8, V2.H8, V2.H8
	VADD  V24.H8, V3.H8, V3.H8
	VEOR  V21.B16, V0.B16, V0.B16
	VEOR  V21.B16, V1.B16, V1.B16
	VEOR  V21.B16, V2.B16, V2.B16
	VEOR  V21.B16, V3.B16, V3.B16
	VST1.P [V0.H8, V1.H8, V2.H8, V3.H8], 64(R7)
	MOVD  ZR, R3
	PQ4_MASK(V0, 0)
	PQ4_MASK(V1, 8)
	PQ4_MASK(V2, 16)
	PQ4_MASK(V3, 24)
	MOVW  R3, (R9)
	ADD   $4, R9, R9
	ADD   R2, R0, R0
	SUBS  $1, R1, R1
	BNE   neonGroup
	RET
