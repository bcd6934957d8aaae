package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jvisor.hw.power.cpu.fpu.Fpscr;
import org.junit.jupiter.api.Test;

/**
 * The VSX fused multiply-add family (ISA 3.0B 7.6.1): which register is the addend in the A and M
 * types, the negations, rounding once, and the vector forms element by element. Expected values
 * are worked out by hand.
 */
class VsxFusedTest {
    static int xx3(int xo, int t, int a, int b) {
        return (60 << 26) | xo | (t & 31) << 21 | (a & 31) << 16 | (b & 31) << 11 | (a >>> 5) << 2 | (b >>> 5) << 1 | t >>> 5;
    }

    static long d(double x) {
        return Double.doubleToRawLongBits(x);
    }

    static long s2(float a, float b) {
        return (long) Float.floatToRawIntBits(a) << 32 | (Float.floatToRawIntBits(b) & 0xFFFF_FFFFL);
    }

    static TestMachine machine() {
        return VsxLoadStoreMoveTest.machine(false);
    }

    static void set(TestMachine m, int vsr, long hi, long lo) {
        m.core.vectorScalar().set(vsr, hi, lo);
    }

    static long hi(TestMachine m, int vsr) {
        return m.core.vectorScalar().dw0(vsr);
    }

    static long lo(TestMachine m, int vsr) {
        return m.core.vectorScalar().dw1(vsr);
    }

    private static final int XSMADDADP = 0x108, XSMADDMDP = 0x148, XSNMSUBADP = 0x588, XSMSUBMDP = 0x1c8,
            XSMADDASP = 0x008, XVMADDADP = 0x308, XVNMADDMSP = 0x648;

    @Test
    void theATypeAddsXtAndTheMTypeMultipliesByIt() {
        TestMachine m = machine();
        set(m, 33, d(2), 0);
        set(m, 34, d(10), 0);
        set(m, 40, d(3), 7);
        set(m, 41, d(3), 7);
        m.exec(xx3(XSMADDADP, 40, 33, 34), xx3(XSMADDMDP, 41, 33, 34));
        assertEquals(d(23), hi(m, 40), "2 * 10 + 3");
        assertEquals(0, lo(m, 40), "doubleword 1 cleared");
        assertEquals(d(16), hi(m, 41), "2 * 3 + 10");
        set(m, 42, d(3), 0);
        set(m, 43, d(3), 0);
        m.exec(xx3(XSNMSUBADP, 42, 33, 34), xx3(XSMSUBMDP, 43, 33, 34));
        assertEquals(d(-17), hi(m, 42), "-(2 * 10 - 3)");
        assertEquals(d(-4), hi(m, 43), "2 * 3 - 10");
    }

    @Test
    void singlePrecisionRoundsTheExactResultOnce() {
        // (1 + 2^-12)^2 + 2^-60 = 1 + 2^-11 + 2^-24 + 2^-60: just above the midpoint of two singles,
        // so it rounds up; rounded first to double it would be the midpoint and round to even (down).
        TestMachine m = machine();
        double x = 1 + Math.scalb(1.0, -12);
        set(m, 1, d(x), 0);
        set(m, 2, d(x), 0);
        set(m, 3, d(Math.scalb(1.0, -60)), 0);
        m.exec(xx3(XSMADDASP, 3, 1, 2));
        assertEquals(d(1 + Math.scalb(1.0, -11) + Math.scalb(1.0, -23)), hi(m, 3));
        assertEquals(Fpscr.FR | Fpscr.FI | Fpscr.XX, m.core.vectorScalar().fpscr() & (Fpscr.FR | Fpscr.FI | Fpscr.XX));
    }

    @Test
    void vectorFormsComputeEachElement() {
        TestMachine m = machine();
        set(m, 33, d(2), d(1.5));
        set(m, 34, d(10), d(2));
        set(m, 35, d(3), d(0.25));
        m.exec(xx3(XVMADDADP, 35, 33, 34));
        assertEquals(d(23), hi(m, 35));
        assertEquals(d(3.25), lo(m, 35));
        // xvnmaddmsp: -(XA * XT + XB) on four singles.
        set(m, 36, s2(1, 2), s2(-3, 0.5f));
        set(m, 37, s2(1, 1), s2(1, 1));
        set(m, 38, s2(2, 2), s2(2, 4));
        m.exec(xx3(XVNMADDMSP, 38, 36, 37));
        assertEquals(s2(-3, -5), hi(m, 38));
        assertEquals(s2(5, -3), lo(m, 38));
    }

    @Test
    void anEnabledInvalidOperationInOneElementLeavesTheWholeTargetUnchanged() {
        TestMachine m = machine();
        m.core.vectorScalar().setFpscr(Fpscr.VE);
        set(m, 33, d(1), Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
        set(m, 34, d(1), 0);
        set(m, 35, 0x1111, 0x2222);
        m.exec(xx3(XVMADDADP, 35, 33, 34));
        assertEquals(0x1111, hi(m, 35));
        assertEquals(0x2222, lo(m, 35));
        long f = m.core.vectorScalar().fpscr();
        long bits = (Fpscr.VXIMZ | Fpscr.VX | Fpscr.FX | Fpscr.FEX) & 0xFFFF_FFFFL;
        assertEquals(bits, f & (bits | Fpscr.VXSNAN));
    }
}
