package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FloatingPointUnit.completeQuad;
import static jvisor.hw.power.cpu.FloatingPointUnit.completeVsx;
import static jvisor.hw.power.cpu.FloatingPointUnit.status;
import static jvisor.hw.power.cpu.VsxInstructions.put;
import static jvisor.hw.power.cpu.VsxInstructions.vsx;

import java.util.ArrayList;
import java.util.List;
import jvisor.hw.power.cpu.fpu.Binary128;
import jvisor.hw.power.cpu.fpu.FloatStatus;
import jvisor.hw.power.cpu.fpu.FloatingPointCompare;
import jvisor.hw.power.cpu.fpu.FloatingPointConversions;
import jvisor.hw.power.cpu.fpu.Fpscr;
import jvisor.hw.power.cpu.fpu.Precision;
import jvisor.hw.power.cpu.fpu.QuadConversions;

/**
 * The VSX quad-precision instructions (ISA 3.0B 7.6.1, opcode 63 X-forms on VSR 32-63): add,
 * subtract, multiply, divide, square root, the fused multiply-add family, each also as the "o"
 * form that rounds to odd; compares, conversions to and from double and integers, rounding to
 * integral and to double-extended precision, sign moves, the exponent/significand moves and the
 * data-class test. The arithmetic is {@link Binary128}'s; these read the VRs, take FPSCR[RN]
 * (or round to odd) and end through {@link FloatingPointUnit#completeQuad}.
 */
final class VsxQuad {
    private VsxQuad() {
    }

    /** VRT, VRA, VRB (bits 6:10, 11:15, 16:20) as the index of doubleword 0 of VSR 32 + VR. */
    static int vrt(int w) {
        return 2 * (32 + ((w >>> 21) & 31));
    }

    static int vra(int w) {
        return 2 * (32 + ((w >>> 16) & 31));
    }

    static int vrb(int w) {
        return 2 * (32 + ((w >>> 11) & 31));
    }

    @FunctionalInterface
    private interface Binary {
        long[] apply(long ah, long al, long bh, long bl, int mode, FloatStatus st);
    }

    static final List<InstructionSpec> SPECS = all();

    private static List<InstructionSpec> all() {
        List<InstructionSpec> l = new ArrayList<>();
        String[] names = {"xsaddqp", "xssubqp", "xsmulqp", "xsdivqp"};
        Binary[] ops = {Binary128::add, Binary128::subtract, Binary128::multiply, Binary128::divide};
        for (int i = 0; i < 4; i++) {
            Binary f = ops[i];
            l.add(vsx(names[i], (c, w) -> binary(c, w, f, false)));
            l.add(vsx(names[i] + "o", (c, w) -> binary(c, w, f, true)));
        }
        l.add(vsx("xssqrtqp", (c, w) -> sqrt(c, w, false)));
        l.add(vsx("xssqrtqpo", (c, w) -> sqrt(c, w, true)));
        for (String op : new String[] {"madd", "msub", "nmadd", "nmsub"}) {
            boolean negateAddend = op.endsWith("sub"), negateResult = op.startsWith("n");
            l.add(vsx("xs" + op + "qp", (c, w) -> fused(c, w, negateAddend, negateResult, false)));
            l.add(vsx("xs" + op + "qpo", (c, w) -> fused(c, w, negateAddend, negateResult, true)));
        }
        l.add(vsx("xscmpuqp", (c, w) -> compare(c, w, false)));
        l.add(vsx("xscmpoqp", (c, w) -> compare(c, w, true)));
        l.add(vsx("xscmpexpqp", VsxQuad::xscmpexpqp));
        l.add(vsx("xscvdpqp", (c, w) -> quadResult(c, w, QuadConversions.fromDouble(c.vs.vsr[vrb(w)], status(c)))));
        l.add(vsx("xscvsdqp", (c, w) -> quadResult(c, w, QuadConversions.fromInteger(c.vs.vsr[vrb(w)], true, status(c)))));
        l.add(vsx("xscvudqp", (c, w) -> quadResult(c, w, QuadConversions.fromInteger(c.vs.vsr[vrb(w)], false, status(c)))));
        l.add(vsx("xscvqpdp", (c, w) -> toDouble(c, w, false)));
        l.add(vsx("xscvqpdpo", (c, w) -> toDouble(c, w, true)));
        l.add(vsx("xscvqpsdz", (c, w) -> toInteger(c, w, 64, true)));
        l.add(vsx("xscvqpswz", (c, w) -> toInteger(c, w, 32, true)));
        l.add(vsx("xscvqpudz", (c, w) -> toInteger(c, w, 64, false)));
        l.add(vsx("xscvqpuwz", (c, w) -> toInteger(c, w, 32, false)));
        l.add(vsx("xsrqpi", (c, w) -> roundToIntegral(c, w, false)));
        l.add(vsx("xsrqpix", (c, w) -> roundToIntegral(c, w, true)));
        l.add(vsx("xsrqpxp", VsxQuad::xsrqpxp));
        l.add(vsx("xsabsqp", (c, w) -> sign(c, w, ~Binary128.SIGN, 0)));
        l.add(vsx("xsnabsqp", (c, w) -> sign(c, w, -1, Binary128.SIGN)));
        l.add(vsx("xsnegqp", (c, w) -> sign(c, w, -1, 0, Binary128.SIGN)));
        l.add(vsx("xscpsgnqp", VsxQuad::xscpsgnqp));
        l.add(vsx("xsxexpqp", (c, w) -> move(c, w, Binary128.biasedExponent(c.vs.vsr[vrb(w)]), 0)));
        l.add(vsx("xsxsigqp", VsxQuad::xsxsigqp));
        l.add(vsx("xsiexpqp", VsxQuad::xsiexpqp));
        l.add(vsx("xststdcqp", VsxQuad::xststdcqp));
        return List.copyOf(l);
    }

    private static int mode(FloatStatus st, boolean odd) {
        return odd ? Binary128.ROUND_ODD : st.roundingMode;
    }

    private static int binary(Core c, int w, Binary f, boolean odd) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int a = vra(w), b = vrb(w);
        long[] r = f.apply(v[a], v[a + 1], v[b], v[b + 1], mode(st, odd), st);
        return completeQuad(c, vrt(w), r[0], r[1], st, true);
    }

    private static int sqrt(Core c, int w, boolean odd) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int b = vrb(w);
        long[] r = Binary128.squareRoot(v[b], v[b + 1], mode(st, odd), st);
        return completeQuad(c, vrt(w), r[0], r[1], st, true);
    }

    /** xsmaddqp and friends: VRA * VRB + VRT (the addend), NaNs taken in the order VRA, VRT, VRB. */
    private static int fused(Core c, int w, boolean negateAddend, boolean negateResult, boolean odd) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int a = vra(w), b = vrb(w), t = vrt(w);
        long[] r = Binary128.multiplyAdd(v[a], v[a + 1], v[b], v[b + 1], v[t], v[t + 1], negateAddend, negateResult,
                mode(st, odd), st);
        return completeQuad(c, t, r[0], r[1], st, true);
    }

    /** The result of a conversion that raised its exceptions in the core's status already. */
    private static int quadResult(Core c, int w, long[] r) {
        return completeQuad(c, vrt(w), r[0], r[1], c.vs.status, true);
    }

    private static int toDouble(Core c, int w, boolean odd) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int b = vrb(w);
        long d = QuadConversions.toDouble(v[b], v[b + 1], mode(st, odd), st);
        return completeVsx(c, vrt(w), d, st, Precision.DOUBLE);
    }

    private static int toInteger(Core c, int w, int bits, boolean signed) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int b = vrb(w);
        long r = QuadConversions.toInteger(v[b], v[b + 1], bits, signed, st);
        return completeVsx(c, vrt(w), r, st, FloatingPointUnit.KEEP_FPRF);
    }

    /**
     * The rounding mode of R (bit 15) and RMC (bits 21:22): R=0 RMC=00 to nearest away, R=0 RMC=11
     * FPSCR[RN], R=1 RMC=00..11 nearest even, toward zero, +infinity, -infinity. R=0 with RMC 01
     * or 10 is reserved; it takes FPSCR[RN] here.
     */
    static int rmcMode(int w, FloatStatus st) {
        int r = (w >>> 16) & 1, rmc = (w >>> 9) & 3;
        if (r == 1) {
            return rmc;
        }
        return rmc == 0 ? FloatingPointConversions.ROUND_NEAREST_AWAY : st.roundingMode;
    }

    private static int roundToIntegral(Core c, int w, boolean inexact) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int b = vrb(w);
        long[] r = QuadConversions.roundToIntegral(v[b], v[b + 1], rmcMode(w, st), inexact, st);
        return completeQuad(c, vrt(w), r[0], r[1], st, true);
    }

    static int xsrqpxp(Core c, int w) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int b = vrb(w);
        long[] r = QuadConversions.roundToExtended(v[b], v[b + 1], rmcMode(w, st), st);
        return completeQuad(c, vrt(w), r[0], r[1], st, true);
    }

    /**
     * xscmpuqp / xscmpoqp: CR[BF] and FPCC get the relation; VXSNAN for an SNaN, and for the
     * ordered form VXVC for a QNaN, or for an SNaN when VE=0 (as fcmpo).
     */
    private static int compare(Core c, int w, boolean ordered) {
        long[] v = c.vs.vsr;
        int a = vra(w), b = vrb(w);
        int rel = QuadConversions.compare(v[a], v[a + 1], v[b], v[b + 1]);
        long f = c.vs.fpscr;
        int flags = 0;
        if (rel == FloatingPointCompare.UNORDERED) {
            boolean snan = Binary128.isSignalingNaN(v[a], v[a + 1]) || Binary128.isSignalingNaN(v[b], v[b + 1]);
            if (snan) flags |= Fpscr.VXSNAN;
            if (ordered && (!snan || (f & Fpscr.VE) == 0)) flags |= Fpscr.VXVC;
        }
        c.cr = ConditionRegister.withField(c.cr, (w >>> 23) & 7, rel);
        f = (f & ~(long) Fpscr.FPCC) | ((long) rel << 12);
        return FloatingPointUnit.raise(c, 0, f, flags);
    }

    static int xscmpexpqp(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = vra(w), b = vrb(w);
        int rel;
        if (Binary128.isNaN(v[a], v[a + 1]) || Binary128.isNaN(v[b], v[b + 1])) {
            rel = FloatingPointCompare.UNORDERED;
        } else {
            int ea = Binary128.biasedExponent(v[a]), eb = Binary128.biasedExponent(v[b]);
            rel = ea < eb ? FloatingPointCompare.LESS : ea > eb ? FloatingPointCompare.GREATER : FloatingPointCompare.EQUAL;
        }
        c.cr = ConditionRegister.withField(c.cr, (w >>> 23) & 7, rel);
        c.vs.fpscr = (c.vs.fpscr & ~(long) Fpscr.FPCC) | ((long) rel << 12);
        return Core.OK;
    }

    private static int sign(Core c, int w, long keep, long set) {
        return sign(c, w, keep, set, 0);
    }

    private static int sign(Core c, int w, long keep, long set, long flip) {
        long[] v = c.vs.vsr;
        int b = vrb(w);
        put(c, vrt(w), ((v[b] ^ flip) & keep) | set, v[b + 1]);
        return Core.OK;
    }

    static int xscpsgnqp(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = vra(w), b = vrb(w);
        put(c, vrt(w), (v[a] & Binary128.SIGN) | (v[b] & ~Binary128.SIGN), v[b + 1]);
        return Core.OK;
    }

    private static int move(Core c, int w, long hi, long lo) {
        put(c, vrt(w), hi, lo);
        return Core.OK;
    }

    /** xsxsigqp: the 113-bit significand, the implicit bit 0 for zeros, denormals, infinities, NaNs. */
    static int xsxsigqp(Core c, int w) {
        long[] v = c.vs.vsr;
        int b = vrb(w);
        int e = Binary128.biasedExponent(v[b]);
        long implicit = e == 0 || e == 0x7FFF ? 0 : 1L << 48;
        return move(c, w, implicit | (v[b] & Binary128.FRACTION_HI), v[b + 1]);
    }

    /** xsiexpqp: the sign and fraction of VRA with bits 49:63 of VRB's doubleword 0 as the exponent. */
    static int xsiexpqp(Core c, int w) {
        long[] v = c.vs.vsr;
        int a = vra(w), b = vrb(w);
        return move(c, w, (v[a] & (Binary128.SIGN | Binary128.FRACTION_HI)) | (v[b] & 0x7FFF) << 48, v[a + 1]);
    }

    /** xststdcqp: as xststdcdp, on a quad value (DCMX bits 9:15). */
    static int xststdcqp(Core c, int w) {
        long[] v = c.vs.vsr;
        int b = vrb(w);
        long hi = v[b], lo = v[b + 1];
        int dcmx = (w >>> 16) & 0x7F;
        int e = Binary128.biasedExponent(hi);
        boolean neg = hi < 0, fracZero = ((hi & Binary128.FRACTION_HI) | lo) == 0;
        int bit = 0;
        if (e == 0x7FFF) {
            bit = !fracZero ? 0x40 : neg ? 0x10 : 0x20;
        } else if (e == 0) {
            bit = fracZero ? (neg ? 0x04 : 0x08) : (neg ? 0x01 : 0x02);
        }
        int field = (neg ? 8 : 0) | ((dcmx & bit) != 0 ? 2 : 0);
        c.cr = ConditionRegister.withField(c.cr, (w >>> 23) & 7, field);
        c.vs.fpscr = (c.vs.fpscr & ~(long) Fpscr.FPCC) | ((long) field << 12);
        return Core.OK;
    }
}
