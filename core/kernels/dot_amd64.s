//go:build amd64 && !noasm

#include "textflag.h"

// tailMask<>+4*(8-r) holds 8 int32 lanes whose first r are all ones: the
// VMASKMOVPS mask that loads the last r = d%8 floats of a row.
DATA tailMask<>+0(SB)/4, $0xffffffff
DATA tailMask<>+4(SB)/4, $0xffffffff
DATA tailMask<>+8(SB)/4, $0xffffffff
DATA tailMask<>+12(SB)/4, $0xffffffff
DATA tailMask<>+16(SB)/4, $0xffffffff
DATA tailMask<>+20(SB)/4, $0xffffffff
DATA tailMask<>+24(SB)/4, $0xffffffff
DATA tailMask<>+28(SB)/4, $0xffffffff
DATA tailMask<>+32(SB)/4, $0
DATA tailMask<>+36(SB)/4, $0
DATA tailMask<>+40(SB)/4, $0
DATA tailMask<>+44(SB)/4, $0
DATA tailMask<>+48(SB)/4, $0
DATA tailMask<>+52(SB)/4, $0
DATA tailMask<>+56(SB)/4, $0
DATA tailMask<>+60(SB)/4, $0
GLOBL tailMask<>(SB), RODATA|NOPTR, $64

// Every product is accumulated in 8 lanes (lane l takes k = l mod 8), and
// the lanes are summed in one fixed tree,
// ((l0+l1)+(l2+l3)) + ((l4+l5)+(l6+l7)), by all three kernels, so a value
// does not depend on which kernel computed it.

// LOADMASK sets Y15 to the tail mask of d (in CX) and CX to the bytes of
// the whole 8-float chunks of a row; BX gets the row length in bytes.
#define LOADMASK \
	MOVQ CX, BX \
	SHLQ $2, BX \
	MOVQ CX, AX \
	ANDQ $7, AX \
	NEGQ AX \
	ADDQ $8, AX \
	LEAQ tailMask<>(SB), R12 \
	VMOVDQU (R12)(AX*4), Y15 \
	ANDQ $-8, CX \
	SHLQ $2, CX

// REDUCE4 sums the lanes of A, B, C, D and stores the four sums at dst.
#define REDUCE4(A, B, C, D, dst) \
	VHADDPS B, A, Y12 \
	VHADDPS D, C, Y13 \
	VHADDPS Y13, Y12, Y12 \
	VEXTRACTF128 $1, Y12, X13 \
	VADDPS X13, X12, X12 \
	VMOVUPS X12, dst

// ROWS1 is the body of the one-row kernels: x against n4 groups of four y
// rows (R8-R11), accumulating into Y0-Y3. LOOP handles a whole chunk at
// offset AX, TAIL the masked last one (Y15); both leave the four products
// (or squared differences) added into Y0-Y3.
#define ROWS1(LOOP, TAIL) \
	MOVQ x+0(FP), SI \
	MOVQ y+8(FP), R8 \
	MOVQ n4+16(FP), R13 \
	MOVQ d+24(FP), CX \
	MOVQ out+32(FP), DI \
	LOADMASK \
next: \
	TESTQ R13, R13 \
	JE    done \
	LEAQ  (R8)(BX*1), R9 \
	LEAQ  (R9)(BX*1), R10 \
	LEAQ  (R10)(BX*1), R11 \
	VXORPS Y0, Y0, Y0 \
	VXORPS Y1, Y1, Y1 \
	VXORPS Y2, Y2, Y2 \
	VXORPS Y3, Y3, Y3 \
	XORQ  AX, AX \
loop: \
	CMPQ AX, CX \
	JGE  tail \
	LOOP \
	ADDQ $32, AX \
	JMP  loop \
tail: \
	CMPQ AX, BX \
	JE   reduce \
	TAIL \
reduce: \
	REDUCE4(Y0, Y1, Y2, Y3, (DI)) \
	ADDQ $16, DI \
	LEAQ (R11)(BX*1), R8 \
	DECQ R13 \
	JMP  next \
done: \
	VZEROUPPER \
	RET

#define DOT_LOOP \
	VMOVUPS (SI)(AX*1), Y12 \
	VFMADD231PS (R8)(AX*1), Y12, Y0 \
	VFMADD231PS (R9)(AX*1), Y12, Y1 \
	VFMADD231PS (R10)(AX*1), Y12, Y2 \
	VFMADD231PS (R11)(AX*1), Y12, Y3

// MASKED loads the masked tail of x (Y12) and of the four y rows (Y8-Y11).
#define MASKED \
	VMASKMOVPS (SI)(AX*1), Y15, Y12 \
	VMASKMOVPS (R8)(AX*1), Y15, Y8 \
	VMASKMOVPS (R9)(AX*1), Y15, Y9 \
	VMASKMOVPS (R10)(AX*1), Y15, Y10 \
	VMASKMOVPS (R11)(AX*1), Y15, Y11

#define DOT_TAIL \
	MASKED \
	VFMADD231PS Y8, Y12, Y0 \
	VFMADD231PS Y9, Y12, Y1 \
	VFMADD231PS Y10, Y12, Y2 \
	VFMADD231PS Y11, Y12, Y3

#define SQUARES \
	VFMADD231PS Y8, Y8, Y0 \
	VFMADD231PS Y9, Y9, Y1 \
	VFMADD231PS Y10, Y10, Y2 \
	VFMADD231PS Y11, Y11, Y3

#define L2_LOOP \
	VMOVUPS (SI)(AX*1), Y12 \
	VSUBPS (R8)(AX*1), Y12, Y8 \
	VSUBPS (R9)(AX*1), Y12, Y9 \
	VSUBPS (R10)(AX*1), Y12, Y10 \
	VSUBPS (R11)(AX*1), Y12, Y11 \
	SQUARES

#define L2_TAIL \
	MASKED \
	VSUBPS Y8, Y12, Y8 \
	VSUBPS Y9, Y12, Y9 \
	VSUBPS Y10, Y12, Y10 \
	VSUBPS Y11, Y12, Y11 \
	SQUARES

// ONE is the body of the single-pair kernels: one accumulator Y0, reduced
// by the tree of REDUCE4 (lane 0 of hadd(hadd(a, a), ...) + upper half).
// LOOP1 and TAIL1 add one chunk at offset AX (whole, or masked by Y15).
// HSUM1 sums the lanes of Y0 into X12 (its low lane), in the order every
// one-pair kernel uses.
#define HSUM1 \
	VHADDPS Y0, Y0, Y12 \
	VHADDPS Y12, Y12, Y12 \
	VEXTRACTF128 $1, Y12, X13 \
	VADDPS X13, X12, X12

#define ONE(LOOP1, TAIL1) \
	MOVQ x+0(FP), SI \
	MOVQ y+8(FP), R8 \
	MOVQ d+16(FP), CX \
	LOADMASK \
	VXORPS Y0, Y0, Y0 \
	XORQ AX, AX \
loop: \
	CMPQ AX, CX \
	JGE  tail \
	LOOP1 \
	ADDQ $32, AX \
	JMP  loop \
tail: \
	CMPQ AX, BX \
	JE   reduce \
	VMASKMOVPS (SI)(AX*1), Y15, Y12 \
	VMASKMOVPS (R8)(AX*1), Y15, Y8 \
	TAIL1 \
reduce: \
	HSUM1 \
	VMOVSS X12, ret+24(FP) \
	VZEROUPPER \
	RET

#define DOT1_LOOP \
	VMOVUPS (SI)(AX*1), Y12 \
	VFMADD231PS (R8)(AX*1), Y12, Y0
#define DOT1_TAIL VFMADD231PS Y8, Y12, Y0
#define L21_LOOP \
	VMOVUPS (SI)(AX*1), Y12 \
	VSUBPS (R8)(AX*1), Y12, Y8 \
	VFMADD231PS Y8, Y8, Y0
#define L21_TAIL \
	VSUBPS Y8, Y12, Y8 \
	VFMADD231PS Y8, Y8, Y0

// FMA2x4 accumulates x0 (Y12) and x1 (Y13) times four y chunks (Y8-Y11)
// into Y0-Y7.
#define FMA2x4 \
	VFMADD231PS Y8, Y12, Y0 \
	VFMADD231PS Y9, Y12, Y1 \
	VFMADD231PS Y10, Y12, Y2 \
	VFMADD231PS Y11, Y12, Y3 \
	VFMADD231PS Y8, Y13, Y4 \
	VFMADD231PS Y9, Y13, Y5 \
	VFMADD231PS Y10, Y13, Y6 \
	VFMADD231PS Y11, Y13, Y7

// func dotPairsAVX2(x *float32, npairs int, y *float32, n4, d int, out *float32, ldo int)
// 2x4 blocks for npairs consecutive pairs of x rows (stride d) against the
// same n4 groups of y rows: one call per panel, not one per pair.
TEXT ·dotPairsAVX2(SB), NOSPLIT, $0-56
	MOVQ d+32(FP), CX
	LOADMASK
	MOVQ npairs+8(FP), R12

pPair:
	TESTQ R12, R12
	JE    pAllDone
	MOVQ x+0(FP), SI
	LEAQ (SI)(BX*1), DX
	MOVQ y+16(FP), R8
	MOVQ n4+24(FP), R13
	MOVQ out+40(FP), DI
	MOVQ ldo+48(FP), R14
	LEAQ (DI)(R14*4), R14

pNext:
	TESTQ R13, R13
	JE    pPairDone
	LEAQ  (R8)(BX*1), R9
	LEAQ  (R9)(BX*1), R10
	LEAQ  (R10)(BX*1), R11
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	XORQ  AX, AX

pLoop:
	CMPQ AX, CX
	JGE  pTail
	VMOVUPS (R8)(AX*1), Y8
	VMOVUPS (R9)(AX*1), Y9
	VMOVUPS (R10)(AX*1), Y10
	VMOVUPS (R11)(AX*1), Y11
	VMOVUPS (SI)(AX*1), Y12
	VMOVUPS (DX)(AX*1), Y13
	FMA2x4
	ADDQ $32, AX
	JMP  pLoop

pTail:
	CMPQ AX, BX
	JE   pReduce
	VMASKMOVPS (R8)(AX*1), Y15, Y8
	VMASKMOVPS (R9)(AX*1), Y15, Y9
	VMASKMOVPS (R10)(AX*1), Y15, Y10
	VMASKMOVPS (R11)(AX*1), Y15, Y11
	VMASKMOVPS (SI)(AX*1), Y15, Y12
	VMASKMOVPS (DX)(AX*1), Y15, Y13
	FMA2x4

pReduce:
	REDUCE4(Y0, Y1, Y2, Y3, (DI))
	REDUCE4(Y4, Y5, Y6, Y7, (R14))
	ADDQ $16, DI
	ADDQ $16, R14
	LEAQ (R11)(BX*1), R8
	DECQ R13
	JMP  pNext

pPairDone:
	MOVQ x+0(FP), SI
	LEAQ (SI)(BX*2), SI
	MOVQ SI, x+0(FP)
	MOVQ out+40(FP), DI
	MOVQ ldo+48(FP), AX
	LEAQ (DI)(AX*8), DI
	MOVQ DI, out+40(FP)
	DECQ R12
	JMP  pPair

pAllDone:
	VZEROUPPER
	RET

// func dotRows1AVX2(x, y *float32, n4, d int, out *float32)
TEXT ·dotRows1AVX2(SB), NOSPLIT, $0-40
	ROWS1(DOT_LOOP, DOT_TAIL)

// func l2RowsAVX2(x, y *float32, n4, d int, out *float32)
// Squared L2 distances of x to n4 groups of four consecutive y rows, in the
// lane order and reduction tree of the dot kernels.
TEXT ·l2RowsAVX2(SB), NOSPLIT, $0-40
	ROWS1(L2_LOOP, L2_TAIL)

// func dot1AVX2(x, y *float32, d int) float32
TEXT ·dot1AVX2(SB), NOSPLIT, $0-28
	ONE(DOT1_LOOP, DOT1_TAIL)

// func l2OneAVX2(x, y *float32, d int) float32
TEXT ·l2OneAVX2(SB), NOSPLIT, $0-28
	ONE(L21_LOOP, L21_TAIL)

// GATHER4 points R8-R11 at the rows of the four ids at (R14) (int32) in the
// matrix at DX (rows of BX bytes).
#define GATHER4 \
	MOVLQSX 0(R14), R8 \
	IMULQ   BX, R8 \
	ADDQ    DX, R8 \
	MOVLQSX 4(R14), R9 \
	IMULQ   BX, R9 \
	ADDQ    DX, R9 \
	MOVLQSX 8(R14), R10 \
	IMULQ   BX, R10 \
	ADDQ    DX, R10 \
	MOVLQSX 12(R14), R11 \
	IMULQ   BX, R11 \
	ADDQ    DX, R11

// func l2Gather4AVX2(x, base *float32, ids *int32, n4, d int, out *float32)
// Squared L2 distances of x to the rows ids[0..4*n4) of the matrix at base,
// four rows at a time (x loaded once for the four), with the lane order
// and reduction tree of l2OneAVX2: the same values.
TEXT ·l2Gather4AVX2(SB), NOSPLIT, $0-48
	MOVQ x+0(FP), SI
	MOVQ base+8(FP), DX
	MOVQ ids+16(FP), R14
	MOVQ n4+24(FP), R13
	MOVQ d+32(FP), CX
	MOVQ out+40(FP), DI
	LOADMASK

gNext:
	TESTQ R13, R13
	JE    gDone
	GATHER4
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ   AX, AX

gLoop:
	CMPQ AX, CX
	JGE  gTail
	L2_LOOP
	ADDQ $32, AX
	JMP  gLoop

gTail:
	CMPQ AX, BX
	JE   gReduce
	L2_TAIL

gReduce:
	REDUCE4(Y0, Y1, Y2, Y3, (DI))
	ADDQ $16, DI
	ADDQ $16, R14
	DECQ R13
	JMP  gNext

gDone:
	VZEROUPPER
	RET

// func panoramaRowAVX2(q, x, xn, qn *float32, d, width, ip int, acc, threshold float32) (float32, int)
// PanoramaRow's loop: each level's dot product as dot1AVX2 computes it
// (the same lanes and reduction: the same bits), then the key and the
// bound with scalar VEX arithmetic in PanoramaRow's order (no fused
// multiply-add). Returns the key and the dimensions measured, negated when
// the bound reached the threshold.
TEXT ·panoramaRowAVX2(SB), NOSPLIT, $0-80
	MOVQ  q+0(FP), SI
	MOVQ  x+8(FP), R8
	MOVQ  xn+16(FP), R9
	MOVQ  qn+24(FP), R10
	MOVQ  d+32(FP), DX
	MOVQ  width+40(FP), R11
	VMOVSS acc+56(FP), X6
	VMOVSS threshold+60(FP), X7
	XORQ  R14, R14 // the level's first dimension
	XORQ  R15, R15 // the level

pLevel:
	CMPQ R14, DX
	JGE  pKept
	MOVQ DX, CX
	SUBQ R14, CX
	CMPQ CX, R11
	CMOVQGT R11, CX // the level's floats: min(width, d - start)
	LEAQ (SI)(R14*4), DI
	LEAQ (R8)(R14*4), R13
	ADDQ CX, R14
	LOADMASK
	VXORPS Y0, Y0, Y0
	XORQ AX, AX

pDot:
	CMPQ AX, CX
	JGE  pTail
	VMOVUPS (DI)(AX*1), Y12
	VFMADD231PS (R13)(AX*1), Y12, Y0
	ADDQ $32, AX
	JMP  pDot

pTail:
	CMPQ AX, BX
	JE   pReduce
	VMASKMOVPS (DI)(AX*1), Y15, Y12
	VMASKMOVPS (R13)(AX*1), Y15, Y8
	VFMADD231PS Y8, Y12, Y0

pReduce:
	HSUM1 // the level's dot product in X12
	INCQ R15
	VMOVSS (R10)(R15*4), X1
	VMULSS (R9)(R15*4), X1, X1 // rest = qn[l+1] * xn[l+1]
	MOVQ ip+48(FP), AX
	TESTQ AX, AX
	JNE  pIP
	VADDSS X12, X12, X12
	VSUBSS X12, X6, X6 // acc -= 2 dot
	VADDSS X1, X1, X1  // 2 rest
	JMP  pBound

pIP:
	VSUBSS X12, X6, X6 // acc -= dot

pBound:
	VSUBSS X1, X6, X2 // bound = acc - (2) rest
	VUCOMISS X7, X2
	JCS  pLevel // bound < threshold (or unordered): next level
	NEGQ R14
	MOVQ R14, ret1+72(FP)
	VXORPS X0, X0, X0
	VMOVSS X0, ret+64(FP)
	VZEROUPPER
	RET

pKept:
	MOVQ DX, ret1+72(FP)
	VMOVSS X6, ret+64(FP)
	VZEROUPPER
	RET
