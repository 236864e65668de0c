//go:build arm64 && !noasm

#include "textflag.h"

// NEON micro-kernel of GemmPacked: a 14 x 32 block is computed as 7 + 7
// rows by four strips of 8 columns. V0-V13 hold the sums (row i in
// V(2i), V(2i+1)), V16-V17 the strip's 8 panel values of the current k,
// V18-V19 the broadcast x values (alternating), V20-V21 c's values when
// adding. Each value is summed exactly as the AVX-512 and AVX2 kernels sum
// it (fused multiply-adds in k order, then one addition to c), so every
// level gives the same bits.

// FADD4 is the vector FADD (4 x float32), which Go's assembler does not
// name: d = n + m.
#define FADD4(m, n, d) WORD $(0x4E20D400 | ((m)<<16) | ((n)<<5) | (d))

// func gemm7x8NEON(a, b *float32, d int, c *float32, ldc int, add int)
TEXT ·gemm7x8NEON(SB), NOSPLIT, $0-48
	MOVD a+0(FP), R0
	MOVD b+8(FP), R1
	MOVD d+16(FP), R3
	MOVD c+24(FP), R2
	MOVD ldc+32(FP), R8
	LSL  $2, R8, R8
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
loop:
	VLD1 (R1), [V16.S4, V17.S4]
	ADD  $128, R1
	VLD1R.P 4(R0), [V18.S4]
	VFMLA V16.S4, V18.S4, V0.S4
	VFMLA V17.S4, V18.S4, V1.S4
	VLD1R.P 4(R0), [V19.S4]
	VFMLA V16.S4, V19.S4, V2.S4
	VFMLA V17.S4, V19.S4, V3.S4
	VLD1R.P 4(R0), [V18.S4]
	VFMLA V16.S4, V18.S4, V4.S4
	VFMLA V17.S4, V18.S4, V5.S4
	VLD1R.P 4(R0), [V19.S4]
	VFMLA V16.S4, V19.S4, V6.S4
	VFMLA V17.S4, V19.S4, V7.S4
	VLD1R.P 4(R0), [V18.S4]
	VFMLA V16.S4, V18.S4, V8.S4
	VFMLA V17.S4, V18.S4, V9.S4
	VLD1R.P 4(R0), [V19.S4]
	VFMLA V16.S4, V19.S4, V10.S4
	VFMLA V17.S4, V19.S4, V11.S4
	VLD1R.P 4(R0), [V18.S4]
	VFMLA V16.S4, V18.S4, V12.S4
	VFMLA V17.S4, V18.S4, V13.S4
	ADD  $28, R0 // the sliver's other 7 rows
	SUBS $1, R3
	BNE  loop
	MOVD add+40(FP), R4
	CBNZ R4, accumulate
	VST1 [V0.S4, V1.S4], (R2)
	ADD  R8, R2
	VST1 [V2.S4, V3.S4], (R2)
	ADD  R8, R2
	VST1 [V4.S4, V5.S4], (R2)
	ADD  R8, R2
	VST1 [V6.S4, V7.S4], (R2)
	ADD  R8, R2
	VST1 [V8.S4, V9.S4], (R2)
	ADD  R8, R2
	VST1 [V10.S4, V11.S4], (R2)
	ADD  R8, R2
	VST1 [V12.S4, V13.S4], (R2)
	RET
accumulate:
	VLD1 (R2), [V20.S4, V21.S4]
	FADD4(20, 0, 0)
	FADD4(21, 1, 1)
	VST1 [V0.S4, V1.S4], (R2)
	ADD  R8, R2
	VLD1 (R2), [V20.S4, V21.S4]
	FADD4(20, 2, 2)
	FADD4(21, 3, 3)
	VST1 [V2.S4, V3.S4], (R2)
	ADD  R8, R2
	VLD1 (R2), [V20.S4, V21.S4]
	FADD4(20, 4, 4)
	FADD4(21, 5, 5)
	VST1 [V4.S4, V5.S4], (R2)
	ADD  R8, R2
	VLD1 (R2), [V20.S4, V21.S4]
	FADD4(20, 6, 6)
	FADD4(21, 7, 7)
	VST1 [V6.S4, V7.S4], (R2)
	ADD  R8, R2
	VLD1 (R2), [V20.S4, V21.S4]
	FADD4(20, 8, 8)
	FADD4(21, 9, 9)
	VST1 [V8.S4, V9.S4], (R2)
	ADD  R8, R2
	VLD1 (R2), [V20.S4, V21.S4]
	FADD4(20, 10, 10)
	FADD4(21, 11, 11)
	VST1 [V10.S4, V11.S4], (R2)
	ADD  R8, R2
	VLD1 (R2), [V20.S4, V21.S4]
	FADD4(20, 12, 12)
	FADD4(21, 13, 13)
	VST1 [V12.S4, V13.S4], (R2)
	RET
