#include "textflag.h"

// func pairIndexAsm(s []byte, a, b, ma, mb byte) int
//
// The first i with s[i]|ma == a and s[i+1]|mb == b among the i for which
// s[i:i+17] is in s, or -1; the caller looks at the last 16 bytes. SSE2:
// 16 positions per step, from two loads one byte apart.
TEXT ·pairIndexAsm(SB), NOSPLIT, $0-40
	MOVQ s_base+0(FP), SI
	MOVQ s_len+8(FP), CX
	// Broadcast a, b, ma and mb into X4..X7.
	MOVBQZX a+24(FP), AX
	MOVQ    $0x0101010101010101, DX
	IMULQ   DX, AX
	MOVQ    AX, X4
	PUNPCKLQDQ X4, X4
	MOVBQZX b+25(FP), AX
	IMULQ   DX, AX
	MOVQ    AX, X5
	PUNPCKLQDQ X5, X5
	MOVBQZX ma+26(FP), AX
	IMULQ   DX, AX
	MOVQ    AX, X6
	PUNPCKLQDQ X6, X6
	MOVBQZX mb+27(FP), AX
	IMULQ   DX, AX
	MOVQ    AX, X7
	PUNPCKLQDQ X7, X7
	XORQ    DI, DI // i
	SUBQ    $16, CX // the last i with s[i+16] in s
loop:
	CMPQ    DI, CX
	JGE     none
	MOVOU   (SI)(DI*1), X0
	MOVOU   1(SI)(DI*1), X1
	POR     X6, X0
	POR     X7, X1
	PCMPEQB X4, X0
	PCMPEQB X5, X1
	PAND    X1, X0
	PMOVMSKB X0, AX
	TESTL   AX, AX
	JNZ     found
	ADDQ    $16, DI
	JMP     loop
found:
	BSFL    AX, AX
	ADDQ    DI, AX
	MOVQ    AX, ret+32(FP)
	RET
none:
	MOVQ    $-1, ret+32(FP)
	RET
