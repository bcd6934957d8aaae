package jvisor.hw.power.cpu.fpu;

/** Fields and classification of IEEE 754 binary64 values held as their bits. */
public final class Binary64 {
    private Binary64() {
    }

    public static final long SIGN = 1L << 63;
    public static final long EXPONENT = 0x7FFL << 52;
    public static final long FRACTION = (1L << 52) - 1;
    public static final long IMPLICIT = 1L << 52;
    /** The quiet bit of a NaN (the most significant fraction bit). */
    public static final long QUIET = 1L << 51;
    public static final int BIAS = 1023;
    /** The default QNaN an invalid operation delivers. */
    public static final long DEFAULT_NAN = 0x7FF8_0000_0000_0000L;
    public static final long POSITIVE_INFINITY = 0x7FF0_0000_0000_0000L;
    public static final long ONE = 0x3FF0_0000_0000_0000L;

    public static boolean isNaN(long x) {
        return (x & ~SIGN) > POSITIVE_INFINITY;
    }

    public static boolean isSignalingNaN(long x) {
        return isNaN(x) && (x & QUIET) == 0;
    }

    public static boolean isInfinite(long x) {
        return (x & ~SIGN) == POSITIVE_INFINITY;
    }

    public static boolean isZero(long x) {
        return (x & ~SIGN) == 0;
    }

    /** Zero or denormalized (biased exponent 0). */
    public static boolean isZeroOrDenormal(long x) {
        return (x & EXPONENT) == 0;
    }

    /** Finite and not zero. */
    public static boolean isFiniteNonZero(long x) {
        long m = x & ~SIGN;
        return m != 0 && m < POSITIVE_INFINITY;
    }

    public static boolean isNegative(long x) {
        return x < 0;
    }

    /** The biased exponent field. */
    public static int biasedExponent(long x) {
        return (int) (x >>> 52) & 0x7FF;
    }

    /**
     * The exponent of the leading significant bit of a finite non-zero value (denormals
     * normalized): the value is {@code significand(x) * 2^(exponent(x) - 52)}.
     */
    public static int exponent(long x) {
        int b = biasedExponent(x);
        if (b != 0) {
            return b - BIAS;
        }
        return -1022 - (Long.numberOfLeadingZeros(x & FRACTION) - 11);
    }

    /** The significand of a finite non-zero value with its leading one at bit 52 (denormals normalized). */
    public static long significand(long x) {
        if ((x & EXPONENT) != 0) {
            return (x & FRACTION) | IMPLICIT;
        }
        long f = x & FRACTION;
        return f << (Long.numberOfLeadingZeros(f) - 11);
    }

    /** A NaN made quiet. */
    public static long quiet(long x) {
        return x | QUIET;
    }
}
