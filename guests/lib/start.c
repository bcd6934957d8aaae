/* Start-up after crt0, test reporting and exit. */
#include "rt.h"

u64 rt_ram_size;
static int n_pass, n_fail, n_skip;

static int has_string(const char *list, int len, const char *want)
{
	for (int i = 0; i < len; i += strlen(list + i) + 1)
		if (!strcmp(list + i, want))
			return 1;
	return 0;
}

static void find_console(void)
{
	int vdev = fdt_path("/vdevice");
	rt_termno = 0;
	for (int c = vdev >= 0 ? fdt_first_child(vdev) : -1; c >= 0; c = fdt_next_sibling(c)) {
		int len;
		const char *compat = fdt_prop(c, "compatible", &len);
		u32 reg;
		if (compat && has_string(compat, len, "hvterm1") && !fdt_prop_u32(c, "reg", &reg)) {
			rt_termno = reg;
			return;
		}
	}
}

static void find_memory(void)
{
	u32 ac = 2, sc = 2;
	int root = fdt_path("/");
	fdt_prop_u32(root, "#address-cells", &ac);
	fdt_prop_u32(root, "#size-cells", &sc);
	for (int c = fdt_first_child(root); c >= 0; c = fdt_next_sibling(c)) {
		int len;
		const char *type = fdt_prop(c, "device_type", &len);
		const u32 *reg = fdt_prop(c, "reg", &len);
		if (type && !strcmp(type, "memory") && reg && len >= (int)(4 * (ac + sc))) {
			if (fdt_read_cells(reg, ac) == 0) {
				rt_ram_size = fdt_read_cells(reg + ac, sc);
				return;
			}
		}
	}
}

void rt_start(const void *fdt)
{
	rt_fdt = fdt;
	/* Interrupts are delivered in the byte order of this build. */
#ifdef __LITTLE_ENDIAN__
	long rc = hcall(H_SET_MODE, 1, 4, 0, 0, 0, 0);
#else
	long rc = hcall(H_SET_MODE, 0, 4, 0, 0, 0, 0);
#endif
	find_console();
	if (rc)
		panic("H_SET_MODE(interrupt endianness) returned %ld", rc);
	find_memory();
	vectors_install();
	main();
	finish();
}

static void report(const char *tag, const char *fmt, va_list ap)
{
	extern int vprintf_(const char *fmt, va_list ap);
	printf("%s: ", tag);
	vprintf_(fmt, ap);
	putchar('\n');
}

void pass(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report("PASS", fmt, ap);
	va_end(ap);
	n_pass++;
}

void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report("FAIL", fmt, ap);
	va_end(ap);
	n_fail++;
}

void skip(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report("SKIP", fmt, ap);
	va_end(ap);
	n_skip++;
}

void check(int ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ok ? "PASS" : "FAIL", fmt, ap);
	va_end(ap);
	if (ok)
		n_pass++;
	else
		n_fail++;
}

void finish(void)
{
	printf("done: %d passed, %d failed, %d skipped\n", n_pass, n_fail, n_skip);
	rtas_power_off();
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report("FAIL", fmt, ap);
	va_end(ap);
	n_fail++;
	finish();
}
