/*
 * smp-sieve: the sieve of sieve.c on two CPUs at once, with the MMU on, the
 * way a small operating system would run it: each CPU sieves the primes
 * below SIEVE_N in its own array, reached through 4K pages of its own EA
 * window, for ROUNDS rounds. Between rounds the boot CPU gives each window
 * fresh real pages (the other half of that CPU's two buffers) with R and C
 * clear, and invalidates every old translation with tlbie, as an OS does
 * when it frees memory and allocates it again. So every round takes the
 * R/C DSIs of a new mapping, and the first two take the hypervisor's
 * partition-scoped faults of pages never touched before.
 *
 * The boot CPU prints both CPUs' results of every round; the output depends
 * on nothing but the program.
 */
#include "rt.h"
#include "sieve.h"

#ifndef SIEVE_N
#define SIEVE_N 1000000
#endif
#ifndef ROUNDS
#define ROUNDS 3
#endif
#define BYTES (SIEVE_N / 2)
#define WINDOW_PAGES ((BYTES + 4095) / 4096)
#define BUFFER_SIZE (WINDOW_PAGES * 4096)
#define BUFFERS_PA 0x02000000UL
#define WINDOW_EA(c) (0x100000000UL + (u64)(c) * 0x40000000UL)
#define SPIN 40000000000UL	/* bound on every wait */

struct result {
	u64 count, sum, hash;
};

static struct cpu cpus[CPUS_MAX];
static struct result results[2];
static volatile u32 go_round;		/* rounds the boot CPU let start */
static volatile u32 done_rounds;	/* rounds the second CPU finished */
static volatile u32 second_failed;

static void sync_all(void)
{
	__asm__ volatile("sync" ::: "memory");
}

/* Real address of CPU c's buffer for round r: two buffers each, used in turn. */
static u64 buffer(int c, u32 r)
{
	return BUFFERS_PA + (u64)(2 * c + (r & 1)) * BUFFER_SIZE;
}

/*
 * Points CPU c's window at its buffer for round r: each leaf rewritten
 * with R and C clear, and the old translation invalidated on every CPU.
 */
static void remap(int c, u32 r)
{
	u64 pa = buffer(c, r), ea = WINDOW_EA(c);
	for (u64 off = 0; off < BUFFER_SIZE; off += 4096) {
		if (r == 0) {
			if (mmu_map(1, ea + off, pa + off, 4096, PTE_PRIV | PTE_RD | PTE_RW))
				panic("map window %d", c);
			continue;
		}
		u64 *pte = mmu_pte(1, ea + off);
		if (!pte)
			panic("window %d lost its mapping at 0x%lx", c, ea + off);
		*(volatile u64 *)pte = cpu_to_be64(PTE_V | PTE_L | ((pa + off) & PTE_RPN) | PTE_PRIV | PTE_RD | PTE_RW);
		tlbie_va(1, ea + off);
	}
}

static void second(struct cpu *c)
{
	mmu_on(1);
	for (u32 r = 0; r < ROUNDS; r++) {
		if (!cpu_wait_above(&go_round, r, SPIN)) {
			second_failed = 1;
			break;
		}
		sync_all();
		sieve_primes((u8 *)WINDOW_EA(1), SIEVE_N, &results[1].count, &results[1].sum, &results[1].hash);
		sync_all();
		done_rounds = r + 1;
	}
	mmu_off();
}

int main(void)
{
	int ncpu = cpus_find(cpus, CPUS_MAX);
	printf("smp-sieve: primes below %lu on 2 cpus, %d rounds\n", (u64)SIEVE_N, ROUNDS);
	if (ncpu < 2) {
		skip("one CPU: run with 2");
		return 0;
	}
	if (buffer(1, 1) + BUFFER_SIZE + (4UL << 20) > rt_ram_size)
		panic("SIEVE_N=%lu needs more memory", (u64)SIEVE_N);
	mmu_init();
	mmu_new_tree(1);
	mmu_identity(1);
	int rc = mmu_register();
	check(rc == 0, "H_REGISTER_PROCESS_TABLE returns %d", rc);
	remap(0, 0);
	remap(1, 0);
	mmu_on(1);
	sync_all();
	check(cpu_start(&cpus[1], second) == 0, "start-cpu");
	for (u32 r = 0; r < ROUNDS; r++) {
		if (r > 0) {
			remap(0, r);
			remap(1, r);
		}
		sync_all();
		go_round = r + 1;
		sieve_primes((u8 *)WINDOW_EA(0), SIEVE_N, &results[0].count, &results[0].sum, &results[0].hash);
		u64 spin = 0;
		while (done_rounds <= r && !second_failed && ++spin < SPIN)
			;
		if (done_rounds <= r) {
			fail("round %u: the second CPU did not finish", r);
			break;
		}
		sync_all();
		for (int c = 0; c < 2; c++)
			printf("round %u cpu %d: count %lu sum %lu hash %016lx\n", r, c,
			       results[c].count, results[c].sum, results[c].hash);
	}
	mmu_off();
	if (SIEVE_N == 1000000)
		check(results[0].count == 78498 && results[1].sum == 37550402023UL, "78498 primes below 1000000");
	return 0;
}
