package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** addg6s, cdtbcd, cbcdtd: packed BCD arithmetic and densely packed decimal conversions. */
class DecimalAssistTest {
    /** The packed-BCD add sequence of the ISA's programming note: t = a + 0x66..; s = t + b; s - addg6s(t, b). */
    private static long bcdAdd(long a, long b) {
        long t = a + 0x6666_6666_6666_6666L;
        TestMachine m = new TestMachine().gpr(4, t).gpr(5, b).exec(0x7c642894); // addg6s r3,r4,r5
        return t + b - m.r(3);
    }

    @Test
    void addg6sCompletesAPackedDecimalAddition() {
        assertEquals(0x6912, bcdAdd(0x1234, 0x5678));
        assertEquals(0x1000, bcdAdd(0x0999, 0x0001));
        assertEquals(0x1000_0000_0000_0000L, bcdAdd(0x0999_9999_9999_9999L, 1));
    }

    @Test
    void decletsRoundTripForEveryThreeDigitValue() {
        for (int n = 0; n < 1000; n++) {
            int bcd = ((n / 100) << 8) | ((n / 10 % 10) << 4) | (n % 10);
            int declet = DecimalAssist.encodeDeclet(bcd);
            assertEquals(bcd, DecimalAssist.decodeDeclet(declet), "value " + n);
        }
        assertEquals(0x0A3, DecimalAssist.encodeDeclet(0x123), "digits up to 7 pack as three 3-bit fields");
        assertEquals(0x0FF, DecimalAssist.encodeDeclet(0x999));
    }

    @Test
    void conversionsWorkOnBothWordsOfTheRegister() {
        long declets = ((0x0FFL << 10 | 0x0A3) << 32) | (0x0A3L << 10 | 0x0FF);
        TestMachine t = new TestMachine().gpr(3, declets).exec(0x7c640234); // cdtbcd r4,r3
        assertEquals(0x0099_9123_0012_3999L, t.r(4));
        t.exec(0x7c850274);                                                // cbcdtd r5,r4
        assertEquals(declets, t.r(5));
    }
}
