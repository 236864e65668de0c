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

// func nextAtMostAVX2(r *float32, n8 int, t float32) int
TEXT ·nextAtMostAVX2(SB), NOSPLIT, $0-32
	NEXTHIT(2) // LE_OS

// func nextAtLeastAVX2(r *float32, n8 int, t float32) int
TEXT ·nextAtLeastAVX2(SB), NOSPLIT, $0-32
	NEXTHIT(13) // GE_OS
