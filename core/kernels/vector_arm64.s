//go:build arm64 && !noasm

#include "textflag.h"

// NEON versions of the small vector kernels, on whole chunks of 8 floats
// (two registers); the Go wrappers finish the tails. Vector instructions
// that Go's assembler does not name are written as words: Vd = Vn op Vm.
#define FADD4(m, n, d) WORD $(0x4E20D400 | ((m)<<16) | ((n)<<5) | (d))
#define FSUB4(m, n, d) WORD $(0x4EA0D400 | ((m)<<16) | ((n)<<5) | (d))
#define FMUL4(m, n, d) WORD $(0x6E20DC00 | ((m)<<16) | ((n)<<5) | (d))
#define FMAX4(m, n, d) WORD $(0x4E20F400 | ((m)<<16) | ((n)<<5) | (d))
#define FMINNM4(m, n, d) WORD $(0x4EA0C400 | ((m)<<16) | ((n)<<5) | (d))
#define FMAXNM4(m, n, d) WORD $(0x4E20C400 | ((m)<<16) | ((n)<<5) | (d))
#define FCMGE4(m, n, d) WORD $(0x6E20E400 | ((m)<<16) | ((n)<<5) | (d))
#define FCMGT4(m, n, d) WORD $(0x6EA0E400 | ((m)<<16) | ((n)<<5) | (d))
// BIT: Vd takes the bits of Vn where Vm is set; ADD: integer lanes.
#define BIT16(m, n, d) WORD $(0x6EA01C00 | ((m)<<16) | ((n)<<5) | (d))
#define ADD4(m, n, d) WORD $(0x4EA08400 | ((m)<<16) | ((n)<<5) | (d))
#define FABS4(n, d) WORD $(0x4EA0F800 | ((n)<<5) | (d))
#define FADDP4(m, n, d) WORD $(0x6E20D400 | ((m)<<16) | ((n)<<5) | (d))
// Across-lane reductions into lane 0 of Vd (NaN lanes ignored).
#define FMINNMV4(n, d) WORD $(0x6EB0C800 | ((n)<<5) | (d))
#define FMAXNMV4(n, d) WORD $(0x6E30C800 | ((n)<<5) | (d))

// ANYSET jumps to label when any bit of V18 | V19 is set.
#define ANYSET(label) \
	VORR V18.B16, V19.B16, V20.B16 \
	VMOV V20.D[0], R5 \
	VMOV V20.D[1], R6 \
	ORR  R5, R6, R5 \
	CBNZ R5, label

// NEXTHIT returns the start (in floats) of the first chunk of 8 at r with
// a lane where CMP (a FCMGE between V16/V17 and t in V1 into V18/V19)
// holds, or 8*n8.
#define NEXTHIT(CMP) \
	MOVD r+0(FP), R0 \
	MOVD n8+8(FP), R2 \
	FMOVS t+16(FP), F1 \
	VDUP V1.S[0], V1.S4 \
	MOVD $0, R3 \
hloop: \
	CBZ  R2, hdone \
	VLD1.P 32(R0), [V16.S4, V17.S4] \
	CMP \
	ANYSET(hdone) \
	ADD  $8, R3, R3 \
	SUB  $1, R2, R2 \
	B    hloop \
hdone: \
	MOVD R3, ret+24(FP) \
	RET

#define ATMOST FCMGE4(16, 1, 18) \
	FCMGE4(17, 1, 19)
#define ATLEAST FCMGE4(1, 16, 18) \
	FCMGE4(1, 17, 19)

// REDUCENM reduces n8 chunks at r with the NaN-ignoring OP from INIT.
#define REDUCENM(OP, OPV, INIT) \
	MOVD r+0(FP), R0 \
	MOVD n8+8(FP), R2 \
	MOVW $INIT, R4 \
	VDUP R4, V0.S4 \
	VDUP R4, V1.S4 \
rloop: \
	VLD1.P 32(R0), [V16.S4, V17.S4] \
	OP(16, 0, 0) \
	OP(17, 1, 1) \
	SUB  $1, R2, R2 \
	CBNZ R2, rloop \
	OP(1, 0, 0) \
	OPV(0, 2) \
	FMOVS F2, ret+16(FP) \
	RET

// func nextAtMostNEON(r *float32, n8 int, t float32) int
TEXT ·nextAtMostNEON(SB), NOSPLIT, $0-32
	NEXTHIT(ATMOST)

// func nextAtLeastNEON(r *float32, n8 int, t float32) int
TEXT ·nextAtLeastNEON(SB), NOSPLIT, $0-32
	NEXTHIT(ATLEAST)

// func minOfNEON(r *float32, n8 int) float32
TEXT ·minOfNEON(SB), NOSPLIT, $0-20
	REDUCENM(FMINNM4, FMINNMV4, 0x7f800000)

// func maxOfNEON(r *float32, n8 int) float32
TEXT ·maxOfNEON(SB), NOSPLIT, $0-20
	REDUCENM(FMAXNM4, FMAXNMV4, 0xff800000)

// func l2FromDotNEON(row, norms *float32, n8 int, qn float32)
// (qn + norm) - (ip + ip), then max(v, 0), as the Go loop; FMAX keeps NaN.
TEXT ·l2FromDotNEON(SB), NOSPLIT, $0-28
	MOVD row+0(FP), R0
	MOVD norms+8(FP), R1
	MOVD n8+16(FP), R2
	FMOVS qn+24(FP), F1
	VDUP V1.S[0], V1.S4
	VEOR V5.B16, V5.B16, V5.B16
	MOVD R0, R3

l2dLoop:
	VLD1.P 32(R0), [V16.S4, V17.S4]
	VLD1.P 32(R1), [V18.S4, V19.S4]
	FADD4(18, 1, 18)
	FADD4(19, 1, 19)
	FADD4(16, 16, 16)
	FADD4(17, 17, 17)
	FSUB4(16, 18, 18)
	FSUB4(17, 19, 19)
	FMAX4(5, 18, 18)
	FMAX4(5, 19, 19)
	VST1.P [V18.S4, V19.S4], 32(R3)
	SUB  $1, R2, R2
	CBNZ R2, l2dLoop
	RET

// func addToNEON(dst, x *float32, n8 int)
TEXT ·addToNEON(SB), NOSPLIT, $0-24
	MOVD dst+0(FP), R0
	MOVD x+8(FP), R1
	MOVD n8+16(FP), R2

addLoop:
	VLD1 (R0), [V16.S4, V17.S4]
	VLD1.P 32(R1), [V18.S4, V19.S4]
	FADD4(18, 16, 16)
	FADD4(19, 17, 17)
	VST1.P [V16.S4, V17.S4], 32(R0)
	SUB  $1, R2, R2
	CBNZ R2, addLoop
	RET

// func axpyToNEON(dst, x *float32, n8 int, a float32)
// dst += x*a with the product rounded first (FMUL then FADD, no FMLA).
TEXT ·axpyToNEON(SB), NOSPLIT, $0-28
	MOVD dst+0(FP), R0
	MOVD x+8(FP), R1
	MOVD n8+16(FP), R2
	FMOVS a+24(FP), F1
	VDUP V1.S[0], V1.S4

axpyLoop:
	VLD1 (R0), [V16.S4, V17.S4]
	VLD1.P 32(R1), [V18.S4, V19.S4]
	FMUL4(1, 18, 18)
	FMUL4(1, 19, 19)
	FADD4(18, 16, 16)
	FADD4(19, 17, 17)
	VST1.P [V16.S4, V17.S4], 32(R0)
	SUB  $1, R2, R2
	CBNZ R2, axpyLoop
	RET

DATA laneIndex<>+0(SB)/4, $0
DATA laneIndex<>+4(SB)/4, $1
DATA laneIndex<>+8(SB)/4, $2
DATA laneIndex<>+12(SB)/4, $3
DATA laneIndex<>+16(SB)/4, $4
DATA laneIndex<>+20(SB)/4, $5
DATA laneIndex<>+24(SB)/4, $6
DATA laneIndex<>+28(SB)/4, $7
GLOBL laneIndex<>(SB), RODATA|NOPTR, $32

// func l2ArgMinNEON(row, norms *float32, n8 int, qn float32, lanes *float32, idx *int32)
// Per lane: v as in l2FromDotNEON; keep v and its index where v < the
// lane's best (FCMGT best > v: strict, NaN never wins).
TEXT ·l2ArgMinNEON(SB), NOSPLIT, $0-48
	MOVD row+0(FP), R0
	MOVD norms+8(FP), R1
	MOVD n8+16(FP), R2
	FMOVS qn+24(FP), F1
	VDUP V1.S[0], V1.S4
	VEOR V5.B16, V5.B16, V5.B16
	MOVW $0x7f800000, R4
	VDUP R4, V8.S4
	VDUP R4, V9.S4
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	MOVD $laneIndex<>(SB), R6
	VLD1 (R6), [V12.S4, V13.S4]
	MOVW $8, R4
	VDUP R4, V14.S4

amLoop:
	VLD1.P 32(R0), [V16.S4, V17.S4]
	VLD1.P 32(R1), [V18.S4, V19.S4]
	FADD4(18, 1, 18)
	FADD4(19, 1, 19)
	FADD4(16, 16, 16)
	FADD4(17, 17, 17)
	FSUB4(16, 18, 18)
	FSUB4(17, 19, 19)
	FMAX4(5, 18, 18)
	FMAX4(5, 19, 19)
	FCMGT4(18, 8, 20)
	FCMGT4(19, 9, 21)
	BIT16(20, 18, 8)
	BIT16(21, 19, 9)
	BIT16(20, 12, 10)
	BIT16(21, 13, 11)
	ADD4(14, 12, 12)
	ADD4(14, 13, 13)
	SUB  $1, R2, R2
	CBNZ R2, amLoop

	MOVD lanes+32(FP), R3
	VST1 [V8.S4, V9.S4], (R3)
	MOVD idx+40(FP), R3
	VST1 [V10.S4, V11.S4], (R3)
	RET

// ABSDIFF8 leaves |x - y| of the next 8 floats in V16, V17.
#define ABSDIFF8 \
	VLD1.P 32(R0), [V16.S4, V17.S4] \
	VLD1.P 32(R1), [V18.S4, V19.S4] \
	FSUB4(18, 16, 16) \
	FSUB4(19, 17, 17) \
	FABS4(16, 16) \
	FABS4(17, 17)

// func l1NEON(x, y *float32, n8 int) float32
TEXT ·l1NEON(SB), NOSPLIT, $0-28
	MOVD x+0(FP), R0
	MOVD y+8(FP), R1
	MOVD n8+16(FP), R2
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16

l1Loop:
	ABSDIFF8
	FADD4(16, 0, 0)
	FADD4(17, 1, 1)
	SUB  $1, R2, R2
	CBNZ R2, l1Loop
	FADDP4(1, 0, 2)
	FADDP4(2, 2, 3)
	FADDP4(3, 3, 4)
	FMOVS F4, ret+24(FP)
	RET

// func linfNEON(x, y *float32, n8 int) float32
// FMAXNM ignores NaN, as the Go loop (and faiss) do.
TEXT ·linfNEON(SB), NOSPLIT, $0-28
	MOVD x+0(FP), R0
	MOVD y+8(FP), R1
	MOVD n8+16(FP), R2
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16

linfLoop:
	ABSDIFF8
	FMAXNM4(16, 0, 0)
	FMAXNM4(17, 1, 1)
	SUB  $1, R2, R2
	CBNZ R2, linfLoop
	FMAXNM4(1, 0, 0)
	FMAXNMV4(0, 2)
	FMOVS F2, ret+24(FP)
	RET
