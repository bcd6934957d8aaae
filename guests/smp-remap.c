/*
 * smp-remap: one CPU remaps a page while the other reads through it, the
 * way Linux patches its code on one CPU while the others run. Each round the
 * boot CPU writes a new value into one of two real pages, points the window
 * page's PTE at it, and flushes all of PID 1 (tlbie RIC=2, then RIC=0, as
 * Linux flushes a kernel range); then it lets the second CPU look. The second
 * CPU has the window's old translation in use (it read through it the round
 * before) and must now see the new page: the tlbie reached it. A page
 * mapped once and never written must read the same all along.
 *
 * Only the boot CPU prints; the output depends on nothing but the program.
 */
#include "rt.h"

#define PA_A      0x03000000UL
#define PA_B      0x03001000UL
#define PA_KEEP   0x03002000UL
#define EA_WIN    0x50000000UL
#define EA_KEEP   0x50001000UL
#define ROUNDS    300
#define MAGIC     0x5eed000000000000UL
#define SPIN      4000000000UL

static struct cpu cpus[CPUS_MAX];
static volatile u32 go;		/* rounds the boot CPU made visible */
static volatile u32 seen;	/* rounds the second CPU looked at */
static volatile u32 stale, kept_wrong;

static void sync_all(void)
{
	__asm__ volatile("sync" ::: "memory");
}

static u64 rd64(u64 ea)
{
	return *(volatile u64 *)ea;
}

static void second(struct cpu *c)
{
	mmu_on(1);
	for (u32 r = 0; r < ROUNDS; r++) {
		/* Keep the window's translation (and the kept page's) in use while waiting. */
		u64 spin = 0;
		while (go <= r && ++spin < SPIN)
			(void)(rd64(EA_WIN) + rd64(EA_KEEP));
		if (go <= r)
			break;	/* no go within the bound: the boot CPU, waiting too, reports it */
		__asm__ volatile("sync; isync" ::: "memory");
		if (rd64(EA_WIN) != (MAGIC ^ r))
			stale++;
		if (rd64(EA_KEEP) != MAGIC)
			kept_wrong++;
		sync_all();
		seen = r + 1;
	}
	mmu_off();
}

int main(void)
{
	int ncpu = cpus_find(cpus, CPUS_MAX);
	printf("smp-remap: a page remapped %d times under a second CPU's reads\n", ROUNDS);
	if (ncpu < 2) {
		skip("one CPU: run with 2");
		return 0;
	}
	mmu_init();
	mmu_new_tree(1);
	mmu_identity(1);
	check(mmu_register() == 0, "H_REGISTER_PROCESS_TABLE");
	*(volatile u64 *)PA_A = MAGIC ^ 0x7fffffff;
	*(volatile u64 *)PA_B = MAGIC ^ 0x7fffffff;
	*(volatile u64 *)PA_KEEP = MAGIC;
	int bad = mmu_map(1, EA_WIN, PA_B, 4096, PTE_R | PTE_C | PTE_PRIV | PTE_RD | PTE_RW);
	bad |= mmu_map(1, EA_KEEP, PA_KEEP, 4096, PTE_R | PTE_C | PTE_PRIV | PTE_RD | PTE_RW);
	check(!bad, "window mapped");
	u64 *pte = mmu_pte(1, EA_WIN);
	mmu_on(1);
	sync_all();
	check(cpu_start(&cpus[1], second) == 0, "start-cpu");
	for (u32 r = 0; r < ROUNDS; r++) {
		u64 pa = r & 1 ? PA_B : PA_A;
		*(volatile u64 *)pa = MAGIC ^ r;	/* through the identity map */
		*(volatile u64 *)pte = cpu_to_be64((be64_to_cpu(*pte) & ~PTE_RPN) | pa);
		tlbie_pid(1);
		go = r + 1;
		if (!cpu_wait_above(&seen, r, SPIN)) {
			fail("round %u: the second CPU did not look", r);
			break;
		}
	}
	mmu_off();
	sync_all();
	printf("stale reads %u, kept page wrong %u\n", stale, kept_wrong);
	check(stale == 0, "the second CPU saw every new mapping");
	check(kept_wrong == 0, "and the page never written as it was");
	return 0;
}
