//go:build amd64 && !noasm

#include "textflag.h"

// HAM32 writes at off(DX) the distance of the 32-byte code at base(DI)
// to the query held in R8..R11 (clobbers AX, BX, R13, R14).
#define HAM32(base, off) \
	MOVQ base+0(DI), AX \
	XORQ R8, AX \
	POPCNTQ AX, AX \
	MOVQ base+8(DI), BX \
	XORQ R9, BX \
	POPCNTQ BX, BX \
	MOVQ base+16(DI), R13 \
	XORQ R10, R13 \
	POPCNTQ R13, R13 \
	MOVQ base+24(DI), R14 \
	XORQ R11, R14 \
	POPCNTQ R14, R14 \
	ADDQ BX, AX \
	ADDQ R14, R13 \
	ADDQ R13, AX \
	MOVL AX, off(DX)


// func hammingRowsPOPCNT(q, codes *byte, words, n int, out *int32)
TEXT ·hammingRowsPOPCNT(SB), NOSPLIT, $0-40
	MOVQ q+0(FP), SI
	MOVQ codes+8(FP), DI
	MOVQ words+16(FP), R12
	MOVQ n+24(FP), CX
	MOVQ out+32(FP), DX
	TESTQ CX, CX
	JZ done
	CMPQ R12, $4
	JNE general

	// 32-byte codes: the query in R8..R11, two codes per iteration.
	MOVQ 0(SI), R8
	MOVQ 8(SI), R9
	MOVQ 16(SI), R10
	MOVQ 24(SI), R11
pairs:
	CMPQ CX, $2
	JL last32
	HAM32(0, 0)
	HAM32(32, 4)
	ADDQ $64, DI
	ADDQ $8, DX
	SUBQ $2, CX
	JMP pairs
last32:
	TESTQ CX, CX
	JZ done
	HAM32(0, 0)
	JMP done

	// Any number of words: a word at a time.
general:
	XORQ AX, AX
	XORQ BX, BX
word:
	MOVQ (SI)(BX*8), R13
	XORQ (DI)(BX*8), R13
	POPCNTQ R13, R13
	ADDQ R13, AX
	INCQ BX
	CMPQ BX, R12
	JL word
	MOVL AX, 0(DX)
	LEAQ (DI)(R12*8), DI
	ADDQ $4, DX
	DECQ CX
	JNZ general

done:
	RET
