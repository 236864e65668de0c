//go:build arm64 && !noasm

#include "textflag.h"

// NEON kernels for rows whose length d is a multiple of 8 (the Go side
// checks). Each value is accumulated in 8 lanes held in two registers
// (A: k mod 8 in 0..3, B: 4..7) and the lanes are summed in one fixed tree,
// ((a0+a1)+(a2+a3)) + ((b0+b1)+(b2+b3)), by every kernel, so a value does
// not depend on which kernel computed it.

// Vector FADDP and FSUB (4 x float32), which Go's assembler does not name:
// FADDP Vd, Vn, Vm gives [n0+n1, n2+n3, m0+m1, m2+m3]; FSUB gives n - m.
#define FADDP4(m, n, d) WORD $(0x6E20D400 | ((m)<<16) | ((n)<<5) | (d))
#define FSUB4(m, n, d) WORD $(0x4EA0D400 | ((m)<<16) | ((n)<<5) | (d))

// REDUCE4 sums the lanes of four values held in (V a..a+1), (b..), (c..),
// (e..) into V22, one value per lane, using V16-V21 as scratch.
#define REDUCE4(a, b, c, e) \
	FADDP4(a+1, a, 16) \
	FADDP4(b+1, b, 17) \
	FADDP4(c+1, c, 18) \
	FADDP4(e+1, e, 19) \
	FADDP4(17, 16, 20) \
	FADDP4(19, 18, 21) \
	FADDP4(21, 20, 22)

#define ZERO16 \
	VEOR V0.B16, V0.B16, V0.B16 \
	VEOR V1.B16, V1.B16, V1.B16 \
	VEOR V2.B16, V2.B16, V2.B16 \
	VEOR V3.B16, V3.B16, V3.B16 \
	VEOR V4.B16, V4.B16, V4.B16 \
	VEOR V5.B16, V5.B16, V5.B16 \
	VEOR V6.B16, V6.B16, V6.B16 \
	VEOR V7.B16, V7.B16, V7.B16

#define ZERO16HI \
	VEOR V8.B16, V8.B16, V8.B16 \
	VEOR V9.B16, V9.B16, V9.B16 \
	VEOR V10.B16, V10.B16, V10.B16 \
	VEOR V11.B16, V11.B16, V11.B16 \
	VEOR V12.B16, V12.B16, V12.B16 \
	VEOR V13.B16, V13.B16, V13.B16 \
	VEOR V14.B16, V14.B16, V14.B16 \
	VEOR V15.B16, V15.B16, V15.B16

// ROWS1 is the body of the one-row kernels: x against four y rows. PREP
// may turn the loaded chunks (x: V16-V17, y: V20-V27) into differences;
// FMAS accumulates into V0-V7.
#define ROWS1(PREP, FMAS) \
	MOVD x+0(FP), R0 \
	MOVD y+8(FP), R2 \
	MOVD n4+16(FP), R3 \
	MOVD d+24(FP), R4 \
	MOVD out+32(FP), R5 \
	LSL  $2, R4, R7 \
next: \
	CBZ  R3, done \
	MOVD R0, R11 \
	MOVD R2, R13 \
	ADD  R7, R2, R8 \
	ADD  R7, R8, R9 \
	ADD  R7, R9, R10 \
	MOVD R4, R14 \
	ZERO16 \
loop: \
	VLD1.P 32(R11), [V16.S4, V17.S4] \
	VLD1.P 32(R13), [V20.S4, V21.S4] \
	VLD1.P 32(R8), [V22.S4, V23.S4] \
	VLD1.P 32(R9), [V24.S4, V25.S4] \
	VLD1.P 32(R10), [V26.S4, V27.S4] \
	PREP \
	FMAS \
	SUBS $8, R14, R14 \
	BNE  loop \
	REDUCE4(0, 2, 4, 6) \
	VST1.P [V22.S4], 16(R5) \
	MOVD R10, R2 \
	SUB  $1, R3, R3 \
	B    next \
done: \
	RET

#define NOPREP
#define FMAS_DOT \
	VFMLA V16.S4, V20.S4, V0.S4 \
	VFMLA V17.S4, V21.S4, V1.S4 \
	VFMLA V16.S4, V22.S4, V2.S4 \
	VFMLA V17.S4, V23.S4, V3.S4 \
	VFMLA V16.S4, V24.S4, V4.S4 \
	VFMLA V17.S4, V25.S4, V5.S4 \
	VFMLA V16.S4, V26.S4, V6.S4 \
	VFMLA V17.S4, V27.S4, V7.S4
#define FMAS_L2 \
	VFMLA V20.S4, V20.S4, V0.S4 \
	VFMLA V21.S4, V21.S4, V1.S4 \
	VFMLA V22.S4, V22.S4, V2.S4 \
	VFMLA V23.S4, V23.S4, V3.S4 \
	VFMLA V24.S4, V24.S4, V4.S4 \
	VFMLA V25.S4, V25.S4, V5.S4 \
	VFMLA V26.S4, V26.S4, V6.S4 \
	VFMLA V27.S4, V27.S4, V7.S4
#define DIFFS \
	FSUB4(16, 20, 20) \
	FSUB4(17, 21, 21) \
	FSUB4(16, 22, 22) \
	FSUB4(17, 23, 23) \
	FSUB4(16, 24, 24) \
	FSUB4(17, 25, 25) \
	FSUB4(16, 26, 26) \
	FSUB4(17, 27, 27)

// ONE is the single-pair kernel: V0/V1 accumulate, reduced like REDUCE4.
#define ONE(PREP, FMAS) \
	MOVD x+0(FP), R0 \
	MOVD y+8(FP), R1 \
	MOVD d+16(FP), R4 \
	VEOR V0.B16, V0.B16, V0.B16 \
	VEOR V1.B16, V1.B16, V1.B16 \
loop: \
	VLD1.P 32(R0), [V16.S4, V17.S4] \
	VLD1.P 32(R1), [V20.S4, V21.S4] \
	PREP \
	FMAS \
	SUBS $8, R4, R4 \
	BNE  loop \
	FADDP4(1, 0, 2) \
	FADDP4(2, 2, 3) \
	FADDP4(3, 3, 4) \
	FMOVS F4, ret+24(FP) \
	RET

#define DIFF1 \
	FSUB4(16, 20, 20) \
	FSUB4(17, 21, 21)
#define FMA1_DOT \
	VFMLA V16.S4, V20.S4, V0.S4 \
	VFMLA V17.S4, V21.S4, V1.S4
#define FMA1_L2 \
	VFMLA V20.S4, V20.S4, V0.S4 \
	VFMLA V21.S4, V21.S4, V1.S4

// func dotRows2NEON(x0, x1, y *float32, n4, d int, out0, out1 *float32)
TEXT ·dotRows2NEON(SB), NOSPLIT, $0-56
	MOVD x0+0(FP), R0
	MOVD x1+8(FP), R1
	MOVD y+16(FP), R2
	MOVD n4+24(FP), R3
	MOVD d+32(FP), R4
	MOVD out0+40(FP), R5
	MOVD out1+48(FP), R6
	LSL  $2, R4, R7

rows2Next:
	CBZ  R3, rows2Done
	MOVD R0, R11
	MOVD R1, R12
	MOVD R2, R13
	ADD  R7, R2, R8
	ADD  R7, R8, R9
	ADD  R7, R9, R10
	MOVD R4, R14
	ZERO16
	ZERO16HI

rows2Loop:
	VLD1.P 32(R11), [V16.S4, V17.S4]
	VLD1.P 32(R12), [V18.S4, V19.S4]
	VLD1.P 32(R13), [V20.S4, V21.S4]
	VLD1.P 32(R8), [V22.S4, V23.S4]
	VLD1.P 32(R9), [V24.S4, V25.S4]
	VLD1.P 32(R10), [V26.S4, V27.S4]
	VFMLA V16.S4, V20.S4, V0.S4
	VFMLA V17.S4, V21.S4, V1.S4
	VFMLA V16.S4, V22.S4, V2.S4
	VFMLA V17.S4, V23.S4, V3.S4
	VFMLA V16.S4, V24.S4, V4.S4
	VFMLA V17.S4, V25.S4, V5.S4
	VFMLA V16.S4, V26.S4, V6.S4
	VFMLA V17.S4, V27.S4, V7.S4
	VFMLA V18.S4, V20.S4, V8.S4
	VFMLA V19.S4, V21.S4, V9.S4
	VFMLA V18.S4, V22.S4, V10.S4
	VFMLA V19.S4, V23.S4, V11.S4
	VFMLA V18.S4, V24.S4, V12.S4
	VFMLA V19.S4, V25.S4, V13.S4
	VFMLA V18.S4, V26.S4, V14.S4
	VFMLA V19.S4, V27.S4, V15.S4
	SUBS $8, R14, R14
	BNE  rows2Loop

	REDUCE4(0, 2, 4, 6)
	VST1.P [V22.S4], 16(R5)
	REDUCE4(8, 10, 12, 14)
	VST1.P [V22.S4], 16(R6)
	MOVD R10, R2
	SUB  $1, R3, R3
	B    rows2Next

rows2Done:
	RET

// func dotRows1NEON(x, y *float32, n4, d int, out *float32)
TEXT ·dotRows1NEON(SB), NOSPLIT, $0-40
	ROWS1(NOPREP, FMAS_DOT)

// func l2RowsNEON(x, y *float32, n4, d int, out *float32)
TEXT ·l2RowsNEON(SB), NOSPLIT, $0-40
	ROWS1(DIFFS, FMAS_L2)

// func dot1NEON(x, y *float32, d int) float32
TEXT ·dot1NEON(SB), NOSPLIT, $0-28
	ONE(NOPREP, FMA1_DOT)

// func l2OneNEON(x, y *float32, d int) float32
TEXT ·l2OneNEON(SB), NOSPLIT, $0-28
	ONE(DIFF1, FMA1_L2)
