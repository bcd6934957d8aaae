package jvisor.hw.power.cpu.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The binary128 core against independent references. The product of two doubles (106 bits) and
 * the sum of two doubles whose exponents are close are exact in quad precision, so converting the
 * quad result to double (to nearest) must give Java's double result. Quotients and square roots
 * are checked against BigDecimal to 60 decimal digits: the quad result must be the nearest quad
 * to that approximation (it lies well within half a unit of the last place of 113 bits).
 */
class Binary128ReferenceTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(0x128);

    private static FloatStatus status(int mode) {
        return new FloatStatus().reset(mode);
    }

    private static double moderate(SplittableRandom r) {
        long bits = r.nextLong();
        return Double.longBitsToDouble((bits & 0x800F_FFFF_FFFF_FFFFL) | ((long) (1023 - 200 + r.nextInt(400)) << 52));
    }

    private static long[] quad(double d) {
        return QuadConversions.fromDouble(Double.doubleToRawLongBits(d), status(0));
    }

    private static double toDouble(long[] q) {
        return Double.longBitsToDouble(QuadConversions.toDouble(q[0], q[1], Fpscr.ROUND_NEAREST, status(0)));
    }

    /** The exact value of a finite quad as a BigDecimal. */
    private static BigDecimal exact(long[] q) {
        BigDecimal m = new BigDecimal(Binary128.significand(q[0], q[1]));
        int e = Binary128.unitExponent(q[0]);
        BigDecimal v = e >= 0 ? m.multiply(new BigDecimal(java.math.BigInteger.TWO.pow(e)))
                : m.divide(new BigDecimal(java.math.BigInteger.TWO.pow(-e)));
        return q[0] < 0 ? v.negate() : v;
    }

    /** One unit in the last place of a normal quad. */
    private static BigDecimal ulp(long[] q) {
        int e = Binary128.unitExponent(q[0]);
        return e >= 0 ? new BigDecimal(java.math.BigInteger.TWO.pow(e)) : BigDecimal.ONE.divide(new BigDecimal(java.math.BigInteger.TWO.pow(-e)));
    }

    @Test
    void productsAndCloseSumsOfDoublesAreExact() {
        for (int i = 0; i < 20000; i++) {
            double a = moderate(RANDOM), b = moderate(RANDOM);
            long[] qa = quad(a), qb = quad(b);
            FloatStatus st = status(Fpscr.ROUND_NEAREST);
            long[] p = Binary128.multiply(qa[0], qa[1], qb[0], qb[1], Fpscr.ROUND_NEAREST, st);
            assertEquals(0, st.flags & Fpscr.XX, "a product of doubles is exact");
            assertEquals(Double.doubleToRawLongBits(a * b), Double.doubleToRawLongBits(toDouble(p)), a + " * " + b);
            double c = Math.scalb(moderate(RANDOM), Math.getExponent(a) - Math.getExponent(moderate(RANDOM)));
            if (Double.isInfinite(c) || c == 0 || Math.abs(Math.getExponent(a) - Math.getExponent(c)) > 55) continue;
            long[] qc = quad(c);
            st = status(Fpscr.ROUND_NEAREST);
            long[] s = Binary128.add(qa[0], qa[1], qc[0], qc[1], Fpscr.ROUND_NEAREST, st);
            assertEquals(0, st.flags & Fpscr.XX, "a sum of close doubles is exact");
            assertEquals(Double.doubleToRawLongBits(a + c), Double.doubleToRawLongBits(toDouble(s)), a + " + " + c);
        }
    }

    @Test
    void quotientsAndRootsAreWithinHalfAnUlpInEveryMode() {
        MathContext mc = new MathContext(80, RoundingMode.HALF_EVEN);
        for (int i = 0; i < 3000; i++) {
            // Positive normal operands, so that rounding down is rounding toward zero.
            long[] a = {(RANDOM.nextLong() & Binary128.FRACTION_HI) | (long) (16383 - 300 + RANDOM.nextInt(600)) << 48,
                RANDOM.nextLong()};
            long[] b = {(RANDOM.nextLong() & Binary128.FRACTION_HI) | (long) (16383 - 300 + RANDOM.nextInt(600)) << 48,
                RANDOM.nextLong()};
            BigDecimal q = exact(a).divide(exact(b), mc);
            BigDecimal r = exact(a).sqrt(mc);
            for (int mode = 0; mode < 4; mode++) {
                long[] d = Binary128.divide(a[0], a[1], b[0], b[1], mode, status(mode));
                check(d, q, mode, "divide");
                long[] s = Binary128.squareRoot(a[0], a[1], mode, status(mode));
                check(s, r, mode, "sqrt");
            }
        }
    }

    /** The result is the neighbour of the exact value {@code x} that {@code mode} picks. */
    private static void check(long[] got, BigDecimal x, int mode, String what) {
        BigDecimal g = exact(got);
        BigDecimal err = g.subtract(x);
        BigDecimal u = ulp(got);
        String m = what + " mode " + mode + " got " + Long.toHexString(got[0]) + "." + Long.toHexString(got[1]);
        switch (mode) {
            case Fpscr.ROUND_NEAREST -> assertEquals(true, err.abs().compareTo(u.divide(BigDecimal.TWO)) <= 0, m);
            case Fpscr.ROUND_TOWARD_ZERO -> assertEquals(true, err.signum() <= 0 && err.abs().compareTo(u) < 0, m);
            case Fpscr.ROUND_UP -> assertEquals(true, err.signum() >= 0 && err.compareTo(u) < 0, m);
            default -> assertEquals(true, err.signum() <= 0 && err.abs().compareTo(u) < 0, m);
        }
    }
}
