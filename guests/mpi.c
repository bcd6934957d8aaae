/*
 * mpi: multi-precision integer arithmetic as an operating system's public-key code does it, in
 * real mode: 2048-bit numbers (32 limbs of 64 bits) multiplied limb by limb and reduced modulo a
 * fixed odd modulus by Montgomery's method, MPI_N times (build-time, default 2,000). The 128-bit
 * products are formed from four 64-bit multiplies of 32-bit halves, with the carries propagated
 * by compares, as portable C without a 128-bit type computes them: the instruction mix of a Linux
 * kernel's RSA self-tests and certificate checks (mulld, carrying adds and subtracts, loads and
 * stores of limbs, a loop a limb). Prints a checksum of the result.
 */
#include "rt.h"

#ifndef MPI_N
#define MPI_N 2000
#endif

#define LIMBS 32

/* The 128-bit product of a and b as hi:lo, from the four products of their 32-bit halves. */
static inline u64 mul_wide(u64 a, u64 b, u64 *lo)
{
	u64 al = (u32)a, ah = a >> 32, bl = (u32)b, bh = b >> 32;
	u64 low = al * bl, mid1 = al * bh, mid2 = ah * bl, high = ah * bh;
	u64 mid = (low >> 32) + mid1;   /* cannot carry: at most (2^32-1)^2 + 2^32-1 */
	mid += mid2;
	if (mid < mid2)
		high += 1UL << 32;      /* the middle sum carried into bit 64 */
	*lo = (mid << 32) | (u32)low;
	return high + (mid >> 32);
}

/* s * m + carry as hi:lo, the step of both limb loops below. */
static inline u64 mul_carry(u64 s, u64 m, u64 carry, u64 *lo)
{
	u64 hi = mul_wide(s, m, lo);
	*lo += carry;
	return hi + (*lo < carry);
}

/* r[0..n) += s[0..n) * m; returns the limb carried out. */
static __attribute__((noinline)) u64 add_mul(u64 *r, const u64 *s, long n, u64 m)
{
	u64 carry = 0;
	for (long i = 0; i < n; i++) {
		u64 lo, hi = mul_carry(s[i], m, carry, &lo);
		u64 t = r[i] + lo;
		r[i] = t;
		carry = hi + (t < lo);
	}
	return carry;
}

/* r[0..n) -= s[0..n) * m; returns the limb borrowed. */
static __attribute__((noinline)) u64 sub_mul(u64 *r, const u64 *s, long n, u64 m)
{
	u64 borrow = 0;
	for (long i = 0; i < n; i++) {
		u64 lo, hi = mul_carry(s[i], m, borrow, &lo);
		u64 t = r[i] - lo;
		borrow = hi + (t > r[i]);
		r[i] = t;
	}
	return borrow;
}

/* r[0..n) -= s[0..n); returns the borrow. */
static u64 sub_n(u64 *r, const u64 *s, long n)
{
	u64 borrow = 0;
	for (long i = 0; i < n; i++) {
		u64 a = r[i], d = a - s[i] - borrow;
		borrow = (a < s[i]) | ((a == s[i]) & borrow);
		r[i] = d;
	}
	return borrow;
}

static int less_than(const u64 *a, const u64 *b, long n)
{
	for (long i = n - 1; i >= 0; i--)
		if (a[i] != b[i])
			return a[i] < b[i];
	return 0;
}

static u64 modulus[LIMBS];
static u64 minv; /* -modulus^-1 mod 2^64 */

/* out = a * b / 2^(64*LIMBS) mod modulus (Montgomery's product; a and b below the modulus). */
static void mont_mul(u64 *out, const u64 *a, const u64 *b)
{
	u64 t[2 * LIMBS + 1];
	for (int i = 0; i < 2 * LIMBS + 1; i++)
		t[i] = 0;
	for (int i = 0; i < LIMBS; i++) {
		u64 c = add_mul(t + i, a, LIMBS, b[i]);
		for (int k = i + LIMBS; c; k++) {
			t[k] += c;
			c = t[k] < c;
		}
	}
	for (int i = 0; i < LIMBS; i++) {
		u64 q = t[i] * minv;
		u64 c = add_mul(t + i, modulus, LIMBS, q);
		for (int k = i + LIMBS; c; k++) {
			t[k] += c;
			c = t[k] < c;
		}
	}
	u64 *r = t + LIMBS;
	if (r[LIMBS] || !less_than(r, modulus, LIMBS))
		sub_n(r, modulus, LIMBS);
	for (int i = 0; i < LIMBS; i++)
		out[i] = r[i];
}

static u64 state = 0x9e3779b97f4a7c15UL;

static u64 next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

int main(void)
{
	u64 x[LIMBS], y[LIMBS], z[LIMBS];
	printf("mpi: %lu Montgomery products of %d-bit numbers\n", (u64)MPI_N, LIMBS * 64);
	for (int i = 0; i < LIMBS; i++)
		modulus[i] = next();
	modulus[0] |= 1;
	modulus[LIMBS - 1] |= 1UL << 63;
	/* Newton's iteration for the inverse of an odd number modulo 2^64. */
	u64 inv = modulus[0];
	for (int i = 0; i < 6; i++)
		inv *= 2 - modulus[0] * inv;
	if (inv * modulus[0] != 1) {
		printf("FAIL: modulus inverse\n");
		return 1;
	}
	minv = -inv;
	for (int i = 0; i < LIMBS; i++) {
		x[i] = next();
		y[i] = next();
	}
	x[LIMBS - 1] >>= 1;
	y[LIMBS - 1] >>= 1;
	for (long n = 0; n < MPI_N; n++) {
		mont_mul(z, x, y);
		mont_mul(x, z, z);
		/* A multiply-subtract as the long division of a reduction does it, result kept below the modulus. */
		u64 w[LIMBS];
		for (int i = 0; i < LIMBS; i++)
			w[i] = x[i];
		if (sub_mul(w, y, LIMBS, z[0] & 0xffff) == 0 && less_than(w, modulus, LIMBS))
			for (int i = 0; i < LIMBS; i++)
				y[i] = w[i];
	}
	u64 sum = 0;
	for (int i = 0; i < LIMBS; i++)
		sum = (sum << 7 | sum >> 57) ^ x[i] ^ y[i];
	printf("checksum: %016lx\n", sum);
	pass("mpi products finished");
	return 0;
}
