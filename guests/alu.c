/*
 * alu: a tight loop of fixed-point work (adds, xors, rotates, multiplies, shifts, compares and
 * a data-dependent branch) for ALU_N iterations (build-time, default 2,000,000), in real mode.
 * Prints a checksum; the benchmark builds it with a much larger ALU_N.
 */
#include "rt.h"

#ifndef ALU_N
#define ALU_N 2000000
#endif

static inline u64 rotl(u64 x, int r)
{
	return (x << r) | (x >> (64 - r));
}

int main(void)
{
	u64 a = 0x0123456789abcdefUL, b = 0xfedcba9876543210UL, c = 1, odd = 0;
	printf("alu: %lu iterations\n", (u64)ALU_N);
	for (u64 i = 0; i < ALU_N; i++) {
		a += b ^ i;
		b = rotl(b, 7) ^ a;
		c = c * 0x5851f42d4c957f2dUL + (a >> 3);
		if (c & 0x10)
			odd++;
		else
			a ^= c;
	}
	printf("a: %016lx\n", a);
	printf("b: %016lx\n", b);
	printf("c: %016lx\n", c);
	printf("odd: %lu\n", odd);
	pass("alu loop finished");
	return 0;
}
