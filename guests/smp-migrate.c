/*
 * smp-migrate: a guest that keeps two CPUs rewriting memory, for live
 * migration and snapshots (the host moves it while it runs; its output must
 * not change).
 *
 * With its own radix tree and MSR[IR,DR]=1 on both CPUs, a region of
 * REGION_PAGES 4K pages at EA 8 GiB (real 32 MiB) is rewritten in ROUNDS
 * rounds: each CPU rewrites its half PASSES times, every word a function of
 * its old value, the round and its index, so a page lost or left stale on the
 * way shows in every later checksum. After each round the boot CPU waits for
 * the other, folds the whole region into a checksum and prints it; then it
 * lets the next round start. The timebase is read once per round and must
 * never run backwards (a migration must neither lose nor reset it).
 *
 * Only the boot CPU prints; the output depends on nothing but the program.
 */
#include "rt.h"

#define REGION_PA 0x02000000UL
#define REGION_EA 0x200000000UL
#define REGION_PAGES 1024UL
#define REGION_WORDS (REGION_PAGES * 4096 / 8)
#ifndef ROUNDS
#define ROUNDS 60
#endif
#ifndef PASSES
#define PASSES 8
#endif
#define SPIN 4000000000UL	/* bound on every wait */

static struct cpu cpus[CPUS_MAX];
static volatile u32 go_round;		/* rounds the boot CPU let start */
static volatile u32 done_rounds;	/* rounds the second CPU finished */
static volatile u32 second_failed;

static void sync_all(void)
{
	__asm__ volatile("sync" ::: "memory");
}

/* One CPU's share of a round: PASSES rewrites of words [first, first + n). */
static void rewrite(volatile u64 *w, u64 first, u64 n, u32 round)
{
	for (u32 p = 0; p < PASSES; p++)
		for (u64 i = first; i < first + n; i++)
			w[i] = w[i] * 6364136223846793005UL + ((u64)round << 32) + i + p;
}

static void second(struct cpu *c)
{
	volatile u64 *w = (volatile u64 *)REGION_EA;
	mmu_on(1);
	for (u32 r = 0; r < ROUNDS; r++) {
		if (!cpu_wait_above(&go_round, r, SPIN)) {
			second_failed = 1;
			break;
		}
		sync_all();
		rewrite(w, REGION_WORDS / 2, REGION_WORDS / 2, r);
		sync_all();
		done_rounds = r + 1;
	}
	mmu_off();
}

int main(void)
{
	int ncpu = cpus_find(cpus, CPUS_MAX);
	printf("smp-migrate: %lu pages rewritten in %d rounds by 2 cpus\n", REGION_PAGES, ROUNDS);
	if (ncpu < 2) {
		skip("one CPU: run with 2");
		return 0;
	}
	if (REGION_PA + REGION_PAGES * 4096 > rt_ram_size)
		panic("the region does not fit in RAM");
	mmu_init();
	mmu_new_tree(1);
	mmu_identity(1);
	for (u64 off = 0; off < REGION_PAGES * 4096; off += 4096)
		if (mmu_map(1, REGION_EA + off, REGION_PA + off, 4096, PTE_R | PTE_C | PTE_PRIV | PTE_RD | PTE_RW))
			panic("map the region");
	int rc = mmu_register();
	check(rc == 0, "H_REGISTER_PROCESS_TABLE returns %d", rc);
	volatile u64 *w = (volatile u64 *)REGION_EA;
	mmu_on(1);
	for (u64 i = 0; i < REGION_WORDS; i++)
		w[i] = i * 0x9E3779B97F4A7C15UL;
	sync_all();
	check(cpu_start(&cpus[1], second) == 0, "start-cpu");
	u64 last_tb = mftb(), backwards = 0;
	for (u32 r = 0; r < ROUNDS; r++) {
		sync_all();
		go_round = r + 1;
		rewrite(w, 0, REGION_WORDS / 2, r);
		u64 spin = 0;
		while (done_rounds <= r && !second_failed && ++spin < SPIN)
			;
		if (done_rounds <= r) {
			fail("round %u: the second CPU did not finish", r);
			break;
		}
		sync_all();
		u64 h = 0xcbf29ce484222325UL;
		for (u64 i = 0; i < REGION_WORDS; i++)
			h = ((h ^ w[i]) * 0x100000001b3UL) ^ (h >> 29);
		printf("round %2u: checksum %016lx\n", r, h);
		u64 tb = mftb();
		if (tb < last_tb)
			backwards++;
		last_tb = tb;
	}
	mmu_off();
	check(backwards == 0, "the timebase never ran backwards (%lu times)", backwards);
	check((mfmsr() & MSR_SF) != 0, "still in 64-bit mode");
	return 0;
}
