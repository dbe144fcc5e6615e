//go:build amd64 && !purego

#include "textflag.h"

// func mixAVX512(hs, a, b, sig []uint64)
//
// For each block of eight permutations: load a, b and sig into Z0, Z1
// and Z2/Z3 (two running minima), then for every shingle hash h
// broadcast from memory: Z2 = min(Z2, a*h + b), unsigned and wrapping,
// four shingles per loop turn.
TEXT ·mixAVX512(SB), NOSPLIT, $0-96
	MOVQ hs_base+0(FP), SI
	MOVQ hs_len+8(FP), CX
	MOVQ a_base+24(FP), R8
	MOVQ b_base+48(FP), R9
	MOVQ sig_base+72(FP), DI
	MOVQ sig_len+80(FP), DX
	SHRQ $3, DX
	TESTQ CX, CX
	JZ done
	TESTQ DX, DX
	JZ done

block:
	VMOVDQU64 (R8), Z0
	VMOVDQU64 (R9), Z1
	VMOVDQU64 (DI), Z2
	VMOVDQA64 Z2, Z3
	MOVQ SI, R10
	MOVQ CX, R11

four:
	CMPQ R11, $4
	JB one
	VPMULLQ.BCST (R10), Z0, Z4
	VPMULLQ.BCST 8(R10), Z0, Z5
	VPMULLQ.BCST 16(R10), Z0, Z6
	VPMULLQ.BCST 24(R10), Z0, Z7
	VPADDQ Z1, Z4, Z4
	VPADDQ Z1, Z5, Z5
	VPADDQ Z1, Z6, Z6
	VPADDQ Z1, Z7, Z7
	VPMINUQ Z4, Z2, Z2
	VPMINUQ Z5, Z3, Z3
	VPMINUQ Z6, Z2, Z2
	VPMINUQ Z7, Z3, Z3
	ADDQ $32, R10
	SUBQ $4, R11
	JMP four

one:
	TESTQ R11, R11
	JZ store
	VPMULLQ.BCST (R10), Z0, Z4
	VPADDQ Z1, Z4, Z4
	VPMINUQ Z4, Z2, Z2
	ADDQ $8, R10
	DECQ R11
	JMP one

store:
	VPMINUQ Z3, Z2, Z2
	VMOVDQU64 Z2, (DI)
	ADDQ $64, R8
	ADDQ $64, R9
	ADDQ $64, DI
	DECQ DX
	JNZ block

done:
	VZEROUPPER
	RET
