/*
 * calls: call-heavy fixed-point code, as an operating system's is: small functions that call
 * each other directly (bl ... blr) and through a table of function pointers (bctrl), each
 * doing a few instructions of work, for CALLS_N rounds (build-time, default 200,000), in real
 * mode. Code that runs a handful of instructions between a call and a return measures what a
 * translated branch out of one piece of code into another costs, where alu measures straight
 * loops. Prints a checksum; the benchmark builds it with a much larger CALLS_N.
 */
#include "rt.h"

#ifndef CALLS_N
#define CALLS_N 200000
#endif

typedef u64 (*step_fn)(u64, u64);

__attribute__((noinline)) static u64 mix(u64 x, u64 k)
{
	return (x ^ (x >> 29)) * 0xbf58476d1ce4e5b9UL + k;
}

__attribute__((noinline)) static u64 add_step(u64 x, u64 i)
{
	return mix(x + i, 1);
}

__attribute__((noinline)) static u64 xor_step(u64 x, u64 i)
{
	return mix(x ^ (i << 7), 2);
}

__attribute__((noinline)) static u64 rot_step(u64 x, u64 i)
{
	u64 r = (x << 13) | (x >> 51);
	return r + (i & 0xff);
}

__attribute__((noinline)) static u64 nested_step(u64 x, u64 i)
{
	return add_step(rot_step(x, i), i) ^ xor_step(x, i + 1);
}

/* A table the compiler cannot see through: the calls through it are indirect. */
static volatile step_fn steps[4] = { add_step, xor_step, rot_step, nested_step };

int main(void)
{
	u64 x = 0x0123456789abcdefUL, sum = 0;
	printf("calls: %lu rounds\n", (u64)CALLS_N);
	for (u64 i = 0; i < CALLS_N; i++) {
		x = nested_step(x, i);
		x = steps[i & 3](x, i);
		sum += mix(x, i);
	}
	printf("x: %016lx\n", x);
	printf("sum: %016lx\n", sum);
	pass("calls finished");
	return 0;
}
