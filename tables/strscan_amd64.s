#include "textflag.h"

// The byte patterns blockMasks compares with: 16 backslashes, 16 quotes.
DATA backslashes<>+0(SB)/8, $0x5c5c5c5c5c5c5c5c
DATA backslashes<>+8(SB)/8, $0x5c5c5c5c5c5c5c5c
GLOBL backslashes<>(SB), RODATA|NOPTR, $16
DATA quotes<>+0(SB)/8, $0x2222222222222222
DATA quotes<>+8(SB)/8, $0x2222222222222222
GLOBL quotes<>(SB), RODATA|NOPTR, $16

// func masks64(p *byte) (bs, q uint64)
//
// SSE2, which every amd64 processor has: compare 16 bytes at a time with
// PCMPEQB and collect the byte results into bits with PMOVMSKB.
TEXT ·masks64(SB), NOSPLIT, $0-24
	MOVQ   p+0(FP), SI
	MOVOU  backslashes<>(SB), X8
	MOVOU  quotes<>(SB), X9
	MOVOU  0(SI), X0
	MOVOU  16(SI), X1
	MOVOU  32(SI), X2
	MOVOU  48(SI), X3
	MOVOU  X0, X4
	MOVOU  X1, X5
	MOVOU  X2, X6
	MOVOU  X3, X7
	PCMPEQB X8, X0
	PCMPEQB X8, X1
	PCMPEQB X8, X2
	PCMPEQB X8, X3
	PCMPEQB X9, X4
	PCMPEQB X9, X5
	PCMPEQB X9, X6
	PCMPEQB X9, X7
	PMOVMSKB X0, AX
	PMOVMSKB X1, BX
	PMOVMSKB X2, CX
	PMOVMSKB X3, DX
	SHLQ   $16, BX
	SHLQ   $32, CX
	SHLQ   $48, DX
	ORQ    BX, AX
	ORQ    DX, CX
	ORQ    CX, AX
	MOVQ   AX, bs+8(FP)
	PMOVMSKB X4, AX
	PMOVMSKB X5, BX
	PMOVMSKB X6, CX
	PMOVMSKB X7, DX
	SHLQ   $16, BX
	SHLQ   $32, CX
	SHLQ   $48, DX
	ORQ    BX, AX
	ORQ    DX, CX
	ORQ    CX, AX
	MOVQ   AX, q+16(FP)
	RET
