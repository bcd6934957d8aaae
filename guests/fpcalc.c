/*
 * fpcalc: ordinary C floating-point code as GCC -O2 compiles it for POWER9 with hardware
 * floating point (no VSX): a printf-style %f / %e / %g formatter written with double
 * arithmetic, and numeric kernels (matrix product and LU solve, series for pi and e, Newton
 * square roots, Horner polynomials, a Mandelbrot count, single-precision sums, conversions).
 * Every result is printed through the formatter and as its bits, so the output is exact.
 */
#include "rt.h"

#define MSR_FP (1UL << 13)
#ifndef HARMONIC_N
#define HARMONIC_N 100000
#endif

/* ---- a small formatter using double arithmetic ---------------------------------- */

static u64 bits_of(double d)
{
	union { double d; u64 u; } v = { .d = d };
	return v.u;
}

static int is_nan(double d)
{
	return d != d;
}

static int is_inf(double d)
{
	return !is_nan(d) && is_nan(d - d);
}

/* 10^n for 0 <= n <= 308, by repeated multiplication of exact powers. */
static double pow10(int n)
{
	double r = 1.0, p = 10.0;
	while (n) {
		if (n & 1)
			r *= p;
		p *= p;
		n >>= 1;
	}
	return r;
}

/* Writes the decimal digits of x (0 <= x < 2^53, an integer) into buf, returns the count. */
static int int_digits(double x, char *buf)
{
	char tmp[24];
	int n = 0;
	do {
		double q = (double)(long)(x / 10.0);
		int d = (int)(x - q * 10.0);
		tmp[n++] = (char)('0' + d);
		x = q;
	} while (x >= 1.0 && n < 23);
	for (int i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

static char *special(double x, char *out)
{
	if (is_nan(x))
		strcpy(out, "nan");
	else if (is_inf(x))
		strcpy(out, x < 0 ? "-inf" : "inf");
	else
		return NULL;
	return out;
}

/* %.<prec>f for |x| < 2^53 (larger values are printed with %e). */
static void fmt_f(double x, int prec, char *out)
{
	if (special(x, out))
		return;
	char *p = out;
	if (x < 0 || (x == 0 && 1.0 / x < 0)) {
		*p++ = '-';
		x = -x;
	}
	double scale = pow10(prec);
	double ip = (double)(long)x;
	double frac = (x - ip) * scale;
	double fr = (double)(long)(frac + 0.5);	/* round half up on the scaled fraction */
	if (fr >= scale) {
		fr -= scale;
		ip += 1.0;
	}
	p += int_digits(ip, p);
	if (prec) {
		*p++ = '.';
		char digits[24];
		int n = int_digits(fr, digits);
		for (int i = n; i < prec; i++)
			*p++ = '0';
		for (int i = 0; i < n; i++)
			*p++ = digits[i];
	}
	*p = 0;
}

/* %.<prec>e: the exponent found by comparisons with powers of ten, the digits by scaling. */
static void fmt_e(double x, int prec, char *out)
{
	if (special(x, out))
		return;
	char *p = out;
	if (x < 0 || (x == 0 && 1.0 / x < 0)) {
		*p++ = '-';
		x = -x;
	}
	int e = 0;
	if (x != 0) {
		while (x >= 10.0) {
			if (x >= 1e100) {
				x /= 1e100;
				e += 100;
			} else if (x >= 1e10) {
				x /= 1e10;
				e += 10;
			} else {
				x /= 10.0;
				e++;
			}
		}
		while (x < 1.0) {
			if (x < 1e-100) {
				x *= 1e100;
				e -= 100;
			} else if (x < 1e-10) {
				x *= 1e10;
				e -= 10;
			} else {
				x *= 10.0;
				e--;
			}
		}
	}
	double m = x * pow10(prec);
	double r = (double)(long)(m + 0.5);
	if (r >= pow10(prec + 1)) {
		r /= 10.0;
		e++;
	}
	char digits[24];
	int n = int_digits(r, digits);
	*p++ = digits[0];
	if (prec) {
		*p++ = '.';
		for (int i = 1; i < n; i++)
			*p++ = digits[i];
	}
	*p++ = 'e';
	*p++ = e < 0 ? '-' : '+';
	if (e < 0)
		e = -e;
	if (e >= 100)
		*p++ = (char)('0' + e / 100);
	*p++ = (char)('0' + e / 10 % 10);
	*p++ = (char)('0' + e % 10);
	*p = 0;
}

/* %g-like: %f for moderate magnitudes, %e otherwise. */
static void fmt_g(double x, char *out)
{
	double a = x < 0 ? -x : x;
	if (!is_nan(x) && !is_inf(x) && (a == 0 || (a >= 1e-4 && a < 1e15)))
		fmt_f(x, 6, out);
	else
		fmt_e(x, 9, out);
}

static void show(const char *what, double x)
{
	char f[64], e[64], g[64];
	fmt_f(x < 9e15 && x > -9e15 ? x : 0, 4, f);
	fmt_e(x, 12, e);
	fmt_g(x, g);
	printf("%-22s %s  %s  %s  [%016lx]\n", what, g, e, f, bits_of(x));
}

/* ---- kernels ---------------------------------------------------------------------- */

#define N 20
static double A[N][N], B[N][N], C[N][N];

static void matrix(void)
{
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			A[i][j] = 1.0 / (i + j + 1);		/* Hilbert */
			B[i][j] = (i == j ? 2.0 : 0.0) + (double)((i * 7 + j * 3) % 11) / 13.0;
		}
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			double s = 0;
			for (int k = 0; k < N; k++)
				s += A[i][k] * B[k][j];
			C[i][j] = s;
		}
	double tr = 0, sum = 0;
	for (int i = 0; i < N; i++) {
		tr += C[i][i];
		for (int j = 0; j < N; j++)
			sum += C[i][j];
	}
	show("matmul trace", tr);
	show("matmul sum", sum);

	/* Solve B x = 1 by LU with partial pivoting. */
	double L[N][N + 1];
	for (int i = 0; i < N; i++) {
		for (int j = 0; j < N; j++)
			L[i][j] = B[i][j];
		L[i][N] = 1.0;
	}
	for (int c = 0; c < N; c++) {
		int piv = c;
		for (int r = c + 1; r < N; r++)
			if ((L[r][c] < 0 ? -L[r][c] : L[r][c]) > (L[piv][c] < 0 ? -L[piv][c] : L[piv][c]))
				piv = r;
		for (int j = 0; j <= N; j++) {
			double t = L[c][j];
			L[c][j] = L[piv][j];
			L[piv][j] = t;
		}
		for (int r = c + 1; r < N; r++) {
			double f = L[r][c] / L[c][c];
			for (int j = c; j <= N; j++)
				L[r][j] -= f * L[c][j];
		}
	}
	double x[N], norm = 0;
	for (int i = N - 1; i >= 0; i--) {
		double s = L[i][N];
		for (int j = i + 1; j < N; j++)
			s -= L[i][j] * x[j];
		x[i] = s / L[i][i];
		norm += x[i] * x[i];
	}
	show("lu x[0]", x[0]);
	show("lu |x|^2", norm);
}

static double newton_sqrt(double a)
{
	double x = a > 1 ? a / 2 : 1.0;
	for (int i = 0; i < 60; i++)
		x = 0.5 * (x + a / x);
	return x;
}

static void series(void)
{
	/* pi by Machin's formula, arctan by its series */
	double pi = 0;
	double x = 1.0 / 5, x2 = x * x, t = x;
	for (int k = 0; k < 30; k++, t *= x2)
		pi += 16.0 * (k & 1 ? -t : t) / (2 * k + 1);
	x = 1.0 / 239, x2 = x * x, t = x;
	for (int k = 0; k < 10; k++, t *= x2)
		pi -= 4.0 * (k & 1 ? -t : t) / (2 * k + 1);
	show("pi (Machin)", pi);
	double e = 1, term = 1;
	for (int k = 1; k < 25; k++) {
		term /= k;
		e += term;
	}
	show("e (series)", e);
	show("sqrt(2) Newton", newton_sqrt(2.0));
	show("sqrt(1e-300) Newton", newton_sqrt(1e-300));
	show("sqrt(2) hardware", __builtin_sqrt(2.0));
	/* Horner: exp(x) to 20 terms at x = -7.5, sin(x) near pi */
	double c[21];
	c[0] = 1;
	for (int k = 1; k <= 20; k++)
		c[k] = c[k - 1] / k;
	double xe = -7.5, p = 0;
	for (int k = 20; k >= 0; k--)
		p = p * xe + c[k];
	show("exp(-7.5) Horner", p);
	double s = 0, xs = 3.14159, sign = 1, pw = xs, fact = 1;
	for (int k = 1; k < 40; k += 2) {
		s += sign * pw / fact;
		sign = -sign;
		pw *= xs * xs;
		fact *= (k + 1) * (k + 2);
	}
	show("sin(3.14159)", s);
	/* harmonic sums, forwards and backwards, double and single */
	double hf = 0, hb = 0;
	float sf = 0, sb = 0;
	for (int k = 1; k <= HARMONIC_N; k++) {
		hf += 1.0 / k;
		sf += 1.0f / (float)k;
	}
	for (int k = HARMONIC_N; k >= 1; k--) {
		hb += 1.0 / k;
		sb += 1.0f / (float)k;
	}
	show("harmonic fwd", hf);
	show("harmonic bwd", hb);
	show("harmonic fwd float", sf);
	show("harmonic bwd float", sb);
}

static void mandelbrot(void)
{
	long total = 0;
	for (int py = 0; py < 24; py++)
		for (int px = 0; px < 64; px++) {
			double cr = -2.2 + px * (3.2 / 64), ci = -1.2 + py * (2.4 / 24);
			double zr = 0, zi = 0;
			int it = 0;
			while (it < 200 && zr * zr + zi * zi <= 4.0) {
				double t = zr * zr - zi * zi + cr;
				zi = 2 * zr * zi + ci;
				zr = t;
				it++;
			}
			total += it;
		}
	printf("mandelbrot iterations  %ld\n", total);
}

static void conversions(void)
{
	static const double v[] = { 0.5, -0.5, 1.5, 2.5, -2.5, 1e10, -1e10, 123456789.987654321, 4294967295.5,
				    -2147483648.75, 9.007199254740993e15, 1e-310, -0.0, 3.4028235677973366e38,
				    1.401298464324817e-45 };
	for (unsigned i = 0; i < ARRAY_SIZE(v); i++) {
		double d = v[i];
		long l = (long)d;
		int w = (int)(d > 2147483647.0 ? 0 : d < -2147483648.0 ? 0 : d);
		unsigned long u = d < 0 ? 0 : d >= 18446744073709551616.0 ? 0 : (unsigned long)d;
		float f = (float)d;
		double back = (double)l + (double)u;
		char g[64];
		fmt_g(d, g);
		printf("conv %-24s l=%ld w=%d u=%lu f=%08x back=%016lx\n", g, l, w, u, (u32)bits_of((double)f) ^
		       (u32)(bits_of((double)f) >> 32), bits_of(back));
	}
	/* formatter on awkward values */
	static const double w[] = { 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 1e22, 1e23, 5e-324, 2.2250738585072014e-308,
				    1.7976931348623157e308, 123.456, -9.999999, 0.00049999, 6.02214076e23 };
	for (unsigned i = 0; i < ARRAY_SIZE(w); i++) {
		char label[16];
		snprintf(label, sizeof(label), "value %u", i);
		show(label, w[i]);
	}
	double z = 0;
	show("1/0", 1.0 / z);
	show("-1/0", -1.0 / z);
	show("0/0 sign cleared", __builtin_fabs(z / z));
}

static int __attribute__((noinline)) run(void)
{
	matrix();
	series();
	mandelbrot();
	conversions();
	pass("fpcalc ran");
	finish();
}

int main(void)
{
	/* Floating point must be on before any function that may save FPRs runs. */
	mtmsrd(mfmsr() | MSR_FP);
	return run();
}
