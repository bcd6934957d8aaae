/* Console output through H_PUT_TERM_CHAR, and a small printf. */
#include "rt.h"

u32 rt_termno;

static char out_buf[16];
static int out_len;

void console_flush(void)
{
	u64 w[2] = { 0, 0 };

	if (!out_len)
		return;
	/* Characters are packed big-endian: the first one is the most
	 * significant byte of r6, the ninth the most significant of r7. */
	for (int i = 0; i < out_len; i++)
		w[i / 8] |= (u64)(u8)out_buf[i] << (56 - 8 * (i % 8));
	for (int tries = 0; tries < 1000000; tries++) {
		long rc = hcall(H_PUT_TERM_CHAR, rt_termno, out_len, w[0], w[1], 0, 0);
		if (rc != 1 /* H_BUSY */)
			break;
	}
	out_len = 0;
}

void putchar(int c)
{
	out_buf[out_len++] = (char)c;
	if (out_len == 16 || c == '\n')
		console_flush();
}

void puts(const char *s)
{
	while (*s)
		putchar(*s++);
}

struct sink {
	char *buf;
	size_t cap;
	size_t len;
};

static void emit(struct sink *k, char c)
{
	if (k->buf) {
		if (k->len + 1 < k->cap)
			k->buf[k->len] = c;
	} else {
		putchar(c);
	}
	k->len++;
}

static void emit_num(struct sink *k, u64 v, int base, int neg, int width, int zero, int left, int upper)
{
	char tmp[24];
	int n = 0;
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int total = n + (neg ? 1 : 0);
	if (!left && !zero)
		for (; total < width; total++)
			emit(k, ' ');
	if (neg)
		emit(k, '-');
	if (!left && zero)
		for (; total < width; total++)
			emit(k, '0');
	while (n)
		emit(k, tmp[--n]);
	for (; total < width; total++)
		emit(k, ' ');
}

static int format(struct sink *k, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			emit(k, *fmt);
			continue;
		}
		fmt++;
		int left = 0, zero = 0, width = 0, lng = 0;
		for (;; fmt++) {
			if (*fmt == '-')
				left = 1;
			else if (*fmt == '0')
				zero = 1;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			s64 v = lng ? va_arg(ap, long) : va_arg(ap, int);
			emit_num(k, v < 0 ? -(u64)v : (u64)v, 10, v < 0, width, zero, left, 0);
			break;
		}
		case 'u':
			emit_num(k, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int), 10, 0, width, zero, left, 0);
			break;
		case 'x':
		case 'X':
			emit_num(k, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int), 16, 0, width, zero, left,
				 *fmt == 'X');
			break;
		case 'p':
			emit(k, '0');
			emit(k, 'x');
			emit_num(k, (u64)va_arg(ap, void *), 16, 0, width, zero, left, 0);
			break;
		case 'c': {
			int pad = width - 1;
			if (!left)
				while (pad-- > 0)
					emit(k, ' ');
			emit(k, (char)va_arg(ap, int));
			if (left)
				while (pad-- > 0)
					emit(k, ' ');
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int pad = width - (int)strlen(s);
			if (!left)
				while (pad-- > 0)
					emit(k, ' ');
			while (*s)
				emit(k, *s++);
			if (left)
				while (pad-- > 0)
					emit(k, ' ');
			break;
		}
		case '%':
			emit(k, '%');
			break;
		case '\0':
			return (int)k->len;
		default:
			emit(k, '%');
			emit(k, *fmt);
			break;
		}
	}
	return (int)k->len;
}

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct sink k = { buf, n, 0 };
	int r = format(&k, fmt, ap);
	if (n)
		buf[k.len < n ? k.len : n - 1] = '\0';
	return r;
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

int vprintf_(const char *fmt, va_list ap)
{
	struct sink k = { NULL, 0, 0 };
	return format(&k, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vprintf_(fmt, ap);
	va_end(ap);
	return r;
}
