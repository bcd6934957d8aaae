package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FixedPoint.ra;
import static jvisor.hw.power.cpu.FixedPoint.rb;
import static jvisor.hw.power.cpu.FixedPoint.rc;
import static jvisor.hw.power.cpu.FixedPoint.rt;

/**
 * Rotate, mask and shift instructions. Bit numbers in masks are the ISA's (MSB 0). The 32-bit
 * rotates rotate the low word and see it replicated in both halves, so masks that wrap put
 * rotated bits into the high word, as the ISA specifies.
 */
final class Rotate {
    private Rotate() {
    }

    /** MASK(mb, me) in MSB-0 numbering; wraps around when mb > me. */
    static long mask(int mb, int me) {
        long a = -1L >>> mb, b = -1L << (63 - me);
        return mb <= me ? a & b : a | b;
    }

    private static long rotl32(long rs, int n) {
        long low = rs & 0xFFFF_FFFFL;
        return Long.rotateLeft(low | (low << 32), n);
    }

    private static int done(Core c, int w, long v) {
        c.gpr[ra(w)] = v;
        if (rc(w)) {
            c.recordCr0(v);
        }
        return Core.OK;
    }

    static int mb5(int w) {
        return (w >>> 6) & 31;
    }

    static int me5(int w) {
        return (w >>> 1) & 31;
    }

    /** 6-bit MB/ME field of MD forms: low five bits at 21:25, high bit at 26. */
    static int mb6(int w) {
        return ((w >>> 6) & 31) | (w & 0x20);
    }

    /** 6-bit SH field of MD/XS forms: low five bits at 16:20, high bit at 30. */
    static int sh6(int w) {
        return ((w >>> 11) & 31) | ((w << 4) & 0x20);
    }

    // The *Value functions compute a result from operand values and the instruction word. Translated
    // code (which keeps registers in locals) calls the shift ones; for the immediate rotates it
    // emits the rotation and the mask as constants taken from mask, sh6, mb6, mb5 and me5.

    static int rlwinm(Core c, int w) {
        return done(c, w, rlwinmValue(c.gpr[rt(w)], w));
    }

    static long rlwinmValue(long rs, int w) {
        return rotl32(rs, rb(w)) & mask(mb5(w) + 32, me5(w) + 32);
    }

    static int rlwnm(Core c, int w) {
        return done(c, w, rotl32(c.gpr[rt(w)], (int) c.gpr[rb(w)] & 31) & mask(mb5(w) + 32, me5(w) + 32));
    }

    static int rlwimi(Core c, int w) {
        return done(c, w, rlwimiValue(c.gpr[rt(w)], c.gpr[ra(w)], w));
    }

    static long rlwimiValue(long rs, long ra, int w) {
        long m = mask(mb5(w) + 32, me5(w) + 32);
        return (rotl32(rs, rb(w)) & m) | (ra & ~m);
    }

    static int rldicl(Core c, int w) {
        return done(c, w, rldiclValue(c.gpr[rt(w)], w));
    }

    static long rldiclValue(long rs, int w) {
        return Long.rotateLeft(rs, sh6(w)) & mask(mb6(w), 63);
    }

    static int rldicr(Core c, int w) {
        return done(c, w, rldicrValue(c.gpr[rt(w)], w));
    }

    static long rldicrValue(long rs, int w) {
        return Long.rotateLeft(rs, sh6(w)) & mask(0, mb6(w));
    }

    static int rldic(Core c, int w) {
        return done(c, w, rldicValue(c.gpr[rt(w)], w));
    }

    static long rldicValue(long rs, int w) {
        int sh = sh6(w);
        return Long.rotateLeft(rs, sh) & mask(mb6(w), 63 - sh);
    }

    static int rldimi(Core c, int w) {
        return done(c, w, rldimiValue(c.gpr[rt(w)], c.gpr[ra(w)], w));
    }

    static long rldimiValue(long rs, long ra, int w) {
        int sh = sh6(w);
        long m = mask(mb6(w), 63 - sh);
        return (Long.rotateLeft(rs, sh) & m) | (ra & ~m);
    }

    static int rldcl(Core c, int w) {
        return done(c, w, Long.rotateLeft(c.gpr[rt(w)], (int) c.gpr[rb(w)] & 63) & mask(mb6(w), 63));
    }

    static int rldcr(Core c, int w) {
        return done(c, w, Long.rotateLeft(c.gpr[rt(w)], (int) c.gpr[rb(w)] & 63) & mask(0, mb6(w)));
    }

    static int slw(Core c, int w) {
        return done(c, w, slwValue(c.gpr[rt(w)], c.gpr[rb(w)]));
    }

    static long slwValue(long rs, long rb) {
        int n = (int) rb & 0x3F;
        return n > 31 ? 0 : (rs << n) & 0xFFFF_FFFFL;
    }

    static int srw(Core c, int w) {
        return done(c, w, srwValue(c.gpr[rt(w)], c.gpr[rb(w)]));
    }

    static long srwValue(long rs, long rb) {
        int n = (int) rb & 0x3F;
        return n > 31 ? 0 : (rs & 0xFFFF_FFFFL) >>> n;
    }

    private static int shiftRightAlgebraic32(Core c, int w, int n) {
        int s = (int) c.gpr[rt(w)];
        long r;
        boolean lost;
        if (n > 31) {
            r = s >> 31;
            lost = s != 0;
        } else {
            r = s >> n;
            lost = (s & ((1 << n) - 1)) != 0;
        }
        c.ca = c.ca32 = s < 0 && lost ? 1 : 0;
        return done(c, w, r);
    }

    static int sraw(Core c, int w) {
        return shiftRightAlgebraic32(c, w, (int) c.gpr[rb(w)] & 0x3F);
    }

    static int srawi(Core c, int w) {
        return shiftRightAlgebraic32(c, w, rb(w));
    }

    static int sld(Core c, int w) {
        return done(c, w, sldValue(c.gpr[rt(w)], c.gpr[rb(w)]));
    }

    static long sldValue(long rs, long rb) {
        int n = (int) rb & 0x7F;
        return n > 63 ? 0 : rs << n;
    }

    static int srd(Core c, int w) {
        return done(c, w, srdValue(c.gpr[rt(w)], c.gpr[rb(w)]));
    }

    static long srdValue(long rs, long rb) {
        int n = (int) rb & 0x7F;
        return n > 63 ? 0 : rs >>> n;
    }

    private static int shiftRightAlgebraic64(Core c, int w, int n) {
        long s = c.gpr[rt(w)];
        long r;
        boolean lost;
        if (n > 63) {
            r = s >> 63;
            lost = s != 0;
        } else {
            r = s >> n;
            lost = n != 0 && (s & (-1L >>> (64 - n))) != 0;
        }
        c.ca = c.ca32 = s < 0 && lost ? 1 : 0;
        return done(c, w, r);
    }

    static int srad(Core c, int w) {
        return shiftRightAlgebraic64(c, w, (int) c.gpr[rb(w)] & 0x7F);
    }

    static int sradi(Core c, int w) {
        return shiftRightAlgebraic64(c, w, sh6(w));
    }

    static int extswsli(Core c, int w) {
        return done(c, w, (long) (int) c.gpr[rt(w)] << sh6(w));
    }
}
