package jvisor.hw.power.cpu.fpu;

/**
 * The common case of {@link FloatingPointArithmetic} done by the host's own floating point: round
 * to nearest even, operands finite, nonzero and of moderate magnitude. There the JVM's double
 * arithmetic is the very IEEE 754 operation the instruction performs, and the only extra work is
 * the FPSCR's inexact and fraction-rounded bits, which follow from the sign of the exact error of
 * the double result. That error is itself a double, computed exactly: by Knuth's two-sum for a
 * sum, by a fused multiply-add for a product ({@code a * b - p}) and for a quotient's remainder
 * ({@code a - q * b}). Within the exponent bounds used here no result, error or remainder can
 * underflow or overflow, which is what makes them exact.
 *
 * <p>Single precision takes the quick path only when both operands are single-precision values
 * (as single-precision code's operands are): then rounding the double result to single gives the
 * correctly rounded single result (a double holds more than 2p+2 bits for p = 24, so the second
 * rounding is innocuous for +, -, * and /), and the flags compare the single result with the
 * double one first and with the exact value through the double's error only when they are equal.
 *
 * <p>Everything else (NaNs, infinities, zeros, denormals, extreme exponents, the directed rounding
 * modes, enabled overflow or underflow) returns {@link #NO_RESULT} and goes the exact integer way.
 */
final class HostArithmetic {
    private HostArithmetic() {
    }

    /** Not a result: a NaN, which the quick paths never produce. */
    static final long NO_RESULT = -1L;

    /** Biased exponent bounds of a double operand: unbiased -400..400. */
    private static final int DOUBLE_LOW = 1023 - 400, DOUBLE_HIGH = 1023 + 400;
    /** Biased exponent bounds of a single-precision operand (in double format): unbiased -60..60. */
    private static final int SINGLE_LOW = 1023 - 60, SINGLE_HIGH = 1023 + 60;
    /** Fraction bits a single-precision value in double format has as zeros. */
    private static final long BEYOND_SINGLE = (1L << 29) - 1;

    private static boolean moderate(long a, Precision p) {
        int e = (int) (a >>> 52) & 0x7FF;
        if (p == Precision.DOUBLE) {
            return e >= DOUBLE_LOW && e <= DOUBLE_HIGH;
        }
        return e >= SINGLE_LOW && e <= SINGLE_HIGH && (a & BEYOND_SINGLE) == 0;
    }

    private static boolean applies(long a, long b, Precision p, FloatStatus st) {
        return st.roundingMode == Fpscr.ROUND_NEAREST && p != Precision.HALF && moderate(a, p) && moderate(b, p);
    }

    static long add(long a, long b, Precision p, FloatStatus st) {
        if (!applies(a, b, p, st)) {
            return NO_RESULT;
        }
        double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b);
        double s = x + y;
        double yPart = s - x;
        double error = (x - (s - yPart)) + (y - yPart);
        return deliver(s, error, p, st);
    }

    static long multiply(long a, long b, Precision p, FloatStatus st) {
        if (!applies(a, b, p, st)) {
            return NO_RESULT;
        }
        double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b);
        double m = x * y;
        return deliver(m, Math.fma(x, y, -m), p, st);
    }

    static long divide(long a, long b, Precision p, FloatStatus st) {
        if (!applies(a, b, p, st)) {
            return NO_RESULT;
        }
        double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b);
        double q = x / y;
        // exact quotient - q = (x - q * y) / y: the sign of the remainder times that of y.
        double remainder = Math.fma(-q, y, x);
        return deliver(q, y < 0 ? -remainder : remainder, p, st);
    }

    /**
     * Delivers {@code d}, the double nearest the exact result, whose error (exact - d) has the
     * sign of {@code error}: rounded to single if asked, with XX, FI and FR set as the exact
     * integer path sets them.
     */
    private static long deliver(double d, double error, Precision p, FloatStatus st) {
        double r = d;
        boolean inexact, up;
        if (p == Precision.SINGLE && (double) (float) d != d) {
            r = (float) d;
            inexact = true;
            up = Math.abs(r) > Math.abs(d);
        } else {
            inexact = error != 0;
            // Rounded up in magnitude: the exact value lies between zero and the result.
            up = inexact && (error < 0) == (d > 0);
        }
        if (inexact) {
            st.flags |= Fpscr.XX | Fpscr.FI | (up ? Fpscr.FR : 0);
        }
        return Double.doubleToRawLongBits(r);
    }
}
