package jvisor.hw.power.cpu.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Conversions against BigDecimal and Java: to and from 32/64-bit signed and unsigned integers in
 * every rounding mode (with the invalid-conversion saturation of ISA 4.6.7), rounding to an
 * integral value (frin's ties away from zero), and the single-precision storage formats.
 */
class ConversionReferenceTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(0xc0ffee);

    private static long bits(double d) {
        return Double.doubleToRawLongBits(d);
    }

    private static RoundingMode javaMode(int mode) {
        return switch (mode) {
            case Fpscr.ROUND_NEAREST -> RoundingMode.HALF_EVEN;
            case Fpscr.ROUND_TOWARD_ZERO -> RoundingMode.DOWN;
            case Fpscr.ROUND_UP -> RoundingMode.CEILING;
            default -> RoundingMode.FLOOR;
        };
    }

    /** A double near the integer ranges: random magnitudes up to 2^70 with fractions, and boundaries. */
    private static double nearIntegers(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> Double.longBitsToDouble(r.nextLong());
            case 1 -> (r.nextBoolean() ? 1 : -1) * Math.scalb(r.nextDouble(), r.nextInt(72));
            case 2 -> (r.nextBoolean() ? 1 : -1) * (Math.scalb(1.0, 31 + r.nextInt(2) * 32 + r.nextInt(2)) + r.nextInt(5) - 2.5);
            case 3 -> r.nextInt(9) * 0.25 - 1;
            default -> ArithmeticReferenceTest.SPECIAL[r.nextInt(ArithmeticReferenceTest.SPECIAL.length)];
        };
    }

    @Test
    void toIntegerRoundsInEveryModeAndSaturatesWhatDoesNotFit() {
        SplittableRandom r = RANDOM.split();
        BigDecimal[][] ranges = {
            {BigDecimal.valueOf(Integer.MIN_VALUE), BigDecimal.valueOf(Integer.MAX_VALUE)},
            {BigDecimal.ZERO, BigDecimal.valueOf(0xFFFF_FFFFL)},
            {BigDecimal.valueOf(Long.MIN_VALUE), BigDecimal.valueOf(Long.MAX_VALUE)},
            {BigDecimal.ZERO, new BigDecimal("18446744073709551615")}};
        for (int i = 0; i < 400_000; i++) {
            double d = nearIntegers(r);
            for (int k = 0; k < 4; k++) {
                int width = k < 2 ? 32 : 64;
                boolean signed = k % 2 == 0;
                for (int mode = 0; mode < 4; mode++) {
                    FloatStatus st = new FloatStatus().reset(mode);
                    long got = FloatingPointConversions.toInteger(bits(d), width, signed, mode, st);
                    String what = Double.toHexString(d) + " to " + (signed ? "s" : "u") + width + " mode " + mode;
                    long expected;
                    int flags;
                    if (Double.isNaN(d)) {
                        expected = signed ? ranges[k][0].longValue() : 0;
                        flags = Fpscr.VXCVI | (Binary64.isSignalingNaN(bits(d)) ? Fpscr.VXSNAN : 0);
                    } else if (Double.isInfinite(d)) {
                        expected = (d > 0 ? ranges[k][1] : ranges[k][0]).longValue();
                        flags = Fpscr.VXCVI;
                    } else {
                        BigDecimal exact = new BigDecimal(d);
                        BigDecimal rounded = exact.setScale(0, javaMode(mode));
                        if (rounded.compareTo(ranges[k][0]) < 0) {
                            expected = ranges[k][0].longValue();
                            flags = Fpscr.VXCVI;
                        } else if (rounded.compareTo(ranges[k][1]) > 0) {
                            expected = ranges[k][1].longValue();
                            flags = Fpscr.VXCVI;
                        } else {
                            expected = rounded.longValue();
                            boolean inexact = rounded.compareTo(exact) != 0;
                            boolean up = rounded.abs().compareTo(exact.abs()) > 0;
                            flags = (inexact ? Fpscr.XX | Fpscr.FI : 0) | (up ? Fpscr.FR : 0);
                        }
                    }
                    if (width == 32) {
                        expected &= 0xFFFF_FFFFL;
                    }
                    assertEquals(expected, got, what);
                    assertEquals(flags, st.flags, what + " flags");
                }
            }
        }
    }

    @Test
    void fromIntegerRoundsInEveryMode() {
        SplittableRandom r = RANDOM.split();
        BigDecimal two64 = new BigDecimal("18446744073709551616");
        for (int i = 0; i < 300_000; i++) {
            long v = switch (i % 3) {
                case 0 -> r.nextLong();
                case 1 -> r.nextLong() >> r.nextInt(64);
                default -> (1L << r.nextInt(64)) + r.nextInt(7) - 3;
            };
            for (int k = 0; k < 4; k++) {
                boolean signed = k % 2 == 0;
                Precision p = k < 2 ? Precision.DOUBLE : Precision.SINGLE;
                BigDecimal exact = new BigDecimal(v);
                if (!signed && v < 0) {
                    exact = exact.add(two64);
                }
                for (int mode = 0; mode < 4; mode++) {
                    FloatStatus st = new FloatStatus().reset(mode);
                    double got = Double.longBitsToDouble(FloatingPointConversions.fromInteger(v, signed, p, st));
                    BigDecimal g = new BigDecimal(got);
                    String what = Long.toHexString(v) + (signed ? " signed " : " unsigned ") + p + " mode " + mode;
                    // got is a value of the precision, on the right side of the exact value, and
                    // no value of the precision lies strictly between them.
                    int side = g.compareTo(exact);
                    switch (mode) {
                        case Fpscr.ROUND_UP -> assertEquals(true, side >= 0, what);
                        case Fpscr.ROUND_DOWN -> assertEquals(true, side <= 0, what);
                        case Fpscr.ROUND_TOWARD_ZERO -> assertEquals(true, g.abs().compareTo(exact.abs()) <= 0, what);
                        default -> { }
                    }
                    double other = side > 0 ? Math.nextDown(got) : Math.nextUp(got);
                    if (p == Precision.SINGLE) {
                        other = side > 0 ? Math.nextDown((float) got) : Math.nextUp((float) got);
                        assertEquals(got, (double) (float) got, what + " is a single");
                    }
                    if (side != 0 && mode == Fpscr.ROUND_NEAREST) {
                        int c = exact.subtract(g).abs().compareTo(exact.subtract(new BigDecimal(other)).abs());
                        assertEquals(true, c <= 0, what + " nearest");
                    } else if (side != 0) {
                        assertEquals(true, new BigDecimal(other).compareTo(exact) * side < 0 || other == got, what + " adjacent");
                    }
                    assertEquals(side != 0, (st.flags & Fpscr.XX) != 0, what + " XX");
                }
            }
            // Round to nearest agrees with Java where Java converts exactly as IEEE says.
            {
                FloatStatus st = new FloatStatus().reset(0);
                assertEquals(bits((double) v), FloatingPointConversions.fromInteger(v, true, Precision.DOUBLE, st));
                assertEquals(bits((float) v), FloatingPointConversions.fromInteger(v, true, Precision.SINGLE, st));
            }
        }
    }

    @Test
    void roundToIntegralMatchesJavaRoundingFunctions() {
        SplittableRandom r = RANDOM.split();
        for (int i = 0; i < 500_000; i++) {
            double d = nearIntegers(r);
            if (Double.isNaN(d)) continue;
            FloatStatus st = new FloatStatus().reset(0);
            double away = Math.abs(d) >= 0x1p52 ? d : Math.copySign(Math.floor(Math.abs(d) + 0.5), d);
            assertEquals(bits(away), FloatingPointConversions.roundToIntegral(bits(d), FloatingPointConversions.ROUND_NEAREST_AWAY, st), "frin " + d);
            assertEquals(bits(d < 0 ? -Math.floor(-d) : Math.floor(d)), FloatingPointConversions.roundToIntegral(bits(d), Fpscr.ROUND_TOWARD_ZERO, st), "friz " + d);
            assertEquals(bits(Math.ceil(d)), FloatingPointConversions.roundToIntegral(bits(d), Fpscr.ROUND_UP, st), "frip " + d);
            assertEquals(bits(Math.floor(d)), FloatingPointConversions.roundToIntegral(bits(d), Fpscr.ROUND_DOWN, st), "frim " + d);
            assertEquals(0, st.flags, "fri* raise nothing but VXSNAN");
        }
        FloatStatus st = new FloatStatus().reset(0);
        assertEquals(0x7FF8_0000_0000_0001L, FloatingPointConversions.roundToIntegral(0x7FF0_0000_0000_0001L, Fpscr.ROUND_UP, st));
        assertEquals(Fpscr.VXSNAN, st.flags);
    }

    @Test
    void singleStorageFormatRoundTripsThroughDouble() {
        SplittableRandom r = RANDOM.split();
        for (int i = 0; i < 1_000_000; i++) {
            int w = i < 1 << 16 ? i * 0x10001 : r.nextInt();
            long d = FloatingPointConversions.singleToDouble(w);
            float f = Float.intBitsToFloat(w);
            if (!Float.isNaN(f)) {
                assertEquals(bits(f), d, Integer.toHexString(w));
            } else {
                // NaNs keep sign and fraction: an SNaN stays signaling.
                assertEquals(((long) w & 0x8000_0000L) << 32 | 0x7FF0_0000_0000_0000L | ((long) (w & 0x7F_FFFF) << 29), d);
            }
            assertEquals(w, FloatingPointConversions.doubleToSingle(d), "store of " + Integer.toHexString(w));
        }
        // Out of single's range the store does not round: it keeps bits 0:1 and 5:34.
        assertEquals(0x6380_0000, FloatingPointConversions.doubleToSingle(bits(Math.scalb(1.0, 200)))); // 01 1000111 0...
        // Below single's denormals (exponent < 874): a signed zero.
        assertEquals(0x8000_0000, FloatingPointConversions.doubleToSingle(bits(-Math.scalb(1.0, -160))));
        // A double between single denormals is truncated, not rounded.
        assertEquals(1, FloatingPointConversions.doubleToSingle(bits(Math.scalb(1.9, -149))));
    }
}
