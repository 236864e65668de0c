//go:build amd64 && !noasm

#include "textflag.h"

// func pqScan8Asm(codes *byte, m int, table *float32, n int, bias float32, out *float32)
// One code at a time; four sub-spaces a step, each into its own sum so
// that the additions overlap; m mod 4 sub-spaces left go into the first.
TEXT ·pqScan8Asm(SB), NOSPLIT, $0-48
	MOVQ  codes+0(FP), SI
	MOVQ  m+8(FP), R8
	MOVQ  table+16(FP), R9
	MOVQ  n+24(FP), R12
	MOVSS bias+32(FP), X7
	MOVQ  out+40(FP), DI
	MOVQ  R8, R13
	SHRQ  $2, R13 // steps of four
	MOVQ  R8, R14
	ANDQ  $3, R14 // sub-spaces left

pqCode:
	MOVSS X7, X0
	XORPS X1, X1
	XORPS X2, X2
	XORPS X3, X3
	MOVQ  R9, R10  // this sub-space's table
	MOVQ  R13, CX
	TESTQ CX, CX
	JZ    pqTail

pqStep:
	MOVBQZX 0(SI), AX
	MOVBQZX 1(SI), BX
	MOVBQZX 2(SI), DX
	MOVBQZX 3(SI), R11
	ADDSS   0(R10)(AX*4), X0
	ADDSS   1024(R10)(BX*4), X1
	ADDSS   2048(R10)(DX*4), X2
	ADDSS   3072(R10)(R11*4), X3
	ADDQ    $4, SI
	ADDQ    $4096, R10
	DECQ    CX
	JNZ     pqStep

pqTail:
	MOVQ  R14, CX
	TESTQ CX, CX
	JZ    pqDone

pqTailStep:
	MOVBQZX 0(SI), AX
	ADDSS   0(R10)(AX*4), X0
	INCQ    SI
	ADDQ    $1024, R10
	DECQ    CX
	JNZ     pqTailStep

pqDone:
	ADDSS X1, X0
	ADDSS X3, X2
	ADDSS X2, X0
	MOVSS X0, 0(DI)
	ADDQ  $4, DI
	DECQ  R12
	JNZ   pqCode
	RET
