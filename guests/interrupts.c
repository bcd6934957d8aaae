/*
 * interrupts: takes each interrupt a pseries guest can cause itself and
 * prints what the machine reported. SRR1 is masked to SF, EE, PR, IR, DR,
 * LE and the interrupt-specific bits 33:36 and 42:47; DAR and DSISR are
 * printed only where the architecture defines them.
 */
#include "rt.h"

/* Trigger routines. Each t_* label marks the instruction that faults. */
__asm__(
	"	.text\n"
	"	.globl do_sc, t_sc\n"
	"do_sc:\n"
	"t_sc:	sc\n"
	"	blr\n"
	"	.globl do_illegal, t_illegal\n"
	"do_illegal:\n"
	"t_illegal: .long 0\n"
	"	blr\n"
	"	.globl do_trap, t_trap\n"
	"do_trap:\n"
	"t_trap: trap\n"
	"	blr\n"
	"	.globl do_tdi_nottaken\n"
	"do_tdi_nottaken:\n"
	"	tdi 4,3,1\n"		/* trap if r3 == 1: not when called with 0 */
	"	blr\n"
	"	.globl do_lwarx, t_lwarx\n"
	"do_lwarx:\n"
	"t_lwarx: lwarx 3,0,3\n"
	"	blr\n"
	"	.globl do_ldarx, t_ldarx\n"
	"do_ldarx:\n"
	"t_ldarx: ldarx 3,0,3\n"
	"	blr\n"
	"	.globl do_lmw, t_lmw\n"
	"do_lmw:\n"
	"	std 30,-16(1)\n"
	"	std 31,-8(1)\n"
	"t_lmw:	.long 0xbbc30000\n"	/* lmw 30,0(3): the assembler refuses it for LE */
	"	mr 3,30\n"
	"	ld 30,-16(1)\n"
	"	ld 31,-8(1)\n"
	"	blr\n"
	"	.globl do_load, t_load\n"
	"do_load:\n"
	"t_load: ld 3,0(3)\n"
	"	blr\n"
	"	.globl do_store, t_store\n"
	"do_store:\n"
	"t_store: std 4,0(3)\n"
	"	blr\n"
	/* run_user(fn, trampoline): enter fn with MSR[PR]=1 (which also
	 * forces EE, IR and DR on) and LR = trampoline, a privileged
	 * instruction in the user page; the program interrupt it raises
	 * resumes at run_user_back in supervisor state. */
	"	.globl run_user, run_user_back\n"
	"run_user:\n"
	"	mflr 0\n"
	"	std 0,16(1)\n"
	"	stdu 1,-32(1)\n"
	"	mtsrr0 3\n"
	"	mtlr 4\n"
	"	mfmsr 5\n"
	"	ori 5,5,0x4000\n"
	"	mtsrr1 5\n"
	"	rfid\n"
	"run_user_back:\n"
	"	addi 1,1,32\n"
	"	ld 0,16(1)\n"
	"	mtlr 0\n"
	"	blr\n");

extern char t_sc[], t_illegal[], t_trap[], t_lwarx[], t_ldarx[], t_lmw[], t_load[], t_store[],
	run_user_back[];
void do_sc(void);
void do_illegal(void);
void do_trap(void);
void do_tdi_nottaken(u64 v);
u64 run_user(u64 fn, u64 trampoline);
u64 do_lwarx(u64 addr);
u64 do_ldarx(u64 addr);
u64 do_lmw(u64 addr);
u64 do_load(u64 addr);
void do_store(u64 addr, u64 val);

enum resume { NEXT, SAME, LINK };

/* A non-privileged page of user code (EA and contents). */
#define USER_PAGE 0x40005000UL
#define U_PRIV (USER_PAGE + 0x00)	/* mfmsr 3; blr */
#define U_OK (USER_PAGE + 0x08)		/* li 3,77; blr */
#define U_TRAMP (USER_PAGE + 0x10)	/* mfmsr 4: back to supervisor */
#define U_SC (USER_PAGE + 0x18)		/* sc; blr */
static const u32 user_code[] = { 0x7c6000a6, 0x4e800020, 0x3860004d, 0x4e800020,
				 0x7c8000a6, 0x00000000, 0x44000002, 0x4e800020 };

static volatile struct {
	int armed;
	enum resume resume;
	int taken;
	u64 vec, nip, msr, dar, dsisr;
} ex;

static int hook(struct regs *r)
{
	/* R/C updates are the runtime's business, not a test's. */
	if ((r->vec == 0x300 && (r->dsisr & 0x00040000)) || (r->vec == 0x400 && (r->msr & 0x00040000)))
		return 0;
	if (r->vec == 0x900) {
		mtspr(SPR_DEC, 0x7fffffffUL);
		if (ex.armed && ex.resume == SAME) {
			ex.taken++;
			ex.vec = r->vec;
			ex.msr = r->msr;
		}
		return 1;
	}
	if (r->vec == 0x700 && r->nip == U_TRAMP && (r->msr & MSR_PR)) {
		r->nip = (u64)run_user_back;
		r->msr &= ~(MSR_PR | MSR_EE);
		return 1;
	}
	if (!ex.armed)
		return 0;
	ex.armed = 0;
	ex.taken++;
	ex.vec = r->vec;
	ex.nip = r->nip;
	ex.msr = r->msr;
	ex.dar = r->dar;
	ex.dsisr = r->dsisr;
	switch (ex.resume) {
	case NEXT:
		r->nip += 4;
		break;
	case SAME:
		break;
	case LINK:
		r->nip = r->lr;
		break;
	}
	return 1;
}

static void arm(enum resume how)
{
	ex.armed = 1;
	ex.taken = 0;
	ex.resume = how;
	ex.vec = ex.nip = ex.msr = ex.dar = ex.dsisr = 0;
}

#define SHOW_DAR 1
#define SHOW_DSISR 2

static void show(const char *what, u64 want_vec, u64 want_nip, int extra)
{
	if (!ex.taken) {
		fail("%s: no interrupt", what);
		return;
	}
	printf("%-16s vec 0x%03lx srr0 0x%lx srr1 0x%016lx", what, ex.vec, ex.nip, ex.msr & SRR1_ARCH_MASK);
	if (extra & SHOW_DAR)
		printf(" dar 0x%lx", ex.dar);
	if (extra & SHOW_DSISR)
		printf(" dsisr 0x%08lx", ex.dsisr & 0xffffffffUL);
	printf("\n");
	check(ex.vec == want_vec && ex.nip == want_nip, "%s: vector 0x%lx at the expected address", what, want_vec);
}

static u64 arch_bits(u64 srr1)
{
	return srr1 & 0x783F0000UL;
}

static void test_sc(void)
{
	arm(SAME);
	do_sc();
	show("sc", 0xc00, (u64)t_sc + 4, 0);
	check(arch_bits(ex.msr) == 0 && !(ex.msr & MSR_PR), "sc: SRR1 interrupt bits clear");
}

static void test_program(void)
{
	arm(NEXT);
	do_illegal();
	show("illegal", 0x700, (u64)t_illegal, 0);
	check(arch_bits(ex.msr) == 0x00080000, "illegal instruction: SRR1 bit 44");

	arm(NEXT);
	do_trap();
	show("trap", 0x700, (u64)t_trap, 0);
	check(arch_bits(ex.msr) == 0x00020000, "trap: SRR1 bit 46");

	arm(NEXT);
	do_tdi_nottaken(0);
	check(!ex.taken, "tdi with a false condition does not trap");
	ex.armed = 0;

}

static void test_user(void)
{
	arm(NEXT);
	run_user(U_PRIV, U_TRAMP);
	show("privileged", 0x700, U_PRIV, 0);
	check(arch_bits(ex.msr) == 0x00040000 && (ex.msr & MSR_PR), "mfmsr in problem state: SRR1 bit 45 and PR");

	arm(NEXT);
	u64 v = run_user(U_OK, U_TRAMP);
	check(v == 77 && !ex.taken, "problem-state call returns %lu", v);
	ex.armed = 0;

	arm(SAME);
	run_user(U_SC, U_TRAMP);
	show("sc (problem)", 0xc00, U_SC + 4, 0);
	check((ex.msr & MSR_PR) && arch_bits(ex.msr) == 0, "sc from problem state: SRR1 has PR");
	check(!(mfmsr() & MSR_PR), "back in supervisor state");
}

static u64 scratch[4] __attribute__((aligned(64)));

static void test_alignment(void)
{
	u64 base = (u64)scratch;
	arm(NEXT);
	do_lwarx(base + 2);
	show("lwarx+2", 0x600, (u64)t_lwarx, SHOW_DAR);
	check(ex.dar == base + 2, "lwarx: DAR is the misaligned address");

	arm(NEXT);
	do_ldarx(base + 4);
	show("ldarx+4", 0x600, (u64)t_ldarx, SHOW_DAR);
	check(ex.dar == base + 4, "ldarx: DAR is the misaligned address");

	scratch[0] = 0x1122334455667788UL;
#ifdef __LITTLE_ENDIAN__
	/* Load/store multiple is not supported in little-endian mode. */
	arm(NEXT);
	do_lmw(base);
	show("lmw (LE)", 0x600, (u64)t_lmw, 0);
#else
	arm(NEXT);
	u64 v = do_lmw(base);
	check(!ex.taken && v == 0x11223344, "lmw in big-endian mode loads 0x%lx", v);
	ex.armed = 0;
#endif
}

static void test_decrementer(void)
{
	u64 d0 = mfspr(SPR_DEC);
	for (volatile int i = 0; i < 100000; i++)
		;
	u64 d1 = mfspr(SPR_DEC);
	check((s64)(d0 - d1) > 0, "decrementer counts down");

	/* Pending but masked while MSR[EE] = 0. */
	arm(SAME);
	mtspr(SPR_DEC, 1);
	for (volatile int i = 0; i < 20000; i++)
		;
	check(ex.taken == 0, "decrementer held off while MSR[EE]=0");
	/* The machine may post the interrupt a little later than DEC turns
	 * negative (QEMU raises it from a host timer), so wait for it. */
	__asm__ volatile("mtmsrd %0,1" : : "r"(mfmsr() | MSR_EE) : "memory");
	for (u64 spins = 0; !ex.taken && spins < 200000000UL; spins++)
		;
	__asm__ volatile("mtmsrd %0,1" : : "r"(mfmsr() & ~MSR_EE) : "memory");
	check(ex.taken == 1, "taken once MSR[EE]=1");
	printf("%-16s vec 0x%03lx srr1 0x%016lx\n", "decrementer", ex.vec, ex.msr & SRR1_ARCH_MASK);

	/* Counting down from a small value with interrupts enabled. */
	arm(SAME);
	mtspr(SPR_DEC, 20000);
	__asm__ volatile("mtmsrd %0,1" : : "r"(mfmsr() | MSR_EE) : "memory");
	u64 spins = 0;
	while (!*(volatile int *)&ex.taken && spins < 200000000UL)
		spins++;
	__asm__ volatile("mtmsrd %0,1" : : "r"(mfmsr() & ~MSR_EE) : "memory");
	check(ex.taken == 1 && ex.vec == 0x900 && (ex.msr & MSR_EE), "decrementer interrupt after a wait");
	ex.armed = 0;
}

#define UNMAPPED 0x50000000UL
#define RO_PAGE 0x40001000UL
#define NX_PAGE 0x40002000UL
#define X_PAGE 0x40003000UL
#define RC_PAGE 0x40004000UL
#define PA_TEST 0x03000000UL

static void test_mmu(void)
{
	mmu_init();
	mmu_new_tree(1);
	mmu_identity(1);
	mmu_map(1, RO_PAGE, PA_TEST, 4096, PTE_R | PTE_C | PTE_PRIV | PTE_RD);
	mmu_map(1, NX_PAGE, PA_TEST + 0x1000, 4096, PTE_R | PTE_C | PTE_PRIV | PTE_RD | PTE_RW);
	mmu_map(1, X_PAGE, PA_TEST + 0x2000, 4096, PTE_R | PTE_C | PTE_PRIV | PTE_RD | PTE_X);
	mmu_map(1, RC_PAGE, PA_TEST + 0x3000, 4096, PTE_PRIV | PTE_RD | PTE_RW);
	mmu_map(1, USER_PAGE, PA_TEST + 0x4000, 4096, PTE_R | PTE_C | PTE_RD | PTE_X);
	for (unsigned i = 0; i < ARRAY_SIZE(user_code); i++)
		((volatile u32 *)(PA_TEST + 0x4000))[i] = user_code[i];
	flush_icache_range(PA_TEST + 0x4000, PA_TEST + 0x4000 + sizeof(user_code));
	*(volatile u64 *)PA_TEST = 0x0123456789abcdefUL;
	*(volatile u64 *)(PA_TEST + 0x3000) = 42;
	/* "li 3,99; blr" in both executable and non-executable pages. */
	for (u64 pa = PA_TEST + 0x1000; pa <= PA_TEST + 0x2000; pa += 0x1000) {
		((volatile u32 *)pa)[0] = 0x38600063;
		((volatile u32 *)pa)[1] = 0x4e800020;
		flush_icache_range(pa, pa + 8);
	}
	int rc = mmu_register();
	check(rc == 0, "H_REGISTER_PROCESS_TABLE returns %d", rc);
	mmu_on(1);

	arm(NEXT);
	do_load(UNMAPPED);
	show("dsi load", 0x300, (u64)t_load, SHOW_DAR | SHOW_DSISR);
	check(ex.dar == UNMAPPED && ex.dsisr == 0x40000000, "DSI: no translation");

	arm(NEXT);
	do_store(UNMAPPED + 8, 1);
	show("dsi store", 0x300, (u64)t_store, SHOW_DAR | SHOW_DSISR);
	check(ex.dsisr == 0x42000000, "DSI: no translation, store");

	arm(NEXT);
	u64 v = do_load(RO_PAGE);
	check(!ex.taken && v == 0x0123456789abcdefUL, "load from a read-only page");
	arm(NEXT);
	do_store(RO_PAGE + 16, 1);
	show("dsi read-only", 0x300, (u64)t_store, SHOW_DAR | SHOW_DSISR);
	check(ex.dar == RO_PAGE + 16 && ex.dsisr == 0x0a000000, "DSI: protection, store");

	arm(NEXT);
	do_load(0x4000000000000000UL);
	show("data segment q1", 0x380, (u64)t_load, SHOW_DAR);
	arm(NEXT);
	do_load(0x0010000000000000UL);
	show("data segment 52", 0x380, (u64)t_load, SHOW_DAR);

	arm(LINK);
	((void (*)(void))UNMAPPED)();
	show("isi unmapped", 0x400, UNMAPPED, 0);
	check(arch_bits(ex.msr) == 0x40000000, "ISI: no translation in SRR1");

	arm(LINK);
	((void (*)(void))NX_PAGE)();
	show("isi no-execute", 0x400, NX_PAGE, 0);

	arm(LINK);
	v = ((u64(*)(void))X_PAGE)();
	check(!ex.taken && v == 99, "call into an executable mapping returns %lu", v);
	ex.armed = 0;

	arm(LINK);
	((void (*)(void))0x4000000000000000UL)();
	show("insn segment", 0x480, 0x4000000000000000UL, 0);

	test_user();

	/*
	 * R and C start clear. A load sets R only. Once a translation without
	 * C may be cached, a store is only guaranteed to fault for C after a
	 * tlbie of the page (QEMU keeps the writable TLB entry otherwise), so
	 * the sequence below is the same on every conforming machine.
	 */
	unsigned long before = mmu_rc_faults;
	v = do_load(RC_PAGE);
	unsigned long n_load = mmu_rc_faults - before;
	u64 pte = be64_to_cpu(*mmu_pte(1, RC_PAGE));
	check(v == 42 && n_load == 1 && (pte & (PTE_R | PTE_C)) == PTE_R, "load: one R fault, PTE R=1 C=0");
	tlbie_va(1, RC_PAGE);
	before = mmu_rc_faults;
	do_store(RC_PAGE + 8, 7);
	do_store(RC_PAGE + 16, 8);
	unsigned long n_store = mmu_rc_faults - before;
	pte = be64_to_cpu(*mmu_pte(1, RC_PAGE));
	check(n_store == 1 && (pte & (PTE_R | PTE_C)) == (PTE_R | PTE_C), "store after tlbie: one C fault, PTE R=1 C=1");

	mmu_off();
}

int main(void)
{
	rt_trap_hook = hook;
	printf("interrupts: SRR1 shown masked with 0x%016lx\n", SRR1_ARCH_MASK);
	test_sc();
	test_program();
	test_alignment();
	test_decrementer();
	test_mmu();
	return 0;
}
