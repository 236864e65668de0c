//go:build amd64 && !noasm

#include "textflag.h"

// NEXTHIT scans n8 chunks of 8 floats at r for the first lane where
// cmp(value, t) holds (VCMPPS predicate PRED, ordered: NaN never holds) and
// returns its index, or 8*n8.
#define NEXTHIT(PRED) \
	MOVQ r+0(FP), SI \
	MOVQ n8+8(FP), CX \
	VBROADCASTSS t+16(FP), Y1 \
	XORQ DX, DX \
loop: \
	CMPQ CX, $0 \
	JE   none \
	VMOVUPS (SI)(DX*4), Y0 \
	VCMPPS $PRED, Y1, Y0, Y2 \
	VMOVMSKPS Y2, AX \
	TESTL AX, AX \
	JNE  found \
	ADDQ $8, DX \
	DECQ CX \
	JMP  loop \
found: \
	BSFL AX, AX \
	ADDQ AX, DX \
none: \
	MOVQ DX, ret+24(FP) \
	VZEROUPPER \
	RET

// REDUCE reduces n8 chunks of 8 floats at r with OP (VMINPS or VMAXPS),
// starting from INIT (+Inf or -Inf). The chunk is the first source so a
// NaN in it leaves the accumulator alone (the instruction returns its
// second source when either is NaN).
#define REDUCE(OP, INIT) \
	MOVQ r+0(FP), SI \
	MOVQ n8+8(FP), CX \
	MOVL $INIT, AX \
	MOVL AX, X1 \
	VBROADCASTSS X1, Y1 \
	XORQ DX, DX \
rloop: \
	VMOVUPS (SI)(DX*4), Y0 \
	OP Y1, Y0, Y1 \
	ADDQ $8, DX \
	DECQ CX \
	JNE  rloop \
	VEXTRACTF128 $1, Y1, X2 \
	OP X2, X1, X1 \
	VPERMILPS $0x4E, X1, X2 \
	OP X2, X1, X1 \
	VPERMILPS $0xB1, X1, X2 \
	OP X2, X1, X1 \
	VMOVSS X1, ret+16(FP) \
	VZEROUPPER \
	RET

// func nextAtMostAVX2(r *float32, n8 int, t float32) int
TEXT ·nextAtMostAVX2(SB), NOSPLIT, $0-32
	NEXTHIT(2) // LE_OS

// func nextAtLeastAVX2(r *float32, n8 int, t float32) int
TEXT ·nextAtLeastAVX2(SB), NOSPLIT, $0-32
	NEXTHIT(13) // GE_OS

// func minOfAVX2(r *float32, n8 int) float32
TEXT ·minOfAVX2(SB), NOSPLIT, $0-20
	REDUCE(VMINPS, 0x7f800000)

// func maxOfAVX2(r *float32, n8 int) float32
TEXT ·maxOfAVX2(SB), NOSPLIT, $0-20
	REDUCE(VMAXPS, 0xff800000)

// func nonFiniteAVX2(x *float32, n8 int) int
// v - v is 0 for finite v and NaN for NaN or Inf; compare with 0 (ordered,
// so NaN fails) and stop at the first chunk that is not all true.
TEXT ·nonFiniteAVX2(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ n8+8(FP), CX
	VXORPS Y1, Y1, Y1
	XORQ DX, DX

nfLoop:
	CMPQ CX, $0
	JE   nfDone
	VMOVUPS (SI)(DX*4), Y0
	VSUBPS  Y0, Y0, Y0
	VCMPPS  $0, Y1, Y0, Y2
	VMOVMSKPS Y2, AX
	CMPL AX, $0xff
	JNE  nfDone
	ADDQ $8, DX
	DECQ CX
	JMP  nfLoop

nfDone:
	MOVQ DX, ret+16(FP)
	VZEROUPPER
	RET
