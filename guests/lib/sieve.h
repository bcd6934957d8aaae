/*
 * The sieve of Eratosthenes over odd numbers, one byte each, that the sieve
 * guests run: the count, sum and hash of the primes below n, in the array
 * at odd (n/2 bytes; odd[i] stands for 2i+1).
 */
#ifndef SIEVE_H
#define SIEVE_H
#include "rt.h"

static inline void sieve_primes(u8 *odd, u64 n, u64 *count, u64 *sum, u64 *hash)
{
	u64 half = n / 2;
	memset(odd, 1, half);
	odd[0] = 0;			/* 1 is not prime */
	for (u64 i = 1; (2 * i + 1) * (2 * i + 1) < n; i++) {
		if (!odd[i])
			continue;
		u64 p = 2 * i + 1;
		for (u64 j = (p * p) / 2; j < half; j += p)
			odd[j] = 0;
	}
	u64 c = 0, s = 0, h = FOLD_INIT;
	if (n > 2) {
		c = 1;
		s = 2;
		h = fold(h, 2);
	}
	for (u64 i = 1; i < half; i++) {
		if (odd[i]) {
			u64 p = 2 * i + 1;
			c++;
			s += p;
			h = fold(h, p);
		}
	}
	*count = c;
	*sum = s;
	*hash = h;
}
#endif
