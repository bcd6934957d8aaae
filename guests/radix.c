/*
 * radix: the guest builds its own radix trees (process table, then
 * PGD/PUD/PMD/PTE levels for 4K pages, with 2M and 1G leaves too),
 * registers the process table with H_REGISTER_PROCESS_TABLE, and reads
 * memory through several mappings with MSR[IR,DR] = 1:
 *  - one physical page aliased at two effective addresses,
 *  - a 2M page and a 1G page,
 *  - quadrant 3 (EA 0xC000...), translated with PID 0's tree,
 *  - a PTE changed to another page, made visible by tlbie,
 *  - the same EA under two PIDs,
 *  - R/C bits set by the DSI handler.
 */
#include "rt.h"

#define PA_BASE   0x03000000UL		/* 2M aligned scratch area */
#define PA_ALIAS  (PA_BASE + 0x0000)
#define PA_A      (PA_BASE + 0x1000)
#define PA_B      (PA_BASE + 0x2000)
#define PA_PID1   (PA_BASE + 0x3000)
#define PA_PID2   (PA_BASE + 0x4000)
#define PA_RC     (PA_BASE + 0x5000)
#define PA_2M     0x03200000UL

#define EA_ALIAS1 0x40010000UL
#define EA_ALIAS2 0x40011000UL
#define EA_REMAP  0x40020000UL
#define EA_PIDS   0x40030000UL
#define EA_RC     0x40040000UL
#define EA_2M     0x40200000UL
#define EA_1G     0x80000000UL
#define EA_Q3     0xC000000000000000UL

#define KRW (PTE_R | PTE_C | PTE_PRIV | PTE_RD | PTE_RW)

static u64 rd64(u64 ea)
{
	return *(volatile u64 *)ea;
}

static void wr64(u64 ea, u64 v)
{
	*(volatile u64 *)ea = v;
}

int main(void)
{
	printf("radix: 52-bit trees, 13/9/9/9 split, process table at 0x01000000\n");
	mmu_init();
	u64 root0 = mmu_new_tree(0);
	u64 root1 = mmu_new_tree(1);
	u64 root2 = mmu_new_tree(2);
	mmu_identity(1);
	mmu_identity(2);

	/* Physical contents, written with the MMU off. */
	wr64(PA_ALIAS, 0);
	wr64(PA_A, 0xaaaaaaaa00000001UL);
	wr64(PA_B, 0xbbbbbbbb00000002UL);
	wr64(PA_PID1, 0x1111111111111111UL);
	wr64(PA_PID2, 0x2222222222222222UL);
	wr64(PA_RC, 5);
	wr64(PA_2M, 0x2000000000000001UL);
	wr64(PA_2M + 0x1ff008, 0x2000000000000002UL);

	int bad = 0;
	bad |= mmu_map(1, EA_ALIAS1, PA_ALIAS, 4096, KRW);
	bad |= mmu_map(1, EA_ALIAS2, PA_ALIAS, 4096, KRW);
	bad |= mmu_map(1, EA_REMAP, PA_A, 4096, KRW);
	bad |= mmu_map(1, EA_PIDS, PA_PID1, 4096, KRW);
	bad |= mmu_map(2, EA_PIDS, PA_PID2, 4096, KRW);
	bad |= mmu_map(1, EA_RC, PA_RC, 4096, PTE_PRIV | PTE_RD | PTE_RW);
	bad |= mmu_map(1, EA_2M, PA_2M, 2UL << 20, KRW);
	bad |= mmu_map(1, EA_1G, 0, 1UL << 30, PTE_R | PTE_C | PTE_PRIV | PTE_RD);
	bad |= mmu_map(0, 0, PA_2M, 2UL << 20, KRW);	/* quadrant 3, PID 0 */
	check(!bad, "trees built");
	printf("roots: pid0 0x%lx pid1 0x%lx pid2 0x%lx\n", root0, root1, root2);
	printf("prte[1]: 0x%016lx\n", be64_to_cpu(*(u64 *)(0x01000000UL + 16)));
	printf("pte(0x%lx): 0x%016lx\n", EA_REMAP, be64_to_cpu(*mmu_pte(1, EA_REMAP)));
	printf("pte(0x%lx): 0x%016lx\n", EA_2M, be64_to_cpu(*mmu_pte(1, EA_2M)));

	int rc = mmu_register();
	check(rc == 0, "H_REGISTER_PROCESS_TABLE(radix, GTSE, 4K table) returns %d", rc);
	mmu_on(1);
	check((mfmsr() & (MSR_IR | MSR_DR)) == (MSR_IR | MSR_DR), "MSR[IR,DR] on, PIDR %lu", mfspr(SPR_PIDR));

	/* Aliasing. */
	wr64(EA_ALIAS1, 0x5a5a0000c3c30001UL);
	u64 v = rd64(EA_ALIAS2);
	printf("alias: wrote 0x5a5a0000c3c30001 at 0x%lx, read 0x%lx at 0x%lx\n", EA_ALIAS1, v, EA_ALIAS2);
	check(v == 0x5a5a0000c3c30001UL, "one page seen at two addresses");
	wr64(EA_ALIAS2 + 8, 0x77);
	check(rd64(EA_ALIAS1 + 8) == 0x77, "and back the other way");

	/* Large pages. */
	u64 a = rd64(EA_2M), b = rd64(EA_2M + 0x1ff008);
	printf("2M page: 0x%lx 0x%lx\n", a, b);
	check(a == 0x2000000000000001UL && b == 0x2000000000000002UL, "2M page, first and last 4K");
	v = rd64(EA_1G + PA_B);
	printf("1G page: 0x%lx\n", v);
	check(v == 0xbbbbbbbb00000002UL, "1G page maps real memory from 0");

	/* Quadrant 3 walks PID 0's tree whatever PIDR holds. */
	v = rd64(EA_Q3);
	printf("quadrant 3: 0x%lx\n", v);
	check(v == 0x2000000000000001UL, "EA 0xc000000000000000 through PID 0");

	/* Remapping needs a tlbie. */
	v = rd64(EA_REMAP);
	printf("remap before: 0x%lx\n", v);
	u64 *pte = mmu_pte(1, EA_REMAP);	/* tables are identity mapped */
	*pte = cpu_to_be64((be64_to_cpu(*pte) & ~PTE_RPN) | PA_B);
	tlbie_va(1, EA_REMAP);
	v = rd64(EA_REMAP);
	printf("remap after tlbie: 0x%lx\n", v);
	check(v == 0xbbbbbbbb00000002UL, "tlbie makes the new PTE visible");

	/*
	 * The same with a flush of the whole PID, as Linux flushes a kernel range after patching its
	 * code through a temporary mapping: the changed page translates anew each round, and the
	 * pages whose entries were not written read as before.
	 */
	u64 seen = 0;
	for (int round = 0; round < 4; round++) {
		u64 pa = round & 1 ? PA_B : PA_A;
		*pte = cpu_to_be64((be64_to_cpu(*pte) & ~PTE_RPN) | pa);
		tlbie_pid(1);
		v = rd64(EA_REMAP);
		seen = seen << 4 | (v == rd64(EA_1G + pa) ? 1 : 0);
		seen = seen << 4 | (rd64(EA_2M) == 0x2000000000000001UL && rd64(EA_ALIAS2) == 0x5a5a0000c3c30001UL ? 1 : 0);
	}
	printf("remap after PID flushes: 0x%lx\n", seen);
	check(seen == 0x11111111UL, "a flush of the whole PID shows each new PTE and keeps the others right");

	/* Same EA, two PIDs. */
	u64 p1 = rd64(EA_PIDS);
	mtspr(SPR_PIDR, 2);
	__asm__ volatile("isync" ::: "memory");
	u64 p2 = rd64(EA_PIDS);
	mtspr(SPR_PIDR, 1);
	__asm__ volatile("isync" ::: "memory");
	u64 p1b = rd64(EA_PIDS);
	printf("pid 1: 0x%lx pid 2: 0x%lx pid 1: 0x%lx\n", p1, p2, p1b);
	check(p1 == 0x1111111111111111UL && p2 == 0x2222222222222222UL && p1b == p1, "PIDR selects the tree");

	/* R/C: first access is a store, so one fault sets both. */
	unsigned long before = mmu_rc_faults;
	wr64(EA_RC, 6);
	unsigned long n = mmu_rc_faults - before;
	u64 rcpte = be64_to_cpu(*mmu_pte(1, EA_RC));
	printf("R/C faults: %lu, pte R=%d C=%d\n", n, !!(rcpte & PTE_R), !!(rcpte & PTE_C));
	check(n == 1 && (rcpte & (PTE_R | PTE_C)) == (PTE_R | PTE_C), "R/C set by the DSI handler");

	mmu_off();
	check(rd64(PA_ALIAS) == 0x5a5a0000c3c30001UL && rd64(PA_RC) == 6, "stores reached real memory");
	return 0;
}
