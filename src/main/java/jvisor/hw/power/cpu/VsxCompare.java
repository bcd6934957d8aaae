package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FloatingPointUnit.status;
import static jvisor.hw.power.cpu.VsxInstructions.vsx;
import static jvisor.hw.power.cpu.VsxInstructions.xa;
import static jvisor.hw.power.cpu.VsxInstructions.xb;
import static jvisor.hw.power.cpu.VsxInstructions.xt;

import java.util.List;
import jvisor.hw.power.cpu.fpu.Binary64;
import jvisor.hw.power.cpu.fpu.FloatStatus;
import jvisor.hw.power.cpu.fpu.FloatingPointCompare;
import jvisor.hw.power.cpu.fpu.Fpscr;
import jvisor.hw.power.cpu.fpu.Precision;

/**
 * VSX compares and selections (ISA 3.0B 7.6.1): the predicate compares that give a mask of ones
 * or zeros (xscmpeqdp ..., xvcmpeqdp[.] ..., the record forms setting CR6 to "all true" / "all
 * false"), xscmpexpdp, the maximum and minimum forms (IEEE maxNum/minNum, the C-style "c" and the
 * Java-style "j" ones), and the software divide and square root tests.
 */
final class VsxCompare {
    private VsxCompare() {
    }

    private static final int EQ = 0, GT = 1, GE = 2;
    private static final int MAX = 0, MIN = 1;

    static final List<InstructionSpec> SPECS = List.of(
            vsx("xscmpeqdp", (c, w) -> scalarPredicate(c, w, EQ)),
            vsx("xscmpgtdp", (c, w) -> scalarPredicate(c, w, GT)),
            vsx("xscmpgedp", (c, w) -> scalarPredicate(c, w, GE)),
            vsx("xvcmpeqdp", (c, w) -> vectorPredicate(c, w, EQ, false)),
            vsx("xvcmpgtdp", (c, w) -> vectorPredicate(c, w, GT, false)),
            vsx("xvcmpgedp", (c, w) -> vectorPredicate(c, w, GE, false)),
            vsx("xvcmpeqsp", (c, w) -> vectorPredicate(c, w, EQ, true)),
            vsx("xvcmpgtsp", (c, w) -> vectorPredicate(c, w, GT, true)),
            vsx("xvcmpgesp", (c, w) -> vectorPredicate(c, w, GE, true)),
            vsx("xscmpexpdp", VsxCompare::xscmpexpdp),
            vsx("xsmaxdp", (c, w) -> scalarSelect(c, w, MAX, 'n')),
            vsx("xsmindp", (c, w) -> scalarSelect(c, w, MIN, 'n')),
            vsx("xsmaxcdp", (c, w) -> scalarSelect(c, w, MAX, 'c')),
            vsx("xsmincdp", (c, w) -> scalarSelect(c, w, MIN, 'c')),
            vsx("xsmaxjdp", (c, w) -> scalarSelect(c, w, MAX, 'j')),
            vsx("xsminjdp", (c, w) -> scalarSelect(c, w, MIN, 'j')),
            vsx("xvmaxdp", (c, w) -> VsxLanes.doubles(c, w, (a, b, p, st) -> maxNum(a, b, MAX, st))),
            vsx("xvmindp", (c, w) -> VsxLanes.doubles(c, w, (a, b, p, st) -> maxNum(a, b, MIN, st))),
            vsx("xvmaxsp", (c, w) -> VsxLanes.singles(c, w, (a, b, p, st) -> maxNum(a, b, MAX, st))),
            vsx("xvminsp", (c, w) -> VsxLanes.singles(c, w, (a, b, p, st) -> maxNum(a, b, MIN, st))),
            vsx("xstdivdp", (c, w) -> test(c, w, FloatingPointCompare.testDivide(c.vs.vsr[xa(w)], c.vs.vsr[xb(w)]))),
            vsx("xstsqrtdp", (c, w) -> test(c, w, FloatingPointCompare.testSquareRoot(c.vs.vsr[xb(w)]))),
            vsx("xvtdivdp", (c, w) -> vectorTest(c, w, true, false)),
            vsx("xvtsqrtdp", (c, w) -> vectorTest(c, w, false, false)),
            vsx("xvtdivsp", (c, w) -> vectorTest(c, w, true, true)),
            vsx("xvtsqrtsp", (c, w) -> vectorTest(c, w, false, true)));

    // ---- predicates ----

    /**
     * The exceptions of a predicate on a, b: VXSNAN for an SNaN; for the ordered predicates (gt,
     * ge) VXVC for a QNaN, or for an SNaN when VE=0 - as fcmpo. Returns whether the predicate holds.
     */
    private static boolean predicate(long a, long b, int kind, long fpscr, FloatStatus st) {
        int rel = FloatingPointCompare.compare(a, b);
        if (rel == FloatingPointCompare.UNORDERED) {
            boolean snan = Binary64.isSignalingNaN(a) || Binary64.isSignalingNaN(b);
            if (snan) {
                st.flags |= Fpscr.VXSNAN;
            }
            if (kind != EQ && (!snan || (fpscr & Fpscr.VE) == 0)) {
                st.flags |= Fpscr.VXVC;
            }
            return false;
        }
        return switch (kind) {
            case EQ -> rel == FloatingPointCompare.EQUAL;
            case GT -> rel == FloatingPointCompare.GREATER;
            default -> rel != FloatingPointCompare.LESS;
        };
    }

    private static int scalarPredicate(Core c, int w, int kind) {
        FloatStatus st = status(c);
        boolean r = predicate(c.vs.vsr[xa(w)], c.vs.vsr[xb(w)], kind, c.vs.fpscr, st);
        return FloatingPointUnit.completeVector(c, xt(w), r ? -1L : 0, 0, st);
    }

    /** xvcmp*dp[.], xvcmp*sp[.]: a mask per element; Rc (bit 21) sets CR6 to all-true 0 all-false 0. */
    private static int vectorPredicate(Core c, int w, int kind, boolean single) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int a = xa(w), b = xb(w);
        long hi, lo;
        boolean any, all;
        if (single) {
            int[] m = new int[4];
            any = false;
            all = true;
            for (int i = 0; i < 4; i++) {
                boolean r = predicate(VsxLanes.wide(VsxLanes.word(v, a, i)), VsxLanes.wide(VsxLanes.word(v, b, i)), kind,
                        c.vs.fpscr, st);
                m[i] = r ? -1 : 0;
                any |= r;
                all &= r;
            }
            hi = VsxLanes.pair(m[0], m[1]);
            lo = VsxLanes.pair(m[2], m[3]);
        } else {
            boolean r0 = predicate(v[a], v[b], kind, c.vs.fpscr, st);
            boolean r1 = predicate(v[a + 1], v[b + 1], kind, c.vs.fpscr, st);
            hi = r0 ? -1L : 0;
            lo = r1 ? -1L : 0;
            any = r0 | r1;
            all = r0 & r1;
        }
        if ((w & 0x400) != 0) {
            c.cr = ConditionRegister.withField(c.cr, 6, (all ? 8 : 0) | (any ? 0 : 2));
        }
        return FloatingPointUnit.completeVector(c, xt(w), hi, lo, st);
    }

    /**
     * xscmpexpdp: the biased exponents of doubleword 0 of XA and XB compared (unordered when either
     * is a NaN) into CR[BF] and FPSCR[FPCC]; no exception.
     */
    static int xscmpexpdp(Core c, int w) {
        long a = c.vs.vsr[xa(w)], b = c.vs.vsr[xb(w)];
        int rel;
        if (Binary64.isNaN(a) || Binary64.isNaN(b)) {
            rel = FloatingPointCompare.UNORDERED;
        } else {
            int ea = Binary64.biasedExponent(a), eb = Binary64.biasedExponent(b);
            rel = ea < eb ? FloatingPointCompare.LESS : ea > eb ? FloatingPointCompare.GREATER : FloatingPointCompare.EQUAL;
        }
        c.cr = ConditionRegister.withField(c.cr, (w >>> 23) & 7, rel);
        c.vs.fpscr = (c.vs.fpscr & ~(long) Fpscr.FPCC) | ((long) rel << 12);
        return Core.OK;
    }

    // ---- maximum and minimum ----

    /**
     * xsmaxdp/xsmindp and the vector forms: IEEE 754-2008 maxNum/minNum. A QNaN against a number
     * gives the number; otherwise a NaN operand gives the first NaN quieted, with VXSNAN for any
     * SNaN. +0 is greater than -0.
     */
    static long maxNum(long a, long b, int which, FloatStatus st) {
        boolean na = Binary64.isNaN(a), nb = Binary64.isNaN(b);
        if (na || nb) {
            boolean snan = Binary64.isSignalingNaN(a) || Binary64.isSignalingNaN(b);
            if (snan) {
                st.flags |= Fpscr.VXSNAN;
            } else if (!(na && nb)) {
                return na ? b : a;
            }
            return Binary64.quiet(na ? a : b);
        }
        boolean aFirst = which == MAX ? order(a) >= order(b) : order(a) <= order(b);
        return aFirst ? a : b;
    }

    /** A total order on non-NaN values in which -0 is below +0. */
    private static long order(long x) {
        return x < 0 ? -(x & ~Binary64.SIGN) - 1 : x;
    }

    /**
     * The "c" forms: a NaN operand gives XB as it is, and an ordinary comparison otherwise (XA
     * when XA > XB for max, XA < XB for min; else XB, so equal zeros give XB). The "j" forms: a
     * NaN in XA gives XA, else a NaN in XB gives XB (unchanged); max(+0, -0) is +0 and min -0.
     * Both raise VXSNAN for an SNaN they look at.
     */
    private static int scalarSelect(Core c, int w, int which, char style) {
        FloatStatus st = status(c);
        long a = c.vs.vsr[xa(w)], b = c.vs.vsr[xb(w)];
        long r;
        if (style == 'n') {
            r = maxNum(a, b, which, st);
        } else if (style == 'c') {
            if (Binary64.isNaN(a) || Binary64.isNaN(b)) {
                if (Binary64.isSignalingNaN(a) || Binary64.isSignalingNaN(b)) st.flags |= Fpscr.VXSNAN;
                r = b;
            } else {
                int rel = FloatingPointCompare.compare(a, b);
                r = (which == MAX ? rel == FloatingPointCompare.GREATER : rel == FloatingPointCompare.LESS) ? a : b;
            }
        } else if (Binary64.isNaN(a)) {
            if (Binary64.isSignalingNaN(a)) st.flags |= Fpscr.VXSNAN;
            r = a;
        } else if (Binary64.isNaN(b)) {
            if (Binary64.isSignalingNaN(b)) st.flags |= Fpscr.VXSNAN;
            r = b;
        } else {
            boolean aFirst = which == MAX ? order(a) >= order(b) : order(a) <= order(b);
            r = aFirst ? a : b;
        }
        return FloatingPointUnit.completeVector(c, xt(w), r, 0, st);
    }

    // ---- software divide and square root tests ----

    private static int test(Core c, int w, int field) {
        c.cr = ConditionRegister.withField(c.cr, (w >>> 23) & 7, field);
        return Core.OK;
    }

    /** xvtdiv*, xvtsqrt*: CR[BF] = 0b1 || fg || fe || 0b0, fg and fe ORed over the elements. */
    private static int vectorTest(Core c, int w, boolean divide, boolean single) {
        long[] v = c.vs.vsr;
        int a = xa(w), b = xb(w);
        int field = 8;
        for (int i = 0; i < (single ? 4 : 2); i++) {
            if (single) {
                int sa = VsxLanes.word(v, a, i), sb = VsxLanes.word(v, b, i);
                field |= divide ? SingleTests.testDivide(sa, sb) : SingleTests.testSquareRoot(sb);
            } else {
                field |= divide ? FloatingPointCompare.testDivide(v[a + i], v[b + i])
                        : FloatingPointCompare.testSquareRoot(v[b + i]);
            }
        }
        return test(c, w, field);
    }

    /** ftdiv's and ftsqrt's tests on single-format elements, with single's exponent limits. */
    static final class SingleTests {
        private SingleTests() {
        }

        private static int exp(int x) {
            return ((x >>> 23) & 0xFF) - 127;
        }

        private static boolean nan(int x) {
            return (x & 0x7FFF_FFFF) > 0x7F80_0000;
        }

        private static boolean inf(int x) {
            return (x & 0x7FFF_FFFF) == 0x7F80_0000;
        }

        private static boolean zero(int x) {
            return (x & 0x7FFF_FFFF) == 0;
        }

        private static boolean zeroOrDenormal(int x) {
            return (x & 0x7F80_0000) == 0;
        }

        static int testDivide(int a, int b) {
            boolean fe = false, fg = false;
            if (inf(a) || inf(b) || zero(b)) {
                fe = fg = true;
            } else {
                int ea = exp(a), eb = exp(b);
                if (nan(a) || nan(b) || eb <= -126 || eb >= 125) {
                    fe = true;
                } else if (!zero(a) && (ea - eb >= 127 || ea - eb <= -125 || ea <= -103)) {
                    fe = true;
                }
                fg = zeroOrDenormal(b);
            }
            return 8 | (fg ? 4 : 0) | (fe ? 2 : 0);
        }

        static int testSquareRoot(int b) {
            boolean fe = false, fg = false;
            if (inf(b) || zero(b)) {
                fe = fg = true;
            } else {
                fe = nan(b) || b < 0 || exp(b) <= -103;
                fg = zeroOrDenormal(b);
            }
            return 8 | (fg ? 4 : 0) | (fe ? 2 : 0);
        }
    }
}
