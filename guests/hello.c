/*
 * hello: a greeting and a few platform facts read from the device tree and
 * the PVR. Only facts that the pseries contract fixes are printed, so the
 * output is the same on any conforming machine.
 */
#include "rt.h"

static int has_compat(int node, const char *want)
{
	int len;
	const char *p = fdt_prop(node, "compatible", &len);
	for (int i = 0; p && i < len; i += strlen(p + i) + 1)
		if (!strcmp(p + i, want))
			return 1;
	return 0;
}

int main(void)
{
#ifdef __LITTLE_ENDIAN__
	printf("hello from a little-endian pseries guest\n");
#else
	printf("hello from a big-endian pseries guest\n");
#endif
	int root = fdt_path("/");
	check(root >= 0, "device tree at r3 is valid");
	check(has_compat(root, "qemu,pseries"), "/ compatible includes qemu,pseries");
	printf("memory: %lu MiB at 0\n", rt_ram_size >> 20);

	int cpus = fdt_path("/cpus"), ncpu = 0, first = -1;
	for (int c = cpus >= 0 ? fdt_first_child(cpus) : -1; c >= 0; c = fdt_next_sibling(c)) {
		int len;
		const char *type = fdt_prop(c, "device_type", &len);
		if (type && !strcmp(type, "cpu")) {
			if (first < 0)
				first = c;
			ncpu++;
		}
	}
	printf("cpus: %d\n", ncpu);
	u32 v;
	if (!fdt_prop_u32(first, "timebase-frequency", &v))
		printf("timebase-frequency: %u\n", v);
	if (!fdt_prop_u32(first, "d-cache-line-size", &v))
		printf("d-cache-line-size: %u\n", v);
	if (!fdt_prop_u32(first, "ibm,dec-bits", &v))
		printf("ibm,dec-bits: %u\n", v);
	printf("pvr: 0x%08lx\n", mfspr(SPR_PVR));

	static const char *const services[] = { "power-off", "get-time-of-day", "display-character" };
	for (unsigned i = 0; i < ARRAY_SIZE(services); i++)
		check(rtas_token(services[i]) != 0xffffffff, "rtas token %s", services[i]);

	u32 tod[8];
	int st = rtas_call("get-time-of-day", 0, 8, tod);
	check(st == 0 && tod[1] >= 2000 && tod[2] >= 1 && tod[2] <= 12 && tod[3] >= 1 && tod[3] <= 31,
	      "get-time-of-day gives a plausible date");

	u64 t0 = mftb();
	for (volatile int i = 0; i < 10000; i++)
		;
	check(mftb() > t0, "timebase advances");

	/* display-character writes to the same console. */
	printf("display-character: ");
	console_flush();
	u32 ret;
	int ok = 1;
	for (const char *s = "ok\n"; *s; s++)
		ok &= rtas_call("display-character", 1, 1, &ret, (u32)*s) == 0;
	check(ok, "display-character");
	return 0;
}
