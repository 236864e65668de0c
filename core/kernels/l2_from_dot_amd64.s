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
