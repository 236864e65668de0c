//go:build amd64 && !noasm

#include "textflag.h"

// Where each code's distance lands after the reduction below: codes a..h
// of a group of eight sit at these qword indexes of the two tables.
DATA hamOrder<>+0(SB)/8, $0
DATA hamOrder<>+8(SB)/8, $4
DATA hamOrder<>+16(SB)/8, $1
DATA hamOrder<>+24(SB)/8, $5
DATA hamOrder<>+32(SB)/8, $8
DATA hamOrder<>+40(SB)/8, $12
DATA hamOrder<>+48(SB)/8, $9
DATA hamOrder<>+56(SB)/8, $13
GLOBL hamOrder<>(SB), RODATA|NOPTR, $64

// func hammingRows32AVX512(q, codes *byte, n8 int, out *int32) int32
//
// Eight 32-byte codes per iteration: XOR with the query (held twice in
// Z0), VPOPCNTQ, then the four word counts of each code are summed by
// interleaving pairs of registers, adding 128-bit lanes, and gathering the
// eight sums in code order. Returns the smallest distance written.
TEXT ·hammingRows32AVX512(SB), NOSPLIT, $0-36
	MOVQ q+0(FP), SI
	MOVQ codes+8(FP), DI
	MOVQ n8+16(FP), CX
	MOVQ out+24(FP), DX
	VBROADCASTI64X4 (SI), Z0
	VMOVDQU64 hamOrder<>(SB), Z10
	MOVL $0x7fffffff, AX
	VMOVD AX, X11
	VPBROADCASTD X11, Y11
	TESTQ CX, CX
	JZ reduce

loop:
	VPXORQ 0(DI), Z0, Z1
	VPXORQ 64(DI), Z0, Z2
	VPXORQ 128(DI), Z0, Z3
	VPXORQ 192(DI), Z0, Z4
	VPOPCNTQ Z1, Z1
	VPOPCNTQ Z2, Z2
	VPOPCNTQ Z3, Z3
	VPOPCNTQ Z4, Z4
	VPUNPCKLQDQ Z2, Z1, Z5
	VPUNPCKHQDQ Z2, Z1, Z6
	VPADDQ Z6, Z5, Z5
	VSHUFI64X2 $0xb1, Z5, Z5, Z6
	VPADDQ Z6, Z5, Z5
	VPUNPCKLQDQ Z4, Z3, Z7
	VPUNPCKHQDQ Z4, Z3, Z8
	VPADDQ Z8, Z7, Z7
	VSHUFI64X2 $0xb1, Z7, Z7, Z8
	VPADDQ Z8, Z7, Z7
	VMOVDQA64 Z10, Z9
	VPERMI2Q Z7, Z5, Z9
	VPMOVQD Z9, Y12
	VMOVDQU Y12, (DX)
	VPMINSD Y12, Y11, Y11
	ADDQ $256, DI
	ADDQ $32, DX
	DECQ CX
	JNZ loop

reduce:
	VEXTRACTI128 $1, Y11, X12
	VPMINSD X12, X11, X11
	VPSHUFD $0x4e, X11, X12
	VPMINSD X12, X11, X11
	VPSHUFD $0xb1, X11, X12
	VPMINSD X12, X11, X11
	VMOVD X11, AX
	MOVL AX, ret+32(FP)
	VZEROUPPER
	RET
