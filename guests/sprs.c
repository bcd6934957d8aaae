/*
 * sprs: every SPR number 0..1023, in supervisor and in problem state.
 *
 * For each number and each pattern (all ones, 0x5555..., 0xAAAA..., 0) a
 * generated snippet runs "mfspr r7,n; mtspr n,r4; mfspr r5,n" and the
 * guest prints what each step did: a value read back, "nop" (the target
 * register kept its canary: an undefined SPR in privileged state), or the
 * interrupt taken (vector/SRR1 bits 33:36,42:47, plus FSCR[IC] for a
 * facility-unavailable interrupt). Afterwards the original value is
 * written back. Numbers whose lines are identical (and unnamed) are
 * printed as one range.
 *
 * Supervisor state runs with the MMU off, so a PIDR, AMR or IAMR pattern
 * cannot take the code away; problem state runs under a radix identity
 * map with the snippet in a user page (MSR[PR]=1 forces IR and DR on).
 *
 * Nothing is skipped: the snippet's three instructions run back to back
 * with MSR[EE]=0 in supervisor state, so even SRR0/SRR1, SPRG1-3 (which
 * the interrupt entry uses) and DEC keep their pattern only until the
 * restore that follows. Registers that change by themselves are only
 * checked for access ("~" instead of a value): DEC, the timebase, PURR,
 * SPURR, CFAR (set by every branch), and VTB.
 */
#include "rt.h"

#define CANARY 0x0123456789abcdefUL
#define USER_CODE 0x40000000UL

static const u64 patterns[4] = { ~0UL, 0x5555555555555555UL, 0xaaaaaaaaaaaaaaaaUL, 0 };

/* The snippet: 0 read, 1 write, 2 read back, 3 exit (a branch back in
 * supervisor state; mfmsr, a privileged instruction, in problem state). */
static u32 code[1024] __attribute__((aligned(4096)));

struct outcome {
	u64 vec[3], bits[3], ic[3];
	u64 r3, r5;
};
static volatile struct outcome out;
static volatile u64 code_base;	/* EA of code[] as the snippet runs */

void probe_sup(u64 code_ea, u64 pattern, u64 canary, volatile u64 *res);
void probe_user(u64 code_ea, u64 pattern, u64 canary, volatile u64 *res);
extern char probe_back[], probe_user_back[];

__asm__(
	"	.text\n"
	"	.globl probe_sup, probe_back\n"
	"probe_sup:\n"
	"	mflr 0\n"
	"	std 0,16(1)\n"
	"	stdu 1,-64(1)\n"
	"	mtctr 3\n"
	"	mr 7,5\n"
	"	li 3,0\n"
	"	bctr\n"
	"probe_back:\n"
	"	std 7,0(6)\n"
	"	std 5,8(6)\n"
	"	addi 1,1,64\n"
	"	ld 0,16(1)\n"
	"	mtlr 0\n"
	"	blr\n"
	/* probe_user: rfid to the snippet with MSR[PR]=1; its final mfmsr
	 * traps and the hook resumes at probe_user_back in supervisor state. */
	"	.globl probe_user, probe_user_back\n"
	"probe_user:\n"
	"	mflr 0\n"
	"	std 0,16(1)\n"
	"	stdu 1,-64(1)\n"
	"	mtsrr0 3\n"
	"	mfmsr 7\n"
	"	ori 7,7,0x4000\n"
	"	mtsrr1 7\n"
	"	mr 7,5\n"
	"	li 3,0\n"
	"	rfid\n"
	"probe_user_back:\n"
	"	std 7,0(6)\n"
	"	std 5,8(6)\n"
	"	addi 1,1,64\n"
	"	ld 0,16(1)\n"
	"	mtlr 0\n"
	"	blr\n");

static u32 spr_field(unsigned n)
{
	return (((n & 0x1f) << 5) | (n >> 5)) << 11;
}

static u32 mfspr_w(unsigned rt, unsigned n)
{
	return 0x7c0002a6 | rt << 21 | spr_field(n);
}

static u32 mtspr_w(unsigned n, unsigned rs)
{
	return 0x7c0003a6 | rs << 21 | spr_field(n);
}

#define NOP 0x60000000u

static int user_mode;

static void emit(u32 w0, u32 w1, u32 w2)
{
	code[0] = w0;
	code[1] = w1;
	code[2] = w2;
	if (user_mode) {
		code[3] = 0x7c0000a6;	/* mfmsr r0 */
	} else {
		u64 at = (u64)&code[3];
		code[3] = 0x48000000 | (((u64)probe_back - at) & 0x03fffffc);
	}
	flush_icache_range((u64)code, (u64)&code[4]);
}

static int hook(struct regs *r)
{
	u64 base = code_base;
	if (r->vec == 0x900 || r->vec == 0x500 || r->vec == 0x980)
		return 0;
	if (user_mode && r->vec == 0x700 && (r->msr & MSR_PR) && r->nip == base + 12) {
		r->nip = (u64)probe_user_back;
		r->msr &= ~(MSR_PR | MSR_EE);
		return 1;
	}
	if (r->nip >= base && r->nip < base + 12) {
		int slot = (int)((r->nip - base) / 4);
		out.vec[slot] = r->vec;
		out.bits[slot] = r->msr & 0x783f0000UL;
		out.ic[slot] = r->vec == 0xf60 ? mfspr(153) >> 56 : 0;
		r->nip += 4;
		return 1;
	}
	return 0;
}

/* Runs the snippet with r4 = pattern; fills out. */
static void run(u64 pattern)
{
	u64 res[2];
	for (int i = 0; i < 3; i++)
		out.vec[i] = out.bits[i] = out.ic[i] = 0;
	if (user_mode)
		probe_user(USER_CODE, pattern, CANARY, res);
	else
		probe_sup((u64)code, pattern, CANARY, res);
	out.r3 = res[0];
	out.r5 = res[1];
}

static int changes_by_itself(unsigned n)
{
	switch (n) {
	case 22:		/* DEC */
	case 28:		/* CFAR: every branch sets it */
	case 268: case 269:	/* TB, TBU */
	case 308: case 309:	/* SPURR, PURR */
	case 848:		/* IC */
	case 849:		/* VTB */
		return 1;
	}
	return 0;
}

static const struct { unsigned n; const char *name; } names[] = {
	{0, "MQ(601)"}, {1, "XER"}, {3, "DSCR(u)"}, {8, "LR"}, {9, "CTR"}, {13, "AMR(u)"}, {17, "DSCR"},
	{18, "DSISR"}, {19, "DAR"}, {22, "DEC"}, {26, "SRR0"}, {27, "SRR1"}, {28, "CFAR"},
	{29, "AMR"}, {48, "PIDR"}, {61, "IAMR"}, {128, "TFHAR"}, {129, "TFIAR"},
	{130, "TEXASR"}, {131, "TEXASRU"}, {136, "CTRL(r)"}, {144, "TIDR"}, {152, "CTRL(w)"},
	{153, "FSCR"}, {157, "UAMOR"}, {159, "PSPB"}, {176, "DPDES"}, {180, "DAWR0"},
	{186, "RPR"}, {187, "CIABR"}, {188, "DAWRX0"}, {190, "HFSCR"}, {256, "VRSAVE"},
	{259, "SPRG3(u)"}, {268, "TB"}, {269, "TBU"}, {272, "SPRG0"}, {273, "SPRG1"},
	{274, "SPRG2"}, {275, "SPRG3"}, {284, "TBL(w)"}, {285, "TBU(w)"}, {286, "TBU40"},
	{287, "PVR"}, {304, "HSPRG0"}, {305, "HSPRG1"}, {306, "HDSISR"}, {307, "HDAR"},
	{308, "SPURR"}, {309, "PURR"}, {310, "HDEC"}, {313, "HRMOR"}, {314, "HSRR0"},
	{315, "HSRR1"}, {318, "LPCR"}, {319, "LPIDR"}, {336, "HMER"}, {337, "HMEER"},
	{338, "PCR"}, {339, "HEIR"}, {349, "AMOR"}, {446, "TIR"}, {464, "PTCR"},
	{768, "SIER(u)"}, {769, "MMCR2(u)"}, {770, "MMCRA(u)"}, {771, "PMC1(u)"},
	{772, "PMC2(u)"}, {773, "PMC3(u)"}, {774, "PMC4(u)"}, {775, "PMC5(u)"},
	{776, "PMC6(u)"}, {779, "MMCR0(u)"}, {780, "SIAR(u)"}, {781, "SDAR(u)"},
	{782, "MMCR1(u)"}, {784, "SIER"}, {785, "MMCR2"}, {786, "MMCRA"}, {787, "PMC1"},
	{788, "PMC2"}, {789, "PMC3"}, {790, "PMC4"}, {791, "PMC5"}, {792, "PMC6"},
	{795, "MMCR0"}, {796, "SIAR"}, {797, "SDAR"}, {798, "MMCR1"}, {800, "BESCRS"},
	{801, "BESCRSU"}, {802, "BESCRR"}, {803, "BESCRRU"}, {804, "EBBHR"}, {805, "EBBRR"},
	{806, "BESCR"}, {808, "reserved808"}, {809, "reserved809"}, {810, "reserved810"},
	{811, "reserved811"}, {815, "TAR"}, {816, "ASDR"}, {823, "PSSCR(pr)"}, {848, "IC"},
	{849, "VTB"}, {855, "PSSCR"}, {895, "WORT"}, {896, "PPR"}, {898, "PPR32"},
	{1006, "TRIG"}, {1008, "HID0"}, {1023, "PIR"},
};

static const char *name_of(unsigned n)
{
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].n == n)
			return names[i].name;
	return 0;
}

/* Per-state counts for the summary. */
struct counts {
	int readable, writable, nop, priv, illegal, unavailable, other;
};
static struct counts cnt[2];

static int fault_str(char *b, int len, int slot)
{
	if (out.vec[slot] == 0xf60)
		return snprintf(b, len, "%lx/%lx/ic%lx", out.vec[slot], out.bits[slot] >> 16, out.ic[slot]);
	return snprintf(b, len, "%lx/%lx", out.vec[slot], out.bits[slot] >> 16);
}

static void count_fault(struct counts *c, int slot)
{
	if (out.vec[slot] == 0x700 && out.bits[slot] == 0x40000)
		c->priv++;
	else if (out.vec[slot] == 0x700 && out.bits[slot] == 0x80000)
		c->illegal++;
	else if (out.vec[slot] == 0xf60 || out.vec[slot] == 0xf80)
		c->unavailable++;
	else
		c->other++;
}

/*
 * Where QEMU 10 departs from Power ISA v3.0B the affected items print as
 * "*" on both machines (jvisor follows the ISA). "SPR table" is the table of
 * Book III §4.4.4, Move To/From System Register Instructions.
 *  - SPR 3, the problem-state DSCR number (SPR table; Book II, Data Stream
 *    Control Register): QEMU does not define it (no-op / privileged).
 *  - SPR 13 read in privileged state: QEMU returns a separate, never written
 *    copy instead of the AMR (Book III, Authority Mask Register: SPRs 13 and
 *    29 both name the AMR).
 *  - SPRs 800-803 (BESCRS/BESCRSU/BESCRR/BESCRRU): QEMU keeps them as plain
 *    registers; Book II Chapter 7 (Event-Based Branch Facility, Branch Event
 *    Status and Control Register) makes them set/reset views of BESCR.
 *  - SPRs 771-776 (PMC1-6 problem-state numbers) written in privileged
 *    state: QEMU keeps all 64 bits; the SPR table makes the PMCs 32 bits.
 *  - SPRs 308/309 (SPURR/PURR) read in problem state: QEMU allows it; the SPR
 *    table makes mfspr privileged.
 *  - SPRs 768, 780, 781, 782 (SIER, SIAR, SDAR, MMCR1 problem-state numbers)
 *    written in privileged state: QEMU writes the register; the SPR table
 *    defines no mtspr for these numbers.
 *  - SPR 823 (PSSCR, privileged) in privileged state: QEMU leaves it
 *    undefined (no-op). SPR 855 (PSSCR, hypervisor) in privileged state:
 *    QEMU makes it a no-op; the table makes it hypervisor (emulation
 *    assistance, a program interrupt under QEMU's pseries).
 */
#define M_READ 1
#define M_WRITE 2
#define M_VALUE 4

static int mask_of(unsigned n, int user)
{
	if (n == 3)
		return M_READ | M_WRITE;
	if (!user && n == 13)
		return M_VALUE;
	if (!user && ((n >= 800 && n <= 803) || (n >= 771 && n <= 776)))
		return M_VALUE;
	if (user && (n == 308 || n == 309))
		return M_READ;
	if (!user && (n == 768 || (n >= 780 && n <= 782)))
		return M_WRITE;
	if (!user && (n == 823 || n == 855))
		return M_READ | M_WRITE;
	return 0;
}

/* One state's description of SPR n into b; also restores the SPR. */
static void describe(unsigned n, char *b, int len, struct counts *c)
{
	int at = 0;
	u64 orig = 0;
	int have_orig = 0;
	int mask = mask_of(n, user_mode);
	for (int p = 0; p < 4; p++) {
		emit(mfspr_w(7, n), mtspr_w(n, 4), mfspr_w(5, n));
		run(patterns[p]);
		if (p == 0) {
			at += snprintf(b + at, len - at, " r:");
			if (!out.vec[0] && out.r3 != CANARY) {
				orig = out.r3;
				have_orig = 1;
			}
			if (mask & M_READ) {
				at += snprintf(b + at, len - at, "*");
			} else if (out.vec[0]) {
				at += fault_str(b + at, len - at, 0);
				count_fault(c, 0);
			} else if (out.r3 == CANARY) {
				at += snprintf(b + at, len - at, "nop");
				c->nop++;
			} else {
				at += snprintf(b + at, len - at, "ok");
				c->readable++;
			}
			at += snprintf(b + at, len - at, " w:");
			if (mask & M_WRITE)
				;
			else if (out.vec[1])
				count_fault(c, 1);
			else
				c->writable++;
		} else {
			at += snprintf(b + at, len - at, ",");
		}
		if (mask & M_WRITE) {
			at += snprintf(b + at, len - at, "*");
		} else if (out.vec[1]) {
			at += fault_str(b + at, len - at, 1);
		} else if (out.vec[2]) {
			at += snprintf(b + at, len - at, "r");
			at += fault_str(b + at, len - at, 2);
		} else if (out.r5 == CANARY) {
			at += snprintf(b + at, len - at, "nop");
		} else if (changes_by_itself(n)) {
			at += snprintf(b + at, len - at, "~");
		} else if (mask & M_VALUE) {
			at += snprintf(b + at, len - at, "*");
		} else if (out.r5 == patterns[p]) {
			at += snprintf(b + at, len - at, "=");
		} else {
			at += snprintf(b + at, len - at, "%lx", out.r5);
		}
	}
	/* Put the original value back (DEC: far in the future). */
	if (n == 22) {
		orig = 0x7fffffff;
		have_orig = 1;
	}
	if (have_orig) {
		emit(NOP, mtspr_w(n, 4), NOP);
		run(orig);
	}
}

static char line_s[1024][160], line_u[1024][160];

static void sweep(int user, char lines[][160])
{
	user_mode = user;
	code_base = user ? USER_CODE : (u64)code;
	for (unsigned n = 0; n < 1024; n++)
		describe(n, lines[n], sizeof lines[n], &cnt[user]);
}

static void print_lines(void)
{
	unsigned n = 0;
	while (n < 1024) {
		const char *nm = name_of(n);
		unsigned end = n;
		if (!nm)
			while (end + 1 < 1024 && !name_of(end + 1) && !strcmp(line_s[end + 1], line_s[n]) &&
			       !strcmp(line_u[end + 1], line_u[n]))
				end++;
		if (end == n)
			printf("spr %4u %-12s S%s  U%s\n", n, nm ? nm : "", line_s[n], line_u[n]);
		else
			printf("spr %4u-%-4u %-7s S%s  U%s\n", n, end, "", line_s[n], line_u[n]);
		n = end + 1;
	}
}

static void summary(const char *state, struct counts *c)
{
	printf("%s: read ok %d, write without interrupt %d, read no-op %d, privileged %d, illegal %d, unavailable %d, other %d\n",
	       state, c->readable, c->writable, c->nop, c->priv, c->illegal, c->unavailable, c->other);
}

int main(void)
{
	rt_trap_hook = hook;
	/* Freeze the performance monitor (MMCR0[FC]) so that no counter
	 * moves while its number is swept. */
	mtspr(795, 0x80000000UL);
	printf("sprs: r: read probe, w: read back after writing ~0,5555..,aaaa..,0; "
	       "faults as vector/SRR1[33:36,42:47]\n");
	sweep(0, line_s);
	/* The set/reset numbers left BESCR in a state that differs between
	 * machines (see mask_of); clear it through its own number. */
	mtspr(806, 0);

	mmu_init();
	mmu_new_tree(1);
	mmu_identity(1);
	mmu_map(1, USER_CODE, (u64)code, 4096, PTE_R | PTE_C | PTE_RD | PTE_X);
	if (mmu_register())
		panic("H_REGISTER_PROCESS_TABLE failed");
	mmu_on(1);
	mtspr(795, 0x80000000UL);
	sweep(1, line_u);
	mmu_off();

	print_lines();
	summary("supervisor", &cnt[0]);
	summary("problem", &cnt[1]);
	return 0;
}
