package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FloatingPointUnit.completeVector;
import static jvisor.hw.power.cpu.FloatingPointUnit.status;
import static jvisor.hw.power.cpu.VsxInstructions.xa;
import static jvisor.hw.power.cpu.VsxInstructions.xb;
import static jvisor.hw.power.cpu.VsxInstructions.xt;

import jvisor.hw.power.cpu.fpu.FloatStatus;
import jvisor.hw.power.cpu.fpu.FloatingPointConversions;
import jvisor.hw.power.cpu.fpu.Precision;

/**
 * How the VSX vector floating-point instructions (ISA 3.0B 7.6.1) take their elements: two
 * doublewords in double format, or four words in single format, each computed on the scalar
 * unit's IEEE core (a single is widened to double format exactly, computed with
 * {@link Precision#SINGLE} and narrowed back exactly). The exceptions of all elements are
 * gathered in one {@link FloatStatus} and the instruction ends through
 * {@link FloatingPointUnit#completeVector}.
 */
final class VsxLanes {
    private VsxLanes() {
    }

    static final Precision D = Precision.DOUBLE, S = Precision.SINGLE;

    @FunctionalInterface
    interface Unary {
        long apply(long b, Precision p, FloatStatus st);
    }

    @FunctionalInterface
    interface Binary {
        long apply(long a, long b, Precision p, FloatStatus st);
    }

    @FunctionalInterface
    interface Ternary {
        long apply(long a, long b, long c, Precision p, FloatStatus st);
    }

    /** Word {@code i} (0-3, big-endian element order) of the register whose doubleword 0 is {@code v[r]}. */
    static int word(long[] v, int r, int i) {
        long d = v[r + (i >> 1)];
        return (int) ((i & 1) == 0 ? d >>> 32 : d);
    }

    static long pair(int hi, int lo) {
        return (long) hi << 32 | (lo & 0xFFFF_FFFFL);
    }

    /** A single-format word widened to double format (exact; an SNaN stays signaling). */
    static long wide(int w) {
        return FloatingPointConversions.singleToDouble(w);
    }

    /** A double-format value already rounded to single, in single format. */
    static int narrow(long d) {
        return FloatingPointConversions.doubleToSingle(d);
    }

    static int doubles(Core c, int w, Unary f) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int b = xb(w);
        long hi = f.apply(v[b], D, st), lo = f.apply(v[b + 1], D, st);
        return completeVector(c, xt(w), hi, lo, st);
    }

    static int singles(Core c, int w, Unary f) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int b = xb(w);
        int r0 = narrow(f.apply(wide(word(v, b, 0)), S, st)), r1 = narrow(f.apply(wide(word(v, b, 1)), S, st));
        int r2 = narrow(f.apply(wide(word(v, b, 2)), S, st)), r3 = narrow(f.apply(wide(word(v, b, 3)), S, st));
        return completeVector(c, xt(w), pair(r0, r1), pair(r2, r3), st);
    }

    static int doubles(Core c, int w, Binary f) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int a = xa(w), b = xb(w);
        long hi = f.apply(v[a], v[b], D, st), lo = f.apply(v[a + 1], v[b + 1], D, st);
        return completeVector(c, xt(w), hi, lo, st);
    }

    static int singles(Core c, int w, Binary f) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int a = xa(w), b = xb(w);
        int r0 = lane(v, a, b, 0, f, st), r1 = lane(v, a, b, 1, f, st);
        int r2 = lane(v, a, b, 2, f, st), r3 = lane(v, a, b, 3, f, st);
        return completeVector(c, xt(w), pair(r0, r1), pair(r2, r3), st);
    }

    private static int lane(long[] v, int a, int b, int i, Binary f, FloatStatus st) {
        return narrow(f.apply(wide(word(v, a, i)), wide(word(v, b, i)), S, st));
    }

    /**
     * The three-source forms (fused multiply-add): the sources are XA, XB and XT, passed in the
     * order {@code order} gives as indexes into {XA, XB, XT}.
     */
    static int doubles(Core c, int w, int[] order, Ternary f) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int x = source(w, order[0]), y = source(w, order[1]), z = source(w, order[2]);
        long hi = f.apply(v[x], v[y], v[z], D, st), lo = f.apply(v[x + 1], v[y + 1], v[z + 1], D, st);
        return completeVector(c, xt(w), hi, lo, st);
    }

    static int singles(Core c, int w, int[] order, Ternary f) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int x = source(w, order[0]), y = source(w, order[1]), z = source(w, order[2]);
        int r0 = lane(v, x, y, z, 0, f, st), r1 = lane(v, x, y, z, 1, f, st);
        int r2 = lane(v, x, y, z, 2, f, st), r3 = lane(v, x, y, z, 3, f, st);
        return completeVector(c, xt(w), pair(r0, r1), pair(r2, r3), st);
    }

    private static int lane(long[] v, int x, int y, int z, int i, Ternary f, FloatStatus st) {
        return narrow(f.apply(wide(word(v, x, i)), wide(word(v, y, i)), wide(word(v, z, i)), S, st));
    }

    /** Source {@code which} of {XA, XB, XT}. */
    static int source(int w, int which) {
        return which == 0 ? xa(w) : which == 1 ? xb(w) : xt(w);
    }
}
