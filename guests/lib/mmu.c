/*
 * The guest's own radix page tables (Power ISA 3.0, 52-bit effective
 * space split 13/9/9/9 with 4K base pages). Every table entry is a
 * big-endian doubleword whatever the CPU's byte order.
 *
 * Real memory used: the table pool at MMU_POOL (4 MiB); the process table
 * (4K, 256 entries) is its first page.
 */
#include "rt.h"

#define MMU_POOL 0x01000000UL
#define MMU_POOL_SIZE 0x00400000UL
#define RTS_52BIT 0x40000000000000A0UL	/* RTS = 21: 2^(21+31) bytes */
#define NLB_MASK 0x0FFFFFFFFFFFFF00UL

static u64 pool_next;
static u64 *proc_table;
static u64 roots[256];
volatile unsigned long mmu_rc_faults;

static const int level_shift[4] = { 39, 30, 21, 12 };
static const int level_bits[4] = { 13, 9, 9, 9 };

static u64 alloc_table(u64 size)
{
	u64 a = (pool_next + size - 1) & ~(size - 1);
	if (a + size > MMU_POOL + MMU_POOL_SIZE)
		panic("page-table pool exhausted");
	pool_next = a + size;
	memset((void *)a, 0, size);
	return a;
}

static u64 rd(u64 *p)
{
	return be64_to_cpu(*(volatile u64 *)p);
}

static void wr(u64 *p, u64 v)
{
	*(volatile u64 *)p = cpu_to_be64(v);
}

void mmu_init(void)
{
	pool_next = MMU_POOL;
	proc_table = (u64 *)alloc_table(4096);
	for (unsigned i = 0; i < ARRAY_SIZE(roots); i++)
		roots[i] = 0;
}

u64 mmu_new_tree(unsigned pid)
{
	/* The root has 2^13 entries and must be aligned to its size. */
	u64 root = alloc_table(8UL << 13);
	roots[pid] = root;
	wr(&proc_table[2 * pid], RTS_52BIT | root | 13);
	wr(&proc_table[2 * pid + 1], 0);
	__asm__ volatile("ptesync" ::: "memory");
	return root;
}

int mmu_map(unsigned pid, u64 ea, u64 pa, u64 size, u64 flags)
{
	int leaf_level = size == 4096 ? 3 : size == (2UL << 20) ? 2 : size == (1UL << 30) ? 1 : -1;
	if (leaf_level < 0 || (ea & (size - 1)) || (pa & (size - 1)) || !roots[pid])
		return -1;
	u64 base = roots[pid];
	for (int lvl = 0;; lvl++) {
		u64 idx = (ea >> level_shift[lvl]) & ((1UL << level_bits[lvl]) - 1);
		u64 *e = (u64 *)(base + 8 * idx);
		if (lvl == leaf_level) {
			wr(e, PTE_V | PTE_L | (pa & PTE_RPN) | flags);
			break;
		}
		u64 v = rd(e);
		if (!(v & PTE_V)) {
			u64 next = alloc_table(8UL << 9);
			v = PTE_V | next | 9;
			wr(e, v);
		} else if (v & PTE_L) {
			return -1;	/* a larger page is already there */
		}
		base = v & NLB_MASK;
	}
	__asm__ volatile("ptesync" ::: "memory");
	return 0;
}

u64 *mmu_pte(unsigned pid, u64 ea)
{
	u64 base = roots[pid];
	if (!base)
		return NULL;
	for (int lvl = 0; lvl < 4; lvl++) {
		u64 idx = (ea >> level_shift[lvl]) & ((1UL << level_bits[lvl]) - 1);
		u64 *e = (u64 *)(base + 8 * idx);
		u64 v = rd(e);
		if (!(v & PTE_V))
			return NULL;
		if (v & PTE_L)
			return e;
		base = v & NLB_MASK;
	}
	return NULL;
}

void mmu_identity(unsigned pid)
{
	for (u64 pa = 0; pa < rt_ram_size; pa += 2UL << 20)
		if (mmu_map(pid, pa, pa, 2UL << 20, PTE_R | PTE_C | PTE_PRIV | PTE_RWX))
			panic("identity map at 0x%lx", pa);
}

int mmu_register(void)
{
	/* flags: modify + register (new table), radix, GTSE; the size
	 * argument is log2(bytes) - 12, so 0 for the 4K table. */
	return (int)hcall(H_REGISTER_PROCESS_TABLE, 0x10 | 0x08 | 0x04 | 0x01,
			  (long)(uintptr_t)proc_table, 0, 0, 0, 0);
}

void mmu_on(unsigned pid)
{
	mtspr(SPR_PIDR, pid);
	__asm__ volatile("isync" ::: "memory");
	mtmsrd(mfmsr() | MSR_IR | MSR_DR);
}

void mmu_off(void)
{
	mtmsrd(mfmsr() & ~(MSR_IR | MSR_DR));
}

/*
 * POWER9 does not set R and C in process-scoped PTEs: an access that needs
 * them raises DSI (DSISR 0x00040000) or ISI (SRR1 0x00040000) and the OS
 * sets them, then retries the access. No tlbie is needed for this upgrade.
 */
int mmu_fix_rc(struct regs *r)
{
	u64 ea, set;
	if (r->vec == 0x300 && (r->dsisr & 0x00040000)) {
		ea = r->dar;
		set = PTE_R | ((r->dsisr & 0x02000000) ? PTE_C : 0);
	} else if (r->vec == 0x400 && (r->msr & 0x00040000)) {
		ea = r->nip;
		set = PTE_R;
	} else {
		return 0;
	}
	unsigned pid = (ea >> 62) == 3 ? 0 : (unsigned)mfspr(SPR_PIDR);
	u64 *pte = mmu_pte(pid, ea);
	if (!pte)
		return 0;
	wr(pte, rd(pte) | set);
	__asm__ volatile("ptesync" ::: "memory");
	mmu_rc_faults++;
	return 1;
}

void tlbie_va(unsigned pid, u64 ea)
{
	u64 rb = ea & ~0xfffUL;		/* IS = 0 (one address), AP = 0 (4K) */
	u64 rs = (u64)pid << 32;	/* PID in RS[0:31], LPID 0 */
	__asm__ volatile("ptesync\n\t"
			 "tlbie %0,%1,0,1,1\n\t"
			 "eieio\n\t"
			 "tlbsync\n\t"
			 "ptesync"
			 : : "r"(rb), "r"(rs) : "memory");
}

void tlbie_pid(unsigned pid)
{
	u64 rb = 1UL << 10;		/* IS = 1: every translation of the PID */
	u64 rs = (u64)pid << 32;
	/* RIC = 2 (TLB and page walk cache), then RIC = 0, as Linux's POWER9 workaround does. */
	__asm__ volatile("ptesync\n\t"
			 "tlbie %0,%1,2,1,1\n\t"
			 "tlbie %0,%1,0,1,1\n\t"
			 "eieio\n\t"
			 "tlbsync\n\t"
			 "ptesync"
			 : : "r"(rb), "r"(rs) : "memory");
}
