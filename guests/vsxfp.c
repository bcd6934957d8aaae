/*
 * vsxfp: the VSX floating-point exerciser (ISA 3.0B Book I chapter 7): the
 * scalar double/single forms (fused multiply-add, compares, maximum and
 * minimum, rounding to integral, estimates, tests, data class, exponent and
 * significand moves, conversions including half precision) and the vector
 * double/single forms (arithmetic, fused, compares with and without Rc,
 * maximum/minimum, rounding, estimates, tests, conversions between double,
 * single, half, words and doublewords, sign moves).
 *
 * The harness is the fpu guest's: every form runs by inline assembly on VSR
 * 33 (XA), 34 (XB) and 36 (XT, preloaded with the addend of the fused forms
 * or a marker, so "not written" is seen), over special and pseudo-random
 * operands, in each rounding mode with the FPSCR exceptions clear; with every
 * sticky exception bit set; with each enable on and MSR[FE0 FE1] = 0; and
 * with each enable on in precise mode, where the program interrupt is taken,
 * recorded and the instruction skipped. A case folds both doublewords of XT,
 * the FPSCR, the CR, and whether and where the interrupt came.
 *
 * Where QEMU 10 departs from the ISA, the case is masked before the fold
 * (see mask_case); each mask names the ISA section jvisor follows.
 * Build with -DFPU_VERBOSE=form to print every case of one form instead.
 */
#include "rt.h"

#define MSR_FP (1UL << 13)
#define MSR_VEC (1UL << 25)
#define MSR_VSX (1UL << 23)
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
#define VXIMZ 0x00100000UL
#define VXVC 0x00080000UL
#define FR 0x00040000UL
#define FPRF 0x0001f000UL
#define VXSOFT 0x00000400UL
#define VXSQRT 0x00000200UL
#define VXCVI 0x00000100UL
#define VE 0x80UL
#define OE 0x40UL
#define UE 0x20UL
#define ZE 0x10UL
#define XE 0x08UL
#define VX_CAUSES (0x01f80000UL | VXSOFT | VXSQRT | VXCVI)
#define STICKY (FX | OX | UX | ZX | XX | VX_CAUSES | VX)

#define MARKER 0x5a5a5a5a5a5a5a5aUL

/* ---- the interrupt hook ------------------------------------------------ */

static volatile u64 traps, trap_nip, trap_srr1;

static int hook(struct regs *r)
{
	if (r->vec == 0x700 && (r->msr & 0x100000UL)) {
		traps++;
		trap_nip = r->nip;
		trap_srr1 = r->msr;
		r->nip += 4;
		return 1;
	}
	return 0;
}

/* ---- one instruction, by inline assembly ---------------------------------- */

/*
 * in: XA (2 doublewords), XB, XT's preload, the FPSCR preset. out: XT (2 doublewords), FPSCR,
 * CR, address of the instruction. lxvd2x/stxvd2x move doubleword 0 first in either byte order.
 */
typedef void (*fp_fn)(const u64 *in, u64 *out);

#define DEF(fn, insn)                                                                              \
	static void fn(const u64 *in, u64 *out)                                                    \
	{                                                                                          \
		u64 cr, t;                                                                         \
		__asm__ volatile("lxvd2x 33,0,%[a]\n\tlxvd2x 34,0,%[b]\n\tlxvd2x 36,0,%[c]\n\t"    \
				 "lfd 0,48(%[in])\n\t"                                             \
				 "mtfsf 0xff,0\n\t"                                                \
				 "mtcrf 0xff,%[z]\n\t"                                             \
				 "bl 9f\n9:\tmflr %[t]\n\t" insn "\n\t"                             \
				 "mfcr %[cr]\n\tmffs 0\n\tstxvd2x 36,0,%[out]\n\tstfd 0,16(%[out])" \
				 : [cr] "=&r"(cr), [t] "=&r"(t)                                     \
				 : [in] "b"(in), [a] "b"(in), [b] "b"(in + 2), [c] "b"(in + 4),    \
				   [out] "b"(out), [z] "r"(0UL)                                    \
				 : "fr0", "v1", "v2", "v4", "r9", "r10", "lr", "cr0", "cr1", "cr2", \
				   "cr3", "cr4", "cr5", "cr6", "cr7", "memory");                   \
		out[3] = cr;                                                                       \
		out[4] = t + 4;                                                                    \
	}

/* Kinds: arity, operand type, and what needs masking. */
#define A1 1		/* XB */
#define A2 2		/* XA, XB */
#define A3 3		/* XA, XB, XT */
#define K_ARITY 0x3
#define T_D 0x00	/* doubles */
#define T_S 0x10	/* single-format words */
#define T_I 0x20	/* integer doublewords */
#define T_W 0x30	/* integer words */
#define T_H 0x40	/* half-precision values in the low halfword of each word */
#define T_Q 0x50	/* quad-precision values */
#define K_TYPE 0x70
#define K_SINGLE 0x100	/* scalar single-precision result (FPRF class) */
#define K_VEC 0x200	/* a vector form */
#define K_RE 0x400	/* reciprocal (square root) estimates */
#define K_MINMAX 0x800	/* xsmaxdp/xsmindp and the vector forms */
#define K_CZERO 0x1000	/* xsmaxcdp, xsmincdp */
#define K_TSTSP 0x2000	/* xststdcsp */
#define K_CMPV 0x4000	/* xvcmpgt*, xvcmpge* */
#define K_NARROW 0x8000	/* conversions to single or half precision */
#define K_XSRSP 0x10000	/* xsrsp, xsrqpi, xsrqpix: QEMU writes XT only after the interrupt check */
#define K_RMC3 0x20000	/* xsrqpi/xsrqpix/xsrqpxp with R=0 RMC=11 (FPSCR[RN]) */
#define K_XP 0x40000	/* xsrqpxp */

#define T3 " 36,33,34"
#define T1 " 36,34"
#define SFORMS(X)                                                                                  \
	X(xsmaddadp, "xsmaddadp" T3, A3) X(xsmaddmdp, "xsmaddmdp" T3, A3)                          \
	X(xsmsubadp, "xsmsubadp" T3, A3) X(xsmsubmdp, "xsmsubmdp" T3, A3)                          \
	X(xsnmaddadp, "xsnmaddadp" T3, A3) X(xsnmaddmdp, "xsnmaddmdp" T3, A3)                      \
	X(xsnmsubadp, "xsnmsubadp" T3, A3) X(xsnmsubmdp, "xsnmsubmdp" T3, A3)                      \
	X(xsmaddasp, "xsmaddasp" T3, A3 | K_SINGLE) X(xsmaddmsp, "xsmaddmsp" T3, A3 | K_SINGLE)    \
	X(xsmsubasp, "xsmsubasp" T3, A3 | K_SINGLE) X(xsmsubmsp, "xsmsubmsp" T3, A3 | K_SINGLE)    \
	X(xsnmaddasp, "xsnmaddasp" T3, A3 | K_SINGLE) X(xsnmaddmsp, "xsnmaddmsp" T3, A3 | K_SINGLE) \
	X(xsnmsubasp, "xsnmsubasp" T3, A3 | K_SINGLE) X(xsnmsubmsp, "xsnmsubmsp" T3, A3 | K_SINGLE) \
	X(xsadddp, "xsadddp" T3, A2) X(xssubdp, "xssubdp" T3, A2) X(xsmuldp, "xsmuldp" T3, A2)     \
	X(xsdivdp, "xsdivdp" T3, A2) X(xssqrtdp, "xssqrtdp" T1, A1)                                \
	X(xssqrtsp, "xssqrtsp" T1, A1 | K_SINGLE)                                                  \
	X(xscmpeqdp, "xscmpeqdp" T3, A2) X(xscmpgtdp, "xscmpgtdp" T3, A2)                          \
	X(xscmpgedp, "xscmpgedp" T3, A2) X(xscmpexpdp, "xscmpexpdp 3,33,34", A2)                   \
	X(xsmaxdp, "xsmaxdp" T3, A2 | K_MINMAX) X(xsmindp, "xsmindp" T3, A2 | K_MINMAX)                                  \
	X(xsmaxcdp, "xsmaxcdp" T3, A2 | K_CZERO) X(xsmincdp, "xsmincdp" T3, A2 | K_CZERO)                              \
	X(xsmaxjdp, "xsmaxjdp" T3, A2) X(xsminjdp, "xsminjdp" T3, A2)                              \
	X(xsrdpi, "xsrdpi" T1, A1) X(xsrdpic, "xsrdpic" T1, A1) X(xsrdpim, "xsrdpim" T1, A1)       \
	X(xsrdpip, "xsrdpip" T1, A1) X(xsrdpiz, "xsrdpiz" T1, A1)                                  \
	X(xsredp, "xsredp" T1, A1 | K_RE) X(xsresp, "xsresp" T1, A1 | K_SINGLE | K_RE)                           \
	X(xsrsqrtedp, "xsrsqrtedp" T1, A1 | K_RE) X(xsrsqrtesp, "xsrsqrtesp" T1, A1 | K_SINGLE | K_RE)           \
	X(xstdivdp, "xstdivdp 5,33,34", A2) X(xstsqrtdp, "xstsqrtdp 6,34", A1)                     \
	X(xststdcdp55, "xststdcdp 2,34,0x55", A1) X(xststdcdp2a, "xststdcdp 7,34,0x2a", A1)        \
	X(xststdcsp55, "xststdcsp 2,34,0x55", A1 | K_TSTSP) X(xststdcsp2a, "xststdcsp 7,34,0x2a", A1 | K_TSTSP)        \
	X(xsxexpdp, "xsxexpdp 9,34\n\tmtvsrdd 36,9,9", A1)                                         \
	X(xsxsigdp, "xsxsigdp 9,34\n\tmtvsrdd 36,9,9", A1)                                         \
	X(xsiexpdp, "mfvsrd 9,33\n\tmfvsrd 10,34\n\txsiexpdp 36,9,10", A2)                         \
	X(xscvdpsp, "xscvdpsp" T1, A1 | K_NARROW) X(xscvspdp, "xscvspdp" T1, A1 | T_S)                        \
	X(xscvdphp, "xscvdphp" T1, A1 | K_NARROW) X(xscvhpdp, "xscvhpdp" T1, A1 | T_H)                        \
	X(xscvdpsxws, "xscvdpsxws" T1, A1) X(xscvdpuxws, "xscvdpuxws" T1, A1)                      \
	X(xscvdpsxds, "xscvdpsxds" T1, A1) X(xscvdpuxds, "xscvdpuxds" T1, A1)                      \
	X(xscvsxddp, "xscvsxddp" T1, A1 | T_I) X(xscvuxddp, "xscvuxddp" T1, A1 | T_I)                \
	X(xscvsxdsp, "xscvsxdsp" T1, A1 | T_I | K_SINGLE) X(xscvuxdsp, "xscvuxdsp" T1, A1 | T_I | K_SINGLE) \
	X(xsrsp, "xsrsp" T1, A1 | K_SINGLE | K_XSRSP)
/*
 * Left out: xsaddsp, xssubsp, xsmulsp, xsdivsp. ISA 3.0B 7.6.1 rounds their exact result once to
 * single precision; QEMU 10 rounds to double and then to single (guests/README.md, vsx).
 */

#define VD (K_VEC | T_D)
#define VS (K_VEC | T_S)
#define VFORMS(X)                                                                                  \
	X(xvadddp, "xvadddp" T3, A2 | VD) X(xvsubdp, "xvsubdp" T3, A2 | VD)                        \
	X(xvmuldp, "xvmuldp" T3, A2 | VD) X(xvdivdp, "xvdivdp" T3, A2 | VD)                        \
	X(xvsqrtdp, "xvsqrtdp" T1, A1 | VD)                                                        \
	X(xvaddsp, "xvaddsp" T3, A2 | VS) X(xvsubsp, "xvsubsp" T3, A2 | VS)                        \
	X(xvmulsp, "xvmulsp" T3, A2 | VS) X(xvdivsp, "xvdivsp" T3, A2 | VS)                        \
	X(xvsqrtsp, "xvsqrtsp" T1, A1 | VS)                                                        \
	X(xvmaddadp, "xvmaddadp" T3, A3 | VD) X(xvmaddmdp, "xvmaddmdp" T3, A3 | VD)                \
	X(xvmsubadp, "xvmsubadp" T3, A3 | VD) X(xvmsubmdp, "xvmsubmdp" T3, A3 | VD)                \
	X(xvnmaddadp, "xvnmaddadp" T3, A3 | VD) X(xvnmaddmdp, "xvnmaddmdp" T3, A3 | VD)            \
	X(xvnmsubadp, "xvnmsubadp" T3, A3 | VD) X(xvnmsubmdp, "xvnmsubmdp" T3, A3 | VD)            \
	X(xvmaddasp, "xvmaddasp" T3, A3 | VS) X(xvmaddmsp, "xvmaddmsp" T3, A3 | VS)                \
	X(xvmsubasp, "xvmsubasp" T3, A3 | VS) X(xvmsubmsp, "xvmsubmsp" T3, A3 | VS)                \
	X(xvnmaddasp, "xvnmaddasp" T3, A3 | VS) X(xvnmaddmsp, "xvnmaddmsp" T3, A3 | VS)            \
	X(xvnmsubasp, "xvnmsubasp" T3, A3 | VS) X(xvnmsubmsp, "xvnmsubmsp" T3, A3 | VS)            \
	X(xvcmpeqdp, "xvcmpeqdp" T3, A2 | VD) X(xvcmpeqdp_r, "xvcmpeqdp." T3, A2 | VD)             \
	X(xvcmpgtdp, "xvcmpgtdp" T3, A2 | VD | K_CMPV) X(xvcmpgtdp_r, "xvcmpgtdp." T3, A2 | VD | K_CMPV)             \
	X(xvcmpgedp, "xvcmpgedp" T3, A2 | VD | K_CMPV) X(xvcmpgedp_r, "xvcmpgedp." T3, A2 | VD | K_CMPV)             \
	X(xvcmpeqsp, "xvcmpeqsp" T3, A2 | VS) X(xvcmpeqsp_r, "xvcmpeqsp." T3, A2 | VS)             \
	X(xvcmpgtsp, "xvcmpgtsp" T3, A2 | VS | K_CMPV) X(xvcmpgtsp_r, "xvcmpgtsp." T3, A2 | VS | K_CMPV)             \
	X(xvcmpgesp, "xvcmpgesp" T3, A2 | VS | K_CMPV) X(xvcmpgesp_r, "xvcmpgesp." T3, A2 | VS | K_CMPV)             \
	X(xvmaxdp, "xvmaxdp" T3, A2 | VD | K_MINMAX) X(xvmindp, "xvmindp" T3, A2 | VD | K_MINMAX)                        \
	X(xvmaxsp, "xvmaxsp" T3, A2 | VS | K_MINMAX) X(xvminsp, "xvminsp" T3, A2 | VS | K_MINMAX)                        \
	X(xvrdpi, "xvrdpi" T1, A1 | VD) X(xvrdpic, "xvrdpic" T1, A1 | VD)                          \
	X(xvrdpim, "xvrdpim" T1, A1 | VD) X(xvrdpip, "xvrdpip" T1, A1 | VD)                        \
	X(xvrdpiz, "xvrdpiz" T1, A1 | VD) X(xvrspi, "xvrspi" T1, A1 | VS)                          \
	X(xvrspic, "xvrspic" T1, A1 | VS) X(xvrspim, "xvrspim" T1, A1 | VS)                        \
	X(xvrspip, "xvrspip" T1, A1 | VS) X(xvrspiz, "xvrspiz" T1, A1 | VS)                        \
	X(xvredp, "xvredp" T1, A1 | VD | K_RE) X(xvresp, "xvresp" T1, A1 | VS | K_RE)                            \
	X(xvrsqrtedp, "xvrsqrtedp" T1, A1 | VD | K_RE) X(xvrsqrtesp, "xvrsqrtesp" T1, A1 | VS | K_RE)            \
	X(xvtdivdp, "xvtdivdp 5,33,34", A2 | VD) X(xvtsqrtdp, "xvtsqrtdp 6,34", A1 | VD)           \
	X(xvtdivsp, "xvtdivsp 5,33,34", A2 | VS) X(xvtsqrtsp, "xvtsqrtsp 6,34", A1 | VS)           \
	X(xvtstdcdp55, "xvtstdcdp 36,34,0x55", A1 | VD) X(xvtstdcdp2a, "xvtstdcdp 36,34,0x2a", A1 | VD) \
	X(xvtstdcsp55, "xvtstdcsp 36,34,0x55", A1 | VS) X(xvtstdcsp2a, "xvtstdcsp 36,34,0x2a", A1 | VS) \
	X(xvxexpdp, "xvxexpdp" T1, A1 | VD) X(xvxsigdp, "xvxsigdp" T1, A1 | VD)                    \
	X(xvxexpsp, "xvxexpsp" T1, A1 | VS) X(xvxsigsp, "xvxsigsp" T1, A1 | VS)                    \
	X(xviexpdp, "xviexpdp" T3, A2 | VD) X(xviexpsp, "xviexpsp" T3, A2 | VS)                    \
	X(xvabsdp, "xvabsdp" T1, A1 | VD) X(xvnabsdp, "xvnabsdp" T1, A1 | VD)                      \
	X(xvnegdp, "xvnegdp" T1, A1 | VD) X(xvcpsgndp, "xvcpsgndp" T3, A2 | VD)                    \
	X(xvabssp, "xvabssp" T1, A1 | VS) X(xvnabssp, "xvnabssp" T1, A1 | VS)                      \
	X(xvnegsp, "xvnegsp" T1, A1 | VS) X(xvcpsgnsp, "xvcpsgnsp" T3, A2 | VS)                    \
	X(xvcvdpsp, "xvcvdpsp" T1, A1 | VD | K_NARROW) X(xvcvspdp, "xvcvspdp" T1, A1 | VS)                    \
	X(xvcvdpsxds, "xvcvdpsxds" T1, A1 | VD) X(xvcvdpuxds, "xvcvdpuxds" T1, A1 | VD)            \
	X(xvcvdpsxws, "xvcvdpsxws" T1, A1 | VD) X(xvcvdpuxws, "xvcvdpuxws" T1, A1 | VD)            \
	X(xvcvspsxds, "xvcvspsxds" T1, A1 | VS) X(xvcvspuxds, "xvcvspuxds" T1, A1 | VS)            \
	X(xvcvspsxws, "xvcvspsxws" T1, A1 | VS) X(xvcvspuxws, "xvcvspuxws" T1, A1 | VS)            \
	X(xvcvsxddp, "xvcvsxddp" T1, A1 | K_VEC | T_I) X(xvcvuxddp, "xvcvuxddp" T1, A1 | K_VEC | T_I) \
	X(xvcvsxdsp, "xvcvsxdsp" T1, A1 | K_VEC | T_I) X(xvcvuxdsp, "xvcvuxdsp" T1, A1 | K_VEC | T_I) \
	X(xvcvsxwdp, "xvcvsxwdp" T1, A1 | K_VEC | T_W) X(xvcvuxwdp, "xvcvuxwdp" T1, A1 | K_VEC | T_W) \
	X(xvcvsxwsp, "xvcvsxwsp" T1, A1 | K_VEC | T_W) X(xvcvuxwsp, "xvcvuxwsp" T1, A1 | K_VEC | T_W) \
	X(xvcvhpsp, "xvcvhpsp" T1, A1 | K_VEC | T_H) X(xvcvsphp, "xvcvsphp" T1, A1 | VS | K_NARROW)

#define QP T_Q
#define Q3 " 4,1,2"
#define Q1 " 4,2"
#define QFORMS(X)                                                                                  \
	X(xsaddqp, "xsaddqp" Q3, A2 | QP) X(xsaddqpo, "xsaddqpo" Q3, A2 | QP)                      \
	X(xssubqp, "xssubqp" Q3, A2 | QP) X(xssubqpo, "xssubqpo" Q3, A2 | QP)                      \
	X(xsmulqp, "xsmulqp" Q3, A2 | QP) X(xsmulqpo, "xsmulqpo" Q3, A2 | QP)                      \
	X(xsdivqp, "xsdivqp" Q3, A2 | QP) X(xsdivqpo, "xsdivqpo" Q3, A2 | QP)                      \
	X(xssqrtqp, "xssqrtqp" Q1, A1 | QP) X(xssqrtqpo, "xssqrtqpo" Q1, A1 | QP)                  \
	X(xsmaddqp, "xsmaddqp" Q3, A3 | QP) X(xsmaddqpo, "xsmaddqpo" Q3, A3 | QP)                  \
	X(xsmsubqp, "xsmsubqp" Q3, A3 | QP) X(xsmsubqpo, "xsmsubqpo" Q3, A3 | QP)                  \
	X(xsnmaddqp, "xsnmaddqp" Q3, A3 | QP) X(xsnmaddqpo, "xsnmaddqpo" Q3, A3 | QP)              \
	X(xsnmsubqp, "xsnmsubqp" Q3, A3 | QP)                                                      \
	X(xscmpuqp, "xscmpuqp 3,1,2", A2 | QP) X(xscmpoqp, "xscmpoqp 5,1,2", A2 | QP)              \
	X(xscmpexpqp, "xscmpexpqp 6,1,2", A2 | QP)                                                 \
	X(xscvdpqp, "xscvdpqp" Q1, A1 | T_D) X(xscvsdqp, "xscvsdqp" Q1, A1 | T_I)                  \
	X(xscvudqp, "xscvudqp" Q1, A1 | T_I)                                                       \
	X(xscvqpdp, "xscvqpdp" Q1, A1 | QP | K_NARROW) X(xscvqpdpo, "xscvqpdpo" Q1, A1 | QP | K_NARROW)                  \
	X(xscvqpsdz, "xscvqpsdz" Q1, A1 | QP) X(xscvqpswz, "xscvqpswz" Q1, A1 | QP)                \
	X(xscvqpudz, "xscvqpudz" Q1, A1 | QP) X(xscvqpuwz, "xscvqpuwz" Q1, A1 | QP)                \
	X(xsrqpi00, "xsrqpi 0,4,2,0", A1 | QP | K_XSRSP) X(xsrqpi03, "xsrqpi 0,4,2,3", A1 | QP | K_XSRSP | K_RMC3)              \
	X(xsrqpi10, "xsrqpi 1,4,2,0", A1 | QP | K_XSRSP) X(xsrqpi11, "xsrqpi 1,4,2,1", A1 | QP | K_XSRSP)              \
	X(xsrqpi12, "xsrqpi 1,4,2,2", A1 | QP | K_XSRSP) X(xsrqpi13, "xsrqpi 1,4,2,3", A1 | QP | K_XSRSP)              \
	X(xsrqpix00, "xsrqpix 0,4,2,0", A1 | QP | K_XSRSP) X(xsrqpix03, "xsrqpix 0,4,2,3", A1 | QP | K_XSRSP | K_RMC3)          \
	X(xsrqpix12, "xsrqpix 1,4,2,2", A1 | QP | K_XSRSP)                                                   \
	X(xsrqpxp00, "xsrqpxp 0,4,2,0", A1 | QP | K_XP) X(xsrqpxp03, "xsrqpxp 0,4,2,3", A1 | QP | K_XP | K_RMC3)          \
	X(xsrqpxp10, "xsrqpxp 1,4,2,0", A1 | QP | K_XP) X(xsrqpxp11, "xsrqpxp 1,4,2,1", A1 | QP | K_XP)          \
	X(xsrqpxp12, "xsrqpxp 1,4,2,2", A1 | QP | K_XP) X(xsrqpxp13, "xsrqpxp 1,4,2,3", A1 | QP | K_XP)          \
	X(xsabsqp, "xsabsqp" Q1, A1 | QP) X(xsnabsqp, "xsnabsqp" Q1, A1 | QP)                      \
	X(xsnegqp, "xsnegqp" Q1, A1 | QP) X(xscpsgnqp, "xscpsgnqp" Q3, A2 | QP)                    \
	X(xsxexpqp, "xsxexpqp" Q1, A1 | QP) X(xsxsigqp, "xsxsigqp" Q1, A1 | QP)                    \
	X(xsiexpqp, "xsiexpqp" Q3, A2 | QP)                                                        \
	X(xststdcqp55, "xststdcqp 2,2,0x55", A1 | QP) X(xststdcqp2a, "xststdcqp 7,2,0x2a", A1 | QP)

/* Left out: xsnmsubqpo, which QEMU 10 rounds in FPSCR[RN] instead of to odd (guests/README.md). */

#define FORMS(X) SFORMS(X) VFORMS(X) QFORMS(X)
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

static const u64 dspecials[] = {
	0x0000000000000000UL, 0x8000000000000000UL,	/* +-0 */
	0x3ff0000000000000UL, 0xbff0000000000000UL,	/* +-1 */
	0x0000000000000001UL, 0x8000000000000001UL,	/* +-smallest denormal */
	0x000fffffffffffffUL, 0x0010000000000000UL,	/* largest denormal, smallest normal */
	0x7fefffffffffffffUL, 0xffefffffffffffffUL,	/* +-largest */
	0x7ff0000000000000UL, 0xfff0000000000000UL,	/* +-inf */
	0x7ff8000000000000UL, 0xfff8000000000123UL,	/* QNaNs */
	0x7ff0000000000001UL, 0xfff4000000000abcUL,	/* SNaNs */
	0x3fe0000000000000UL, 0xc004000000000000UL,	/* 0.5, -2.5 */
	0x3ff8000000000000UL, 0x4004000000000000UL,	/* 1.5, 2.5 */
	0x3fd5555555555555UL, 0x4008000000000000UL,	/* 1/3, 3 */
	0x4330000000000001UL, 0xc1e0000000200000UL,	/* 2^52+1, -2^31-1 */
	0x41dfffffffe00000UL, 0x41e0000000000000UL,	/* 2^31-1, 2^31 */
	0x41efffffffe00000UL, 0x41f0000000000000UL,	/* 2^32-1, 2^32 */
	0x43e0000000000000UL, 0xc3e0000000000000UL,	/* +-2^63 */
	0x43f0000000000000UL, 0x41dfffffffffffffUL,	/* 2^64, 2^31-2^-22 */
	0x47efffffe0000000UL, 0x47effffff0000000UL,	/* FLT_MAX, FLT_MAX + half ulp */
	0x3810000000000000UL, 0x36a0000000000000UL,	/* 2^-126, 2^-149 */
	0x3690000000000000UL, 0xb7fffffff0000000UL,	/* 2^-150, -(2^-126 - 2^-150) */
	0x3ff0000010000000UL, 0x3ff0000010000001UL,	/* 1 + half single ulp, just above */
	0x40effc0000000000UL, 0x40effe0000000000UL,	/* 65504 (half max), 65520 */
	0x3f10000000000000UL, 0x3e70000000000000UL,	/* 2^-14, 2^-24 */
	0x3ff0020000000000UL, 0x3e60000000000001UL,	/* 1 + 2^-11 (half tie), just above 2^-25 */
	0x7e37e43c8800759cUL, 0x01a56e1fc2f8f359UL,	/* 1e300, 1e-300 */
	0x0008000000000000UL, 0x7fe0000000000000UL,	/* 2^-1023, 2^1023 */
};
static const u32 sspecials[] = {
	0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x00000001, 0x80000001, 0x007fffff, 0x00800000,
	0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00123, 0x7f800001, 0xffa00abc,
	0x3f000000, 0xc0200000, 0x3fc00000, 0x40200000, 0x3eaaaaab, 0x4b000001, 0x4effffff, 0x4f000000,
	0xcf000000, 0xcf000001, 0x4f800000, 0x5f000000, 0xdf000000, 0x5f800000, 0x477fe000, 0x477ff000,
	0x38800000, 0x33800000, 0x3f801000, 0x33000001, 0x0d800000, 0x72800000, 0x3effffff, 0xbf000001,
};
static const u64 ispecials[] = {
	0, 1, 2, 3, 0xffffffffffffffffUL, 0x7fffffffffffffffUL, 0x8000000000000000UL,
	0x8000000000000001UL, 0x0020000000000000UL, 0x0020000000000001UL, 0x0020000000000003UL,
	0x001fffffffffffffUL, 0x0000000001000001UL, 0x0000000001000003UL, 0x00000000ffffffffUL,
	0xfffffffffffffffeUL, 0xffe0000000000001UL, 0x7ffffffffffffc00UL, 0x7ffffffffffffe00UL,
	0x0000000080000000UL, 0xffffffff80000000UL, 0x0000000000ffffffUL,
};
static const u32 wspecials[] = {
	0, 1, 2, 0xffffffff, 0x7fffffff, 0x80000000, 0x80000001, 0x01000001, 0x01000003, 0x00ffffff,
	0xfeffffff, 0x7fffff80, 0x7fffffc0, 0xffffff80, 0x00800001, 0x12345678,
};
static const u16 hspecials[] = {
	0x0000, 0x8000, 0x3c00, 0xbc00, 0x0001, 0x8001, 0x03ff, 0x0400, 0x7bff, 0xfbff, 0x7c00, 0xfc00,
	0x7e00, 0xfe12, 0x7c01, 0x7d55, 0x3555, 0x5640,
};

static const u64 qspecials[][2] = {
	{ 0, 0 }, { 0x8000000000000000UL, 0 },					/* +-0 */
	{ 0x3fff000000000000UL, 0 }, { 0xbfff000000000000UL, 0 },		/* +-1 */
	{ 0, 1 }, { 0x8000000000000000UL, 1 },					/* +-smallest denormal */
	{ 0x0000ffffffffffffUL, ~0UL }, { 0x0001000000000000UL, 0 },		/* largest denormal, smallest normal */
	{ 0x7ffeffffffffffffUL, ~0UL }, { 0xfffeffffffffffffUL, ~0UL },		/* +-largest */
	{ 0x7fff000000000000UL, 0 }, { 0xffff000000000000UL, 0 },		/* +-inf */
	{ 0x7fff800000000000UL, 0 }, { 0xffff800000001234UL, 0x5678 },		/* QNaNs */
	{ 0x7fff000000000000UL, 1 }, { 0xffff400000000000UL, 0xabc },		/* SNaNs */
	{ 0x3ffe000000000000UL, 0 }, { 0xc000400000000000UL, 0 },		/* 0.5, -2.5 */
	{ 0x3fff800000000000UL, 0 }, { 0x4000400000000000UL, 0 },		/* 1.5, 2.5 */
	{ 0x3ffd555555555555UL, 0x5555555555555555UL }, { 0x4000800000000000UL, 0 },	/* 1/3, 3 */
	{ 0x406f000000000000UL, 1 }, { 0x403e000000000000UL, 0 },		/* 2^112 + 1, 2^63 */
	{ 0x403f000000000000UL, 0 }, { 0xc03e000000000000UL, 0 },		/* 2^64, -2^63 */
	{ 0x403effffffffffffUL, 0xfffe000000000000UL }, { 0x401e000000000000UL, 0 },	/* 2^64 - 1, 2^31 */
	{ 0xc01e000000020000UL, 0 }, { 0x401efffffffe0000UL, 0 },		/* -2^31 - 1, 2^32 - 1 */
	{ 0x43feffffffffffffUL, 0xf000000000000000UL },				/* DBL_MAX */
	{ 0x43feffffffffffffUL, 0xf800000000000000UL },				/* DBL_MAX + half ulp */
	{ 0x3bcd000000000000UL, 0 }, { 0x3bcc000000000000UL, 0 },		/* 2^-1074, 2^-1075 */
	{ 0xbbcb800000000000UL, 0 }, { 0x3c01000000000000UL, 0 },		/* -3 * 2^-1076, 2^-1022 */
	{ 0x3fff000000000000UL, 1 }, { 0x3fff000000000000UL, 0x0800000000000000UL },	/* 1 + 2^-112, 1 + 2^-53 */
	{ 0x3fff000000000000UL, 0x0800000000000001UL }, { 0x3fff000000000000UL, 0x0001000000000000UL }, /* 1 + 2^-64 */
	{ 0x7e7f000000000000UL, 0 }, { 0x017f000000000000UL, 0 },		/* 2^16000, 2^-16000 */
	{ 0x0001800000000000UL, 0 }, { 0x3fffffffffffffffUL, 0xffffffffffffffffUL },	/* 1.5 * 2^-16382, 2 - 2^-112 */
};

#define NRANDOM 16
#define ND (ARRAY_SIZE(dspecials) + NRANDOM)
#define NS (ARRAY_SIZE(sspecials) + NRANDOM)
#define NI (ARRAY_SIZE(ispecials) + NRANDOM)
#define NW (ARRAY_SIZE(wspecials) + NRANDOM)
#define NH (ARRAY_SIZE(hspecials) + NRANDOM)
#define NQ (ARRAY_SIZE(qspecials) + NRANDOM)
static u64 dpool[ND], ipool[NI], qpool[NQ][2];
static u32 spool[NS], wpool[NW], hpool[NH];
#define NTRIPLE 14		/* operands of the three-operand cube */

static u64 rng = 0x9e3779b97f4a7c15UL;

/* Random doubles: any bits, moderate exponents, near-ties for single, tiny. */
static u64 random_double(int i)
{
	u64 r = rnd_next(&rng);
	switch (i % 4) {
	case 0:
		return r;
	case 1:
		return (r & 0x800fffffffffffffUL) | ((u64)(1023 - 40 + (r >> 52) % 80) << 52);
	case 2:
		return (r & 0x800fffffe0000000UL) | 0x10000000UL | ((u64)(1023 - 4 + (r >> 52) % 8) << 52);
	default:
		return (r & 0x800fffffffffffffUL) | ((u64)((r >> 52) % 3) << 52);
	}
}

static u32 random_single(int i)
{
	u32 r = (u32)rnd_next(&rng);
	switch (i % 3) {
	case 0:
		return r;
	case 1:
		return (r & 0x807fffffU) | ((127 - 20 + (r >> 23) % 40) << 23);
	default:
		return (r & 0x807fffffU) | (((r >> 23) % 3) << 23);
	}
}

static void make_operands(void)
{
	for (u64 i = 0; i < ND; i++)
		dpool[i] = i < ARRAY_SIZE(dspecials) ? dspecials[i] : random_double((int)i);
	for (u64 i = 0; i < NS; i++)
		spool[i] = i < ARRAY_SIZE(sspecials) ? sspecials[i] : random_single((int)i);
	for (u64 i = 0; i < NI; i++) {
		u64 r = rnd_next(&rng);
		ipool[i] = i < ARRAY_SIZE(ispecials) ? ispecials[i] : i & 1 ? r : r >> (r & 63);
	}
	for (u64 i = 0; i < NW; i++) {
		u32 r = (u32)rnd_next(&rng);
		wpool[i] = i < ARRAY_SIZE(wspecials) ? wspecials[i] : i & 1 ? r : r >> (r & 31);
	}
	for (u64 i = 0; i < NH; i++)
		hpool[i] = i < ARRAY_SIZE(hspecials) ? hspecials[i] : (u16)rnd_next(&rng);
	/* Quads: any bits, moderate exponents, tiny, and near double's range. */
	for (u64 i = 0; i < NQ; i++) {
		if (i < ARRAY_SIZE(qspecials)) {
			qpool[i][0] = qspecials[i][0];
			qpool[i][1] = qspecials[i][1];
			continue;
		}
		u64 r = rnd_next(&rng), l = rnd_next(&rng);
		u64 sign = r & 0x8000000000000000UL, frac = r & 0x0000ffffffffffffUL;
		switch (i % 4) {
		case 0:
			qpool[i][0] = r;
			break;
		case 1:
			qpool[i][0] = sign | (16383 - 60 + (r >> 48) % 120) << 48 | frac;
			break;
		case 2:
			qpool[i][0] = sign | ((r >> 48) % 3) << 48 | frac;
			break;
		default:
			qpool[i][0] = sign | (16383 - 1080 + (r >> 48) % 2160) << 48 | frac;
			break;
		}
		qpool[i][1] = l;
	}
}

static u64 pool_size(int kind)
{
	switch (kind & K_TYPE) {
	case T_S:
		return NS;
	case T_I:
		return NI;
	case T_W:
		return NW;
	case T_H:
		return NH;
	case T_Q:
		return NQ;
	default:
		return ND;
	}
}

/* Operand i of the form's type as two doublewords; the other elements come from elsewhere in the pool. */
static void operand(int kind, u64 i, u64 *v)
{
	u32 w[4];
	switch (kind & K_TYPE) {
	case T_D:
		v[0] = dpool[i];
		v[1] = dpool[(i * 7 + 3) % ND];
		return;
	case T_Q:
		v[0] = qpool[i][0];
		v[1] = qpool[i][1];
		return;
	case T_I:
		v[0] = ipool[i];
		v[1] = ipool[(i * 5 + 2) % NI];
		return;
	case T_S:
		for (int k = 0; k < 4; k++)
			w[k] = spool[(i + (u64)k * 11) % NS];
		break;
	case T_W:
		for (int k = 0; k < 4; k++)
			w[k] = wpool[(i + (u64)k * 7) % NW];
		break;
	default:
		for (int k = 0; k < 4; k++)
			w[k] = 0xa5c30000U | hpool[(i + (u64)k * 5) % NH];
		break;
	}
	v[0] = (u64)w[0] << 32 | w[1];
	v[1] = (u64)w[2] << 32 | w[3];
}

/* ---- masks: where QEMU departs from the ISA -------------------------------- */

#define ZERO 1
#define DENORMAL 2

/* Whether an element the form reads from v (doubleword 0 only for a scalar form) is of the class. */
static int has(int kind, const u64 *v, int what)
{
	int n = kind & K_VEC ? ((kind & K_TYPE) == T_S ? 4 : 2) : 1;
	for (int i = 0; i < n; i++) {
		u64 x, mag;
		int exp0;
		if ((kind & K_TYPE) == T_S) {
			x = v[i >> 1] >> (i & 1 ? 0 : 32) & 0xffffffffUL;
			mag = x & 0x7fffffffUL;
			exp0 = (x & 0x7f800000UL) == 0;
		} else {
			x = v[i];
			mag = x << 1;
			exp0 = ((x >> 52) & 0x7ff) == 0;
		}
		if (what == ZERO ? mag == 0 : (exp0 && mag != 0))
			return 1;
	}
	return 0;
}

/* Returns the FPSCR to fold, or sets *skip when the case cannot be compared at all. */
static u64 mask_case(const struct form *f, const u64 *in, u64 *out, u64 msr_fe, int trapped, int *skip)
{
	u64 fpscr = out[2], preset = in[6];
	u64 raised = fpscr & ~preset;
	*skip = 0;
	/*
	 * QEMU never sets FR; the ISA (4.2.2) sets it when rounding incremented the fraction.
	 * jvisor's FR is checked by its unit tests.
	 */
	fpscr &= ~FR;
	/* Infinity times zero plus an SNaN is two invalid operations (ISA 4.4.1): QEMU sets only VXIMZ. */
	if ((f->kind & K_ARITY) == A3 && (fpscr & VXIMZ))
		fpscr &= ~VXSNAN;
	/*
	 * FPRF of a single-precision result below 2^-126 is "denormalized" (4.2.2, the target
	 * precision); QEMU classifies its double format. The class bit C is compared without them.
	 */
	if ((f->kind & K_SINGLE) && ((out[0] >> 52) & 0x7ff) != 0 && ((out[0] >> 52) & 0x7ff) < 897)
		fpscr &= ~0x10000UL;
	/*
	 * A single-precision result with an enabled overflow or underflow is delivered with its
	 * exponent adjusted by 192 in double format (ISA 4.4.3, 4.4.4, 7.4.3, 7.4.4); QEMU adjusts
	 * xssqrtsp and friends differently.
	 */
	if ((f->kind & K_SINGLE) && (((preset & UE) && (fpscr & UX)) || ((preset & OE) && (fpscr & OX)))) {
		/* (and QEMU's xsrsp, when it interrupts, leaves doubleword 1 as it was) */
		out[0] = out[1] = MARKER;
		/* (and QEMU's division reports OX for some underflows, e.g. xsresp of DBL_MAX) */
		fpscr &= ~(OX | UX);
	}
	/*
	 * A conversion to single or half precision whose adjusted result is still outside the
	 * target format (enabled overflow or underflow of a double far outside its range) has no
	 * defined result (7.6.1 xscvdpsp, xscvdphp); QEMU wraps the exponent field.
	 */
	if ((f->kind & K_NARROW) && (((preset & UE) && (raised & UX)) || ((preset & OE) && (raised & OX)))) {
		out[0] = out[1] = MARKER;
		fpscr &= ~FPRF;
	}
	/*
	 * With VE=1 (or ZE=1) an invalid operation (zero divide) leaves XT and FPRF unchanged
	 * whatever MSR[FE0 FE1] (ISA 4.4.1, 4.4.2, 7.4.1, 7.4.2); QEMU writes XT in ignore mode, and
	 * before the interrupt for the compares' VXVC.
	 */
	if (((fpscr & VE) && (raised & VX_CAUSES)) || ((fpscr & ZE) && (raised & ZX))) {
		out[0] = out[1] = MARKER;
		fpscr &= ~FPRF;
		/*
		 * A vector form records the exceptions of every element (7.4); QEMU interrupts at the
		 * first element with an enabled invalid operation or zero divide and records only its.
		 */
		if ((f->kind & K_VEC) && trapped)
			fpscr &= ~(OX | UX | ZX | XX | VX_CAUSES | VX);
	}
	/*
	 * Overflow in one element and underflow in another set OX and UX (7.4); QEMU records only
	 * OX.
	 */
	if ((f->kind & K_VEC) && (raised & OX))
		fpscr &= ~UX;
	/*
	 * An enabled overflow, underflow or inexact exception writes the (adjusted) result before
	 * the interrupt (4.4.3 - 4.4.5); QEMU's xsrsp interrupts before writing XT.
	 */
	if ((f->kind & K_XSRSP) && trapped) {
		out[0] = out[1] = MARKER;
		fpscr &= ~FPRF;
	}
	/*
	 * Rounding "according to FPSCR[RN]" (xsrqpi, xsrqpix, xsrqpxp with R=0 RMC=11): QEMU takes
	 * RN=01 (toward zero) for toward -infinity and RN=11 for toward zero.
	 */
	if ((f->kind & K_RMC3) && (preset & 1))
		*skip = 1;
	/*
	 * xsrqpxp of a NaN gives it quieted (7.6.1); QEMU passes it through the double-extended
	 * format and drops the fraction's low 49 bits.
	 */
	if ((f->kind & K_XP) && ((in[2] >> 48) & 0x7fff) == 0x7fff && ((in[2] << 16) | in[3]))
		out[0] = out[1] = MARKER;
	/* A record form that interrupts still sets its CR field (ISA 4.4); QEMU interrupts first. */
	if (trapped)
		out[3] &= ~0x000000f0UL;
	/*
	 * The reciprocal (square root) estimate of zero is an infinity with ZX (7.6.1 xsredp,
	 * xsrsqrtedp ...); QEMU does not set ZX.
	 */
	if ((f->kind & K_RE) && has(f->kind, in + 2, ZERO))
		*skip = 1;
	/*
	 * Maximum and minimum raise VXSNAN only (7.6.1 xsmaxdp); QEMU raises UX for a denormal
	 * operand when UE=1 and adjusts the result.
	 */
	if ((f->kind & K_MINMAX) && (preset & UE) && (has(f->kind, in, DENORMAL) || has(f->kind, in + 2, DENORMAL)))
		*skip = 1;
	/*
	 * xsmaxcdp/xsmincdp of equal operands give XB (7.6.1: XA only when greater, resp. less);
	 * QEMU gives XA, which differs for +0 and -0.
	 */
	if ((f->kind & K_CZERO) && !(in[0] << 1) && !(in[2] << 1))
		out[0] = MARKER;
	/*
	 * xststdcsp: a value in single's denormal range matches DCMX bit 5 (+denormal) or 6
	 * (-denormal) by its sign (7.6.1); QEMU has the two bits the other way round.
	 */
	if ((f->kind & K_TSTSP) && (in[2] << 1) && ((in[2] >> 52) & 0x7ff) < 897) {
		out[3] &= ~0x00200002UL;
		fpscr &= ~0x2000UL;
	}
	/*
	 * The vector ordered compares raise VXVC for an SNaN only when VE=0 (7.6.1 xvcmpgtdp, as
	 * fcmpo); QEMU always raises it.
	 */
	if ((f->kind & K_CMPV) && (preset & VE) && (fpscr & VXSNAN))
		fpscr &= ~VXVC;
	/*
	 * An enabled VXVC of the vector compares takes the program interrupt (7.4.1); QEMU only
	 * records it as pending.
	 */
	if ((f->kind & K_CMPV) && msr_fe && (preset & VE) && (raised & VXVC) && !(raised & VXSNAN))
		*skip = 1;
	return fpscr;
}

/* ---- running a form -------------------------------------------------------- */

#ifdef FPU_VERBOSE
#define MAXREC 100000
static u64 rec[MAXREC][13];
static u64 nrec;

static void print_records(const char *name)
{
	for (u64 i = 0; i < nrec; i++) {
		u64 *e = rec[i];
		printf("%s %lx %lx %lx.%lx %lx.%lx %lx.%lx: %lx.%lx %lx %lx %d\n", name, e[0], e[1], e[2], e[3], e[4],
		       e[5], e[6], e[7], e[8], e[9], e[10], e[11], (int)e[12]);
	}
	nrec = 0;
}
#else
static void print_records(const char *name)
{
	(void)name;
}
#endif

static u64 run_case(u64 h, const struct form *f, u64 i, u64 j, u64 k, u64 preset, u64 msr_fe)
{
	u64 in[7], out[5];
	int ar = f->kind & K_ARITY;
	operand(f->kind, i, in);
	operand(f->kind, j, in + 2);
	if (ar == A3) {
		operand(f->kind, k, in + 4);
	} else {
		in[4] = MARKER;
		in[5] = MARKER;
	}
	in[6] = preset;
	u64 before = traps;
	f->fn(in, out);
	int trapped = traps != before;
	u64 where = trapped ? trap_nip - out[4] : 0;
	u64 srr1 = trapped ? trap_srr1 & 0x1f0000UL : 0;
	int skip;
	u64 fpscr = mask_case(f, in, out, msr_fe, trapped, &skip);
	if (skip)
		return fold(h, 1);
#ifdef FPU_VERBOSE
	if (nrec < MAXREC) {
		u64 *e = rec[nrec++];
		e[0] = msr_fe, e[1] = preset, e[2] = in[0], e[3] = in[1], e[4] = in[2], e[5] = in[3];
		e[6] = in[4], e[7] = in[5], e[8] = out[0], e[9] = out[1], e[10] = fpscr, e[11] = out[3];
		e[12] = trapped;
	}
#endif
	h = fold(h, out[0]);
	h = fold(h, out[1]);
	h = fold(h, fpscr);
	h = fold(h, out[3]);
	return fold(h, (u64)trapped | where << 8 | srr1 << 16);
}

static u64 run_preset(u64 h, const struct form *f, u64 preset, u64 msr_fe, int full)
{
	u64 np = pool_size(f->kind);
	u64 n = full ? np : np / 2;
	switch (f->kind & K_ARITY) {
	case A1:
		for (u64 i = 0; i < np; i++)
			h = run_case(h, f, 0, i, 0, preset, msr_fe);
		break;
	case A2:
		for (u64 i = 0; i < n; i++)
			for (u64 j = 0; j < n; j++)
				h = run_case(h, f, i, j, 0, preset, msr_fe);
		break;
	default: {
		u64 m = full ? NTRIPLE : NTRIPLE / 2;
		for (u64 i = 0; i < m; i++)
			for (u64 j = 0; j < m; j++)
				for (u64 k = 0; k < m; k++)
					h = run_case(h, f, i, j, k, preset, msr_fe);
		u64 s = 0x1234567UL;
		for (int r = 0; r < (full ? 800 : 100); r++) {
			u64 x = rnd_next(&s) % np, y = rnd_next(&s) % np, z = rnd_next(&s) % np;
			h = run_case(h, f, x, y, z, preset, msr_fe);
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

static const u64 enables[] = { VE, OE | UE, ZE, XE, VE | OE | UE | ZE | XE };

/* As in fpu.c: the FPSCR is cleared and a hypercall made before MSR[FE0 FE1] change. */
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
		sums[rn] = fold32(run_preset(FOLD_INIT, f, (u64)rn, 0, 1));
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
	printf("%-12s %08x %08x %08x %08x sticky %08x ignore %08x precise %08x\n", f->name, sums[0], sums[1],
	       sums[2], sums[3], sums[4], sums[5], sums[6]);
}

/* ---- loops GCC vectorises with VSX floating point at -O3 --------------------- */

#define KN 101
static double kx[KN], ky[KN], kz[KN];
static float kf[KN], kg[KN];
static int ki[KN];

static __attribute__((noinline)) void k_axpy(double *restrict y, const double *restrict x, double a, int n)
{
	for (int i = 0; i < n; i++)
		y[i] = a * x[i] + y[i];
}

static __attribute__((noinline)) void k_single(float *restrict y, const float *restrict x, int n)
{
	for (int i = 0; i < n; i++)
		y[i] = x[i] * 0.5f - y[i] / 3.0f;
}

static __attribute__((noinline)) void k_convert(double *restrict d, float *restrict f, const int *restrict s, int n)
{
	for (int i = 0; i < n; i++) {
		d[i] = s[i] * 0.25;
		f[i] = (float)(d[i] + 1e-3);
	}
}

static __attribute__((noinline)) void k_select(double *restrict z, const double *restrict x, const double *restrict y, int n)
{
	for (int i = 0; i < n; i++)
		z[i] = x[i] > y[i] ? __builtin_fabs(x[i]) : __builtin_copysign(y[i], x[i]);
}

static __attribute__((noinline)) void k_round(int *restrict r, const double *restrict x, int n)
{
	for (int i = 0; i < n; i++)
		r[i] = (int)x[i];
}

static void kernels(void)
{
	u64 s = 4242;
	for (int i = 0; i < KN; i++) {
		kx[i] = (double)(s64)(rnd_next(&s) >> 20) / (double)(1UL << 30);
		ky[i] = (double)(s64)(rnd_next(&s) >> 24) / 7.0;
		kf[i] = (float)kx[i];
		kg[i] = (float)ky[i] * 0.125f;
		ki[i] = (int)rnd_next(&s);
	}
	k_axpy(ky, kx, 1.0 / 3, KN);
	k_single(kg, kf, KN);
	k_select(kz, kx, ky, KN);
	u64 h = FOLD_INIT;
	for (int i = 0; i < KN; i++) {
		u64 a, b, c;
		u32 d;
		__builtin_memcpy(&a, &ky[i], 8);
		__builtin_memcpy(&b, &kz[i], 8);
		__builtin_memcpy(&d, &kg[i], 4);
		h = fold(fold(fold(h, a), b), d);
		(void)c;
	}
	k_convert(kz, kf, ki, KN);
	k_round(ki, ky, KN);
	for (int i = 0; i < KN; i++) {
		u64 a;
		u32 d;
		__builtin_memcpy(&a, &kz[i], 8);
		__builtin_memcpy(&d, &kf[i], 4);
		h = fold(fold(fold(h, a), d), (u32)ki[i]);
	}
	printf("%-12s %016lx\n", "kernels (-O3 VSX float)", h);
}

#ifdef FPU_VERBOSE
#define STR2(x) #x
#define STR(x) STR2(x)
static const char *only = STR(FPU_VERBOSE);
#else
static const char *only;
#endif

static int __attribute__((noinline)) vsxfp_main(void)
{
	make_operands();
	for (u64 i = 0; i < ARRAY_SIZE(forms); i++)
		if (!only || !strcmp(forms[i].name, only))
			run_form(&forms[i]);
	if (!only) {
		kernels();
		pass("%ld forms", (long)ARRAY_SIZE(forms));
	}
	finish();
}

/* MSR[FP, VEC, VSX] on before any function that may save vector registers runs. */
int main(void)
{
	rt_trap_hook = hook;
	mtmsrd(mfmsr() | MSR_FP | MSR_VEC | MSR_VSX);
	return vsxfp_main();
}
