package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VectorInstructions.elem;
import static jvisor.hw.power.cpu.VectorInstructions.nonJava;
import static jvisor.hw.power.cpu.VectorInstructions.put;
import static jvisor.hw.power.cpu.VectorInstructions.rc21;
import static jvisor.hw.power.cpu.VectorInstructions.setSat;
import static jvisor.hw.power.cpu.VectorInstructions.spec;
import static jvisor.hw.power.cpu.VectorInstructions.va;
import static jvisor.hw.power.cpu.VectorInstructions.vb;
import static jvisor.hw.power.cpu.VectorInstructions.vc;
import static jvisor.hw.power.cpu.VectorInstructions.with;

import java.util.List;

/**
 * Vector single-precision floating point (ISA 3.0B Book I 6.15). Unlike the scalar FPU it has
 * no FPSCR: results are rounded to nearest even, no exception is recorded, and the only control
 * is VSCR[NJ]. With NJ=1 a denormal source is taken as a zero of its sign and a denormal result
 * is replaced by a zero of its sign. A NaN source gives the first NaN of VRA, VRB, VRC, quieted;
 * an invalid operation gives the default QNaN 0x7FC00000.
 *
 * <p>The estimates: vrefp and vrsqrtefp give the correctly rounded 1/x and 1/round(sqrt(x)) (as
 * QEMU computes them; POWER9 hardware returns a table-based estimate within the ISA's 1/4096
 * relative error, which differs in the low bits). vexptefp and vlogefp give the correctly rounded
 * 2^x and log2(x); the ISA asks only for a relative error below 1/16, and POWER9 hardware and
 * QEMU (a truncated series) each return their own low bits.
 */
final class VectorFloat {
    private VectorFloat() {
    }

    static final int DEFAULT_NAN = 0x7FC0_0000;

    private static InstructionSpec vx(String m, int xo, InstructionSpec.Body b) {
        return spec(m, Encoding.vx(4, xo), b);
    }

    private static InstructionSpec vcmp(String m, int xo, InstructionSpec.Body b) {
        return spec(m, Encoding.vc(4, xo), b);
    }

    @FunctionalInterface
    interface FloatOp {
        float apply(float a, float b);
    }

    /** Rounding of vrfi*. */
    private static final int NEAREST = 0, ZERO = 1, UP = 2, DOWN = 3;

    static final List<InstructionSpec> SPECS = List.of(
            vx("vaddfp", 10, (c, w) -> arithmetic(c, w, (a, b) -> a + b)),
            vx("vsubfp", 74, (c, w) -> arithmetic(c, w, (a, b) -> a - b)),
            spec("vmaddfp", Encoding.va(4, 46), (c, w) -> multiplyAdd(c, w, false)),
            spec("vnmsubfp", Encoding.va(4, 47), (c, w) -> multiplyAdd(c, w, true)),
            vx("vmaxfp", 1034, (c, w) -> maxMin(c, w, true)),
            vx("vminfp", 1098, (c, w) -> maxMin(c, w, false)),
            vx("vrefp", 266, (c, w) -> estimate(c, w, x -> 1.0f / x)),
            vx("vrsqrtefp", 330, (c, w) -> estimate(c, w, x -> 1.0f / (float) Math.sqrt(x))),
            vx("vexptefp", 394, (c, w) -> estimate(c, w, VectorFloat::exp2)),
            vx("vlogefp", 458, (c, w) -> estimate(c, w, VectorFloat::log2)),
            vx("vrfin", 522, (c, w) -> roundToIntegral(c, w, NEAREST)),
            vx("vrfiz", 586, (c, w) -> roundToIntegral(c, w, ZERO)),
            vx("vrfip", 650, (c, w) -> roundToIntegral(c, w, UP)),
            vx("vrfim", 714, (c, w) -> roundToIntegral(c, w, DOWN)),
            vx("vcfux", 778, (c, w) -> convertFromInteger(c, w, false)),
            vx("vcfsx", 842, (c, w) -> convertFromInteger(c, w, true)),
            vx("vctuxs", 906, (c, w) -> convertToInteger(c, w, false)),
            vx("vctsxs", 970, (c, w) -> convertToInteger(c, w, true)),
            vcmp("vcmpeqfp", 198, (c, w) -> compare(c, w, (a, b) -> a == b)),
            vcmp("vcmpgefp", 454, (c, w) -> compare(c, w, (a, b) -> a >= b)),
            vcmp("vcmpgtfp", 710, (c, w) -> compare(c, w, (a, b) -> a > b)),
            vcmp("vcmpbfp", 966, VectorFloat::vcmpbfp));

    static boolean isNaN(int x) {
        return (x & 0x7FFF_FFFF) > 0x7F80_0000;
    }

    static int quiet(int x) {
        return x | 0x0040_0000;
    }

    static boolean isDenormal(int x) {
        return (x & 0x7F80_0000) == 0 && (x & 0x007F_FFFF) != 0;
    }

    /** A denormal as a zero of its sign, when NJ=1. */
    private static int flush(boolean nj, int x) {
        return nj && isDenormal(x) ? x & 0x8000_0000 : x;
    }

    /** The result of an operation that had no NaN source: default NaN for an invalid one, flushed under NJ. */
    private static int result(boolean nj, float r) {
        int bits = Float.floatToRawIntBits(r);
        return isNaN(bits) ? DEFAULT_NAN : flush(nj, bits);
    }

    private static float f(int bits) {
        return Float.intBitsToFloat(bits);
    }

    private static int word(long hi, long lo, int i) {
        return (int) elem(hi, lo, 32, i);
    }

    private static void putWords(Core c, int w, int[] r) {
        put(c, w, ((long) r[0] << 32) | (r[1] & 0xFFFF_FFFFL), ((long) r[2] << 32) | (r[3] & 0xFFFF_FFFFL));
    }

    private static int arithmetic(Core c, int w, FloatOp op) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        boolean nj = nonJava(c);
        int[] r = new int[4];
        for (int i = 0; i < 4; i++) {
            int x = flush(nj, word(v[a], v[a + 1], i)), y = flush(nj, word(v[b], v[b + 1], i));
            if (isNaN(x)) r[i] = quiet(x);
            else if (isNaN(y)) r[i] = quiet(y);
            else r[i] = result(nj, op.apply(f(x), f(y)));
        }
        putWords(c, w, r);
        return Core.OK;
    }

    /** vmaddfp: VRA * VRC + VRB fused; vnmsubfp: -(VRA * VRC - VRB). NaN precedence A, B, C. */
    private static int multiplyAdd(Core c, int w, boolean negate) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w), cc = vc(w);
        boolean nj = nonJava(c);
        int[] r = new int[4];
        for (int i = 0; i < 4; i++) {
            int x = flush(nj, word(v[a], v[a + 1], i)), y = flush(nj, word(v[b], v[b + 1], i));
            int z = flush(nj, word(v[cc], v[cc + 1], i));
            if (isNaN(x)) r[i] = quiet(x);
            else if (isNaN(y)) r[i] = quiet(y);
            else if (isNaN(z)) r[i] = quiet(z);
            else if (negate) r[i] = result(nj, -Math.fma(f(x), f(z), -f(y)));
            else r[i] = result(nj, Math.fma(f(x), f(z), f(y)));
        }
        putWords(c, w, r);
        return Core.OK;
    }

    /** vmaxfp/vminfp: +0 is greater than -0; a NaN source gives that NaN (VRA first), quieted. */
    private static int maxMin(Core c, int w, boolean max) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        boolean nj = nonJava(c);
        int[] r = new int[4];
        for (int i = 0; i < 4; i++) {
            int x = flush(nj, word(v[a], v[a + 1], i)), y = flush(nj, word(v[b], v[b + 1], i));
            if (isNaN(x)) r[i] = quiet(x);
            else if (isNaN(y)) r[i] = quiet(y);
            else {
                float fx = f(x), fy = f(y);
                boolean xWins;
                if (fx == fy) xWins = max ? x >= 0 : x < 0; // equal values differ only in the sign of zero
                else xWins = max ? fx > fy : fx < fy;
                r[i] = xWins ? x : y;
            }
        }
        putWords(c, w, r);
        return Core.OK;
    }

    @FunctionalInterface
    interface UnaryFloat {
        float apply(float x);
    }

    private static int estimate(Core c, int w, UnaryFloat op) {
        long[] v = c.vs.vsr;
        int b = vb(w);
        boolean nj = nonJava(c);
        int[] r = new int[4];
        for (int i = 0; i < 4; i++) {
            int x = flush(nj, word(v[b], v[b + 1], i));
            r[i] = isNaN(x) ? quiet(x) : result(nj, op.apply(f(x)));
        }
        putWords(c, w, r);
        return Core.OK;
    }

    static float exp2(float x) {
        if (x == Float.NEGATIVE_INFINITY) return 0.0f;
        return (float) Math.pow(2.0, x);
    }

    static float log2(float x) {
        if (x < 0) return Float.NaN;
        if (x == 0) return Float.NEGATIVE_INFINITY;
        if (x == Float.POSITIVE_INFINITY) return x;
        int e = Math.getExponent(x);
        double m;
        if (e < Float.MIN_EXPONENT) { // denormal: scale into the normal range first
            double d = x * 0x1p30;
            e = Math.getExponent(d);
            m = d / Math.scalb(1.0, e);
            e -= 30;
        } else {
            m = x / Math.scalb(1.0f, e);
        }
        return (float) (e + Math.log(m) / Math.log(2.0));
    }

    private static int roundToIntegral(Core c, int w, int mode) {
        long[] v = c.vs.vsr;
        int b = vb(w);
        boolean nj = nonJava(c);
        int[] r = new int[4];
        for (int i = 0; i < 4; i++) {
            int x = flush(nj, word(v[b], v[b + 1], i));
            if (isNaN(x)) {
                r[i] = quiet(x);
                continue;
            }
            float fx = f(x);
            double d = switch (mode) {
                case NEAREST -> Math.rint(fx);
                case ZERO -> fx < 0 ? Math.ceil(fx) : Math.floor(fx);
                case UP -> Math.ceil(fx);
                default -> Math.floor(fx);
            };
            // Math keeps the sign of zero results (-0.3 rounds to -0.0), as the ISA does.
            r[i] = Float.floatToRawIntBits((float) d);
        }
        putWords(c, w, r);
        return Core.OK;
    }

    /** vcfux/vcfsx: each word as an unsigned/signed integer divided by 2^UIM, rounded to nearest. */
    private static int convertFromInteger(Core c, int w, boolean signed) {
        long[] v = c.vs.vsr;
        int b = vb(w), uim = (w >>> 16) & 31;
        int[] r = new int[4];
        for (int i = 0; i < 4; i++) {
            long x = elem(v[b], v[b + 1], 32, i);
            double d = signed ? (int) x : x;          // exact: at most 32 significant bits
            r[i] = Float.floatToRawIntBits((float) Math.scalb(d, -uim)); // one rounding, to single
        }
        putWords(c, w, r);
        return Core.OK;
    }

    /**
     * vctuxs/vctsxs: each element times 2^UIM, truncated toward zero and saturated to the word
     * range (VSCR[SAT] on saturation); a NaN gives 0 without SAT.
     */
    private static int convertToInteger(Core c, int w, boolean signed) {
        long[] v = c.vs.vsr;
        int b = vb(w), uim = (w >>> 16) & 31;
        boolean nj = nonJava(c), sat = false;
        int[] r = new int[4];
        for (int i = 0; i < 4; i++) {
            int x = flush(nj, word(v[b], v[b + 1], i));
            if (isNaN(x)) {
                r[i] = 0;
                continue;
            }
            double d = Math.scalb((double) f(x), uim); // exact
            double t = d < 0 ? Math.ceil(d) : Math.floor(d);
            double min = signed ? -0x1p31 : 0, max = signed ? 0x1p31 - 1 : 0x1p32 - 1;
            double s = t < min ? min : t > max ? max : t;
            sat |= s != t;
            r[i] = (int) (long) s;
        }
        putWords(c, w, r);
        if (sat) setSat(c);
        return Core.OK;
    }

    @FunctionalInterface
    interface FloatPredicate {
        boolean test(float a, float b);
    }

    /** vcmpeqfp/vcmpgefp/vcmpgtfp: false for unordered; Rc sets CR6 as the integer compares do. */
    private static int compare(Core c, int w, FloatPredicate p) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        boolean nj = nonJava(c), all = true, none = true;
        long hi = 0, lo = 0;
        for (int i = 0; i < 4; i++) {
            int x = flush(nj, word(v[a], v[a + 1], i)), y = flush(nj, word(v[b], v[b + 1], i));
            boolean t = p.test(f(x), f(y)); // Java's comparisons are false for NaN
            all &= t;
            none &= !t;
            if (t) {
                if (i < 2) hi = with(hi, 32, i, 0xFFFF_FFFFL);
                else lo = with(lo, 32, i - 2, 0xFFFF_FFFFL);
            }
        }
        put(c, w, hi, lo);
        if (rc21(w)) c.setCrField(6, (all ? 8 : 0) | (none ? 2 : 0));
        return Core.OK;
    }

    /**
     * vcmpbfp: bit 0 of each word set when VRA is not <= VRB, bit 1 when VRA is not >= -VRB
     * (both for NaN); with Rc, CR6 bit 2 says every element was within its bounds.
     */
    private static int vcmpbfp(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        boolean nj = nonJava(c), allIn = true;
        int[] r = new int[4];
        for (int i = 0; i < 4; i++) {
            float x = f(flush(nj, word(v[a], v[a + 1], i))), y = f(flush(nj, word(v[b], v[b + 1], i)));
            int bits = (x <= y ? 0 : 0x8000_0000) | (x >= -y ? 0 : 0x4000_0000);
            allIn &= bits == 0;
            r[i] = bits;
        }
        putWords(c, w, r);
        if (rc21(w)) c.setCrField(6, allIn ? 2 : 0);
        return Core.OK;
    }
}
