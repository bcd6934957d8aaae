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
        int[] r = new int[4];
        for (int i = 0; i < 4; i++) {
            r[i] = narrow(f.apply(wide(word(v, b, i)), S, st));
        }
        return completeVector(c, xt(w), pair(r[0], r[1]), pair(r[2], r[3]), st);
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
        int[] r = new int[4];
        for (int i = 0; i < 4; i++) {
            r[i] = narrow(f.apply(wide(word(v, a, i)), wide(word(v, b, i)), S, st));
        }
        return completeVector(c, xt(w), pair(r[0], r[1]), pair(r[2], r[3]), st);
    }

    /**
     * The three-source forms (fused multiply-add): the sources are XA, XB and XT, passed in the
     * order {@code order} gives as indexes into {XA, XB, XT}.
     */
    static int doubles(Core c, int w, int[] order, Ternary f) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int[] r = {xa(w), xb(w), xt(w)};
        int x = r[order[0]], y = r[order[1]], z = r[order[2]];
        long hi = f.apply(v[x], v[y], v[z], D, st), lo = f.apply(v[x + 1], v[y + 1], v[z + 1], D, st);
        return completeVector(c, xt(w), hi, lo, st);
    }

    static int singles(Core c, int w, int[] order, Ternary f) {
        FloatStatus st = status(c);
        long[] v = c.vs.vsr;
        int[] r = {xa(w), xb(w), xt(w)};
        int x = r[order[0]], y = r[order[1]], z = r[order[2]];
        int[] o = new int[4];
        for (int i = 0; i < 4; i++) {
            o[i] = narrow(f.apply(wide(word(v, x, i)), wide(word(v, y, i)), wide(word(v, z, i)), S, st));
        }
        return completeVector(c, xt(w), pair(o[0], o[1]), pair(o[2], o[3]), st);
    }
}
