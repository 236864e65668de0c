//go:build amd64 && !noasm

#include "textflag.h"

DATA mmInf<>+0(SB)/4, $0x7f800000
GLOBL mmInf<>(SB), RODATA|NOPTR, $4

// func countBelowAVX2(x *float32, n8 int, t float32) int
// Eight compares a step, their mask bits counted.
TEXT ·countBelowAVX2(SB), NOSPLIT, $0-32
	MOVQ         x+0(FP), SI
	MOVQ         n8+8(FP), CX
	VBROADCASTSS t+16(FP), Y1
	XORQ         AX, AX

cbLoop:
	VMOVUPS   (SI), Y0
	VCMPPS    $1, Y1, Y0, Y2 // x < t (ordered: NaN is not)
	VMOVMSKPS Y2, DX
	POPCNTL   DX, DX
	ADDQ      DX, AX
	ADDQ      $32, SI
	DECQ      CX
	JNZ       cbLoop
	MOVQ      AX, ret+24(FP)
	VZEROUPPER
	RET

// MINVALID8 folds the eight entries at off(SI) into acc, those whose id at
// off(DI) is -1 as +Inf (Y3), Y4 holding -1 in every lane.
#define MINVALID8(off, acc) \
	VPCMPEQD  off(DI), Y4, Y2 \
	VMOVUPS   off(SI), Y0 \
	VBLENDVPS Y2, Y3, Y0, Y5 \
	VMINPS    Y5, acc, acc

// func minValidAVX2(dis *float32, ids *int32, n8 int) float32
// Entries whose id is -1 count as +Inf; lane minima in four accumulators
// (a minimum is exact in any order, and four chains hide VMINPS's
// latency), then across them and across lanes.
TEXT ·minValidAVX2(SB), NOSPLIT, $0-28
	MOVQ         dis+0(FP), SI
	MOVQ         ids+8(FP), DI
	MOVQ         n8+16(FP), CX
	VBROADCASTSS mmInf<>(SB), Y3
	VMOVAPS      Y3, Y6
	VMOVAPS      Y3, Y8
	VMOVAPS      Y3, Y9
	VMOVAPS      Y3, Y10
	VPCMPEQD     Y4, Y4, Y4 // -1 in every lane

mv4Loop:
	CMPQ CX, $4
	JLT  mvTail
	MINVALID8(0, Y6)
	MINVALID8(32, Y8)
	MINVALID8(64, Y9)
	MINVALID8(96, Y10)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $4, CX
	JMP  mv4Loop

mvTail:
	TESTQ CX, CX
	JE    mvReduce
	MINVALID8(0, Y6)
	ADDQ  $32, SI
	ADDQ  $32, DI
	DECQ  CX
	JMP   mvTail

mvReduce:
	VMINPS       Y8, Y6, Y6
	VMINPS       Y10, Y9, Y9
	VMINPS       Y9, Y6, Y6
	VEXTRACTF128 $1, Y6, X7
	VMINPS       X7, X6, X6
	VMOVHLPS     X6, X7, X7
	VMINPS       X7, X6, X6
	VPSHUFD      $0x55, X6, X7
	VMINSS       X7, X6, X6
	VMOVSS       X6, ret+24(FP)
	VZEROUPPER
	RET

// func lastEqualValidAVX2(dis *float32, ids *int32, n8 int, v float32) int
// From the last group of eight down: the highest lane equal to v with an
// id other than -1.
TEXT ·lastEqualValidAVX2(SB), NOSPLIT, $0-40
	MOVQ         dis+0(FP), SI
	MOVQ         ids+8(FP), DI
	MOVQ         n8+16(FP), CX
	VBROADCASTSS v+24(FP), Y1
	VPCMPEQD     Y4, Y4, Y4
	MOVQ         CX, AX
	DECQ         AX
	SHLQ         $5, AX
	ADDQ         AX, SI
	ADDQ         AX, DI

leLoop:
	VCMPPS    $0, (SI), Y1, Y2 // dis == v
	VPCMPEQD  (DI), Y4, Y3     // id == -1
	VPANDN    Y2, Y3, Y5       // equal and valid
	VMOVMSKPS Y5, AX
	TESTL     AX, AX
	JNZ       leFound
	SUBQ      $32, SI
	SUBQ      $32, DI
	DECQ      CX
	JNZ       leLoop
	MOVQ      $-1, ret+32(FP)
	VZEROUPPER
	RET

leFound:
	BSRL AX, AX
	DECQ CX
	SHLQ $3, CX
	ADDQ CX, AX
	MOVQ AX, ret+32(FP)
	VZEROUPPER
	RET
