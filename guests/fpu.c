/*
 * fpu: a scalar floating-point exerciser (ISA 3.0B Book I chapter 4).
 * Built with hardware floating point, unlike the other guests.
 *
 * Every instruction form runs by inline assembly over special operands
 * (zeros, denormals, the extremes of both precisions, infinities, QNaNs,
 * SNaNs, halfway cases, integer boundaries) and pseudo-random ones, in
 * each rounding mode, with FPSCR presets: exceptions clear; every sticky
 * exception bit already set; each enable on with MSR[FE0 FE1] = 0 (ignore
 * exceptions mode); and each enable on in precise mode, where the program
 * interrupt is taken, recorded and the instruction skipped. The fold of a
 * case takes the target FPR (preloaded with a marker, so "not written" is
 * seen), the FPSCR, the CR, and whether and where the interrupt came.
 * One line per form: a checksum for each rounding mode with exceptions
 * clear, one for the sticky preset, one for the enabled presets in ignore
 * mode and one for precise mode. Then the FPSCR moves, the loads and
 * stores, and the floating-point unavailable interrupt.
 *
 * Where QEMU 10 departs from the ISA, the case is masked before the fold
 * (see mask_case); each mask names the ISA section jvisor follows.
 * Build with -DFPU_VERBOSE=form to print every case of one form instead.
 */
#include "rt.h"

#define MSR_FP (1UL << 13)
#define MSR_FE0 (1UL << 11)
#define MSR_FE1 (1UL << 8)

#define FX 0x80000000UL
#define FEX 0x40000000UL
#define VX 0x20000000UL
#define OX 0x10000000UL
#define UX 0x08000000UL
#define ZX 0x04000000UL
#define XX 0x02000000UL
#define VXSNAN 0x01000000UL
#define VXISI 0x00800000UL
#define VXIDI 0x00400000UL
#define VXZDZ 0x00200000UL
#define VXIMZ 0x00100000UL
#define VXVC 0x00080000UL
#define FR 0x00040000UL
#define FI 0x00020000UL
#define FPRF 0x0001f000UL
#define VXSOFT 0x00000400UL
#define VXSQRT 0x00000200UL
#define VXCVI 0x00000100UL
#define VE 0x80UL
#define OE 0x40UL
#define UE 0x20UL
#define ZE 0x10UL
#define XE 0x08UL
#define VX_CAUSES (VXSNAN | VXISI | VXIDI | VXZDZ | VXIMZ | VXVC | VXSOFT | VXSQRT | VXCVI)
#define STICKY (FX | OX | UX | ZX | XX | VX_CAUSES | VX)

#define MARKER 0x5a5a5a5a5a5a5a5aUL

/* ---- the interrupt hook ------------------------------------------------ */

static volatile u64 traps, trap_nip, trap_srr1;
static volatile int fp_off_armed;
static volatile u64 fp_off_vec, fp_off_nip;

static int hook(struct regs *r)
{
	if (r->vec == 0x700 && (r->msr & 0x100000UL)) {
		traps++;
		trap_nip = r->nip;
		trap_srr1 = r->msr;
		r->nip += 4;
		return 1;
	}
	if (r->vec == 0x800 && fp_off_armed) {
		fp_off_armed = 0;
		fp_off_vec = r->vec;
		fp_off_nip = r->nip;
		r->msr |= MSR_FP;
		return 1;
	}
	return 0;
}

/* ---- one instruction, by inline assembly ---------------------------------- */

/*
 * in: a (f1), b (f2), c (f3), FPSCR preset (f0 through mtfsf), target
 * marker (f4). out: target, FPSCR, CR, address of the instruction.
 */
typedef void (*fp_fn)(const u64 *in, u64 *out);

#define DEF(fn, insn)                                                                              \
	static void fn(const u64 *in, u64 *out)                                                    \
	{                                                                                          \
		u64 cr, t;                                                                         \
		__asm__ volatile("lfd 1,0(%[in])\n\tlfd 2,8(%[in])\n\tlfd 3,16(%[in])\n\t"          \
				 "lfd 0,24(%[in])\n\tlfd 4,32(%[in])\n\t"                          \
				 "mtfsf 0xff,0\n\t"                                                \
				 "mtcrf 0xff,%[z]\n\t"                                             \
				 "bl 9f\n9:\tmflr %[t]\n\t" insn "\n\t"                             \
				 "mfcr %[c]\n\tmffs 0\n\tstfd 4,0(%[out])\n\tstfd 0,8(%[out])"     \
				 : [c] "=&r"(cr), [t] "=&r"(t)                                     \
				 : [in] "b"(in), [out] "b"(out), [z] "r"(0UL)                      \
				 : "fr0", "fr1", "fr2", "fr3", "fr4", "lr", "cr0", "cr1", "cr2",   \
				   "cr3", "cr4", "cr5", "cr6", "cr7", "memory");                   \
		out[2] = cr;                                                                       \
		out[3] = t + 4;                                                                    \
	}

/* Kinds: which operands a form reads, and what the ISA leaves undefined. */
#define A1 1		/* unary: FRB */
#define A2 2		/* FRA, FRB */
#define A2C 3		/* FRA, FRC (fmul) */
#define A3 4		/* FRA, FRC, FRB */
#define AI 5		/* unary, FRB an integer (fcfid) */
#define K_ARITY 0xf
#define K_WORD 0x10	/* fctiw*: FRT[0:31] undefined (4.6.7) */
#define K_NOFPRF 0x20	/* fcti*: FPRF undefined (4.6.7) */
#define K_EST 0x40	/* estimates: bits not architected */
#define K_SINGLE 0x80	/* single-precision result */
#define K_FRI 0x100	/* fri*: XX unchanged */
#define K_RE 0x200	/* fre, fres */
#define K_FRSP 0x400	/* frsp */
#define K_CFIDX 0x800	/* fcfidu, fcfids, fcfidus */
#define K_CMPO 0x1000	/* fcmpo */

#define FORMS(X)                                                                                   \
	X(fadd, "fadd 4,1,2", A2) X(fadd_r, "fadd. 4,1,2", A2)                                     \
	X(fadds, "fadds 4,1,2", A2 | K_SINGLE) X(fsub, "fsub 4,1,2", A2)                           \
	X(fsubs, "fsubs 4,1,2", A2 | K_SINGLE) X(fmul, "fmul 4,1,3", A2C)                          \
	X(fmuls, "fmuls 4,1,3", A2C | K_SINGLE) X(fdiv, "fdiv 4,1,2", A2)                          \
	X(fdivs, "fdivs 4,1,2", A2 | K_SINGLE) X(fdiv_r, "fdiv. 4,1,2", A2)                        \
	X(fsqrt, "fsqrt 4,2", A1) X(fsqrts, "fsqrts 4,2", A1 | K_SINGLE)                           \
	X(fre, "fre 4,2", A1 | K_EST | K_RE) X(fres, "fres 4,2", A1 | K_EST | K_SINGLE | K_RE)                   \
	X(frsqrte, "frsqrte 4,2", A1 | K_EST) X(frsqrtes, "frsqrtes 4,2", A1 | K_EST | K_SINGLE)   \
	X(fmadd, "fmadd 4,1,3,2", A3) X(fmadds, "fmadds 4,1,3,2", A3 | K_SINGLE)                   \
	X(fmsub, "fmsub 4,1,3,2", A3) X(fmsubs, "fmsubs 4,1,3,2", A3 | K_SINGLE)                   \
	X(fnmadd, "fnmadd 4,1,3,2", A3) X(fnmadds, "fnmadds 4,1,3,2", A3 | K_SINGLE)               \
	X(fnmsub, "fnmsub 4,1,3,2", A3) X(fnmsubs, "fnmsubs 4,1,3,2", A3 | K_SINGLE)               \
	X(fnmsub_r, "fnmsub. 4,1,3,2", A3)                                                         \
	X(frsp, "frsp 4,2", A1 | K_SINGLE | K_FRSP) X(frsp_r, "frsp. 4,2", A1 | K_SINGLE | K_FRSP)                   \
	X(fctiw, "fctiw 4,2", A1 | K_WORD | K_NOFPRF) X(fctiwz, "fctiwz 4,2", A1 | K_WORD | K_NOFPRF) \
	X(fctiwu, "fctiwu 4,2", A1 | K_WORD | K_NOFPRF)                                            \
	X(fctiwuz, "fctiwuz 4,2", A1 | K_WORD | K_NOFPRF)                                          \
	X(fctid, "fctid 4,2", A1 | K_NOFPRF) X(fctidz, "fctidz 4,2", A1 | K_NOFPRF)                \
	X(fctidu, "fctidu 4,2", A1 | K_NOFPRF) X(fctiduz, "fctiduz 4,2", A1 | K_NOFPRF)            \
	X(fctid_r, "fctid. 4,2", A1 | K_NOFPRF)                                                    \
	X(fcfid, "fcfid 4,2", AI) X(fcfidu, "fcfidu 4,2", AI | K_CFIDX)                            \
	X(fcfids, "fcfids 4,2", AI | K_SINGLE | K_CFIDX)                                           \
	X(fcfidus, "fcfidus 4,2", AI | K_SINGLE | K_CFIDX)                                         \
	X(frin, "frin 4,2", A1 | K_FRI) X(friz, "friz 4,2", A1 | K_FRI)                            \
	X(frip, "frip 4,2", A1 | K_FRI) X(frim, "frim 4,2", A1 | K_FRI)                            \
	X(fcmpu, "fcmpu 3,1,2", A2) X(fcmpo, "fcmpo 5,1,2", A2 | K_CMPO)                                    \
	X(ftdiv, "ftdiv 6,1,2", A2) X(ftsqrt, "ftsqrt 2,2", A1)                                    \
	X(fsel, "fsel 4,1,3,2", A3) X(fsel_r, "fsel. 4,1,3,2", A3)                                 \
	X(fmr, "fmr 4,2", A1) X(fneg, "fneg. 4,2", A1) X(fabs, "fabs 4,2", A1)                     \
	X(fnabs, "fnabs 4,2", A1) X(fcpsgn, "fcpsgn 4,1,2", A2)                                    \
	X(fmrgew, "fmrgew 4,1,2", A2) X(fmrgow, "fmrgow 4,1,2", A2)

#define X_DEF(n, insn, k) DEF(op_##n, insn)
FORMS(X_DEF)

struct form {
	const char *name;
	fp_fn fn;
	int kind;
};
#define X_FORM(n, insn, k) { #n, op_##n, k },
static const struct form forms[] = { FORMS(X_FORM) };

/* ---- operands ------------------------------------------------------------ */

static const u64 specials[] = {
	0x0000000000000000UL, 0x8000000000000000UL,	/* +-0 */
	0x3ff0000000000000UL, 0xbff0000000000000UL,	/* +-1 */
	0x0000000000000001UL, 0x8000000000000001UL,	/* +-smallest denormal */
	0x000fffffffffffffUL, 0x800fffffffffffffUL,	/* +-largest denormal */
	0x0010000000000000UL, 0x8010000000000000UL,	/* +-smallest normal */
	0x7fefffffffffffffUL, 0xffefffffffffffffUL,	/* +-largest */
	0x7ff0000000000000UL, 0xfff0000000000000UL,	/* +-inf */
	0x7ff8000000000000UL, 0xfff8000000000123UL,	/* QNaNs */
	0x7ff0000000000001UL, 0xfff4000000000abcUL,	/* SNaNs */
	0x3fe0000000000000UL, 0xc004000000000000UL,	/* 0.5, -2.5 */
	0x3ff8000000000000UL, 0x4004000000000000UL,	/* 1.5, 2.5 */
	0x3fd5555555555555UL, 0x4008000000000000UL,	/* 1/3, 3 */
	0x4330000000000000UL, 0x4330000000000001UL,	/* 2^52, 2^52+1 */
	0x41dfffffffe00000UL, 0x41e0000000000000UL,	/* 2^31-1, 2^31 */
	0xc1e0000000000000UL, 0xc1e0000000200000UL,	/* -2^31, -2^31-1 */
	0x41efffffffe00000UL, 0x41f0000000000000UL,	/* 2^32-1, 2^32 */
	0x43e0000000000000UL, 0xc3e0000000000000UL,	/* +-2^63 */
	0x43f0000000000000UL, 0x41dfffffffffffffUL,	/* 2^64, 2^31-2^-22 */
	0x47efffffe0000000UL, 0x47effffff0000000UL,	/* FLT_MAX, FLT_MAX + half ulp */
	0x3810000000000000UL, 0x36a0000000000000UL,	/* 2^-126, 2^-149 */
	0x3690000000000000UL, 0xb7fffffff0000000UL,	/* 2^-150, -(2^-126 - 2^-150) */
	0x3ff0000010000000UL, 0x3ff0000030000000UL,	/* 1 + half single ulp, 1 + 3 halves */
	0x3ff0000010000001UL, 0x7e37e43c8800759cUL,	/* just above, 1e300 */
	0x01a56e1fc2f8f359UL, 0xbfefffffffffffffUL,	/* 1e-300, -(1 - 2^-53) */
	0x0008000000000000UL, 0x7fe0000000000000UL,	/* 2^-1023, 2^1023 */
};
#define NSPECIAL ARRAY_SIZE(specials)

/* Integers for fcfid*: boundaries of every width. */
static const u64 integers[] = {
	0, 1, 2, 3, 0xffffffffffffffffUL, 0x7fffffffffffffffUL, 0x8000000000000000UL,
	0x8000000000000001UL, 0x0020000000000000UL, 0x0020000000000001UL, 0x0020000000000003UL,
	0x001fffffffffffffUL, 0x0000000001000001UL, 0x0000000001000003UL, 0x00000000ffffffffUL,
	0xfffffffffffffffeUL, 0xffe0000000000001UL, 0x7ffffffffffffc00UL, 0x7ffffffffffffe00UL,
	0x7fffffffffffff00UL, 0xfffffffffffff800UL, 0xfffffffffffffc00UL, 0x0000000080000000UL,
	0xffffffff80000000UL,
};

#define NRANDOM 40
static u64 operands[NSPECIAL + NRANDOM];
static u64 ints[ARRAY_SIZE(integers) + NRANDOM];
#define NOPER ARRAY_SIZE(operands)
#define NINT ARRAY_SIZE(ints)
#define NTRIPLE 20		/* operands used for the three-operand cube */

static u64 rng = 0x9e3779b97f4a7c15UL;

/* Random doubles: moderate exponents (so sums cancel and products stay finite) and near-ties. */
static u64 random_double(int i)
{
	u64 r = rnd_next(&rng);
	switch (i % 4) {
	case 0:
		return r;				/* any bits */
	case 1:
		return (r & 0x800fffffffffffffUL) | ((u64)(1023 - 40 + (r >> 52) % 80) << 52);
	case 2:
		return (r & 0x800fffffe0000000UL) | 0x10000000UL | ((u64)(1023 - 4 + (r >> 52) % 8) << 52);
	default:
		return (r & 0x800fffffffffffffUL) | ((u64)((r >> 52) % 3) << 52);	/* tiny */
	}
}

static void make_operands(void)
{
	for (u64 i = 0; i < NSPECIAL; i++)
		operands[i] = specials[i];
	for (u64 i = 0; i < NRANDOM; i++)
		operands[NSPECIAL + i] = random_double(i);
	for (u64 i = 0; i < ARRAY_SIZE(integers); i++)
		ints[i] = integers[i];
	for (u64 i = 0; i < NRANDOM; i++) {
		u64 r = rnd_next(&rng);
		ints[ARRAY_SIZE(integers) + i] = i & 1 ? r : r >> (r & 63);
	}
}

/* ---- masks: where QEMU departs from the ISA -------------------------------- */

static int verbose;

static u64 mask_case(const struct form *f, const u64 *in, u64 *out, u64 msr_fe, int trapped)
{
	u64 fpscr = out[1], preset = in[3];
	/* Undefined in the ISA: FRT[0:31] of fctiw* and FPRF of every fcti* (4.6.7). */
	if (f->kind & K_WORD)
		out[0] &= 0xffffffffUL;
	if (f->kind & K_NOFPRF)
		fpscr &= ~FPRF;
	/*
	 * QEMU never sets FR; the ISA (4.2.2) sets it when rounding incremented the fraction.
	 * jvisor's FR is checked by its unit tests.
	 */
	fpscr &= ~FR;
	/*
	 * Infinity times zero plus an SNaN is two invalid operations (ISA 4.4.1): VXIMZ and VXSNAN;
	 * QEMU sets only VXIMZ.
	 */
	if ((f->kind & K_ARITY) == A3 && (fpscr & VXIMZ))
		fpscr &= ~VXSNAN;
	/*
	 * FPRF describes a single-precision result as a single-precision value (ISA 4.2.2: "based
	 * on the result ... and on the target precision"), so one below 2^-126 is denormalized;
	 * QEMU classifies its double format, normalized. The class bit C is compared without them.
	 */
	if ((f->kind & K_SINGLE) && ((out[0] >> 52) & 0x7ff) != 0 && ((out[0] >> 52) & 0x7ff) < 897)
		fpscr &= ~0x10000UL;
	/*
	 * With VE=1 (or ZE=1) an invalid operation (zero divide) leaves FRT and FPRF unchanged
	 * whatever MSR[FE0 FE1] (ISA 4.4.1, 4.4.2 "Action"); QEMU does so only when it takes the
	 * interrupt, and in ignore-exceptions mode writes them as if disabled.
	 */
	if (!msr_fe && (((fpscr & VE) && (fpscr & ~preset & VX_CAUSES)) ||
			((fpscr & ZE) && (fpscr & ~preset & ZX)))) {
		out[0] = MARKER;
		fpscr &= ~FPRF;
	}
	/*
	 * A record form updates CR1 also when it takes the enabled-exception interrupt (ISA 4.4:
	 * the instruction completes, only the target may be left unchanged; Book E says so
	 * outright); QEMU interrupts before CR1 is set.
	 */
	if (trapped)
		out[2] &= ~0x0f000000UL;
	/* fre/fres of +-0 is +-infinity with ZX (ISA 4.6.5.2, fre); QEMU returns +-0.5. */
	if ((f->kind & K_RE) && !(in[1] << 1)) {
		out[0] = MARKER;
		fpscr &= ~FPRF;
	}
	/*
	 * frsp with an enabled overflow or underflow delivers the rounded result with its exponent
	 * adjusted by 192 in double format (ISA 4.6.6.1, "Round to Single-Precision" model), even
	 * beyond single's exponent range; QEMU wraps it within single's.
	 */
	if ((f->kind & K_FRSP) && (((preset & UE) && (fpscr & UX)) || ((preset & OE) && (fpscr & OX))))
		out[0] = MARKER;
	/* fcfidu, fcfids, fcfidus set FPRF (ISA 4.6.7); QEMU leaves it. */
	if (f->kind & K_CFIDX)
		fpscr &= ~FPRF;
	/*
	 * An enabled inexact exception writes the rounded result (ISA 4.4.5); QEMU's fcfid* take the
	 * interrupt before writing FRT.
	 */
	if ((f->kind & K_ARITY) == AI && trapped && (fpscr & XX) && (preset & XE)) {
		out[0] = MARKER;
		fpscr &= ~FPRF;
	}
	/*
	 * fcmpo sets FPCC, not C, and VXVC for an SNaN only when VE=0 (ISA 4.6.8); QEMU sets C for
	 * an unordered result and VXVC for an SNaN whatever VE.
	 */
	if (f->kind & K_CMPO) {
		fpscr &= ~0x10000UL;
		if ((fpscr & VXSNAN) && (preset & VE))
			fpscr &= ~VXVC;
	}
	return fpscr;
}

/* ---- running a form -------------------------------------------------------- */

static const u64 presets_clear[4] = { 0, 1, 2, 3 };

#ifdef FPU_VERBOSE
#define MAXREC 200000
static u64 rec[MAXREC][11];
static u64 nrec;

static void print_records(const char *name)
{
	for (u64 i = 0; i < nrec; i++) {
		u64 *e = rec[i];
		printf("%s %lx %lx %lx %lx %lx: %lx %lx %lx %d %lx %lx\n", name, e[0], e[1], e[2], e[3], e[4],
		       e[5], e[6], e[7], (int)e[8], e[9], e[10]);
	}
	nrec = 0;
}
#else
static void print_records(const char *name)
{
	(void)name;
}
#endif

static u64 run_case(u64 h, const struct form *f, u64 a, u64 b, u64 c, u64 preset, u64 msr_fe)
{
	u64 in[5] = { a, b, c, preset, MARKER };
	u64 out[4];
	u64 before = traps;
	f->fn(in, out);
	int trapped = traps != before;
	u64 where = trapped ? trap_nip - out[3] : 0;
	u64 srr1 = trapped ? trap_srr1 & 0x1f0000UL : 0;
	u64 fpscr = mask_case(f, in, out, msr_fe, trapped);
#ifdef FPU_VERBOSE
	/* Kept and printed after the form ran, so printing does not change how the cases run. */
	if (nrec < MAXREC) {
		u64 *e = rec[nrec++];
		e[0] = msr_fe, e[1] = preset, e[2] = a, e[3] = b, e[4] = c, e[5] = out[0];
		e[6] = fpscr, e[7] = out[2], e[8] = (u64)trapped, e[9] = where, e[10] = srr1;
	}
#endif
	h = fold(h, out[0]);
	h = fold(h, fpscr);
	h = fold(h, out[2]);
	return fold(h, (u64)trapped | where << 8 | srr1 << 16);
}

static u64 run_preset(u64 h, const struct form *f, u64 preset, u64 msr_fe, int full)
{
	int ar = f->kind & K_ARITY;
	u64 n = full ? NOPER : NOPER / 2;
	switch (ar) {
	case A1:
		for (u64 i = 0; i < NOPER; i++)
			h = run_case(h, f, 0, operands[i], 0, preset, msr_fe);
		break;
	case AI:
		for (u64 i = 0; i < NINT; i++)
			h = run_case(h, f, 0, ints[i], 0, preset, msr_fe);
		break;
	case A2:
		for (u64 i = 0; i < n; i++)
			for (u64 j = 0; j < n; j++)
				h = run_case(h, f, operands[i], operands[j], 0, preset, msr_fe);
		break;
	case A2C:
		for (u64 i = 0; i < n; i++)
			for (u64 j = 0; j < n; j++)
				h = run_case(h, f, operands[i], 0, operands[j], preset, msr_fe);
		break;
	default: {
		u64 m = full ? NTRIPLE : NTRIPLE / 2;
		for (u64 i = 0; i < m; i++)
			for (u64 j = 0; j < m; j++)
				for (u64 k = 0; k < m; k++)
					h = run_case(h, f, operands[i], operands[j], operands[k], preset, msr_fe);
		/* and random triples beyond the cube */
		u64 s = 0x1234567UL;
		for (int r = 0; r < (full ? 2000 : 200); r++) {
			u64 x = operands[NSPECIAL + rnd_next(&s) % NRANDOM];
			u64 y = operands[NSPECIAL + rnd_next(&s) % NRANDOM];
			u64 z = operands[rnd_next(&s) % NOPER];
			h = run_case(h, f, x, z, y, preset, msr_fe);
		}
		break;
	}
	}
	return h;
}

static u32 fold32(u64 h)
{
	return (u32)(h ^ (h >> 32));
}

/* The enable sets tried in ignore and precise modes, each in two rounding modes. */
static const u64 enables[] = { VE, OE | UE, ZE, XE, VE | OE | UE | ZE | XE };

/*
 * Changes MSR[FE0 FE1] with the FPSCR cleared first (so no enabled exception is pending when
 * they are turned on) and a hypercall before: QEMU keeps an exception deferred in ignore mode
 * pending until its translation loop next handles an exception, and would deliver it in
 * precise mode at the next floating-point instruction; the hypercall flushes it.
 */
static void set_fe(u64 fe)
{
	u64 zero = 0;
	__asm__ volatile("lfd 0,0(%0)\n\tmtfsf 0xff,0" : : "b"(&zero) : "fr0", "memory");
	hcall(H_PUT_TERM_CHAR, rt_termno, 0, 0, 0, 0, 0);
	u64 msr = mfmsr();
	mtmsrd((msr & ~(MSR_FE0 | MSR_FE1)) | fe);
}

static void run_form(const struct form *f)
{
	u32 sums[7];
	for (int rn = 0; rn < 4; rn++)
		sums[rn] = fold32(run_preset(FOLD_INIT, f, presets_clear[rn], 0, 1));
	u64 h = FOLD_INIT;
	for (int rn = 0; rn < 4; rn++)
		h = run_preset(h, f, STICKY | rn, 0, 0);
	sums[4] = fold32(h);
	h = FOLD_INIT;
	for (u64 e = 0; e < ARRAY_SIZE(enables); e++)
		for (int rn = 0; rn < 4; rn += 3)
			h = run_preset(h, f, enables[e] | rn, 0, 0);
	sums[5] = fold32(h);
	h = FOLD_INIT;
	set_fe(MSR_FE0 | MSR_FE1);
	for (u64 e = 0; e < ARRAY_SIZE(enables); e++)
		for (int rn = 1; rn < 3; rn++)
			h = run_preset(h, f, enables[e] | rn, MSR_FE0 | MSR_FE1, 0);
	set_fe(0);
	sums[6] = fold32(h);
	print_records(f->name);
	printf("%-9s %08x %08x %08x %08x sticky %08x ignore %08x precise %08x\n", f->name, sums[0], sums[1],
	       sums[2], sums[3], sums[4], sums[5], sums[6]);
}

/* ---- FPSCR moves ------------------------------------------------------------ */

#define FPSCR_OP(fn, insn)                                                                          \
	static void fn(u64 preset, u64 frb, u64 *out)                                              \
	{                                                                                          \
		u64 in[3] = { preset, frb, MARKER };                                               \
		u64 cr;                                                                            \
		__asm__ volatile("lfd 0,0(%[in])\n\tlfd 2,8(%[in])\n\tlfd 4,16(%[in])\n\t"          \
				 "mtfsf 0,0,1,0\n\tmtcrf 0xff,%[z]\n\t" insn "\n\t"                 \
				 "mfcr %[c]\n\tmffs 0\n\tstfd 4,0(%[out])\n\tstfd 0,8(%[out])"     \
				 : [c] "=&r"(cr)                                                   \
				 : [in] "b"(in), [out] "b"(out), [z] "r"(0UL)                      \
				 : "fr0", "fr2", "fr4", "cr0", "cr1", "cr2", "cr3", "cr4", "cr5",  \
				   "cr6", "cr7", "memory");                                        \
		out[2] = cr;                                                                       \
	}

#define FPSCR_OPS(X)                                                                               \
	X(mffs, "mffs 4") X(mffs_r, "mffs. 4") X(mffsce, "mffsce 4") X(mffsl, "mffsl 4")           \
	X(mffscrn, "mffscrn 4,2") X(mffscrni0, "mffscrni 4,0") X(mffscrni3, "mffscrni 4,3")        \
	X(mffscdrn, "mffscdrn 4,2") X(mffscdrni, "mffscdrni 4,5")                                  \
	X(mtfsf_ff, "mtfsf 0xff,2") X(mtfsf_81, "mtfsf. 0x81,2") X(mtfsf_3c, "mtfsf 0x3c,2")       \
	X(mtfsf_l, "mtfsf 0,2,1,0") X(mtfsf_w, "mtfsf 0x01,2,0,1")                                 \
	X(mtfsfi0, "mtfsfi 0,15") X(mtfsfi1, "mtfsfi. 1,9") X(mtfsfi5, "mtfsfi 5,6")               \
	X(mtfsfi7, "mtfsfi 7,3") X(mtfsfi7w, "mtfsfi 7,5,1")                                       \
	X(mcrfs0, "mcrfs 2,0") X(mcrfs1, "mcrfs 3,1") X(mcrfs2, "mcrfs 4,2") X(mcrfs3, "mcrfs 5,3") \
	X(mcrfs4, "mcrfs 6,4") X(mcrfs5, "mcrfs 7,5") X(mcrfs6, "mcrfs 0,6") X(mcrfs7, "mcrfs 1,7")

#define X_FDEF(n, insn) FPSCR_OP(fs_##n, insn)
FPSCR_OPS(X_FDEF)
typedef void (*fs_fn)(u64 preset, u64 frb, u64 *out);
struct fs_form {
	const char *name;
	fs_fn fn;
};
#define X_FFORM(n, insn) { #n, fs_##n },
static const struct fs_form fs_forms[] = { FPSCR_OPS(X_FFORM) };

/* mtfsb0 / mtfsb1 take the bit as an immediate: one function per bit. */
#define MTFSB(n)                                                                                   \
	static void mtfsb_##n(u64 preset, u64 *out)                                                \
	{                                                                                          \
		u64 in[1] = { preset };                                                            \
		u64 cr0, cr1;                                                                      \
		__asm__ volatile("lfd 0,0(%[in])\n\tmtfsf 0xff,0\n\tmtcrf 0xff,%[z]\n\t"            \
				 "mtfsb0. " #n "\n\tmfcr %[c0]\n\tmffs 0\n\tstfd 0,0(%[out])\n\t"   \
				 "lfd 0,0(%[in])\n\tmtfsf 0xff,0\n\tmtcrf 0xff,%[z]\n\t"            \
				 "mtfsb1. " #n "\n\tmfcr %[c1]\n\tmffs 0\n\tstfd 0,8(%[out])"      \
				 : [c0] "=&r"(cr0), [c1] "=&r"(cr1)                                \
				 : [in] "b"(in), [out] "b"(out), [z] "r"(0UL)                      \
				 : "fr0", "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7",  \
				   "memory");                                                      \
		out[2] = cr0;                                                                      \
		out[3] = cr1;                                                                      \
	}
#define BITS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) \
	X(15) X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29)  \
	X(30) X(31)
BITS(MTFSB)
#define X_BIT(n) mtfsb_##n,
static void (*const mtfsb_fns[])(u64, u64 *) = { BITS(X_BIT) };

static const u64 fpscr_presets[] = {
	0, 3, STICKY, FR | FI | 0x1f000UL | 2, 0xffffffffUL & ~(FEX | VX), XX | XE, VXSNAN | VE,
	OE | UE | ZE | XE | VE | 1, 0x00000007000000ffUL, 0x0000000500000000UL,
};
static const u64 fpscr_sources[] = {
	0, 0xffffffffffffffffUL, 0x00000007fff7f7ffUL, 0x0000000200000001UL, 0x5555555555555555UL,
	0xaaaaaaaaaaaaaaaaUL, 0x00000003600000aaUL,
};

static void run_fpscr_ops(u64 fe)
{
	set_fe(fe);
	for (u64 k = 0; k < ARRAY_SIZE(fs_forms); k++) {
		u64 h = FOLD_INIT;
		for (u64 p = 0; p < ARRAY_SIZE(fpscr_presets); p++)
			for (u64 s = 0; s < ARRAY_SIZE(fpscr_sources); s++) {
				u64 out[3];
				u64 before = traps;
				/* An enabled exception already in the preset would interrupt at mtfsf. */
				if (fe && (fpscr_presets[p] & 0xf8UL) && (fpscr_presets[p] & STICKY))
					continue;
				fs_forms[k].fn(fpscr_presets[p], fpscr_sources[s], out);
				h = fold(h, out[0]);
				h = fold(h, out[1]);
				h = fold(h, out[2]);
				h = fold(h, traps - before);
				if (verbose)
					printf("%s %lx %lx: %lx %lx %lx %lx\n", fs_forms[k].name, fpscr_presets[p],
					       fpscr_sources[s], out[0], out[1], out[2], traps - before);
			}
		printf("%-9s %s %08x\n", fs_forms[k].name, fe ? "precise" : "ignore ", fold32(h));
	}
	u64 h = FOLD_INIT;
	for (int bit = 0; bit < 32; bit++)
		for (u64 p = 0; p < ARRAY_SIZE(fpscr_presets); p++) {
			u64 out[4];
			u64 before = traps;
			if (fe && (fpscr_presets[p] & 0xf8UL) && (fpscr_presets[p] & STICKY))
				continue;
			mtfsb_fns[bit](fpscr_presets[p], out);
			/*
			 * mtfsb1 setting an exception bit that was 0 sets FX too (ISA 4.2.2: every FP
			 * instruction but mtfsf and mtfsfi); QEMU leaves FX alone.
			 */
			u64 m = 1UL << (31 - bit);
			if ((m & (OX | UX | ZX | XX | VX_CAUSES)) && !(fpscr_presets[p] & (m | FX))) {
				out[1] &= ~FX;
				out[3] &= ~0x08000000UL;
			}
			/* mtfsb1 29 sets NI (ISA 4.6.10: only FEX and VX cannot be set); QEMU ignores it. */
			if (bit == 29)
				out[1] &= ~4UL;
			for (int i = 0; i < 4; i++)
				h = fold(h, out[i]);
			h = fold(h, traps - before);
			if (verbose)
				printf("mtfsb %d %lx: %lx %lx %lx %lx %lx\n", bit, fpscr_presets[p], out[0], out[1],
				       out[2], out[3], traps - before);
		}
	printf("%-9s %s %08x\n", "mtfsb0/1", fe ? "precise" : "ignore ", fold32(h));
	set_fe(0);
}

/* ---- loads and stores --------------------------------------------------------- */

static u8 buf[128] __attribute__((aligned(16)));

static const u32 singles[] = {
	0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x00400000, 0x00800000, 0x3f800000,
	0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffa00abc, 0x12345678,
	0x00000003, 0x80654321,
};

static void run_loads_stores(void)
{
	u64 h = FOLD_INIT;
	/* lfs, lfsx, lfsu, lfsux of every single pattern */
	for (u64 i = 0; i < ARRAY_SIZE(singles); i++) {
		u64 r[4], ra1, ra2;
		*(volatile u32 *)(buf + 8) = singles[i];
		ra1 = (u64)buf;
		ra2 = (u64)buf + 4;
		__asm__ volatile("lfs 5,8(%[a])\n\tstfd 5,0(%[o])\n\t"
				 "lfsx 5,%[a],%[eight]\n\tstfd 5,8(%[o])\n\t"
				 "lfsu 5,4(%[u1])\n\tstfd 5,16(%[o])\n\t"
				 "lfsux 5,%[u2],%[eight]\n\tstfd 5,24(%[o])"
				 : [u1] "+b"(ra2), [u2] "+b"(ra1)
				 : [a] "b"(buf), [o] "b"(r), [eight] "r"(8UL)
				 : "fr5", "memory");
		for (int k = 0; k < 4; k++)
			h = fold(h, r[k]);
		h = fold(h, ra1 - (u64)buf);
		h = fold(h, ra2 - (u64)buf);
	}
	printf("%-9s %08x\n", "lfs", fold32(h));
	/* stfs, stfsx, stfsu, stfsux of every special double */
	h = FOLD_INIT;
	for (u64 i = 0; i < NOPER; i++) {
		u64 ra1 = (u64)buf, ra2 = (u64)buf;
		__asm__ volatile("lfd 5,0(%[v])\n\t"
				 "stfs 5,0(%[a])\n\tstfsx 5,%[a],%[four]\n\t"
				 "stfsu 5,8(%[u1])\n\tstfsux 5,%[u2],%[twelve]"
				 : [u1] "+b"(ra1), [u2] "+b"(ra2)
				 : [v] "b"(&operands[i]), [a] "b"(buf), [four] "r"(4UL), [twelve] "r"(12UL)
				 : "fr5", "memory");
		for (int k = 0; k < 16; k++)
			h = fold(h, buf[k]);
		h = fold(h, ra1 - (u64)buf);
		h = fold(h, ra2 - (u64)buf);
	}
	printf("%-9s %08x\n", "stfs", fold32(h));
	/* lfd/stfd and friends, lfiwax, lfiwzx, stfiwx, lfdp, stfdp */
	h = FOLD_INIT;
	for (u64 i = 0; i + 2 < NOPER; i++) {
		u64 r[8];
		u64 ra1 = (u64)buf, ra2 = (u64)buf;
		for (int k = 0; k < 128; k++)
			buf[k] = (u8)(operands[i + (k >> 3) % 3] >> (k & 7) * 8) ^ (u8)k;
		__asm__ volatile("lfd 5,8(%[a])\n\tlfdx 6,%[a],%[sixteen]\n\t"
				 "lfdu 7,24(%[u1])\n\tlfdux 8,%[u2],%[sixteen]\n\t"
				 "lfiwax 9,%[a],%[four]\n\tlfiwzx 10,%[a],%[twelve]\n\t"
				 "lfdp 12,32(%[a])\n\tlfdpx 14,%[a],%[sixteen]\n\t"
				 "stfd 5,0(%[o])\n\tstfd 6,8(%[o])\n\tstfd 7,16(%[o])\n\tstfd 8,24(%[o])\n\t"
				 "stfd 9,32(%[o])\n\tstfd 10,40(%[o])\n\tstfd 12,48(%[o])\n\tstfd 13,56(%[o])\n\t"
				 "stfdu 14,40(%[u1])\n\tstfdux 15,%[u2],%[sixteen]\n\t"
				 "stfiwx 12,%[a],%[four]\n\tstfdp 14,48(%[a])\n\tstfdpx 12,%[a],%[sixteen]\n\t"
				 "stfdx 9,%[a],%[twelve]"
				 : [u1] "+b"(ra1), [u2] "+b"(ra2)
				 : [a] "b"(buf), [o] "b"(r), [four] "r"(4UL), [twelve] "r"(12UL),
				   [sixteen] "r"(16UL)
				 : "fr5", "fr6", "fr7", "fr8", "fr9", "fr10", "fr12", "fr13", "fr14", "fr15",
				   "memory");
		for (int k = 0; k < 8; k++)
			h = fold(h, r[k]);
		for (int k = 0; k < 128; k++)
			h = fold(h, buf[k]);
		h = fold(h, ra1 - (u64)buf);
		h = fold(h, ra2 - (u64)buf);
	}
	printf("%-9s %08x\n", "lfd/stfd", fold32(h));
}

/* ---- floating-point unavailable ----------------------------------------------- */

static void fp_unavailable(void)
{
	u64 msr = mfmsr(), at;
	fp_off_armed = 1;
	mtmsrd(msr & ~MSR_FP);
	__asm__ volatile("bl 1f\n1:\tmflr %0\n\tfmr 1,1" : "=r"(at) : : "lr", "fr1");
	u64 on = mfmsr() & MSR_FP;
	printf("fmr with MSR[FP]=0: vector 0x%lx at +%ld, MSR[FP] after %s\n", fp_off_vec,
	       (long)(fp_off_nip - at), on ? "on" : "off");
	check(fp_off_vec == 0x800 && fp_off_nip == at + 4 && on, "floating-point unavailable interrupt");
	mtmsrd(msr | MSR_FP);
}

#ifdef FPU_VERBOSE
#define STR2(x) #x
#define STR(x) STR2(x)
static const char *only = STR(FPU_VERBOSE);
#else
static const char *only;
#endif

static int __attribute__((noinline)) fpu_main(void)
{
	fp_unavailable();
	make_operands();
	if (only) {
		verbose = 1;
		for (u64 i = 0; i < ARRAY_SIZE(forms); i++)
			if (!strcmp(forms[i].name, only))
				run_form(&forms[i]);
		if (!strcmp(only, "fpscr")) {
			run_fpscr_ops(0);
			run_fpscr_ops(MSR_FE0 | MSR_FE1);
		}
		finish();
	}
	for (u64 i = 0; i < ARRAY_SIZE(forms); i++)
		run_form(&forms[i]);
	run_fpscr_ops(0);
	run_fpscr_ops(MSR_FE0 | MSR_FE1);
	run_loads_stores();
	pass("%ld forms", (long)(ARRAY_SIZE(forms) + ARRAY_SIZE(fs_forms) + 2 + 3));
	finish();
}

/*
 * The runtime may start with MSR[FP] off (jvisor does; QEMU's reset leaves it on): turn it on
 * before any function that saves floating-point registers runs.
 */
int main(void)
{
	rt_trap_hook = hook;
	mtmsrd(mfmsr() | MSR_FP);
	return fpu_main();
}
