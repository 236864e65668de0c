//go:build amd64 && !noasm

#include "textflag.h"

// func l2FromDotAVX2(row, norms *float32, n8 int, qn float32)
// Same operations and order as the Go loop: (qn + norm) - (ip + ip), then
// max(0, v) with NaN kept (VMAXPS returns its second source on NaN).
TEXT ·l2FromDotAVX2(SB), NOSPLIT, $0-28
	MOVQ row+0(FP), SI
	MOVQ norms+8(FP), DX
	MOVQ n8+16(FP), CX
	VBROADCASTSS qn+24(FP), Y1
	VXORPS Y5, Y5, Y5
	XORQ AX, AX

loop:
	CMPQ CX, $0
	JE   done
	VMOVUPS (SI)(AX*4), Y0
	VMOVUPS (DX)(AX*4), Y2
	VADDPS  Y2, Y1, Y3
	VADDPS  Y0, Y0, Y4
	VSUBPS  Y4, Y3, Y3
	VMAXPS  Y3, Y5, Y3
	VMOVUPS Y3, (SI)(AX*4)
	ADDQ $8, AX
	DECQ CX
	JMP  loop

done:
	VZEROUPPER
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

// func l2ArgMinAVX2(row, norms *float32, n8 int, qn float32, lanes *float32, idx *int32)
// Per lane: v as in l2FromDotAVX2; keep v and its index when v < the
// lane's best (strict, so the first occurrence stays; NaN never wins).
TEXT ·l2ArgMinAVX2(SB), NOSPLIT, $0-48
	MOVQ row+0(FP), SI
	MOVQ norms+8(FP), DX
	MOVQ n8+16(FP), CX
	VBROADCASTSS qn+24(FP), Y1
	VXORPS Y5, Y5, Y5           // zero, for max(0, v)
	MOVL $0x7f800000, AX
	MOVL AX, X8
	VBROADCASTSS X8, Y8         // lane best: +Inf
	VPXOR Y9, Y9, Y9            // lane best index
	VMOVDQU laneIndex<>(SB), Y10 // current indices
	MOVL $8, AX
	MOVL AX, X11
	VPBROADCASTD X11, Y11       // index step
	XORQ AX, AX

amLoop:
	VMOVUPS (SI)(AX*4), Y0
	VMOVUPS (DX)(AX*4), Y2
	VADDPS  Y2, Y1, Y3
	VADDPS  Y0, Y0, Y4
	VSUBPS  Y4, Y3, Y3
	VMAXPS  Y3, Y5, Y3
	VCMPPS  $1, Y8, Y3, Y12     // v < best (ordered)
	VBLENDVPS Y12, Y3, Y8, Y8
	VBLENDVPS Y12, Y10, Y9, Y9
	VPADDD  Y11, Y10, Y10
	ADDQ $8, AX
	DECQ CX
	JNE  amLoop

	MOVQ lanes+32(FP), DI
	VMOVUPS Y8, (DI)
	MOVQ idx+40(FP), DI
	VMOVDQU Y9, (DI)
	VZEROUPPER
	RET
