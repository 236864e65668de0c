//go:build amd64 && !noasm

#include "textflag.h"

// v <= t for unsigned words is min(v, t) == v.

// func countAtMost16AVX2(keys *uint16, n16 int, t uint16) int
// Sixteen compares a step; each true word sets two mask bits.
TEXT ·countAtMost16AVX2(SB), NOSPLIT, $0-32
	MOVQ         keys+0(FP), SI
	MOVQ         n16+8(FP), CX
	VPBROADCASTW t+16(FP), Y1
	XORQ         AX, AX

camLoop:
	VMOVDQU   (SI), Y0
	VPMINUW   Y1, Y0, Y2
	VPCMPEQW  Y0, Y2, Y2
	VPMOVMSKB Y2, DX
	POPCNTL   DX, DX
	ADDQ      DX, AX
	ADDQ      $32, SI
	DECQ      CX
	JNZ       camLoop
	SHRQ      $1, AX
	MOVQ      AX, ret+24(FP)
	VZEROUPPER
	RET

// func maskAtMost16AVX2(keys *uint16, ngroups int, t uint16, masks *uint32)
// A group's two halves of compare words are packed to bytes (the pack
// interleaves 128-bit lanes; VPERMQ puts them back in order).
TEXT ·maskAtMost16AVX2(SB), NOSPLIT, $0-32
	MOVQ         keys+0(FP), SI
	MOVQ         ngroups+8(FP), CX
	VPBROADCASTW t+16(FP), Y1
	MOVQ         masks+24(FP), DI

mamLoop:
	VMOVDQU   (SI), Y0
	VMOVDQU   32(SI), Y3
	VPMINUW   Y1, Y0, Y2
	VPCMPEQW  Y0, Y2, Y2
	VPMINUW   Y1, Y3, Y4
	VPCMPEQW  Y3, Y4, Y4
	VPACKSSWB Y4, Y2, Y5
	VPERMQ    $0xD8, Y5, Y5
	VPMOVMSKB Y5, DX
	MOVL      DX, (DI)
	ADDQ      $64, SI
	ADDQ      $4, DI
	DECQ      CX
	JNZ       mamLoop
	VZEROUPPER
	RET
