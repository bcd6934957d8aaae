package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VectorMachine.vx;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Packed decimal instructions and vmul10*: results and CR6 (LT 8, GT 4, EQ 2, SO 1). */
class VectorDecimalTest {
    /** The bcd forms with bit 21 set, PS in bit 22. */
    private static int bcd(int xo, int t, int a, int b, int ps) {
        return vx(0x400 | (ps << 9) | xo, t, a, b);
    }

    private static VectorMachine run(int word, long aHi, long aLo, long bHi, long bLo) {
        return new VectorMachine().vr(1, aHi, aLo).vr(2, bHi, bLo).exec(word);
    }

    @Test
    void addOfLikeSigns() {
        VectorMachine v = run(bcd(1, 3, 1, 2, 0), 0, 0x123C, 0, 0x456A);
        assertEquals(0x579C, v.lo(3));
        assertEquals(4, v.m.crField(6));
    }

    @Test
    void addOfUnlikeSignsTakesTheLargerMagnitudesSign() {
        VectorMachine v = run(bcd(1, 3, 1, 2, 1), 0, 0x100D, 0, 0x030F);
        assertEquals(0x070D, v.lo(3));
        assertEquals(8, v.m.crField(6));
        VectorMachine p = run(bcd(1, 3, 1, 2, 1), 0, 0x100B, 0, 0x130C);
        assertEquals(0x030F, p.lo(3), "PS=1: plus is 0xF");
    }

    @Test
    void overflowKeepsThirtyOneDigitsAndSetsSo() {
        VectorMachine v = run(bcd(1, 3, 1, 2, 0), 0x9999_9999_9999_9999L, 0x9999_9999_9999_999CL, 0, 0x001C);
        assertEquals(0, v.hi(3));
        assertEquals(0x000C, v.lo(3));
        assertEquals(4 | 1, v.m.crField(6));
    }

    @Test
    void aZeroDifferenceIsPlusZero() {
        VectorMachine v = run(bcd(65, 3, 1, 2, 0), 0, 0x5D, 0, 0x5B); // -5 - -5
        assertEquals(0x0C, v.lo(3));
        assertEquals(2, v.m.crField(6));
    }

    @Test
    void invalidSourcesSetOnlySo() {
        assertEquals(1, run(bcd(1, 3, 1, 2, 0), 0, 0x1A3C, 0, 0x1C).m.crField(6), "digit 0xA");
        assertEquals(1, run(bcd(1, 3, 1, 2, 0), 0, 0x123, 0, 0x1C).m.crField(6), "sign code 3");
    }

    @Test
    void shiftsMoveDigitsAndRoundHalfUp() {
        assertEquals(0x12300D, run(bcd(193, 3, 1, 2, 0), 2, 0, 0, 0x123B).lo(3), "left 2; minus B becomes the preferred D");
        VectorMachine r = run(bcd(193, 3, 1, 2, 0), 0xFF, 0, 0, 0x123C); // shift -1
        assertEquals(0x12C, r.lo(3));
        assertEquals(4, r.m.crField(6));
        assertEquals(0x13C, run(bcd(449, 3, 1, 2, 0), 0xFF, 0, 0, 0x125C).lo(3), "bcdsr.: 12.5 rounds to 13");
        VectorMachine out = run(bcd(193, 3, 1, 2, 0), 1, 0, 0x1000_0000_0000_0000L, 0x1C);
        assertEquals(4 | 1, out.m.crField(6), "a nonzero digit shifted out on the left");
    }

    @Test
    void truncateKeepsTheLowDigits() {
        VectorMachine v = run(bcd(257, 3, 1, 2, 0), 2, 0, 0, 0x12345C); // keep 2 digits
        assertEquals(0x45C, v.lo(3));
        assertEquals(4 | 1, v.m.crField(6));
        VectorMachine u = run(bcd(321, 3, 1, 2, 0), 3, 0, 0, 0x12345678L); // bcdutrunc. keep 3 of 32 unsigned digits
        assertEquals(0x678, u.lo(3));
        assertEquals(4 | 1, u.m.crField(6));
    }

    @Test
    void unsignedShift() {
        VectorMachine v = run(bcd(129, 3, 1, 2, 0), 2, 0, 0, 0x1234); // bcdus. left 2
        assertEquals(0x123400, v.lo(3));
        assertEquals(4, v.m.crField(6));
    }

    @Test
    void signedQuadwordConversionsRoundTrip() {
        VectorMachine v = new VectorMachine().vr(2, 0, 0x12345D);
        v.exec(vx(0x400 | 385, 3, 0, 2)); // bcdctsq.
        assertEquals(-1, v.hi(3));
        assertEquals(-12345L, v.lo(3));
        assertEquals(8, v.m.crField(6));
        v.exec(vx(0x400 | 385, 4, 2, 3)); // bcdcfsq.
        assertEquals(0x12345D, v.lo(4));
        v.vr(5, 0x7E37_BE20_22C0_914BL, 0x2680_0000_0000_0000L).exec(vx(0x400 | 385, 6, 2, 5)); // 10^31
        assertEquals(4 | 1, v.m.crField(6));
    }

    @Test
    void nationalAndZonedConversions() {
        VectorMachine v = new VectorMachine().vr(2, 0, 0x1234567C);
        v.exec(vx(0x400 | 385, 3, 5, 2)); // bcdctn.
        assertEquals(0x0031_0032_0033_0034L, v.hi(3));
        assertEquals(0x0035_0036_0037_002BL, v.lo(3));
        v.exec(vx(0x400 | 385, 4, 7, 3)); // bcdcfn. back
        assertEquals(0x1234567C, v.lo(4));
        v.exec(vx(0x400 | 385, 5, 4, 2)); // bcdctz. PS=0: zones 3, sign 3 (plus)
        assertEquals(0x3030_3030_3030_3030L, v.hi(5));
        assertEquals(0x3031_3233_3435_3637L, v.lo(5));
        v.exec(vx(0x400 | 385, 6, 6, 5)); // bcdcfz.
        assertEquals(0x1234567C, v.lo(6));
        assertEquals(4, v.m.crField(6));
    }

    @Test
    void copySignAndSetSign() {
        VectorMachine v = run(vx(833, 3, 1, 2), 0, 0x42C, 0, 0x7B); // bcdcpsgn.
        assertEquals(0x42B, v.lo(3));
        assertEquals(8, v.m.crField(6));
        VectorMachine s = new VectorMachine().vr(2, 0, 0x42A).exec(vx(0x400 | (1 << 9) | 385, 3, 31, 2)); // bcdsetsgn. PS=1
        assertEquals(0x42F, s.lo(3));
    }

    @Test
    void multiplyByTen() {
        VectorMachine v = new VectorMachine().vr(1, 0x8000_0000_0000_0000L, 12).vr(2, 0, 7);
        v.exec(vx(513, 3, 1, 0), vx(1, 4, 1, 0), vx(577, 5, 1, 2), vx(65, 6, 1, 2));
        assertEquals(0, v.hi(3));
        assertEquals(120, v.lo(3));
        assertEquals(5, v.lo(4), "2^127 * 10 carries 5 out of 128 bits");
        assertEquals(127, v.lo(5), "plus VRB's low digit");
        assertEquals(5, v.lo(6));
    }
}
