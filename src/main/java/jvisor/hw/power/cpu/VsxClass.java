package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VsxInstructions.put;
import static jvisor.hw.power.cpu.VsxInstructions.vsx;
import static jvisor.hw.power.cpu.VsxInstructions.xa;
import static jvisor.hw.power.cpu.VsxInstructions.xb;
import static jvisor.hw.power.cpu.VsxInstructions.xt;

import java.util.List;
import jvisor.hw.power.cpu.fpu.FloatingPointConversions;
import jvisor.hw.power.cpu.fpu.Fpscr;

/**
 * The VSX data-class tests and the exponent and significand moves (ISA 3.0B 7.6.1): xststdcdp,
 * xststdcsp, xvtstdcdp, xvtstdcsp; xsxexpdp, xsxsigdp, xsiexpdp and the vector xvxexp*, xvxsig*,
 * xviexp*. None of them raises an exception or reads FPSCR[RN].
 *
 * <p>The data-class mask DCMX has one bit per class: 0x40 NaN, 0x20 +infinity, 0x10 -infinity,
 * 0x08 +zero, 0x04 -zero, 0x02 +denormal, 0x01 -denormal.
 */
final class VsxClass {
    private VsxClass() {
    }

    static final List<InstructionSpec> SPECS = List.of(
            vsx("xststdcdp", (c, w) -> scalarTest(c, w, false)),
            vsx("xststdcsp", (c, w) -> scalarTest(c, w, true)),
            vsx("xvtstdcdp", (c, w) -> vectorTest(c, w, false)),
            vsx("xvtstdcsp", (c, w) -> vectorTest(c, w, true)),
            vsx("xsxexpdp", (c, w) -> toGpr(c, w, (c.vs.vsr[xb(w)] >>> 52) & 0x7FF)),
            vsx("xsxsigdp", (c, w) -> toGpr(c, w, significandD(c.vs.vsr[xb(w)]))),
            vsx("xsiexpdp", VsxClass::xsiexpdp),
            vsx("xvxexpdp", (c, w) -> doublewords(c, w, x -> (x >>> 52) & 0x7FF)),
            vsx("xvxsigdp", (c, w) -> doublewords(c, w, VsxClass::significandD)),
            vsx("xvxexpsp", (c, w) -> doublewords(c, w, x -> words(x, y -> (y >>> 23) & 0xFF))),
            vsx("xvxsigsp", (c, w) -> doublewords(c, w, x -> words(x, VsxClass::significandS))),
            vsx("xviexpdp", VsxClass::xviexpdp),
            vsx("xviexpsp", VsxClass::xviexpsp));

    /** The class bit of DCMX that a double-format value (or, with {@code single}, a single-format one) falls in. */
    static int classBit(long x, boolean single) {
        boolean neg = single ? (x & 0x8000_0000L) != 0 : x < 0;
        int e, emax;
        long frac;
        if (single) {
            e = (int) (x >>> 23) & 0xFF;
            emax = 0xFF;
            frac = x & 0x7F_FFFFL;
        } else {
            e = (int) (x >>> 52) & 0x7FF;
            emax = 0x7FF;
            frac = x & ((1L << 52) - 1);
        }
        if (e == emax) {
            return frac != 0 ? 0x40 : neg ? 0x10 : 0x20;
        }
        if (e == 0) {
            return frac == 0 ? (neg ? 0x04 : 0x08) : (neg ? 0x01 : 0x02);
        }
        return 0;
    }

    /**
     * xststdcdp / xststdcsp: CR[BF] and FPCC = 0b0 || sign || match || 0b0. xststdcsp tests the
     * double-format value as a single: a value below single's normal range is denormal, and the
     * last bit says the value is not exactly representable in single format.
     */
    private static int scalarTest(Core c, int w, boolean single) {
        long x = c.vs.vsr[xb(w)];
        int dcmx = (w >>> 16) & 0x7F;
        int bit = classBit(x, false);
        int e = (int) (x >>> 52) & 0x7FF;
        if (single && bit == 0 && e < 1023 - 126) {
            bit = x < 0 ? 0x01 : 0x02;
        }
        int field = (x < 0 ? 8 : 0) | ((dcmx & bit) != 0 ? 2 : 0);
        if (single) {
            long back = FloatingPointConversions.singleToDouble(FloatingPointConversions.doubleToSingle(x));
            field |= back != x ? 1 : 0;
        }
        c.cr = ConditionRegister.withField(c.cr, (w >>> 23) & 7, field);
        c.vs.fpscr = (c.vs.fpscr & ~(long) Fpscr.FPCC) | ((long) field << 12);
        return Core.OK;
    }

    /** xvtstdc*: DCMX = dc (bit 25) || dm (bit 29) || dx (bits 11:15); all ones per matching element. */
    private static int vectorTest(Core c, int w, boolean single) {
        int dcmx = ((w >>> 6) & 1) << 6 | ((w >>> 2) & 1) << 5 | ((w >>> 16) & 31);
        long[] v = c.vs.vsr;
        int b = xb(w);
        long[] r = new long[2];
        for (int i = 0; i < 2; i++) {
            long x = v[b + i];
            if (single) {
                long hi = (dcmx & classBit(x >>> 32, true)) != 0 ? 0xFFFF_FFFF_0000_0000L : 0;
                long lo = (dcmx & classBit(x & 0xFFFF_FFFFL, true)) != 0 ? 0xFFFF_FFFFL : 0;
                r[i] = hi | lo;
            } else {
                r[i] = (dcmx & classBit(x, false)) != 0 ? -1L : 0;
            }
        }
        put(c, xt(w), r[0], r[1]);
        return Core.OK;
    }

    /** The significand with its implicit bit, which is 0 for zeros, denormals, infinities and NaNs. */
    private static long significandD(long x) {
        long e = (x >>> 52) & 0x7FF;
        long frac = x & ((1L << 52) - 1);
        return e == 0 || e == 0x7FF ? frac : frac | 1L << 52;
    }

    private static long significandS(long x) {
        long e = (x >>> 23) & 0xFF;
        long frac = x & 0x7F_FFFFL;
        return e == 0 || e == 0xFF ? frac : frac | 1L << 23;
    }

    private static int toGpr(Core c, int w, long v) {
        c.gpr[(w >>> 21) & 31] = v;
        return Core.OK;
    }

    private static int doublewords(Core c, int w, java.util.function.LongUnaryOperator f) {
        long[] v = c.vs.vsr;
        int b = xb(w);
        put(c, xt(w), f.applyAsLong(v[b]), f.applyAsLong(v[b + 1]));
        return Core.OK;
    }

    private static long words(long x, java.util.function.LongUnaryOperator f) {
        return f.applyAsLong(x >>> 32) << 32 | (f.applyAsLong(x & 0xFFFF_FFFFL) & 0xFFFF_FFFFL);
    }

    /** xsiexpdp: the sign and fraction of RA with the low 11 bits of RB as the biased exponent. */
    static int xsiexpdp(Core c, int w) {
        long ra = c.gpr[(w >>> 16) & 31], rb = c.gpr[(w >>> 11) & 31];
        put(c, xt(w), (ra & 0x800F_FFFF_FFFF_FFFFL) | (rb & 0x7FF) << 52, 0);
        return Core.OK;
    }

    static int xviexpdp(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = xa(w), b = xb(w);
        long keep = 0x800F_FFFF_FFFF_FFFFL;
        put(c, xt(w), (v[a] & keep) | (v[b] & 0x7FF) << 52, (v[a + 1] & keep) | (v[b + 1] & 0x7FF) << 52);
        return Core.OK;
    }

    static int xviexpsp(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = xa(w), b = xb(w);
        long keep = 0x807F_FFFF_807F_FFFFL, exp = 0xFFL | 0xFFL << 32;
        put(c, xt(w), (v[a] & keep) | (v[b] & exp) << 23, (v[a + 1] & keep) | (v[b + 1] & exp) << 23);
        return Core.OK;
    }
}
