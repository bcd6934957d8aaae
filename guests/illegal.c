/*
 * illegal: which instruction words POWER9 executes, which are illegal, and
 * which raise a facility-unavailable interrupt (FP 0x800, VMX 0xf20, VSX
 * 0xf40) because MSR[FP], MSR[VEC] or MSR[VSX] is off.
 *
 * Every primary opcode runs once with its operand fields zero (branches
 * jump to the next word, D-form storage accesses address real 0). The
 * primary opcodes with extended opcodes are swept: 4, 19, 31, 59, 60 and 63
 * over the low 11 bits (XO and Rc/AX/BX/TX), 30 over 5 bits, 17, 57, 58 and
 * 62 over 2 bits, 56 and 61 over 4 bits; the VX/X/XX2 forms whose RA field
 * is a further opcode (vclzlsbb..., the BCD conversions, mffs..., the
 * quad-precision conversions, xxbr*, xsxexpdp...) also over bits 11-15.
 * POWER10 prefixed words (primary opcode 1) are tried with a suffix.
 *
 * Each word runs in supervisor state with the MMU off, once with MSR[FP,
 * VEC, VSX] = 0 and once with them = 1; the second run leaves out the words
 * that raised a facility-unavailable interrupt in the first (they are FP,
 * VMX or VSX instructions; jvisor does not execute those yet). Operands
 * are zero, so RA=0 and RB=r0: r0 holds a scratch address (real 0x9000),
 * or for mtmsr/mtmsrd the probe MSR itself. LR, CTR, TAR, EBBRR and
 * SRR0 point back to the harness, so every branch and rfid/rfebb returns;
 * rfscv (MSR from CTR) gets CTR = the probe MSR.
 *
 * Left out, and why: the AA=1 branches (they would jump to real 4) and
 * wait (31/30, 31/62 with either Rc: with MSR[EE]=0 nothing would wake it).
 *
 * Output per opcode space: for each outcome (x = executed, else vector /
 * SRR1[33:36,42:47] >> 16, with FSCR[IC] for 0xf60; * = a word where QEMU
 * departs from the ISA, see qemu_departs) the swept values that gave it, as
 * hex ranges, and a hash of the whole space.
 */
#include "rt.h"

#define MASKED 0xfe		/* outcome class of a word qemu_departs() names */
#define SCRATCH 0x9000UL	/* real memory nothing else uses */
#define MSR_FP (1UL << 13)
#define MSR_VEC (1UL << 25)
#define MSR_VSX (1UL << 23)

u32 probe_code[64] __attribute__((aligned(128)));
#define code probe_code

/* Harness state, its address kept in SPRG0 while a word runs. */
struct harness {
	u64 r1, r2, lr, cr;
	u64 nv[18];		/* r14..r31 */
	u64 msr_probe;		/* 176 */
	u64 msr_home;		/* 184 */
	u64 r0;			/* 192 */
	u64 ctr;		/* 200 */
	u64 back;		/* 208 */
};
static struct harness hs;

void probe_word(struct harness *h);
extern char probe_back[];

__asm__(
	"	.text\n"
	"	.globl probe_word, probe_back\n"
	"probe_word:\n"
	"	std 1,0(3)\n"
	"	std 2,8(3)\n"
	"	mflr 0\n"
	"	std 0,16(3)\n"
	"	mfcr 0\n"
	"	std 0,24(3)\n"
	"	.irp n,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"	std \\n,(32+8*(\\n-14))(3)\n"
	"	.endr\n"
	"	mtspr 272,3\n"
	"	ld 0,200(3)\n"
	"	mtctr 0\n"
	"	ld 0,208(3)\n"
	"	mtlr 0\n"
	"	ld 0,176(3)\n"
	"	mtmsrd 0\n"
	"	isync\n"
	"	li 0,0\n"
	"	mtcrf 0xff,0\n"
	"	mtxer 0\n"
	"	ld 0,192(3)\n"
	"	b probe_code\n"
	"probe_back:\n"
	"	mfspr 3,272\n"
	"	ld 0,184(3)\n"
	"	mtmsrd 0\n"
	"	isync\n"
	"	ld 1,0(3)\n"
	"	ld 2,8(3)\n"
	"	ld 0,16(3)\n"
	"	mtlr 0\n"
	"	ld 0,24(3)\n"
	"	mtcrf 0xff,0\n"
	"	.irp n,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"	ld \\n,(32+8*(\\n-14))(3)\n"
	"	.endr\n"
	"	blr\n");

static volatile struct {
	int armed, taken;
	u64 vec, bits, ic;
} ex;

static int hook(struct regs *r)
{
	u64 base = (u64)code;
	if (r->vec == 0x900 || r->vec == 0x500 || r->vec == 0x980)
		return 0;
	if (!ex.armed)
		return 0;
	/* A system call reports the next word in SRR0; everything else the word itself. */
	if (r->nip == base || (r->vec == 0xc00 && r->nip == base + 4)) {
		ex.armed = 0;
		ex.taken = 1;
		ex.vec = r->vec;
		ex.bits = r->msr & 0x783f0000UL;
		ex.ic = r->vec == 0xf60 ? mfspr(153) >> 56 : 0;
		r->nip = base + 4;
		return 1;
	}
	return 0;
}

/* Outcome classes seen so far; 0 is "executed". */
#define MAX_CLASS 32
static struct { u64 vec, bits, ic; } classes[MAX_CLASS];
static int n_classes = 1;

static int class_of(void)
{
	if (!ex.taken)
		return 0;
	for (int i = 1; i < n_classes; i++)
		if (classes[i].vec == ex.vec && classes[i].bits == ex.bits && classes[i].ic == ex.ic)
			return i;
	if (n_classes == MAX_CLASS)
		panic("too many outcome classes");
	classes[n_classes].vec = ex.vec;
	classes[n_classes].bits = ex.bits;
	classes[n_classes].ic = ex.ic;
	return n_classes++;
}

static void class_name(int c, char *b, int len)
{
	if (c == MASKED)
		snprintf(b, len, "*");
	else if (c == 0)
		snprintf(b, len, "x");
	else if (classes[c].vec == 0xf60)
		snprintf(b, len, "%lx/%lx/ic%lx", classes[c].vec, classes[c].bits >> 16, classes[c].ic);
	else
		snprintf(b, len, "%lx/%lx", classes[c].vec, classes[c].bits >> 16);
}

static int facilities_on;

/* Runs word w (followed by `extra` if nonzero) and returns its outcome class. */
static int run_word(u32 w, u32 extra)
{
	int n = 0;
	code[n++] = w;
	if (extra)
		code[n++] = extra;
	u64 at = (u64)&code[n];
	code[n] = 0x48000000 | (((u64)probe_back - at) & 0x03fffffc);
	flush_icache_range((u64)code, (u64)&code[n + 1]);

	u64 fac = facilities_on ? MSR_FP | MSR_VEC | MSR_VSX : 0;
	hs.msr_home = mfmsr() & ~(MSR_FP | MSR_VEC | MSR_VSX);
	hs.msr_probe = hs.msr_home | fac;
	/* r0: the probe MSR for mtmsr/mtmsrd, else a scratch address. */
	hs.r0 = (w >> 26) == 31 && (((w >> 1) & 0x3ff) == 146 || ((w >> 1) & 0x3ff) == 178) ? hs.msr_probe
									       : SCRATCH;
	hs.back = (u64)probe_back;
	/* rfscv takes its MSR from CTR. */
	hs.ctr = (w >> 26) == 19 && ((w >> 1) & 0x3ff) == 82 ? hs.msr_probe : (u64)probe_back;
	mtspr(815, (u64)probe_back);	/* TAR */
	mtspr(805, (u64)probe_back);	/* EBBRR */
	mtspr(153, 0);			/* FSCR: no problem-state facilities, no scv */
	ex.taken = 0;
	ex.armed = 1;
	mtspr(SPR_SRR0, (u64)probe_back);
	mtspr(SPR_SRR1, hs.msr_probe);
	probe_word(&hs);
	ex.armed = 0;
	return class_of();
}

#define SKIP 0xff
#define MAX_WORDS 2048

/*
 * Words where QEMU 10 departs from Power ISA v3.0B; they print as "*" and
 * are not run (jvisor follows the ISA: illegal, or for vrl* MSR[VEC]).
 */
/* Opcode-4 words POWER9 does not define that QEMU's decoder takes for a
 * neighbouring VX instruction (it ignores bit 31 or other extended-opcode
 * bits), or executes outright. */
static const u32 vx_aliases[] = {
	0x1000000b, 0x1000000d, 0x1000000f, 0x1000004b, 0x1000004d, 0x1000004f, 0x10000081,
	0x1000008d, 0x1000008f, 0x100000c1, 0x100000cf, 0x1000010b, 0x1000010d, 0x1000010f,
	0x1000014b, 0x1000014d, 0x1000014f, 0x1000018b, 0x1000018d, 0x1000018f, 0x100001c7,
	0x100001cb, 0x100001cd, 0x100001cf, 0x1000020b, 0x1000020f, 0x1000024b, 0x1000024f,
	0x10000287, 0x1000028b, 0x1000028f, 0x100002c5, 0x100002cb, 0x100002cc, 0x100002cf,
	0x1000030b, 0x1000030f, 0x1000034b, 0x1000034f, 0x10000387, 0x1000038b, 0x100003cb,
	0x100003cf, 0x10000409, 0x1000040b, 0x1000040d, 0x10000449, 0x1000044b, 0x1000044d,
	0x1000044f, 0x10000489, 0x100004cf, 0x1000050d, 0x1000054d, 0x1000054f, 0x100005c0,
	0x100005c7, 0x100005c9, 0x100005cd, 0x100005cf, 0x10000603, 0x10000605, 0x10000609,
	0x1000060c, 0x10000645, 0x10000649, 0x1000064c, 0x1000064f, 0x10000683, 0x10000687,
	0x10000689, 0x100006c0, 0x100006c3, 0x100006cf, 0x10000705, 0x10000709, 0x1000070c,
	0x10000745, 0x1000074c, 0x10000787, 0x10000789, 0x100007c0,
};

static int qemu_departs(u32 w)
{
	u32 op = w >> 26, xo11 = w & 0x7ff;
	if (op == 4) {
		/* vrlwmi, vrldmi, vrlwnm, vrldnm: QEMU wants MSR[VSX]; Vector
		 * facility instructions need MSR[VEC] (Book I chapter 6). */
		if ((w & 0x03ffffff) == xo11 && (xo11 == 0x085 || xo11 == 0x0c5 || xo11 == 0x185 || xo11 == 0x1c5))
			return 1;
		for (unsigned i = 0; i < ARRAY_SIZE(vx_aliases); i++)
			if (vx_aliases[i] == w)
				return 1;
	}
	/* 19/(32*k), k = 1..31: QEMU decodes them all as mcrf (extended opcode 0). */
	if (op == 19 && (w & 0x03ffffff) == (w & 0x7c0) && (w & 0x7c0))
		return 1;
	/* 31/300 with either TX: QEMU takes it for a VSX load. */
	if ((w & 0xfffffffe) == 0x7c000258)
		return 1;
	/* XX3 extended opcodes 91, 123, 219, 251: QEMU takes them for xscmp*dp. */
	if (op == 60 && (w & 0x03fff800) == 0) {
		u32 xo8 = (w >> 3) & 0xff;
		if (xo8 == 91 || xo8 == 123 || xo8 == 219 || xo8 == 251)
			return 1;
	}
	/* lxsd: QEMU wants MSR[VSX]; its target is VSR 32-63, so MSR[VEC] (as for
	 * lxssp, stxsd and stxssp, where QEMU agrees). */
	if (w == 0xe4000002)
		return 1;
	/* 63/994: dcffixqq, a Power ISA 3.1 instruction QEMU accepts on POWER9. */
	if ((w & 0xfffffffe) == 0xfc0007c4)
		return 1;
	return 0;
}

static int unavailable(int c)
{
	return c && (classes[c].vec == 0x800 || classes[c].vec == 0xf20 || classes[c].vec == 0xf40);
}

struct space {
	const char *name;
	u32 base;	/* the word with the swept bits zero */
	int shift;	/* swept bits: (i << shift) for i < count */
	int count;
	u32 extra;	/* a suffix word after each (prefixed words) */
};

static int skipped(u32 w)
{
	u32 op = w >> 26;
	if ((op == 16 || op == 18) && (w & 2))
		return 1;	/* AA=1: would jump to real address 4 */
	if (op == 31 && (((w >> 1) & 0x3ff) == 30 || ((w >> 1) & 0x3ff) == 62))
		return 1;	/* wait: nothing wakes it with MSR[EE]=0 */
	return 0;
}

static void print_ranges(const char *tag, const struct space *s, int cls, u8 *out)
{
	char name[40], line[96];
	int at = 0, any = 0;
	class_name(cls, name, sizeof name);
	for (int i = 0; i < s->count; i++) {
		if (out[i] != cls)
			continue;
		int j = i;
		while (j + 1 < s->count && out[j + 1] == cls)
			j++;
		char item[24];
		if (j == i)
			snprintf(item, sizeof item, "%x", i);
		else
			snprintf(item, sizeof item, "%x-%x", i, j);
		if (at + (int)strlen(item) + 2 > 76) {
			printf("%s %s %s: %s\n", tag, s->name, name, line);
			at = 0;
		}
		at += snprintf(line + at, sizeof line - at, "%s%s", at ? "," : "", item);
		any = 1;
		i = j;
	}
	if (any)
		printf("%s %s %s: %s\n", tag, s->name, name, line);
}

static u64 totals[2][4];	/* [run][executed, illegal, unavailable, other] */

static void sweep(const struct space *s)
{
	static u8 off[MAX_WORDS], on[MAX_WORDS];
	u64 h[2] = { FOLD_INIT, FOLD_INIT };
	for (int run = 0; run < 2; run++) {
		u8 *out = run ? on : off;
		facilities_on = run;
		for (int i = 0; i < s->count; i++) {
			u32 w = s->base | ((u32)i << s->shift);
			if (qemu_departs(w)) {
				out[i] = MASKED;
				h[run] = fold(h[run], ((u64)w << 32) | 0xffffffffUL);
				continue;
			}
			if (skipped(w) || (run && off[i] != SKIP && unavailable(off[i]))) {
				out[i] = SKIP;
				continue;
			}
			int c = run_word(w, s->extra);
			out[i] = (u8)c;
			h[run] = fold(h[run], ((u64)w << 32) | (classes[c].vec << 8) | (classes[c].bits >> 16) | classes[c].ic);
			int k = c == 0 ? 0 : (classes[c].vec == 0x700 && classes[c].bits == 0x80000) ? 1 : unavailable(c) ? 2 : 3;
			totals[run][k]++;
		}
	}
	printf("%s: base %08x, %d values << %d, hash off %016lx on %016lx\n", s->name, s->base, s->count, s->shift,
	       h[0], h[1]);
	for (int run = 0; run < 2; run++) {
		for (int c = 0; c < n_classes; c++)
			print_ranges(run ? " on" : "off", s, c, run ? on : off);
		print_ranges(run ? " on" : "off", s, MASKED, run ? on : off);
	}
}

static const struct space spaces[] = {
	/* One word each: the primary opcodes without an extended opcode. */
	{ "op0", 0x00000000, 0, 1, 0 },
	{ "attn", 0x00000200, 0, 1, 0 },
	{ "op2", 2u << 26, 0, 1, 0 }, { "op3", 3u << 26, 0, 1, 0 },
	{ "op5", 5u << 26, 0, 1, 0 }, { "op6", 6u << 26, 0, 1, 0 },
	{ "op7", 7u << 26, 0, 1, 0 }, { "op8", 8u << 26, 0, 1, 0 },
	{ "op9", 9u << 26, 0, 1, 0 }, { "op10", 10u << 26, 0, 1, 0 },
	{ "op11", 11u << 26, 0, 1, 0 }, { "op12", 12u << 26, 0, 1, 0 },
	{ "op13", 13u << 26, 0, 1, 0 }, { "op14", 14u << 26, 0, 1, 0 },
	{ "op15", 15u << 26, 0, 1, 0 },
	{ "op16", (16u << 26) | 4, 0, 2, 0 },	/* bc .+4, bcl .+4 */
	{ "op17", 17u << 26, 0, 4, 0 },
	{ "op18", (18u << 26) | 4, 0, 2, 0 },	/* b .+4, bl .+4 */
	{ "op20", 20u << 26, 0, 1, 0 }, { "op21", 21u << 26, 0, 1, 0 },
	{ "op22", 22u << 26, 0, 1, 0 }, { "op23", 23u << 26, 0, 1, 0 },
	{ "op24", 24u << 26, 0, 1, 0 }, { "op25", 25u << 26, 0, 1, 0 },
	{ "op26", 26u << 26, 0, 1, 0 }, { "op27", 27u << 26, 0, 1, 0 },
	{ "op28", 28u << 26, 0, 1, 0 }, { "op29", 29u << 26, 0, 1, 0 },
	{ "op30", 30u << 26, 0, 32, 0 },
	{ "op32", 32u << 26, 0, 1, 0 }, { "op33", 33u << 26, 0, 1, 0 },
	{ "op34", 34u << 26, 0, 1, 0 }, { "op35", 35u << 26, 0, 1, 0 },
	{ "op36", 36u << 26, 0, 1, 0 }, { "op37", 37u << 26, 0, 1, 0 },
	{ "op38", 38u << 26, 0, 1, 0 }, { "op39", 39u << 26, 0, 1, 0 },
	{ "op40", 40u << 26, 0, 1, 0 }, { "op41", 41u << 26, 0, 1, 0 },
	{ "op42", 42u << 26, 0, 1, 0 }, { "op43", 43u << 26, 0, 1, 0 },
	{ "op44", 44u << 26, 0, 1, 0 }, { "op45", 45u << 26, 0, 1, 0 },
	{ "op46", (46u << 26) | (30u << 21), 0, 1, 0 },	/* lmw r30,0(0) */
	{ "op47", (47u << 26) | (30u << 21), 0, 1, 0 },	/* stmw r30,0(0) */
	{ "op48", 48u << 26, 0, 1, 0 }, { "op49", 49u << 26, 0, 1, 0 },
	{ "op50", 50u << 26, 0, 1, 0 }, { "op51", 51u << 26, 0, 1, 0 },
	{ "op52", 52u << 26, 0, 1, 0 }, { "op53", 53u << 26, 0, 1, 0 },
	{ "op54", 54u << 26, 0, 1, 0 }, { "op55", 55u << 26, 0, 1, 0 },
	{ "op56", (56u << 26) | (4u << 21), 0, 16, 0 },	/* lq r4,0(0) */
	{ "op57", 57u << 26, 0, 4, 0 },
	{ "op58", 58u << 26, 0, 4, 0 },
	{ "op61", 61u << 26, 0, 16, 0 },	/* XO and the DQ-form TX bit */
	{ "op62", 62u << 26, 0, 4, 0 },
	/* The big extended-opcode spaces. */
	{ "op4", 4u << 26, 0, 2048, 0 },
	{ "op19", 19u << 26, 0, 2048, 0 },
	{ "op31", 31u << 26, 0, 2048, 0 },
	{ "op59", 59u << 26, 0, 2048, 0 },
	{ "op60", 60u << 26, 0, 2048, 0 },
	{ "op63", 63u << 26, 0, 2048, 0 },
	/* Extended opcodes continued in bits 11-15. */
	{ "op4/1538", (4u << 26) | 0x602, 16, 32, 0 },
	{ "op4/385", (4u << 26) | 0x581, 16, 32, 0 },
	{ "op4/385ps", (4u << 26) | 0x781, 16, 32, 0 },
	{ "op60/347", (60u << 26) | (347u << 2), 16, 32, 0 },
	{ "op60/475", (60u << 26) | (475u << 2), 16, 32, 0 },
	{ "op63/583", (63u << 26) | (583u << 1), 16, 32, 0 },
	{ "op63/583r", (63u << 26) | (583u << 1) | 1, 16, 32, 0 },
	{ "op63/804", (63u << 26) | (804u << 1), 16, 32, 0 },
	{ "op63/804o", (63u << 26) | (804u << 1) | 1, 16, 32, 0 },
	{ "op63/836", (63u << 26) | (836u << 1), 16, 32, 0 },
	{ "op63/836o", (63u << 26) | (836u << 1) | 1, 16, 32, 0 },
	/* POWER10 prefixes (types 0-3) with an addi suffix. */
	{ "prefix", 1u << 26, 24, 4, 0x38000000 },
	{ "prefix-r", (1u << 26) | (1u << 20), 24, 4, 0x38000000 },
};

int main(void)
{
	rt_trap_hook = hook;
	printf("illegal: x = executed, else vector/SRR1[33:36,42:47]>>16 (0xf60: /FSCR[IC]); "
	       "off = MSR[FP,VEC,VSX] 0, on = 1 (facility-unavailable words left out)\n");
	for (unsigned i = 0; i < ARRAY_SIZE(spaces); i++)
		sweep(&spaces[i]);
	static const char *kind[4] = { "executed", "illegal", "unavailable", "other" };
	for (int run = 0; run < 2; run++)
		for (int k = 0; k < 4; k++)
			printf("%s %s: %lu\n", run ? "on" : "off", kind[k], totals[run][k]);
	return 0;
}
