package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VsxFusedTest.d;
import static jvisor.hw.power.cpu.VsxFusedTest.hi;
import static jvisor.hw.power.cpu.VsxFusedTest.lo;
import static jvisor.hw.power.cpu.VsxFusedTest.s2;
import static jvisor.hw.power.cpu.VsxFusedTest.set;
import static jvisor.hw.power.cpu.VsxFusedTest.xx3;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jvisor.hw.power.cpu.fpu.Fpscr;
import org.junit.jupiter.api.Test;

/**
 * VSX compares, maximum/minimum and the divide/square root tests (ISA 3.0B 7.6.1). Expected
 * values are worked out by hand from the ISA's descriptions.
 */
class VsxCompareTest {
    private static final int XSCMPEQDP = 0x018, XSCMPGTDP = 0x058, XVCMPGTDP = 0x358, XVCMPGESP = 0x298,
            RC = 0x400, XSCMPEXPDP = 0x1d8, XSMAXDP = 0x500, XSMINDP = 0x540, XSMAXCDP = 0x400, XSMAXJDP = 0x480,
            XSMINJDP = 0x4c0, XSTDIVDP = 0x1e8, XVTSQRTSP = 0x2a8;
    private static final long QNAN = 0x7FF8_0000_0000_0000L, SNAN = 0x7FF4_0000_0000_0000L;

    private static TestMachine machine() {
        return VsxFusedTest.machine();
    }

    private static long fpscr(TestMachine m) {
        return m.core.vectorScalar().fpscr();
    }

    @Test
    void predicatesGiveMasksAndTheRecordFormSetsCr6() {
        TestMachine m = machine();
        set(m, 33, d(2), d(1));
        set(m, 34, d(1), d(1));
        m.exec(xx3(XVCMPGTDP | RC, 35, 33, 34));
        assertEquals(-1L, hi(m, 35));
        assertEquals(0, lo(m, 35));
        assertEquals(0, m.crField(6), "neither all true nor all false");
        m.exec(xx3(XVCMPGTDP | RC, 35, 33, 33));
        assertEquals(2, m.crField(6), "all false");
        set(m, 36, s2(1, 2), s2(3, 4));
        set(m, 37, s2(1, 2), s2(-3, 4));
        m.exec(xx3(XVCMPGESP | RC, 38, 36, 37));
        assertEquals(8, m.crField(6), "all true");
        assertEquals(-1L, hi(m, 38));
        m.exec(xx3(XSCMPEQDP, 39, 34, 34));
        assertEquals(-1L, hi(m, 39));
        assertEquals(0, lo(m, 39));
    }

    @Test
    void orderedPredicatesRaiseVxvcForAnSnanOnlyWhenVeIsOff() {
        TestMachine m = machine();
        set(m, 1, d(1), 0);
        set(m, 2, SNAN, 0);
        set(m, 3, 0x77, 0x77);
        m.exec(xx3(XSCMPGTDP, 3, 1, 2));
        assertEquals(Fpscr.VXSNAN | Fpscr.VXVC, fpscr(m) & (Fpscr.VXSNAN | Fpscr.VXVC));
        assertEquals(0, hi(m, 3));
        m.core.vectorScalar().setFpscr(Fpscr.VE);
        set(m, 3, 0x77, 0x77);
        m.exec(xx3(XSCMPGTDP, 3, 1, 2));
        assertEquals(Fpscr.VXSNAN, fpscr(m) & (Fpscr.VXSNAN | Fpscr.VXVC));
        assertEquals(0x77, hi(m, 3), "an enabled invalid operation leaves XT unchanged");
        m.core.vectorScalar().setFpscr(0);
        set(m, 2, QNAN, 0);
        m.exec(xx3(XSCMPEQDP, 3, 1, 2));
        assertEquals(0, fpscr(m), "equality of a QNaN raises nothing");
    }

    @Test
    void compareExponentsIgnoresSignAndFraction() {
        TestMachine m = machine();
        set(m, 1, d(-1.5), 0);
        set(m, 2, d(1.25), 0);
        set(m, 3, d(4), 0);
        m.exec(xx3(XSCMPEXPDP, 0, 1, 2) | 5 << 23);
        assertEquals(2, m.crField(5));
        m.exec(xx3(XSCMPEXPDP, 0, 3, 1) | 5 << 23);
        assertEquals(4, m.crField(5));
        assertEquals(4 << 12, fpscr(m) & Fpscr.FPCC);
        set(m, 4, QNAN, 0);
        m.exec(xx3(XSCMPEXPDP, 0, 3, 4) | 5 << 23);
        assertEquals(1, m.crField(5));
    }

    @Test
    void maximumAndMinimumStyles() {
        TestMachine m = machine();
        set(m, 1, QNAN, 0);
        set(m, 2, d(1), 0);
        set(m, 3, d(0.0), 0);
        set(m, 4, d(-0.0), 0);
        set(m, 5, SNAN, 0);
        m.exec(xx3(XSMAXDP, 10, 1, 2), xx3(XSMAXCDP, 11, 2, 1), xx3(XSMAXJDP, 12, 1, 2), xx3(XSMAXJDP, 13, 4, 3),
                xx3(XSMINJDP, 14, 3, 4), xx3(XSMINDP, 15, 3, 4));
        assertEquals(d(1), hi(m, 10), "maxNum of a QNaN and a number is the number");
        assertEquals(QNAN, hi(m, 11), "the C style gives XB when either is a NaN");
        assertEquals(QNAN, hi(m, 12), "the Java style gives the NaN");
        assertEquals(d(0.0), hi(m, 13), "max(-0, +0) is +0");
        assertEquals(d(-0.0), hi(m, 14), "min(+0, -0) is -0");
        assertEquals(d(-0.0), hi(m, 15));
        assertEquals(0, fpscr(m));
        m.exec(xx3(XSMAXDP, 16, 5, 2));
        assertEquals(SNAN | 1L << 51, hi(m, 16), "an SNaN operand gives it quieted");
        assertEquals(Fpscr.VXSNAN, fpscr(m) & Fpscr.VXSNAN);
    }

    @Test
    void divideAndSquareRootTests() {
        TestMachine m = machine();
        set(m, 1, d(1), 0);
        set(m, 2, d(0), 0);
        set(m, 3, d(3), 0);
        m.exec(xx3(XSTDIVDP, 0, 1, 2) | 2 << 23);
        assertEquals(0b1110, m.crField(2), "a zero divisor: fg and fe");
        m.exec(xx3(XSTDIVDP, 0, 1, 3) | 2 << 23);
        assertEquals(0b1000, m.crField(2));
        // Single elements: a denormal (fg, fe) and ordinary values.
        set(m, 4, s2(4, Float.MIN_VALUE), s2(9, 1));
        m.exec(xx3(XVTSQRTSP, 0, 0, 4) | 3 << 23);
        assertEquals(0b1110, m.crField(3));
    }
}
