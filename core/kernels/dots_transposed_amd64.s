//go:build amd64 && !noasm

#include "textflag.h"

// TDOTS computes one group of 32 columns: Y0..Y3 = sum over k of
// x[k] * yt[k][column], one multiply-add per dimension in order (SI: x,
// DX: d, DI: the group's first column in row 0, R8: row stride in bytes).
#define TDOTS(loop) \
	VXORPS Y0, Y0, Y0            \
	VXORPS Y1, Y1, Y1            \
	VXORPS Y2, Y2, Y2            \
	VXORPS Y3, Y3, Y3            \
	MOVQ   DI, R10               \
	XORQ   AX, AX                \
loop:                                \
	VBROADCASTSS (SI)(AX*4), Y4  \
	VFMADD231PS  (R10), Y4, Y0   \
	VFMADD231PS  32(R10), Y4, Y1 \
	VFMADD231PS  64(R10), Y4, Y2 \
	VFMADD231PS  96(R10), Y4, Y3 \
	ADDQ         R8, R10         \
	INCQ         AX              \
	CMPQ         AX, DX          \
	JLT          loop


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
	TDOTS(dims)

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

DATA tLaneIndex<>+0(SB)/4, $0
DATA tLaneIndex<>+4(SB)/4, $1
DATA tLaneIndex<>+8(SB)/4, $2
DATA tLaneIndex<>+12(SB)/4, $3
DATA tLaneIndex<>+16(SB)/4, $4
DATA tLaneIndex<>+20(SB)/4, $5
DATA tLaneIndex<>+24(SB)/4, $6
DATA tLaneIndex<>+28(SB)/4, $7
GLOBL tLaneIndex<>(SB), RODATA|NOPTR, $32

// LANEMIN folds one YMM of dot products (acc) for the columns at norms
// offset off into the lane minima, as l2ArgMinAVX2 does: v = (qn + norm) -
// (dot + dot), max(0, v) keeping NaN, kept when v < best (strict).
#define LANEMIN(acc, off) \
	VMOVUPS   off(R11), Y13     \
	VADDPS    Y13, Y5, Y13      \
	VADDPS    acc, acc, acc     \
	VSUBPS    acc, Y13, Y13     \
	VMAXPS    Y13, Y7, Y13      \
	VCMPPS    $1, Y8, Y13, Y12  \
	VBLENDVPS Y12, Y13, Y8, Y8  \
	VBLENDVPS Y12, Y10, Y9, Y9  \
	VPADDD    Y11, Y10, Y10

// func l2ArgMinTransposedAVX2(x *float32, d int, yt *float32, ldy int, n32 int, norms *float32, qn float32) (best float32, at int)
// The dots of dotsTransposedAVX2, folded into lane minima without a row
// in memory, then across lanes: the smallest value and, among the lanes
// holding it, the smallest column (each lane keeps its first occurrence).
// at is -1 when every value is +Inf or NaN.
TEXT ·l2ArgMinTransposedAVX2(SB), NOSPLIT, $0-72
	MOVQ x+0(FP), SI
	MOVQ d+8(FP), DX
	MOVQ yt+16(FP), DI
	MOVQ ldy+24(FP), R8
	SHLQ $2, R8
	MOVQ n32+32(FP), CX
	MOVQ norms+40(FP), R11
	VBROADCASTSS qn+48(FP), Y5
	VXORPS Y7, Y7, Y7            // zero, for max(0, v)
	MOVL $0x7f800000, AX
	MOVL AX, X8
	VBROADCASTSS X8, Y8          // lane best: +Inf
	VPCMPEQD Y9, Y9, Y9          // lane best column: -1
	VMOVDQU tLaneIndex<>(SB), Y10 // current columns
	MOVL $8, AX
	MOVL AX, X11
	VPBROADCASTD X11, Y11        // column step

tgroup:
	TDOTS(tdims)

	LANEMIN(Y0, 0)
	LANEMIN(Y1, 32)
	LANEMIN(Y2, 64)
	LANEMIN(Y3, 96)
	ADDQ $128, DI
	ADDQ $128, R11
	DECQ CX
	JNE  tgroup

	// Smallest value across lanes (they hold numbers or +Inf, never NaN).
	VPERM2F128 $1, Y8, Y8, Y0
	VMINPS     Y0, Y8, Y0
	VPERMILPS  $0x4e, Y0, Y1
	VMINPS     Y1, Y0, Y0
	VPERMILPS  $0xb1, Y0, Y1
	VMINPS     Y1, Y0, Y0        // every lane: the minimum
	// Columns of the lanes holding it (others: the largest int32), then
	// their minimum; unsigned compare makes -1 (no candidate) the largest.
	VCMPPS     $0, Y0, Y8, Y12   // lane == minimum
	VPCMPEQD   Y13, Y13, Y13     // all ones = 0xFFFFFFFF
	VBLENDVPS  Y12, Y9, Y13, Y9
	VPERM2I128 $1, Y9, Y9, Y1
	VPMINUD    Y1, Y9, Y9
	VPSHUFD    $0x4e, Y9, Y1
	VPMINUD    Y1, Y9, Y9
	VPSHUFD    $0xb1, Y9, Y1
	VPMINUD    Y1, Y9, Y9
	VMOVSS     X0, best+56(FP)
	VMOVD      X9, AX
	MOVLQSX    AX, AX
	MOVQ       AX, at+64(FP)
	VZEROUPPER
	RET
