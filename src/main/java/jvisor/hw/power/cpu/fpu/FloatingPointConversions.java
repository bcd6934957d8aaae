package jvisor.hw.power.cpu.fpu;

import static jvisor.hw.power.cpu.fpu.Binary64.SIGN;
import static jvisor.hw.power.cpu.fpu.Binary64.exponent;
import static jvisor.hw.power.cpu.fpu.Binary64.isInfinite;
import static jvisor.hw.power.cpu.fpu.Binary64.isNaN;
import static jvisor.hw.power.cpu.fpu.Binary64.isSignalingNaN;
import static jvisor.hw.power.cpu.fpu.Binary64.isZero;
import static jvisor.hw.power.cpu.fpu.Binary64.significand;

/**
 * Conversions of ISA 3.0B Book I 4.6.7 and the storage formats of 4.6.2/4.6.3: double to single
 * precision (rounding, frsp), to and from 32/64-bit signed and unsigned integers, rounding to an
 * integral value, and the single-precision storage format read and written by lfs and stfs.
 */
public final class FloatingPointConversions {
    private FloatingPointConversions() {
    }

    /** Round to Single-Precision (frsp): NaNs quieted and cut to single's fraction, otherwise rounded to SINGLE. */
    public static long roundToSingle(long b, FloatStatus st) {
        return roundTo(b, Precision.SINGLE, st);
    }

    /**
     * Rounds a double-format value to {@code p} in the status's mode (frsp, xscvdpsp, xscvdphp):
     * an SNaN raises VXSNAN; a NaN comes back quiet with its fraction cut to the precision's.
     */
    public static long roundTo(long b, Precision p, FloatStatus st) {
        if (isNaN(b)) {
            if (isSignalingNaN(b)) {
                st.flags |= Fpscr.VXSNAN;
            }
            long q = Binary64.quiet(b);
            return q & ~((1L << (53 - p.bits)) - 1);
        }
        if (isZero(b) || isInfinite(b)) {
            return b;
        }
        return Rounding.round(b < 0, exponent(b), significand(b) << 10, p, st);
    }

    // ---- to integers ----

    /**
     * Converts to an integer of {@code bits} (32 or 64) bits, signed or unsigned, rounding in
     * {@code mode} (fctiw, fctiwz, fctid, fctidu ...). A NaN or a value out of range is invalid
     * (VXCVI, and VXSNAN for an SNaN): the result saturates (the most negative number for a NaN,
     * 0 for an unsigned NaN) and FR, FI are left clear. Otherwise XX, FI when inexact and FR when
     * rounded up in magnitude. The result is returned zero-extended from {@code bits}.
     */
    public static long toInteger(long b, int bits, boolean signed, int mode, FloatStatus st) {
        long max = signed ? (bits == 64 ? Long.MAX_VALUE : Integer.MAX_VALUE) : (bits == 64 ? -1L : 0xFFFF_FFFFL);
        long min = signed ? (bits == 64 ? Long.MIN_VALUE : 0x8000_0000L) : 0;
        if (isNaN(b)) {
            st.flags |= Fpscr.VXCVI | (isSignalingNaN(b) ? Fpscr.VXSNAN : 0);
            return min;
        }
        boolean neg = b < 0;
        if (isInfinite(b)) {
            st.flags |= Fpscr.VXCVI;
            return neg ? min : max;
        }
        if (isZero(b)) {
            return 0;
        }
        int e = exponent(b);
        if (e >= 64) {
            st.flags |= Fpscr.VXCVI;
            return neg ? min : max;
        }
        long m = significand(b);
        long magnitude;
        int flags = 0;
        if (e >= 52) {
            magnitude = m << (e - 52); // exact; up to 2^64 - 1 unsigned
        } else {
            // Integer part and the discarded fraction, as bits below a unit at bit 62.
            int shift = 52 - e;
            long frac;
            if (shift >= 63) {
                magnitude = 0;
                frac = 1; // far below one half, not zero
            } else {
                magnitude = m >>> shift;
                frac = (m << (64 - shift)) >>> 1 | ((m << (64 - shift)) & 1); // fraction, leading bit = one half at bit 62
            }
            boolean up = roundUp(mode, neg, magnitude, frac);
            if (frac != 0) {
                flags = Fpscr.XX | Fpscr.FI | (up ? Fpscr.FR : 0);
            }
            if (up) {
                magnitude++;
            }
        }
        // Range check on the rounded value (magnitude is unsigned when e == 63).
        boolean over;
        if (signed) {
            over = neg ? Long.compareUnsigned(magnitude, bits == 64 ? 1L << 63 : 1L << 31) > 0
                    : Long.compareUnsigned(magnitude, max) > 0;
        } else {
            over = neg ? magnitude != 0 : (bits == 32 && Long.compareUnsigned(magnitude, max) > 0);
        }
        if (over) {
            st.flags |= Fpscr.VXCVI;
            return neg ? min : max;
        }
        st.flags |= flags;
        long v = neg ? -magnitude : magnitude;
        return bits == 32 ? v & 0xFFFF_FFFFL : v;
    }

    /**
     * Whether an integer {@code magnitude} with a discarded fraction {@code frac} (one half at
     * bit 62, sticky in bit 0) rounds up in magnitude in {@code mode}.
     */
    private static boolean roundUp(int mode, boolean neg, long magnitude, long frac) {
        if (frac == 0) {
            return false;
        }
        return switch (mode) {
            case Fpscr.ROUND_NEAREST -> frac > (1L << 62) || (frac == 1L << 62 && (magnitude & 1) != 0);
            case Fpscr.ROUND_TOWARD_ZERO -> false;
            case Fpscr.ROUND_UP -> !neg;
            default -> neg;
        };
    }

    // ---- from integers ----

    /**
     * Converts a 64-bit integer (signed or unsigned) to {@code p}, rounding in the status's mode
     * (fcfid, fcfidu, fcfids, fcfidus). Zero converts to +0.
     */
    public static long fromInteger(long v, boolean signed, Precision p, FloatStatus st) {
        if (v == 0) {
            return 0;
        }
        if (signed && v >= -(1L << p.bits) && v <= (1L << p.bits) && p != Precision.HALF) {
            // Exactly representable (what most conversions are): no rounding, no flags.
            return Double.doubleToRawLongBits((double) v);
        }
        boolean neg = signed && v < 0;
        long u = neg ? -v : v; // unsigned magnitude (2^63 for the most negative)
        int lead = 63 - Long.numberOfLeadingZeros(u);
        long sig = lead == 63 ? (u >>> 1) | (u & 1) : u << (62 - lead);
        return Rounding.round(neg, lead, sig, p, st);
    }

    // ---- rounding to an integral value ----

    /** The rounding of frin: to nearest, ties away from zero (unlike FPSCR[RN]'s nearest even). */
    public static final int ROUND_NEAREST_AWAY = 4;

    /**
     * Rounds to an integral value in double format (frin, friz, frip, frim): {@code mode} is
     * {@link #ROUND_NEAREST_AWAY} or a {@link Fpscr} rounding mode. The sign is kept (a negative
     * value that rounds to zero gives -0). Only VXSNAN is raised: these instructions leave XX
     * alone and clear FR and FI.
     */
    public static long roundToIntegral(long b, int mode, FloatStatus st) {
        return roundToIntegral(b, mode, false, st);
    }

    /**
     * {@link #roundToIntegral}; with {@code signalInexact} (xsrdpic, xvrdpic, xvrspic: the
     * rounding of FPSCR[RN]) an inexact result also sets XX and FI, and FR when the magnitude grew.
     */
    public static long roundToIntegral(long b, int mode, boolean signalInexact, FloatStatus st) {
        if (isNaN(b)) {
            if (isSignalingNaN(b)) {
                st.flags |= Fpscr.VXSNAN;
            }
            return Binary64.quiet(b);
        }
        if (isZero(b) || isInfinite(b)) {
            return b;
        }
        int e = exponent(b);
        if (e >= 52) {
            return b;
        }
        boolean neg = b < 0;
        long m = significand(b);
        long magnitude, frac;
        int shift = 52 - e;
        if (shift >= 63) {
            magnitude = 0;
            frac = 1;
        } else {
            magnitude = m >>> shift;
            frac = ((m << (64 - shift)) >>> 1) | ((m << (64 - shift)) & 1);
        }
        boolean up = mode == ROUND_NEAREST_AWAY ? frac >= (1L << 62) : roundUp(mode, neg, magnitude, frac);
        if (signalInexact && frac != 0) {
            st.flags |= Fpscr.XX | Fpscr.FI | (up ? Fpscr.FR : 0);
        }
        if (up) {
            magnitude++;
        }
        if (magnitude == 0) {
            return neg ? SIGN : 0;
        }
        int lead = 63 - Long.numberOfLeadingZeros(magnitude);
        return Rounding.pack(neg, lead, magnitude << (62 - lead));
    }

    // ---- the single-precision storage format ----

    /**
     * A single-precision value from storage in double format, exactly (the ISA's DOUBLE(),
     * 4.6.2): denormals are normalized; NaNs keep their fraction (an SNaN stays signaling).
     */
    public static long singleToDouble(int w) {
        long sign = (long) (w >>> 31) << 63;
        int e = (w >>> 23) & 0xFF;
        long f = w & 0x7F_FFFFL;
        if (e == 0xFF) {
            return sign | Binary64.EXPONENT | (f << 29);
        }
        if (e != 0) {
            return sign | ((long) (e - 127 + Binary64.BIAS) << 52) | (f << 29);
        }
        if (f == 0) {
            return sign;
        }
        int lz = Long.numberOfLeadingZeros(f) - 40; // shift that brings the leading one to bit 23
        return sign | ((long) (-126 - lz + Binary64.BIAS) << 52) | (((f << lz) & 0x7F_FFFFL) << 29);
    }

    /**
     * A double-format value in single-precision storage format without rounding (the ISA's
     * SINGLE(), 4.6.3): exponents in single's normal range (and infinities, NaNs) keep bits 0:1
     * and 5:34; values in single's denormal range are shifted into a denormal, truncating; smaller
     * ones, whose result the ISA leaves undefined, give a signed zero (as POWER9 and QEMU do).
     */
    public static int doubleToSingle(long x) {
        int e = (int) (x >>> 52) & 0x7FF;
        if (e > 896) {
            return (int) (((x >>> 62) << 30) | ((x >>> 29) & 0x3FFF_FFFFL));
        }
        int sign = (int) (x >>> 63) << 31;
        if (e < 874) {
            return sign;
        }
        long m = (x & Binary64.FRACTION) | Binary64.IMPLICIT;
        return sign | (int) (m >>> (896 + 30 - e));
    }

    // ---- the half-precision format (binary16) ----

    /** A binary16 value (the low 16 bits of {@code h}) in double format, exactly; NaNs keep their fraction. */
    public static long halfToDouble(int h) {
        long sign = (long) ((h >>> 15) & 1) << 63;
        int e = (h >>> 10) & 0x1F;
        long f = h & 0x3FFL;
        if (e == 0x1F) {
            return sign | Binary64.EXPONENT | (f << 42);
        }
        if (e != 0) {
            return sign | ((long) (e - 15 + Binary64.BIAS) << 52) | (f << 42);
        }
        if (f == 0) {
            return sign;
        }
        int lz = Long.numberOfLeadingZeros(f) - 53; // shift that brings the leading one to bit 10
        return sign | ((long) (-14 - lz + Binary64.BIAS) << 52) | (((f << lz) & 0x3FFL) << 42);
    }

    /**
     * A double-format value already rounded to {@link Precision#HALF} in binary16 format: the
     * exponent rebiased (or the significand shifted into a denormal), the fraction's top 10 bits.
     */
    public static int doubleToHalf(long x) {
        int sign = (int) (x >>> 63) << 15;
        int b = Binary64.biasedExponent(x);
        if (b == 0x7FF) {
            return sign | 0x7C00 | (int) ((x & Binary64.FRACTION) >>> 42);
        }
        if (Binary64.isZero(x)) {
            return sign;
        }
        int e = b - Binary64.BIAS;
        if (e >= -14) {
            return sign | ((e + 15) & 0x1F) << 10 | (int) ((x & Binary64.FRACTION) >>> 42);
        }
        long m = (x & Binary64.FRACTION) | Binary64.IMPLICIT;
        int shift = 42 + (-14 - e);
        return sign | (shift > 63 ? 0 : (int) (m >>> shift));
    }
}
