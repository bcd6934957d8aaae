package jvisor.hw.power.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * The vector facility (VMX, ISA 3.0B Book I chapter 6): every family's declarations, and what
 * the families share: the register fields, whole-register access and the element loops.
 *
 * <p>A vector register is VSR 32+n, held as doubleword 0 (bytes 0-7, the most significant) and
 * doubleword 1. Elements are numbered as the ISA numbers them, element 0 the leftmost (most
 * significant) whatever the byte order of the guest: only loads and stores know MSR[LE]. A body
 * reads all its sources before it writes VRT, since VRT may be one of them.
 */
final class VectorInstructions {
    private VectorInstructions() {
    }

    /** VSCR[NJ] (non-Java mode) and VSCR[SAT] (saturation), as they sit in the low word of VSCR. */
    static final int VSCR_NJ = 0x10000, VSCR_SAT = 1;

    /** Every VMX declaration. */
    static final List<InstructionSpec> SPECS = all();

    private static List<InstructionSpec> all() {
        List<InstructionSpec> all = new ArrayList<>();
        all.addAll(VectorLoadStore.SPECS);
        all.addAll(VectorIntegerArithmetic.SPECS);
        all.addAll(VectorLogicalShift.SPECS);
        all.addAll(VectorPermute.SPECS);
        all.addAll(VectorCrypto.SPECS);
        all.addAll(VectorDecimal.SPECS);
        all.addAll(VectorFloat.SPECS);
        return List.copyOf(all);
    }

    static InstructionSpec spec(String mnemonic, Encoding encoding, InstructionSpec.Body body) {
        return new InstructionSpec(mnemonic, encoding, Facility.VMX, body);
    }

    // ---- fields: the index of doubleword 0 of the named VR in VectorScalarRegisters.vsr ----

    static int vt(int w) {
        return 64 + 2 * ((w >>> 21) & 31);
    }

    static int va(int w) {
        return 64 + 2 * ((w >>> 16) & 31);
    }

    static int vb(int w) {
        return 64 + 2 * ((w >>> 11) & 31);
    }

    static int vc(int w) {
        return 64 + 2 * ((w >>> 6) & 31);
    }

    /** The Rc bit of VC-form compares (bit 21). */
    static boolean rc21(int w) {
        return (w & 0x400) != 0;
    }

    static void put(Core c, int w, long hi, long lo) {
        long[] v = c.vs.vsr;
        int t = vt(w);
        v[t] = hi;
        v[t + 1] = lo;
    }

    static void setSat(Core c) {
        c.vs.vscr |= VSCR_SAT;
    }

    static boolean nonJava(Core c) {
        return (c.vs.vscr & VSCR_NJ) != 0;
    }

    // ---- elements ----

    /** Element {@code i} (0 leftmost) of {@code bits} width of the quadword hi:lo, zero-extended. */
    static long elem(long hi, long lo, int bits, int i) {
        int per = 64 / bits;
        long dw = i < per ? hi : lo;
        int shift = 64 - bits * (i % per + 1);
        return bits == 64 ? dw : (dw >>> shift) & ((1L << bits) - 1);
    }

    /** The doubleword ({@code hi} when {@code i} is in the left half) with element {@code i} replaced. */
    static long with(long dw, int bits, int i, long value) {
        if (bits == 64) return value;
        int per = 64 / bits;
        int shift = 64 - bits * (i % per + 1);
        long m = ((1L << bits) - 1) << shift;
        return (dw & ~m) | ((value << shift) & m);
    }

    static long sx(long v, int bits) {
        return (v << (64 - bits)) >> (64 - bits);
    }

    static long mask(int bits) {
        return bits == 64 ? -1L : (1L << bits) - 1;
    }

    /** An element operation on zero-extended elements; the result's low {@code bits} are kept. */
    @FunctionalInterface
    interface Lane {
        long apply(long a, long b);
    }

    /** An element operation on three zero-extended elements. */
    @FunctionalInterface
    interface Lane3 {
        long apply(long a, long b, long c);
    }

    /** An element predicate for the compares. */
    @FunctionalInterface
    interface Predicate {
        boolean test(long a, long b);
    }

    /** VRT[i] = f(VRA[i], VRB[i]) for every element. */
    static int binary(Core c, int w, int bits, Lane f) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        long ah = v[a], al = v[a + 1], bh = v[b], bl = v[b + 1];
        put(c, w, lane(ah, bh, bits, f), lane(al, bl, bits, f));
        return Core.OK;
    }

    /** One doubleword of {@link #binary}. */
    static long lane(long a, long b, int bits, Lane f) {
        if (bits == 64) return f.apply(a, b);
        long m = (1L << bits) - 1, r = 0;
        for (int s = 64 - bits; s >= 0; s -= bits) {
            r |= (f.apply((a >>> s) & m, (b >>> s) & m) & m) << s;
        }
        return r;
    }

    /** VRT[i] = f(VRA[i], VRB[i], VRC[i]) for every element. */
    static int ternary(Core c, int w, int bits, Lane3 f) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w), cc = vc(w);
        long ah = v[a], al = v[a + 1], bh = v[b], bl = v[b + 1], ch = v[cc], cl = v[cc + 1];
        put(c, w, lane3(ah, bh, ch, bits, f), lane3(al, bl, cl, bits, f));
        return Core.OK;
    }

    private static long lane3(long a, long b, long cc, int bits, Lane3 f) {
        if (bits == 64) return f.apply(a, b, cc);
        long m = (1L << bits) - 1, r = 0;
        for (int s = 64 - bits; s >= 0; s -= bits) {
            r |= (f.apply((a >>> s) & m, (b >>> s) & m, (cc >>> s) & m) & m) << s;
        }
        return r;
    }

    /** VRT[i] = f(VRB[i]) for every element (the second argument of f is 0). */
    static int unary(Core c, int w, int bits, Lane f) {
        long[] v = c.vs.vsr;
        int b = vb(w);
        long bh = v[b], bl = v[b + 1];
        put(c, w, lane(bh, 0, bits, f), lane(bl, 0, bits, f));
        return Core.OK;
    }

    /**
     * VRT[i] = f(VRA[i], VRB[i]) saturated to the signed or unsigned range of {@code bits}; f
     * returns the exact result. VSCR[SAT] is set when any element saturated.
     */
    static int saturating(Core c, int w, int bits, boolean signed, Lane f) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        long ah = v[a], al = v[a + 1], bh = v[b], bl = v[b + 1];
        long m = mask(bits), hi = 0, lo = 0;
        boolean sat = false;
        for (int i = 0; i < 128 / bits; i++) {
            long x = f.apply(elem(ah, al, bits, i), elem(bh, bl, bits, i));
            long r = signed ? clampSigned(x, bits) : clampUnsigned(x, bits);
            sat |= r != x;
            if (i < 64 / bits) hi = with(hi, bits, i, r & m);
            else lo = with(lo, bits, i, r & m);
        }
        put(c, w, hi, lo);
        if (sat) setSat(c);
        return Core.OK;
    }

    static long clampSigned(long x, int bits) {
        long max = (1L << (bits - 1)) - 1, min = -max - 1;
        return x > max ? max : x < min ? min : x;
    }

    /** Clamps a signed exact value to 0 .. 2^bits - 1 (bits < 64). */
    static long clampUnsigned(long x, int bits) {
        long max = (1L << bits) - 1;
        return x > max ? max : x < 0 ? 0 : x;
    }

    /**
     * The integer compares: each element of VRT all ones where {@code p} holds, zeros elsewhere;
     * with Rc=1, CR6 = all true (0b1000) or none true (0b0010).
     */
    static int compare(Core c, int w, int bits, Predicate p) {
        long[] v = c.vs.vsr;
        int a = va(w), b = vb(w);
        long ah = v[a], al = v[a + 1], bh = v[b], bl = v[b + 1];
        long m = mask(bits), hi = 0, lo = 0;
        boolean all = true, none = true;
        for (int i = 0; i < 128 / bits; i++) {
            boolean t = p.test(elem(ah, al, bits, i), elem(bh, bl, bits, i));
            all &= t;
            none &= !t;
            if (t) {
                if (i < 64 / bits) hi = with(hi, bits, i, m);
                else lo = with(lo, bits, i, m);
            }
        }
        put(c, w, hi, lo);
        if (rc21(w)) c.setCrField(6, (all ? 8 : 0) | (none ? 2 : 0));
        return Core.OK;
    }
}
