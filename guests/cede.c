/*
 * cede: the hypercalls a pseries guest's idle loop and early start-up use,
 * with their bad-input answers.
 *
 * - H_CEDE with EE off and the decrementer armed: the CPU sleeps, the
 *   hypervisor turns EE on, the decrementer wakes it and its interrupt is
 *   taken right after the hypercall returns.
 * - H_REGISTER_VPA: misaligned, crossing 4K, too short, outside RAM and an
 *   unknown server are refused with H_PARAMETER; a good one succeeds, and
 *   its dispatch counter (big-endian u32 at 0x100)
 *   is even while the CPU runs and changes across an H_CEDE.
 * - H_SET_SPRG0, H_PAGE_INIT (zero, copy, bad alignment, bad flags, outside
 *   RAM), H_SET_MODE with a bad resource, flags or values, unknown hypercall
 *   numbers (H_FUNCTION), RTAS with a bad token or bad counts.
 * - H_RANDOM: QEMU without a random-number backend does not offer it
 *   (H_FUNCTION); a machine that does returns numbers. Either is accepted
 *   and the line printed is the same, so the output does not depend on it.
 */
#include "rt.h"

#define H_FUNCTION (-2)
#define H_PARAMETER (-4)
#define H_P2 (-55)
#define H_P3 (-56)
#define H_P4 (-57)
#define H_UNSUPPORTED_FLAG (-256)
#define H_SET_SPRG0 0x24
#define H_PAGE_INIT 0x2c
#define H_REGISTER_VPA 0xdc
#define H_CEDE 0xe0
#define H_RANDOM 0x300
#define SPR_SPRG0 272
#define SPR_PIR 1023

#define VPA_REGISTER (1UL << 45)
#define VPA_DEREGISTER (5UL << 45)
#define PAGE_ZERO (1UL << 15)
#define PAGE_COPY (1UL << 14)

#define SCRATCH 0x3000000UL	/* pages of the guests' scratch area */
#define OUTSIDE_RAM 0x40000000UL	/* 1 GiB: beyond the 512 MiB of RAM */

static volatile int dec_taken;
static volatile u64 dec_srr1;

static int hook(struct regs *r)
{
	if (r->vec != 0x900)
		return 0;
	mtspr(SPR_DEC, 0x7fffffffUL);
	dec_taken++;
	dec_srr1 = r->msr;
	return 1;
}

static u32 tb_freq(void)
{
	int cpus = fdt_path("/cpus");
	u32 f = 0;
	for (int c = cpus >= 0 ? fdt_first_child(cpus) : -1; c >= 0; c = fdt_next_sibling(c))
		if (!fdt_prop_u32(c, "timebase-frequency", &f))
			break;
	return f;
}

static u32 rd32be(u64 addr)
{
	return be32_to_cpu(*(volatile u32 *)addr);
}

/* Arms the decrementer for `ticks`, then H_CEDE with EE off until it fires. */
static long cede_for(u64 ticks, u64 *msr_after, int *cedes)
{
	long rc0 = 1;
	dec_taken = 0;
	*cedes = 0;
	mtmsrd(mfmsr() & ~MSR_EE);
	mtspr(SPR_DEC, ticks);
	while (!dec_taken && *cedes < 1000) {
		mtmsrd(mfmsr() & ~MSR_EE);
		long rc = hcall(H_CEDE, 0, 0, 0, 0, 0, 0);
		if (*cedes == 0) {
			rc0 = rc;
			*msr_after = mfmsr();
		}
		(*cedes)++;
	}
	mtmsrd(mfmsr() & ~MSR_EE);
	return rc0;
}

static void test_cede(void)
{
	u32 freq = tb_freq();
	check(freq != 0, "timebase-frequency from the device tree");
	u64 ticks = freq / 500;		/* 2 ms */
	u64 msr_after = 0;
	int cedes;
	u64 t0 = mftb();
	long rc = cede_for(ticks, &msr_after, &cedes);
	u64 t1 = mftb();
	check(rc == 0, "H_CEDE returns H_SUCCESS (%ld)", rc);
	check(dec_taken == 1, "the decrementer woke the ceded CPU and its interrupt was taken");
	check((msr_after & MSR_EE) != 0, "H_CEDE turned MSR[EE] on");
	check((dec_srr1 & MSR_EE) != 0, "the decrementer interrupt came with EE on in SRR1");
	check(t1 - t0 >= ticks, "the CPU slept at least until the decrementer expired");
}

static void vpa_prepare(u64 addr, u16 size)
{
	memset((void *)addr, 0, 1024);
	*(volatile u8 *)(addr + 4) = size >> 8;	/* size: big-endian u16 at 4 */
	*(volatile u8 *)(addr + 5) = size & 0xff;
	__asm__ volatile("sync" ::: "memory");
}

static void test_vpa(void)
{
	u64 me = mfspr(SPR_PIR);
	u64 page = SCRATCH + 0x10000;
	long rc;

	vpa_prepare(page + 8, 640);
	rc = hcall(H_REGISTER_VPA, VPA_REGISTER, me, page + 8, 0, 0, 0);
	check(rc == H_PARAMETER, "VPA not cache-line aligned: H_PARAMETER (%ld)", rc);

	vpa_prepare(page + 4096 - 128, 640);
	rc = hcall(H_REGISTER_VPA, VPA_REGISTER, me, page + 4096 - 128, 0, 0, 0);
	check(rc == H_PARAMETER, "VPA crossing a 4K boundary: H_PARAMETER (%ld)", rc);

	vpa_prepare(page, 600);
	rc = hcall(H_REGISTER_VPA, VPA_REGISTER, me, page, 0, 0, 0);
	check(rc == H_PARAMETER, "VPA shorter than 640 bytes: H_PARAMETER (%ld)", rc);

	rc = hcall(H_REGISTER_VPA, VPA_REGISTER, me, OUTSIDE_RAM, 0, 0, 0);
	check(rc == H_PARAMETER, "VPA outside RAM: H_PARAMETER (%ld)", rc);

	vpa_prepare(page, 640);
	rc = hcall(H_REGISTER_VPA, VPA_REGISTER, 0x7fff, page, 0, 0, 0);
	check(rc == H_PARAMETER, "VPA for a server that does not exist: H_PARAMETER (%ld)", rc);

	rc = hcall(H_REGISTER_VPA, VPA_REGISTER, me, page, 0, 0, 0);
	check(rc == 0, "a good VPA is registered (%ld)", rc);

	u32 before = rd32be(page + 0x100);
	check((before & 1) == 0, "dispatch counter even while the CPU runs");
	u64 msr_after;
	int cedes;
	cede_for(tb_freq() / 1000, &msr_after, &cedes);
	u32 after = rd32be(page + 0x100);
	check((after & 1) == 0, "dispatch counter even again after H_CEDE");
	check(after != before, "dispatch counter changed across H_CEDE");

	rc = hcall(H_REGISTER_VPA, VPA_DEREGISTER, me, 0, 0, 0, 0);
	check(rc == 0, "VPA deregistered (%ld)", rc);
	u32 frozen = rd32be(page + 0x100);
	cede_for(tb_freq() / 1000, &msr_after, &cedes);
	check(rd32be(page + 0x100) == frozen, "a deregistered VPA is left alone");
}

static void test_sprg0(void)
{
	u64 v = 0x0123456789abcdefUL;
	long rc = hcall(H_SET_SPRG0, v, 0, 0, 0, 0, 0);
	check(rc == 0 && mfspr(SPR_SPRG0) == v, "H_SET_SPRG0 sets SPRG0 (%ld)", rc);
	rc = hcall(H_SET_SPRG0, 0, 0, 0, 0, 0, 0);
	check(rc == 0 && mfspr(SPR_SPRG0) == 0, "H_SET_SPRG0 back to 0");
}

static u64 page_sum(u64 addr)
{
	u64 h = FOLD_INIT;
	for (u64 i = 0; i < 4096; i += 8)
		h = fold(h, *(volatile u64 *)(addr + i));
	return h;
}

static void test_page_init(void)
{
	u64 src = SCRATCH + 0x20000, dst = SCRATCH + 0x21000;
	u64 seed = 0x9e3779b97f4a7c15UL;
	for (u64 i = 0; i < 4096; i += 8)
		*(volatile u64 *)(src + i) = rnd_next(&seed);
	memset((void *)dst, 0x5a, 4096);
	__asm__ volatile("sync" ::: "memory");

	long rc = hcall(H_PAGE_INIT, PAGE_COPY, dst, src, 0, 0, 0);
	check(rc == 0 && !memcmp((void *)src, (void *)dst, 4096), "H_PAGE_INIT copies a page (%ld)", rc);
	printf("copied page checksum 0x%016lx\n", page_sum(dst));

	rc = hcall(H_PAGE_INIT, PAGE_ZERO, dst, 0, 0, 0, 0);
	int zero = 1;
	for (u64 i = 0; i < 4096; i += 8)
		zero &= *(volatile u64 *)(dst + i) == 0;
	check(rc == 0 && zero, "H_PAGE_INIT zeroes a page (%ld)", rc);

	memset((void *)dst, 0x5a, 4096);
	__asm__ volatile("sync" ::: "memory");
	u64 before = page_sum(dst);
	rc = hcall(H_PAGE_INIT, PAGE_ZERO, dst + 8, 0, 0, 0, 0);
	check(rc == H_PARAMETER, "zero with a misaligned destination: H_PARAMETER (%ld)", rc);
	rc = hcall(H_PAGE_INIT, PAGE_COPY, dst + 0x800, src, 0, 0, 0);
	check(rc == H_PARAMETER, "copy with a misaligned destination: H_PARAMETER (%ld)", rc);
	rc = hcall(H_PAGE_INIT, PAGE_COPY, dst, src + 16, 0, 0, 0);
	check(rc == H_PARAMETER, "copy with a misaligned source: H_PARAMETER (%ld)", rc);
	rc = hcall(H_PAGE_INIT, PAGE_ZERO, OUTSIDE_RAM, 0, 0, 0, 0);
	check(rc == H_PARAMETER, "zero outside RAM: H_PARAMETER (%ld)", rc);
	rc = hcall(H_PAGE_INIT, PAGE_COPY, dst, OUTSIDE_RAM, 0, 0, 0);
	check(rc == H_PARAMETER, "copy from outside RAM: H_PARAMETER (%ld)", rc);
	rc = hcall(H_PAGE_INIT, PAGE_ZERO | 1, dst, 0, 0, 0, 0);
	check(rc == H_PARAMETER, "unknown flag bits: H_PARAMETER (%ld)", rc);
	check(page_sum(dst) == before, "the refused calls left the page alone");
}

static void test_random(void)
{
	u64 a[3], b[3];
	long r1 = hcall_ret(H_RANDOM, 0, 0, 0, 0, 0, 0, a);
	long r2 = hcall_ret(H_RANDOM, 0, 0, 0, 0, 0, 0, b);
	int ok = (r1 == H_FUNCTION && r2 == H_FUNCTION) || (r1 == 0 && r2 == 0 && a[0] != b[0]);
	check(ok, "H_RANDOM gives numbers, or H_FUNCTION where the machine has no source");
}

static void test_set_mode(void)
{
#ifdef __LITTLE_ENDIAN__
	long le = 1;
#else
	long le = 0;
#endif
	long rc;
	rc = hcall(H_SET_MODE, le, 99, 0, 0, 0, 0);
	check(rc == H_P2, "H_SET_MODE with an unknown resource: H_P2 (%ld)", rc);
	rc = hcall(H_SET_MODE, 7, 4, 0, 0, 0, 0);
	check(rc == H_UNSUPPORTED_FLAG, "H_SET_MODE endianness with mflags 7: H_UNSUPPORTED_FLAG (%ld)", rc);
	rc = hcall(H_SET_MODE, le ^ 1, 4, 1, 0, 0, 0);
	check(rc == H_P3, "H_SET_MODE endianness with value1 != 0: H_P3 (%ld)", rc);
	rc = hcall(H_SET_MODE, le ^ 1, 4, 0, 1, 0, 0);
	check(rc == H_P4, "H_SET_MODE endianness with value2 != 0: H_P4 (%ld)", rc);
	/* Still this build's byte order: an interrupt shows it. */
	u64 msr_after;
	int cedes;
	cede_for(1000, &msr_after, &cedes);
	check(dec_taken == 1 && (dec_srr1 & MSR_LE) == (u64)le, "interrupts still in this build's byte order");
}

static void test_unknown_hcalls(void)
{
	static const long numbers[] = { 0x1234, 0x25, 0x1000, 0xf0fc, 0x7ffffff0 };
	for (unsigned i = 0; i < ARRAY_SIZE(numbers); i++) {
		long rc = hcall(numbers[i], 0, 0, 0, 0, 0, 0);
		check(rc == H_FUNCTION, "hypercall 0x%lx: H_FUNCTION (%ld)", numbers[i], rc);
	}
}

static u32 rtas_blk[16] __attribute__((aligned(16)));

/* A raw RTAS call: returns the hypercall status; the first return in *st. */
static long rtas_raw(u32 token, int nargs, int nret, u32 *st)
{
	rtas_blk[0] = cpu_to_be32(token);
	rtas_blk[1] = cpu_to_be32(nargs);
	rtas_blk[2] = cpu_to_be32(nret);
	for (int i = 3; i < 16; i++)
		rtas_blk[i] = 0;
	__asm__ volatile("sync" ::: "memory");
	long rc = hcall(KVMPPC_H_RTAS, (long)(uintptr_t)rtas_blk, 0, 0, 0, 0, 0);
	*st = be32_to_cpu(rtas_blk[3 + nargs]);
	return rc;
}

static void test_rtas(void)
{
	u32 st;
	long rc = rtas_raw(0xdead, 0, 1, &st);
	printf("rtas token 0xdead: status %d, hcall %ld\n", (int)st, rc);
	check((int)st == -3, "RTAS with an unknown token: parameter error");
	rc = rtas_raw(0x12345678, 1, 1, &st);
	check((int)st == -3, "RTAS with another unknown token: parameter error (hcall %ld)", rc);
	rc = rtas_raw(rtas_token("get-time-of-day"), 1, 8, &st);
	printf("get-time-of-day with 1 argument: status %d, hcall %ld\n", (int)st, rc);
	check((int)st == -3, "RTAS with the wrong argument count: parameter error");
	rc = rtas_raw(rtas_token("query-cpu-stopped-state"), 1, 1, &st);
	check((int)st == -3, "query-cpu-stopped-state with 1 return: parameter error (hcall %ld)", rc);
}

int main(void)
{
	rt_trap_hook = hook;
	test_cede();
	test_vpa();
	test_sprg0();
	test_page_init();
	test_random();
	test_set_mode();
	test_unknown_hcalls();
	test_rtas();
	return 0;
}
