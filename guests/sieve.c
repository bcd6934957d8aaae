/*
 * sieve: the primes below SIEVE_N (build-time, default 1,000,000) with a
 * sieve of Eratosthenes over odd numbers, one byte each.
 *
 * Without USE_MMU it runs in real mode (MSR[IR,DR] = 0). The sieve-mmu
 * build first builds a radix tree: RAM mapped one to one with 2M pages,
 * and the sieve array reached through 4K pages at EA 4 GiB whose R and C
 * bits start clear, so the DSI handler sets them.
 */
#include "rt.h"
#include "sieve.h"

#ifndef SIEVE_N
#define SIEVE_N 1000000
#endif
#define ARRAY_PA 0x02000000UL
#ifdef USE_MMU
#define ARRAY_EA 0x100000000UL
#else
#define ARRAY_EA ARRAY_PA
#endif

int main(void)
{
	u64 n = SIEVE_N, count, sum, hash;
	u64 bytes = n / 2;

	if (ARRAY_PA + bytes + (4UL << 20) > rt_ram_size)
		panic("SIEVE_N=%lu needs more memory", n);
#ifdef USE_MMU
	mmu_init();
	mmu_new_tree(1);
	mmu_identity(1);
	for (u64 off = 0; off < bytes; off += 4096)
		if (mmu_map(1, ARRAY_EA + off, ARRAY_PA + off, 4096, PTE_PRIV | PTE_RD | PTE_RW))
			panic("map sieve array");
	int rc = mmu_register();
	check(rc == 0, "H_REGISTER_PROCESS_TABLE returns %d", rc);
	mmu_on(1);
	check((mfmsr() & (MSR_IR | MSR_DR)) == (MSR_IR | MSR_DR), "MSR[IR,DR] on");
#endif
	printf("sieve: primes below %lu\n", n);
	sieve_primes((u8 *)ARRAY_EA, n, &count, &sum, &hash);
#ifdef USE_MMU
	mmu_off();
	u64 pages = (bytes + 4095) / 4096;
	check(mmu_rc_faults == pages, "R/C faults: %lu for %lu pages", mmu_rc_faults, pages);
#endif
	printf("count: %lu\n", count);
	printf("sum: %lu\n", sum);
	printf("hash: %016lx\n", hash);
	if (n == 1000000)
		check(count == 78498 && sum == 37550402023UL, "78498 primes below 1000000");
	else
		skip("no reference count for N=%lu", n);
	return 0;
}
