/*
 * memstr: the runtime's C memory and string functions over many sizes and
 * alignments. Each function is compared with a byte-at-a-time reference
 * written here, and a checksum over every result is printed.
 */
#include "rt.h"

#define BUF 4096
static u8 a[BUF + 64] __attribute__((aligned(64)));
static u8 b[BUF + 64] __attribute__((aligned(64)));
static u8 ref[BUF + 64] __attribute__((aligned(64)));
static u64 seed = 0x9e3779b97f4a7c15UL;

static const size_t sizes[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65,
				100, 127, 128, 129, 255, 256, 257, 511, 1000, 1024, 2047, 4000 };

static void fill(u8 *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (u8)rnd_next(&seed);
}

static u64 fold_buf(u64 h, const u8 *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = fold(h, p[i]);
	return h;
}

static void ref_move(u8 *d, const u8 *s, size_t n)
{
	u8 tmp[BUF + 64];
	for (size_t i = 0; i < n; i++)
		tmp[i] = s[i];
	for (size_t i = 0; i < n; i++)
		d[i] = tmp[i];
}

static int sign(int x)
{
	return x < 0 ? -1 : x > 0;
}

static void report(const char *name, int bad, u64 h)
{
	printf("%-8s checksum %016lx\n", name, h);
	check(!bad, "%s agrees with the reference", name);
}

static void t_memset(void)
{
	u64 h = FOLD_INIT;
	int bad = 0;
	for (unsigned s = 0; s < ARRAY_SIZE(sizes); s++)
		for (int al = 0; al < 8; al++) {
			size_t n = sizes[s];
			int c = (int)(rnd_next(&seed) & 0xff);
			fill(a, BUF + 64);
			for (size_t i = 0; i < BUF + 64; i++)
				ref[i] = a[i];
			void *r = memset(a + al, c, n);
			for (size_t i = 0; i < n; i++)
				ref[al + i] = (u8)c;
			bad |= r != a + al || memcmp(a, ref, BUF + 64) != 0;
			h = fold_buf(h, a, n + 16);
		}
	report("memset", bad, h);
}

static void t_memcpy(void)
{
	u64 h = FOLD_INIT;
	int bad = 0;
	for (unsigned s = 0; s < ARRAY_SIZE(sizes); s++)
		for (int da = 0; da < 8; da++)
			for (int sa = 0; sa < 8; sa += 3) {
				size_t n = sizes[s];
				fill(a, BUF + 64);
				fill(b, BUF + 64);
				for (size_t i = 0; i < BUF + 64; i++)
					ref[i] = b[i];
				void *r = memcpy(b + da, a + sa, n);
				for (size_t i = 0; i < n; i++)
					ref[da + i] = a[sa + i];
				bad |= r != b + da || memcmp(b, ref, BUF + 64) != 0;
				h = fold_buf(h, b, n + 16);
			}
	report("memcpy", bad, h);
}

static void t_memmove(void)
{
	u64 h = FOLD_INIT;
	int bad = 0;
	static const int shifts[] = { -9, -8, -7, -1, 0, 1, 3, 8, 13 };
	for (unsigned s = 0; s < ARRAY_SIZE(sizes); s++)
		for (unsigned k = 0; k < ARRAY_SIZE(shifts); k++) {
			size_t n = sizes[s] > BUF - 64 ? BUF - 64 : sizes[s];
			int src = 24, dst = 24 + shifts[k];
			fill(a, BUF + 64);
			for (size_t i = 0; i < BUF + 64; i++)
				ref[i] = a[i];
			void *r = memmove(a + dst, a + src, n);
			ref_move(ref + dst, ref + src, n);
			bad |= r != a + dst || memcmp(a, ref, BUF + 64) != 0;
			h = fold_buf(h, a, n + 48);
		}
	report("memmove", bad, h);
}

static void t_memcmp_memchr(void)
{
	u64 h = FOLD_INIT;
	int bad = 0;
	for (unsigned s = 0; s < ARRAY_SIZE(sizes); s++)
		for (int al = 0; al < 8; al++) {
			size_t n = sizes[s];
			fill(a, BUF + 64);
			for (size_t i = 0; i < BUF + 64; i++)
				b[i] = a[i];
			size_t at = n ? (size_t)(rnd_next(&seed) % n) : 0;
			if (n)
				b[al + at] ^= (u8)(1 + (rnd_next(&seed) & 0x7f));
			int r = memcmp(a + al, b + al, n);
			int want = n ? (a[al + at] < b[al + at] ? -1 : 1) : 0;
			bad |= sign(r) != want;
			h = fold(h, (u64)(s64)sign(r));
			bad |= memcmp(a + al, a + al, n) != 0;

			u8 c = n ? a[al + at] : 0x5a;
			u8 *m = memchr(a + al, c, n);
			u8 *wantp = NULL;
			for (size_t i = 0; i < n; i++)
				if (a[al + i] == c) {
					wantp = a + al + i;
					break;
				}
			bad |= m != wantp;
			h = fold(h, m ? (u64)(m - a) : ~0UL);
		}
	report("memcmp", bad, h);
}

static void make_string(char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (char)('a' + rnd_next(&seed) % 26);
	p[len] = '\0';
}

static void t_strings(void)
{
	u64 hl = FOLD_INIT, hc = FOLD_INIT, hch = FOLD_INIT;
	int badl = 0, badc = 0, badch = 0;
	for (unsigned s = 0; s < ARRAY_SIZE(sizes); s++)
		for (int al = 0; al < 8; al++) {
			size_t n = sizes[s];
			char *x = (char *)a + al, *y = (char *)b + (7 - al);
			make_string(x, n);
			/* strlen, strnlen */
			size_t l = strlen(x);
			badl |= l != n || strnlen(x, n / 2) != n / 2 || strnlen(x, n + 5) != n;
			hl = fold(hl, l);
			/* strcmp, strncmp: equal, then differ at a random place */
			strcpy(y, x);
			badc |= strcmp(x, y) != 0 || strncmp(x, y, n + 3) != 0;
			if (n) {
				size_t at = (size_t)(rnd_next(&seed) % n);
				y[at] = (char)(y[at] == 'z' ? 'a' : y[at] + 1);
				int want = x[at] < y[at] ? -1 : 1;
				int r = strcmp(x, y);
				badc |= sign(r) != want || sign(strcmp(y, x)) != -want;
				badc |= strncmp(x, y, at) != 0 || sign(strncmp(x, y, at + 1)) != want;
				hc = fold(hc, (u64)(s64)r ^ at);
				y[at] = '\0';
				badc |= strcmp(x, y) <= 0;	/* a prefix sorts first */
			}
			/* strchr, strrchr */
			int c = 'a' + (int)(rnd_next(&seed) % 26);
			char *f = strchr(x, c), *lst = strrchr(x, c);
			char *wf = NULL, *wl = NULL;
			for (size_t i = 0; i < n; i++)
				if (x[i] == c) {
					if (!wf)
						wf = x + i;
					wl = x + i;
				}
			badch |= f != wf || lst != wl || strchr(x, '\0') != x + n;
			hch = fold(hch, f ? (u64)(f - x) : ~0UL);
			hch = fold(hch, lst ? (u64)(lst - x) : ~0UL);
		}
	report("strlen", badl, hl);
	report("strcmp", badc, hc);
	report("strchr", badch, hch);
}

static void t_snprintf(void)
{
	char buf[128];
	u64 h = FOLD_INIT;
	int bad = 0;
	snprintf(buf, sizeof(buf), "[%5d|%-5d|%05u|%x|%08lx|%c|%s|%-4s|%3s]", -42, 7, 99u, 0xabcu,
		 0xdeadbeefUL, 'q', "str", "ab", "abcdef");
	printf("snprintf: %s\n", buf);
	bad |= strcmp(buf, "[  -42|7    |00099|abc|deadbeef|q|str|ab  |abcdef]") != 0;
	snprintf(buf, 8, "%s", "truncate me");
	bad |= strcmp(buf, "truncat") != 0;
	snprintf(buf, sizeof(buf), "%ld %lu %lx %p", -9223372036854775807L - 1, ~0UL, ~0UL, (void *)0x400000);
	printf("snprintf: %s\n", buf);
	bad |= strcmp(buf, "-9223372036854775808 18446744073709551615 ffffffffffffffff 0x400000") != 0;
	h = fold_buf(h, (u8 *)buf, strlen(buf));
	report("snprintf", bad, h);
}

int main(void)
{
	printf("memstr: C library functions on %u sizes and 8 alignments\n", (unsigned)ARRAY_SIZE(sizes));
	t_memset();
	t_memcpy();
	t_memmove();
	t_memcmp_memchr();
	t_strings();
	t_snprintf();
	return 0;
}
