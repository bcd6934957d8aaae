package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FloatingPointUnit.completeVector;
import static jvisor.hw.power.cpu.FloatingPointUnit.completeVsx;
import static jvisor.hw.power.cpu.FloatingPointUnit.status;
import static jvisor.hw.power.cpu.VsxInstructions.vsx;
import static jvisor.hw.power.cpu.VsxInstructions.xb;
import static jvisor.hw.power.cpu.VsxInstructions.xt;
import static jvisor.hw.power.cpu.VsxLanes.narrow;
import static jvisor.hw.power.cpu.VsxLanes.pair;
import static jvisor.hw.power.cpu.VsxLanes.wide;
import static jvisor.hw.power.cpu.VsxLanes.word;

import java.util.List;
import jvisor.hw.power.cpu.fpu.Binary64;
import jvisor.hw.power.cpu.fpu.FloatStatus;
import jvisor.hw.power.cpu.fpu.FloatingPointConversions;
import jvisor.hw.power.cpu.fpu.Fpscr;
import jvisor.hw.power.cpu.fpu.Precision;

/**
 * VSX conversions between double, single and half precision and to and from integer words and
 * doublewords (ISA 3.0B 7.6.1), scalar and vector. Results the ISA 3.0B leaves undefined in the
 * other word of a doubleword (xscvdpsp, xscvdpsxws, xvcvdpsp, xvcvsxdsp, xvcvdpsxws ...) are the
 * result repeated, as every processor implementing them writes it (Power ISA 3.1 makes that
 * architectural); scalar results clear doubleword 1. Conversions to integer truncate; the
 * vector forms leave FR, FI and FPRF alone, the scalar ones set FR and FI and leave FPRF.
 */
final class VsxConvert {
    private VsxConvert() {
    }

    private static final Precision D = Precision.DOUBLE, S = Precision.SINGLE, H = Precision.HALF;

    static final List<InstructionSpec> SPECS = List.of(
            vsx("xscvdpsp", VsxConvert::xscvdpsp),
            vsx("xscvspdp", (c, w) -> scalarToDouble(c, w, (int) (c.vs.vsr[xb(w)] >>> 32), false)),
            vsx("xscvhpdp", (c, w) -> scalarToDouble(c, w, (int) c.vs.vsr[xb(w)] & 0xFFFF, true)),
            vsx("xscvdphp", VsxConvert::xscvdphp),
            vsx("xscvdpsxws", (c, w) -> scalarToWord(c, w, true)),
            vsx("xscvdpuxws", (c, w) -> scalarToWord(c, w, false)),
            vsx("xvcvdpsp", (c, w) -> doublesToWords(c, w, (x, st) -> narrow(FloatingPointConversions.roundTo(x, S, st)))),
            vsx("xvcvdpsxws", (c, w) -> doublesToWords(c, w, (x, st) -> (int) toInt(x, 32, true, st))),
            vsx("xvcvdpuxws", (c, w) -> doublesToWords(c, w, (x, st) -> (int) toInt(x, 32, false, st))),
            vsx("xvcvsxddp", (c, w) -> doublewords(c, w, (x, st) -> FloatingPointConversions.fromInteger(x, true, D, st))),
            vsx("xvcvuxddp", (c, w) -> doublewords(c, w, (x, st) -> FloatingPointConversions.fromInteger(x, false, D, st))),
            vsx("xvcvdpsxds", (c, w) -> doublewords(c, w, (x, st) -> toInt(x, 64, true, st))),
            vsx("xvcvdpuxds", (c, w) -> doublewords(c, w, (x, st) -> toInt(x, 64, false, st))),
            vsx("xvcvsxdsp", (c, w) -> doublesToWords(c, w, (x, st) -> narrow(FloatingPointConversions.fromInteger(x, true, S, st)))),
            vsx("xvcvuxdsp", (c, w) -> doublesToWords(c, w, (x, st) -> narrow(FloatingPointConversions.fromInteger(x, false, S, st)))),
            vsx("xvcvspdp", (c, w) -> evenWordsToDoubles(c, w, (x, st) -> quietWidened(wide(x), st))),
            vsx("xvcvspsxds", (c, w) -> evenWordsToDoubles(c, w, (x, st) -> toInt(wide(x), 64, true, st))),
            vsx("xvcvspuxds", (c, w) -> evenWordsToDoubles(c, w, (x, st) -> toInt(wide(x), 64, false, st))),
            vsx("xvcvsxwdp", (c, w) -> evenWordsToDoubles(c, w, (x, st) -> FloatingPointConversions.fromInteger(x, true, D, st))),
            vsx("xvcvuxwdp", (c, w) -> evenWordsToDoubles(c, w, (x, st) -> FloatingPointConversions.fromInteger(x & 0xFFFF_FFFFL, false, D, st))),
            vsx("xvcvspsxws", (c, w) -> words(c, w, (x, st) -> (int) toInt(wide(x), 32, true, st))),
            vsx("xvcvspuxws", (c, w) -> words(c, w, (x, st) -> (int) toInt(wide(x), 32, false, st))),
            vsx("xvcvsxwsp", (c, w) -> words(c, w, (x, st) -> narrow(FloatingPointConversions.fromInteger(x, true, S, st)))),
            vsx("xvcvuxwsp", (c, w) -> words(c, w, (x, st) -> narrow(FloatingPointConversions.fromInteger(x & 0xFFFF_FFFFL, false, S, st)))),
            vsx("xvcvhpsp", (c, w) -> words(c, w, (x, st) -> narrow(quietWidened(FloatingPointConversions.halfToDouble(x & 0xFFFF), st)))),
            vsx("xvcvsphp", (c, w) -> words(c, w, (x, st) -> FloatingPointConversions.doubleToHalf(FloatingPointConversions.roundTo(wide(x), H, st)))));

    @FunctionalInterface
    private interface ToWord {
        int apply(long x, FloatStatus st);
    }

    @FunctionalInterface
    private interface FromWord {
        long apply(int x, FloatStatus st);
    }

    @FunctionalInterface
    private interface ToDoubleword {
        long apply(long x, FloatStatus st);
    }

    @FunctionalInterface
    private interface WordToWord {
        int apply(int x, FloatStatus st);
    }

    private static long toInt(long x, int bits, boolean signed, FloatStatus st) {
        return FloatingPointConversions.toInteger(x, bits, signed, Fpscr.ROUND_TOWARD_ZERO, st);
    }

    /** A value widened from a narrower format, an SNaN made quiet with VXSNAN (xscvspdp, xvcvspdp, xvcvhpsp). */
    private static long quietWidened(long x, FloatStatus st) {
        if (Binary64.isSignalingNaN(x)) {
            st.flags |= Fpscr.VXSNAN;
            return Binary64.quiet(x);
        }
        return x;
    }

    // ---- scalar ----

    static int xscvdpsp(Core c, int w) {
        FloatStatus st = status(c);
        long r = FloatingPointConversions.roundTo(c.vs.vsr[xb(w)], S, st);
        long s = narrow(r) & 0xFFFF_FFFFL;
        return completeVsx(c, xt(w), s << 32 | s, r, st, S);
    }

    static int xscvdphp(Core c, int w) {
        FloatStatus st = status(c);
        long r = FloatingPointConversions.roundTo(c.vs.vsr[xb(w)], H, st);
        return completeVsx(c, xt(w), FloatingPointConversions.doubleToHalf(r) & 0xFFFFL, r, st, H);
    }

    /** xscvspdp (word 0 of XB in single format), xscvhpdp (bits 48:63 in half format). */
    private static int scalarToDouble(Core c, int w, int x, boolean half) {
        FloatStatus st = status(c);
        long d = half ? FloatingPointConversions.halfToDouble(x) : wide(x);
        return completeVsx(c, xt(w), quietWidened(d, st), st, D);
    }

    private static int scalarToWord(Core c, int w, boolean signed) {
        FloatStatus st = status(c);
        long r = toInt(c.vs.vsr[xb(w)], 32, signed, st) & 0xFFFF_FFFFL;
        return completeVsx(c, xt(w), r << 32 | r, r << 32 | r, st, FloatingPointUnit.KEEP_FPRF);
    }

    // ---- vector ----

    /** Doubleword i of XB to word 2i of XT, repeated in word 2i + 1. */
    private static int doublesToWords(Core c, int w, ToWord f) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int b = xb(w);
        int r0 = f.apply(v[b], st), r1 = f.apply(v[b + 1], st);
        return completeVector(c, xt(w), pair(r0, r0), pair(r1, r1), st);
    }

    private static int doublewords(Core c, int w, ToDoubleword f) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int b = xb(w);
        long r0 = f.apply(v[b], st), r1 = f.apply(v[b + 1], st);
        return completeVector(c, xt(w), r0, r1, st);
    }

    /** Word 2i of XB to doubleword i of XT. */
    private static int evenWordsToDoubles(Core c, int w, FromWord f) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int b = xb(w);
        long r0 = f.apply(word(v, b, 0), st), r1 = f.apply(word(v, b, 2), st);
        return completeVector(c, xt(w), r0, r1, st);
    }

    private static int words(Core c, int w, WordToWord f) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int b = xb(w);
        int[] r = new int[4];
        for (int i = 0; i < 4; i++) {
            r[i] = f.apply(word(v, b, i), st);
        }
        return completeVector(c, xt(w), pair(r[0], r[1]), pair(r[2], r[3]), st);
    }
}
