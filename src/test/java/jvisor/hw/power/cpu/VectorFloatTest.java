package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VectorMachine.va;
import static jvisor.hw.power.cpu.VectorMachine.vc;
import static jvisor.hw.power.cpu.VectorMachine.vx;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Vector single-precision float: round to nearest, NaN precedence, VSCR[NJ], saturating conversions, compares. */
class VectorFloatTest {
    private static final int SNAN = 0x7F80_0001, QNAN_NEG = 0xFFC0_0123, DENORMAL = 0x0000_0001, NEG_DENORMAL = 0x8000_0005;
    private static final int DEFAULT_NAN = 0x7FC0_0000;

    @Test
    void addRoundsToNearestAndQuietsTheFirstNan() {
        VectorMachine v = new VectorMachine()
                .words(1, Float.floatToRawIntBits(1.5f), SNAN, Float.floatToRawIntBits(1.0f), 0x7F80_0000)
                .words(2, Float.floatToRawIntBits(2.25f), QNAN_NEG, Float.floatToRawIntBits(0x1p-24f), 0xFF80_0000);
        v.exec(vx(10, 3, 1, 2)); // vaddfp
        assertEquals(3.75f, v.f(3, 0));
        assertEquals(0x7FC0_0001, v.word(3, 1), "VRA's NaN first, quieted");
        assertEquals(1.0f, v.f(3, 2), "a tie rounds to even");
        assertEquals(DEFAULT_NAN, v.word(3, 3), "inf - inf is the default QNaN");
    }

    @Test
    void multiplyAddIsFusedAndTakesNansInTheOrderABC() {
        VectorMachine v = new VectorMachine()
                .words(1, Float.floatToRawIntBits(2f), Float.floatToRawIntBits(1f + 0x1p-23f), 0x3F80_0000, 0)
                .words(2, Float.floatToRawIntBits(1f), Float.floatToRawIntBits(-1f), 0x7FC0_0002, 0x7FC0_0003)
                .words(4, Float.floatToRawIntBits(3f), Float.floatToRawIntBits(1f - 0x1p-23f), 0x7FC0_0004, 0x7F80_0000);
        v.exec(va(46, 3, 1, 2, 4)); // vmaddfp: VRA * VRC + VRB
        assertEquals(7f, v.f(3, 0));
        assertEquals(-0x1p-46f, v.f(3, 1), "one rounding: (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46");
        assertEquals(0x7FC0_0002, v.word(3, 2), "VRB's NaN before VRC's");
        assertEquals(0x7FC0_0003, v.word(3, 3), "a NaN source wins over the invalid 0 * inf");
    }

    @Test
    void negativeMultiplySubtract() {
        VectorMachine v = new VectorMachine().floats(1, 2f, 1f, 0, 0).floats(2, 1f, 1f, 0, 0).floats(4, 3f, 1f, 0, 0);
        v.exec(va(47, 3, 1, 2, 4)); // vnmsubfp: -(A*C - B)
        assertEquals(-5f, v.f(3, 0));
        assertEquals(0x8000_0000, v.word(3, 1), "-(1*1 - 1) is -0");
    }

    @Test
    void maxAndMinOrderTheZeros() {
        VectorMachine v = new VectorMachine().floats(1, -0f, 0f, -1f, 5f).floats(2, 0f, -0f, 2f, Float.NaN);
        v.exec(vx(1034, 3, 1, 2), vx(1098, 4, 1, 2));
        assertEquals(0, v.word(3, 0));
        assertEquals(0, v.word(3, 1));
        assertEquals(2f, v.f(3, 2));
        assertEquals(DEFAULT_NAN, v.word(3, 3));
        assertEquals(0x8000_0000, v.word(4, 0));
        assertEquals(0x8000_0000, v.word(4, 1));
        assertEquals(-1f, v.f(4, 2));
    }

    @Test
    void nonJavaModeFlushesDenormalSourcesAndResults() {
        VectorMachine v = new VectorMachine().words(1, DENORMAL, NEG_DENORMAL, Float.floatToRawIntBits(0x1.8p-126f), 0)
                .words(2, 0, 0x8000_0000, Float.floatToRawIntBits(-0x1p-126f), 0);
        v.exec(vx(10, 3, 1, 2));
        assertEquals(DENORMAL, v.word(3, 0), "NJ=0: IEEE gradual underflow");
        assertEquals(Float.floatToRawIntBits(0x1p-127f), v.word(3, 2));
        v.vscr(0x10000).exec(vx(10, 3, 1, 2));
        assertEquals(0, v.word(3, 0));
        assertEquals(0x8000_0000, v.word(3, 1), "a negative denormal is -0: -0 + -0");
        assertEquals(0, v.word(3, 2), "a denormal result becomes 0");
        v.words(4, DENORMAL, 0, 0, 0).exec(vx(650, 5, 0, 4)); // vrfip of a denormal under NJ: +0, not 1
        assertEquals(0, v.word(5, 0));
    }

    @Test
    void roundToIntegralInEachMode() {
        VectorMachine v = new VectorMachine().floats(2, 2.5f, 3.5f, -2.7f, -0.5f);
        v.exec(vx(522, 3, 0, 2), vx(586, 4, 0, 2), vx(650, 5, 0, 2), vx(714, 6, 0, 2));
        assertEquals(2f, v.f(3, 0));
        assertEquals(4f, v.f(3, 1));
        assertEquals(-2f, v.f(4, 2));
        assertEquals(0x8000_0000, v.word(5, 3), "vrfip(-0.5) = -0");
        assertEquals(-1f, v.f(6, 3));
        assertEquals(3f, v.f(6, 1));
    }

    @Test
    void convertToIntegerSaturatesAndNanGivesZero() {
        VectorMachine v = new VectorMachine().floats(2, 3e9f, -1f, Float.NaN, 1.75f);
        v.exec(vx(970, 3, 0, 2)); // vctsxs UIM 0
        assertEquals(0x7FFF_FFFF, v.word(3, 0));
        assertEquals(-1, v.word(3, 1));
        assertEquals(0, v.word(3, 2));
        assertEquals(1, v.word(3, 3), "truncated toward zero");
        assertEquals(1, v.vscr() & 1);
        v.vscr(0).exec(vx(906, 4, 1, 2)); // vctuxs UIM 1: 1.75 * 2 = 3.5 -> 3; -1 -> 0 (saturated)
        assertEquals(0xFFFF_FFFF, v.word(4, 0));
        assertEquals(0, v.word(4, 1));
        assertEquals(3, v.word(4, 3));
        assertEquals(1, v.vscr() & 1);
        v.vscr(0).floats(2, 1f, 2f, 3f, 4f).exec(vx(970, 3, 0, 2));
        assertEquals(0, v.vscr() & 1, "SAT only when something saturated");
    }

    @Test
    void convertFromIntegerScalesByTheImmediate() {
        VectorMachine v = new VectorMachine().words(2, -1, 0xFFFF_FFFF, 3, 0x7FFF_FFFF);
        v.exec(vx(842, 3, 1, 2), vx(778, 4, 0, 2)); // vcfsx UIM 1, vcfux UIM 0
        assertEquals(-0.5f, v.f(3, 0));
        assertEquals(1.5f, v.f(3, 2));
        assertEquals(0x4F80_0000, v.word(4, 1), "2^32 - 1 rounds to 2^32");
        assertEquals(0x4F00_0000, v.word(4, 3));
    }

    @Test
    void compareBoundsReportsEachSideAndCr6() {
        VectorMachine v = new VectorMachine().floats(1, 1f, 3f, -3f, Float.NaN).floats(2, 2f, 2f, 2f, 2f);
        v.exec(vc(966, 3, 1, 2, true)); // vcmpbfp.
        assertEquals(0, v.word(3, 0));
        assertEquals(0x8000_0000, v.word(3, 1));
        assertEquals(0x4000_0000, v.word(3, 2));
        assertEquals(0xC000_0000, v.word(3, 3));
        assertEquals(0, v.m.crField(6));
        v.floats(1, 1f, -2f, 0f, 2f).exec(vc(966, 3, 1, 2, true));
        assertEquals(2, v.m.crField(6), "all within bounds");
    }

    @Test
    void comparesAreFalseForNan() {
        VectorMachine v = new VectorMachine().floats(1, 1f, Float.NaN, 2f, -0f).floats(2, 1f, Float.NaN, 1f, 0f);
        v.exec(vc(198, 3, 1, 2, true), vc(454, 4, 1, 2, false), vc(710, 5, 1, 2, false));
        assertEquals(-1, v.word(3, 0));
        assertEquals(0, v.word(3, 1));
        assertEquals(-1, v.word(3, 3), "-0 == +0");
        assertEquals(0, v.m.crField(6));
        assertEquals(-1, v.word(4, 2));
        assertEquals(0, v.word(5, 3));
    }

    @Test
    void estimates() {
        VectorMachine v = new VectorMachine().floats(2, 2f, 4f, -0f, 8f);
        v.exec(vx(266, 3, 0, 2), vx(330, 4, 0, 2), vx(394, 5, 0, 2), vx(458, 6, 0, 2));
        assertEquals(0.5f, v.f(3, 0));
        assertEquals(0x8000_0000 | 0x7F80_0000, v.word(3, 2), "1/-0 = -inf");
        assertEquals(0.5f, v.f(4, 1));
        assertEquals(Float.NEGATIVE_INFINITY, v.f(4, 2));
        assertEquals(4f, v.f(5, 0));
        assertEquals(256f, v.f(5, 3));
        assertEquals(1f, v.f(6, 0));
        assertEquals(3f, v.f(6, 3));
        assertEquals(Float.NEGATIVE_INFINITY, v.f(6, 2), "log2(-0) = -inf");
        v.floats(2, -1f, Float.NEGATIVE_INFINITY, 0, 0).exec(vx(458, 6, 0, 2), vx(394, 5, 0, 2));
        assertEquals(DEFAULT_NAN, v.word(6, 0));
        assertEquals(0, v.word(5, 1), "2^-inf = +0");
    }
}
