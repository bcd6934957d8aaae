package jvisor.hw.power.cpu.fpu;

import static jvisor.hw.power.cpu.fpu.Binary128.isInfinite;
import static jvisor.hw.power.cpu.fpu.Binary128.isNaN;
import static jvisor.hw.power.cpu.fpu.Binary128.isSignalingNaN;
import static jvisor.hw.power.cpu.fpu.Binary128.isZero;
import static jvisor.hw.power.cpu.fpu.Binary128.significand;
import static jvisor.hw.power.cpu.fpu.Binary128.unitExponent;

import java.math.BigInteger;

/**
 * Quad-precision conversions, rounding to integral and to double-extended precision, and the
 * compare (ISA 3.0B 7.6.1: xscvqpdp, xscvdpqp, xscvqp[su][dw]z, xscv[su]dqp, xsrqpi, xsrqpxp,
 * xscmpuqp/xscmpoqp), on {@link Binary128} values.
 */
public final class QuadConversions {
    private QuadConversions() {
    }

    /** xscvdpqp: a double exactly in quad format; an SNaN is quieted with VXSNAN. */
    public static long[] fromDouble(long d, FloatStatus st) {
        long sign = d & Binary64.SIGN;
        if (Binary64.isNaN(d)) {
            if (Binary64.isSignalingNaN(d)) st.flags |= Fpscr.VXSNAN;
            long f = (d & Binary64.FRACTION) | Binary64.QUIET;
            return new long[] {sign | Binary128.INFINITY_HI | f >>> 4, f << 60};
        }
        if (Binary64.isInfinite(d)) return new long[] {sign | Binary128.INFINITY_HI, 0};
        if (Binary64.isZero(d)) return new long[] {sign, 0};
        return Binary128.pack(sign != 0, BigInteger.valueOf(Binary64.significand(d)), Binary64.exponent(d) - 52);
    }

    /**
     * xscvqpdp / xscvqpdpo: rounded to double in {@code mode}; a NaN keeps its sign and the top
     * 52 bits of its fraction, quieted.
     */
    public static long toDouble(long hi, long lo, int mode, FloatStatus st) {
        boolean neg = hi < 0;
        if (isNaN(hi, lo)) {
            if (isSignalingNaN(hi, lo)) st.flags |= Fpscr.VXSNAN;
            long f = (hi & Binary128.FRACTION_HI) << 4 | lo >>> 60;
            return (hi & Binary128.SIGN) | Binary64.EXPONENT | f | Binary64.QUIET;
        }
        if (isInfinite(hi, lo)) return (neg ? Binary64.SIGN : 0) | Binary64.POSITIVE_INFINITY;
        if (isZero(hi, lo)) return neg ? Binary64.SIGN : 0;
        Object[] r = Binary128.round(neg, significand(hi, lo), unitExponent(hi), false, Binary128.DOUBLE, mode, st);
        if (r == null) return (neg ? Binary64.SIGN : 0) | Binary64.POSITIVE_INFINITY;
        BigInteger sig = (BigInteger) r[0];
        int exp = (Integer) r[1];
        return Rounding.pack(neg, exp + 62, sig.longValue());
    }

    /**
     * xscvqp[su][dw]z: truncated to an integer of {@code bits} bits; NaNs and values out of range
     * are VXCVI (and VXSNAN) and saturate (a NaN gives the most negative number, or 0 unsigned);
     * XX and FI when inexact. A signed word is returned sign-extended, an unsigned one zero-extended.
     */
    public static long toInteger(long hi, long lo, int bits, boolean signed, FloatStatus st) {
        BigInteger max = signed ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        BigInteger min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
        if (isNaN(hi, lo)) {
            st.flags |= Fpscr.VXCVI | (isSignalingNaN(hi, lo) ? Fpscr.VXSNAN : 0);
            return min.longValue();
        }
        boolean neg = hi < 0;
        if (isInfinite(hi, lo)) {
            st.flags |= Fpscr.VXCVI;
            return (neg ? min : max).longValue();
        }
        if (isZero(hi, lo)) return 0;
        BigInteger m = significand(hi, lo);
        int e = unitExponent(hi);
        BigInteger whole;
        boolean inexact;
        if (e >= 0) {
            whole = e > 200 ? BigInteger.ONE.shiftLeft(200) : m.shiftLeft(e);
            inexact = false;
        } else {
            whole = -e > 200 ? BigInteger.ZERO : m.shiftRight(-e);
            inexact = -e > 200 || !whole.shiftLeft(-e).equals(m);
        }
        if (neg) whole = whole.negate();
        if (whole.compareTo(max) > 0 || whole.compareTo(min) < 0) {
            st.flags |= Fpscr.VXCVI;
            return (neg ? min : max).longValue();
        }
        if (inexact) st.flags |= Fpscr.XX | Fpscr.FI;
        return whole.longValue();
    }

    /** xscvsdqp / xscvudqp: a doubleword integer, exactly. */
    public static long[] fromInteger(long v, boolean signed, FloatStatus st) {
        if (v == 0) return new long[] {0, 0};
        BigInteger b = signed ? BigInteger.valueOf(v) : Binary128.unsigned(v);
        return Binary128.pack(b.signum() < 0, b.abs(), 0);
    }

    /**
     * xsrqpi / xsrqpix: rounded to an integral value in {@code mode} (a {@link Fpscr} mode or
     * {@link FloatingPointConversions#ROUND_NEAREST_AWAY}); XX and FI when inexact only with
     * {@code signalInexact} (xsrqpix). An SNaN is quieted with VXSNAN.
     */
    public static long[] roundToIntegral(long hi, long lo, int mode, boolean signalInexact, FloatStatus st) {
        if (isNaN(hi, lo)) {
            if (isSignalingNaN(hi, lo)) st.flags |= Fpscr.VXSNAN;
            return Binary128.quiet(hi, lo);
        }
        if (isInfinite(hi, lo) || isZero(hi, lo) || unitExponent(hi) >= 0) return new long[] {hi, lo};
        boolean neg = hi < 0;
        BigInteger m = significand(hi, lo);
        int shift = -unitExponent(hi);
        BigInteger whole = shift > 200 ? BigInteger.ZERO : m.shiftRight(shift);
        BigInteger rem = shift > 200 ? m : m.subtract(whole.shiftLeft(shift));
        int cmpHalf = shift > 200 ? -1 : rem.compareTo(BigInteger.ONE.shiftLeft(shift - 1));
        boolean up = rem.signum() != 0 && switch (mode) {
            case FloatingPointConversions.ROUND_NEAREST_AWAY -> cmpHalf >= 0;
            case Fpscr.ROUND_NEAREST -> cmpHalf > 0 || (cmpHalf == 0 && whole.testBit(0));
            case Fpscr.ROUND_TOWARD_ZERO -> false;
            case Fpscr.ROUND_UP -> !neg;
            default -> neg;
        };
        if (signalInexact && rem.signum() != 0) {
            st.flags |= Fpscr.XX | Fpscr.FI | (up ? Fpscr.FR : 0);
        }
        if (up) whole = whole.add(BigInteger.ONE);
        return Binary128.pack(neg, whole, 0);
    }

    /** xsrqpxp: rounded to a 64-bit significand in quad's exponent range, in {@code mode}. */
    public static long[] roundToExtended(long hi, long lo, int mode, FloatStatus st) {
        if (isNaN(hi, lo)) {
            if (isSignalingNaN(hi, lo)) st.flags |= Fpscr.VXSNAN;
            return Binary128.quiet(hi, lo);
        }
        if (isInfinite(hi, lo) || isZero(hi, lo)) return new long[] {hi, lo};
        return Binary128.roundQuad(hi < 0, significand(hi, lo), unitExponent(hi), false, Binary128.EXTENDED, mode, st);
    }

    /** The relation of a to b as a CR field: LESS, GREATER, EQUAL (also +0 and -0) or UNORDERED. */
    public static int compare(long ah, long al, long bh, long bl) {
        if (isNaN(ah, al) || isNaN(bh, bl)) return FloatingPointCompare.UNORDERED;
        if (isZero(ah, al) && isZero(bh, bl)) return FloatingPointCompare.EQUAL;
        BigInteger a = significand(ah, al).shiftLeft(unitExponent(ah) + 16494);
        BigInteger b = significand(bh, bl).shiftLeft(unitExponent(bh) + 16494);
        if (isInfinite(ah, al)) a = BigInteger.ONE.shiftLeft(40000);
        if (isInfinite(bh, bl)) b = BigInteger.ONE.shiftLeft(40000);
        if (ah < 0) a = a.negate();
        if (bh < 0) b = b.negate();
        int c = a.compareTo(b);
        return c < 0 ? FloatingPointCompare.LESS : c > 0 ? FloatingPointCompare.GREATER : FloatingPointCompare.EQUAL;
    }
}
