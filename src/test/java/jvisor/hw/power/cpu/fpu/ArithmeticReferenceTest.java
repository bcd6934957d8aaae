package jvisor.hw.power.cpu.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The IEEE core against independent references: Java's own double and float arithmetic (which
 * rounds to nearest even) and, for the directed rounding modes, the sign of the exact error of
 * the nearest result, computed with BigDecimal, which says which neighbour each mode picks.
 * Flags are checked against the same exact comparison: XX/FI when inexact, FR when the magnitude
 * was rounded up, OX on overflow, UX when tiny and inexact.
 */
class ArithmeticReferenceTest {
    private static final Precision D = Precision.DOUBLE, S = Precision.SINGLE;

    /** Special and boundary values; random ones are added by the generators. */
    static final double[] SPECIAL = {0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
        -Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.NaN, 0.5, 1.5, 2.5, -2.5, 3.0, 1.0 / 3, Math.scalb(1.0, 52), Math.scalb(1.0, 53) + 2, 0x1.fffffffffffffp-1,
        Math.nextUp(1.0), Math.nextDown(1.0), 0x0.fffffffffffffp-1022, 0x1.0p-1023, 1e300, 1e-300, 0x1.8p-1074};

    private static final SplittableRandom RANDOM = new SplittableRandom(0x5eed);

    /** A random double: any bits, moderate exponents, or tiny ones, with the specials mixed in. */
    static double randomDouble(SplittableRandom r) {
        long bits = r.nextLong();
        return switch (r.nextInt(6)) {
            case 0 -> Double.longBitsToDouble(bits);
            case 1, 2 -> Double.longBitsToDouble((bits & 0x800F_FFFF_FFFF_FFFFL) | ((long) (1023 - 30 + r.nextInt(60)) << 52));
            case 3 -> Double.longBitsToDouble((bits & 0x800F_FFFF_FFFF_FFFFL) | ((long) r.nextInt(60) << 52));
            case 4 -> Double.longBitsToDouble((bits & 0x800F_FFFF_FFFF_FFFFL) | ((long) (2046 - r.nextInt(60)) << 52));
            default -> SPECIAL[r.nextInt(SPECIAL.length)];
        };
    }

    private static long bits(double d) {
        return Double.doubleToRawLongBits(d);
    }

    private static FloatStatus st(int mode) {
        return new FloatStatus().reset(mode);
    }

    /** The same double, NaNs compared as "a NaN" (Java's own NaN bits are not POWER's). */
    private static void assertSameDouble(double expected, long actual, String what) {
        if (Double.isNaN(expected)) {
            if (!Binary64.isNaN(actual)) fail(what + ": expected a NaN, got " + Long.toHexString(actual));
            return;
        }
        if (bits(expected) != actual) {
            fail(what + ": expected " + Double.toHexString(expected) + " got " + Double.toHexString(Double.longBitsToDouble(actual)));
        }
    }

    // ---- round to nearest against Java ----

    @Test
    void roundToNearestMatchesJavaDoubleArithmeticOverMillionsOfOperands() {
        SplittableRandom r = RANDOM.split();
        for (int i = 0; i < 1_500_000; i++) {
            double a = randomDouble(r), b = randomDouble(r), c = randomDouble(r);
            String ops = Double.toHexString(a) + ", " + Double.toHexString(b) + ", " + Double.toHexString(c);
            assertSameDouble(a + b, FloatingPointArithmetic.add(bits(a), bits(b), D, st(0)), "add " + ops);
            assertSameDouble(a - b, FloatingPointArithmetic.subtract(bits(a), bits(b), D, st(0)), "sub " + ops);
            assertSameDouble(a * b, FloatingPointArithmetic.multiply(bits(a), bits(b), D, st(0)), "mul " + ops);
            assertSameDouble(a / b, FloatingPointArithmetic.divide(bits(a), bits(b), D, st(0)), "div " + ops);
            assertSameDouble(Math.sqrt(a), FloatingPointArithmetic.squareRoot(bits(a), D, st(0)), "sqrt " + ops);
            assertSameDouble(Math.fma(a, c, b),
                    FloatingPointArithmetic.multiplyAdd(bits(a), bits(c), bits(b), false, false, D, st(0)), "fma " + ops);
            assertSameDouble(-Math.fma(a, c, -b),
                    FloatingPointArithmetic.multiplyAdd(bits(a), bits(c), bits(b), true, true, D, st(0)), "fnmsub " + ops);
        }
    }

    @Test
    void singlePrecisionMatchesJavaFloatArithmeticOnFloatOperands() {
        SplittableRandom r = RANDOM.split();
        for (int i = 0; i < 1_000_000; i++) {
            float a = (float) randomDouble(r), b = (float) randomDouble(r), c = (float) randomDouble(r);
            long ba = bits(a), bb = bits(b), bc = bits(c);
            String ops = a + ", " + b + ", " + c;
            assertSameDouble((float) (a + b), FloatingPointArithmetic.add(ba, bb, S, st(0)), "adds " + ops);
            assertSameDouble((float) (a * b), FloatingPointArithmetic.multiply(ba, bb, S, st(0)), "muls " + ops);
            assertSameDouble(a / b, FloatingPointArithmetic.divide(ba, bb, S, st(0)), "divs " + ops);
            assertSameDouble((float) Math.sqrt(a), FloatingPointArithmetic.squareRoot(ba, S, st(0)), "sqrts " + ops);
            assertSameDouble(Math.fma(a, c, b), FloatingPointArithmetic.multiplyAdd(ba, bc, bb, false, false, S, st(0)),
                    "fmadds " + ops);
            assertSameDouble((float) (double) b, FloatingPointConversions.roundToSingle(bits((double) b), st(0)), "frsp");
        }
    }

    @Test
    void roundToSingleMatchesJavasDoubleToFloatConversion() {
        SplittableRandom r = RANDOM.split();
        for (int i = 0; i < 1_000_000; i++) {
            double d = randomDouble(r);
            if (i % 2 == 0) {
                d = Math.scalb(d, -Math.getExponent(d) + r.nextInt(300) - 150); // near single's range
            }
            assertSameDouble((float) d, FloatingPointConversions.roundToSingle(bits(d), st(0)), "frsp " + Double.toHexString(d));
        }
    }

    // ---- every rounding mode against exact arithmetic ----

    /** Exact value of a finite double. */
    private static BigDecimal exact(double d) {
        return new BigDecimal(d);
    }

    /**
     * Checks {@code actual} is the rounding of an exact value in {@code mode}, given the nearest
     * double {@code nearest} and the sign of (exact - nearest), and that XX/FI/FR say so.
     */
    private static void checkDirected(int mode, double nearest, int errorSign, boolean exactNegative, long actual,
                                      FloatStatus st, String what) {
        double expected = nearest;
        if (errorSign > 0) {
            boolean up = mode == Fpscr.ROUND_UP || (mode == Fpscr.ROUND_TOWARD_ZERO && exactNegative);
            if (up) expected = Math.nextUp(nearest);
        } else if (errorSign < 0) {
            boolean down = mode == Fpscr.ROUND_DOWN || (mode == Fpscr.ROUND_TOWARD_ZERO && !exactNegative);
            if (down) expected = Math.nextDown(nearest);
        }
        if (mode != Fpscr.ROUND_NEAREST && Double.isInfinite(nearest) && errorSign != 0) {
            // The nearest overflowed: toward zero (or away from the infinity) gives the largest finite.
            boolean keepInfinity = mode == (nearest > 0 ? Fpscr.ROUND_UP : Fpscr.ROUND_DOWN);
            expected = keepInfinity ? nearest : Math.copySign(Double.MAX_VALUE, nearest);
        }
        if (expected == 0 && nearest == 0 && errorSign != 0) {
            expected = exactNegative ? -0.0 : 0.0;
        }
        assertSameDouble(expected, actual, what + " mode " + mode);
        boolean inexact = errorSign != 0;
        assertEquals(inexact, (st.flags & Fpscr.XX) != 0, what + " XX mode " + mode);
        assertEquals(inexact, (st.flags & Fpscr.FI) != 0, what + " FI mode " + mode);
        if (!Double.isInfinite(expected)) {
            // Rounded up in magnitude: the result lies beyond the exact value, away from zero.
            boolean fr = inexact && (exactNegative ? errorSign > 0 : errorSign < 0) == (expected == nearest);
            assertEquals(fr, (st.flags & Fpscr.FR) != 0, what + " FR mode " + mode);
        }
    }

    private static int errorSign(BigDecimal exactValue, double nearest) {
        if (Double.isInfinite(nearest)) {
            return nearest > 0 ? -1 : 1; // the exact value is finite: below +inf, above -inf
        }
        return exactValue.compareTo(exact(nearest));
    }

    @Test
    void directedRoundingOfSumsProductsAndFusedProductsFollowsTheExactResult() {
        SplittableRandom r = RANDOM.split();
        for (int i = 0; i < 200_000; i++) {
            double a = randomDouble(r), b = randomDouble(r), c = randomDouble(r);
            if (!Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c)) continue;
            BigDecimal sum = exact(a).add(exact(b)), product = exact(a).multiply(exact(b));
            BigDecimal fused = exact(a).multiply(exact(c)).add(exact(b));
            for (int mode = 0; mode < 4; mode++) {
                String ops = Double.toHexString(a) + ", " + Double.toHexString(b) + ", " + Double.toHexString(c);
                if (sum.signum() != 0) {
                    FloatStatus s = st(mode);
                    long got = FloatingPointArithmetic.add(bits(a), bits(b), D, s);
                    checkDirected(mode, a + b, errorSign(sum, a + b), sum.signum() < 0, got, s, "add " + ops);
                }
                if (product.signum() != 0) {
                    FloatStatus s = st(mode);
                    long got = FloatingPointArithmetic.multiply(bits(a), bits(b), D, s);
                    checkDirected(mode, a * b, errorSign(product, a * b), product.signum() < 0, got, s, "mul " + ops);
                }
                if (fused.signum() != 0) {
                    FloatStatus s = st(mode);
                    long got = FloatingPointArithmetic.multiplyAdd(bits(a), bits(c), bits(b), false, false, D, s);
                    double n = Math.fma(a, c, b);
                    checkDirected(mode, n, errorSign(fused, n), fused.signum() < 0, got, s, "fma " + ops);
                }
            }
        }
    }

    @Test
    void directedRoundingOfQuotientsAndRootsFollowsTheExactResult() {
        SplittableRandom r = RANDOM.split();
        for (int i = 0; i < 200_000; i++) {
            double a = randomDouble(r), b = randomDouble(r);
            if (!Double.isFinite(a) || !Double.isFinite(b) || a == 0 || b == 0) continue;
            String ops = Double.toHexString(a) + ", " + Double.toHexString(b);
            double q = a / b;
            // sign(a/b - q) = sign(a - q*b) * sign(b), exactly.
            int qs = Double.isInfinite(q) ? (q > 0 ? -1 : 1)
                    : exact(a).subtract(exact(q).multiply(exact(b))).signum() * (b > 0 ? 1 : -1);
            double root = Math.sqrt(Math.abs(a));
            int rs = exact(Math.abs(a)).compareTo(exact(root).multiply(exact(root)));
            for (int mode = 0; mode < 4; mode++) {
                if (q != 0 || qs != 0) {
                    FloatStatus s = st(mode);
                    long got = FloatingPointArithmetic.divide(bits(a), bits(b), D, s);
                    checkDirected(mode, q, qs, (a < 0) != (b < 0), got, s, "div " + ops);
                }
                FloatStatus s = st(mode);
                long got = FloatingPointArithmetic.squareRoot(bits(Math.abs(a)), D, s);
                checkDirected(mode, root, rs, false, got, s, "sqrt " + ops);
            }
        }
    }

    @Test
    void singlePrecisionFlagsFollowTheExactResult() {
        SplittableRandom r = RANDOM.split();
        for (int i = 0; i < 300_000; i++) {
            float a = (float) randomDouble(r), b = (float) randomDouble(r);
            if (i % 2 == 0) {
                // Mostly moderate magnitudes, where the host's arithmetic does the work.
                a = Math.scalb(a, -Math.getExponent(a) + r.nextInt(100) - 50);
                b = Math.scalb(b, -Math.getExponent(b) + r.nextInt(100) - 50);
            }
            if (!Float.isFinite(a) || !Float.isFinite(b) || a == 0 || b == 0) continue;
            String ops = Float.toHexString(a) + ", " + Float.toHexString(b);
            BigDecimal sum = exact(a).add(exact(b)), difference = exact(a).subtract(exact(b)), product = exact(a).multiply(exact(b));
            float s = a + b, d = a - b, m = a * b, q = a / b;
            if (sum.signum() != 0 && Float.isFinite(s)) {
                FloatStatus st = st(0);
                long got = FloatingPointArithmetic.add(bits(a), bits(b), S, st);
                checkDirected(0, s, errorSign(sum, s), sum.signum() < 0, got, st, "adds " + ops);
            }
            if (difference.signum() != 0 && Float.isFinite(d)) {
                FloatStatus st = st(0);
                long got = FloatingPointArithmetic.subtract(bits(a), bits(b), S, st);
                checkDirected(0, d, errorSign(difference, d), difference.signum() < 0, got, st, "subs " + ops);
            }
            if (Float.isFinite(m) && m != 0 && Math.abs(m) >= Float.MIN_NORMAL) {
                FloatStatus st = st(0);
                long got = FloatingPointArithmetic.multiply(bits(a), bits(b), S, st);
                checkDirected(0, m, errorSign(product, m), product.signum() < 0, got, st, "muls " + ops);
            }
            if (Float.isFinite(q) && q != 0 && Math.abs(q) >= Float.MIN_NORMAL) {
                FloatStatus st = st(0);
                long got = FloatingPointArithmetic.divide(bits(a), bits(b), S, st);
                // sign(a/b - q) = sign(a - q*b) * sign(b), exactly.
                int qs = exact(a).subtract(exact(q).multiply(exact(b))).signum() * (b > 0 ? 1 : -1);
                checkDirected(0, q, qs, (a < 0) != (b < 0), got, st, "divs " + ops);
            }
        }
    }

    @Test
    void overflowAndUnderflowFlagsFollowTininessBeforeRounding() {
        SplittableRandom r = RANDOM.split();
        double tinyLimit = Double.MIN_NORMAL;
        for (int i = 0; i < 300_000; i++) {
            double a = randomDouble(r), b = randomDouble(r);
            if (!Double.isFinite(a) || !Double.isFinite(b) || a == 0 || b == 0) continue;
            BigDecimal p = exact(a).multiply(exact(b));
            for (int mode = 0; mode < 4; mode++) {
                FloatStatus s = st(mode);
                long got = FloatingPointArithmetic.multiply(bits(a), bits(b), D, s);
                boolean inexact = Binary64.isInfinite(got) || p.compareTo(exact(Double.longBitsToDouble(got))) != 0;
                boolean tiny = p.abs().compareTo(exact(tinyLimit)) < 0;
                BigDecimal mag = p.abs(), max = exact(Double.MAX_VALUE);
                boolean awayFromZero = (mode == Fpscr.ROUND_UP && p.signum() > 0) || (mode == Fpscr.ROUND_DOWN && p.signum() < 0);
                boolean overflow = mode == Fpscr.ROUND_NEAREST ? mag.compareTo(max.add(exact(Math.ulp(Double.MAX_VALUE) / 2))) >= 0
                        : awayFromZero ? mag.compareTo(max) > 0 : mag.compareTo(exact(Math.scalb(1.0, 1023)).multiply(BigDecimal.valueOf(2))) >= 0;
                String what = "mul " + Double.toHexString(a) + ", " + Double.toHexString(b) + " mode " + mode;
                assertEquals(tiny && inexact, (s.flags & Fpscr.UX) != 0, what + " UX");
                assertEquals(overflow, (s.flags & Fpscr.OX) != 0, what + " OX");
            }
        }
    }
}
