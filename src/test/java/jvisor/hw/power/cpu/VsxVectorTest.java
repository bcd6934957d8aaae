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
 * VSX vector double/single arithmetic, sign moves, rounding to integral and estimates (ISA 3.0B
 * 7.6.1), and the scalar rounding and estimate forms. Expected values are worked out by hand.
 */
class VsxVectorTest {
    private static final int XVADDDP = 0x300, XVSUBSP = 0x240, XVDIVDP = 0x3c0, XVMULDP = 0x380, XVSQRTSP = 0x22c,
            XVNEGDP = 0x7e4, XVABSSP = 0x664, XVCPSGNDP = 0x780, XVNABSSP = 0x6a4, XSRDPI = 0x124, XSRDPIC = 0x1ac,
            XSRDPIZ = 0x164, XVRSPIM = 0x2e4, XSREDP = 0x168, XVRSQRTEDP = 0x328;

    private static TestMachine machine() {
        return VsxFusedTest.machine();
    }

    @Test
    void doubleAndSingleElementsAreComputedApart() {
        TestMachine m = machine();
        set(m, 33, d(1.5), d(-2));
        set(m, 34, d(0.25), d(8));
        m.exec(xx3(XVADDDP, 35, 33, 34));
        assertEquals(d(1.75), hi(m, 35));
        assertEquals(d(6), lo(m, 35));
        set(m, 1, s2(1, 2), s2(3, 4));
        set(m, 2, s2(0.5f, 4), s2(-3, 1.5f));
        m.exec(xx3(XVSUBSP, 3, 1, 2));
        assertEquals(s2(0.5f, -2), hi(m, 3));
        assertEquals(s2(6, 2.5f), lo(m, 3));
        set(m, 4, s2(16, 2.25f), s2(0, -1));
        m.exec(xx3(XVSQRTSP, 5, 0, 4));
        assertEquals(s2(4, 1.5f), hi(m, 5));
        assertEquals(0x0000_0000_7FC0_0000L, lo(m, 5), "sqrt(-1) is the default NaN in single format");
        assertEquals(Fpscr.VXSQRT, m.core.vectorScalar().fpscr() & Fpscr.VXSQRT);
    }

    @Test
    void vectorFormsLeaveFrFiAndFprfButGatherEveryElementsExceptions() {
        TestMachine m = machine();
        long keep = Fpscr.FR | Fpscr.FI | Fpscr.CLASS_POS_ZERO << 12;
        m.core.vectorScalar().setFpscr(keep);
        set(m, 33, d(1), 0x0000_0000_0000_0001L);
        set(m, 34, d(0), d(3));
        m.exec(xx3(XVDIVDP, 35, 33, 34));
        long f = m.core.vectorScalar().fpscr();
        assertEquals(d(Double.POSITIVE_INFINITY), hi(m, 35));
        assertEquals(0, lo(m, 35), "a third of the smallest denormal rounds to zero");
        assertEquals(keep | (Fpscr.ZX | Fpscr.UX | Fpscr.XX | Fpscr.FX) & 0xFFFF_FFFFL, f);
        // One element overflows, the other underflows: both OX and UX.
        m.core.vectorScalar().setFpscr(0);
        set(m, 33, d(Double.MAX_VALUE), d(Double.MIN_NORMAL));
        set(m, 34, d(2), d(1.0 / 3));
        m.exec(xx3(XVMULDP, 36, 33, 34));
        assertEquals(Fpscr.OX | Fpscr.UX, m.core.vectorScalar().fpscr() & (Fpscr.OX | Fpscr.UX));
    }

    @Test
    void signMovesTouchOnlyTheSignBits() {
        TestMachine m = machine();
        set(m, 33, d(-1), d(2));
        set(m, 34, d(3), d(-4));
        m.exec(xx3(XVNEGDP, 35, 0, 34), xx3(XVCPSGNDP, 36, 33, 34));
        assertEquals(d(-3), hi(m, 35));
        assertEquals(d(4), lo(m, 35));
        assertEquals(d(-3), hi(m, 36));
        assertEquals(d(4), lo(m, 36));
        set(m, 37, s2(-1, 2), s2(-0f, Float.NaN));
        m.exec(xx3(XVABSSP, 38, 0, 37), xx3(XVNABSSP, 39, 0, 37));
        assertEquals(s2(1, 2), hi(m, 38));
        assertEquals(s2(0f, Float.NaN), lo(m, 38));
        assertEquals(s2(-1, -2), hi(m, 39));
        assertEquals(0, m.core.vectorScalar().fpscr());
    }

    @Test
    void roundingToIntegralReportsInexactOnlyInTheCurrentModeForm() {
        TestMachine m = machine();
        set(m, 1, d(2.5), 0);
        set(m, 2, d(-0.5), 0);
        m.exec(xx3(XSRDPI, 3, 0, 1), xx3(XSRDPIZ, 4, 0, 2));
        assertEquals(d(3), hi(m, 3), "ties away from zero");
        assertEquals(d(-0.0), hi(m, 4));
        assertEquals(0, m.core.vectorScalar().fpscr() & Fpscr.XX);
        m.exec(xx3(XSRDPIC, 5, 0, 1));
        assertEquals(d(2), hi(m, 5), "ties to even in FPSCR[RN] = nearest");
        assertEquals(Fpscr.XX | Fpscr.FI, m.core.vectorScalar().fpscr() & (Fpscr.XX | Fpscr.FI | Fpscr.FR));
        set(m, 6, s2(1.5f, -1.5f), s2(-0.25f, 7));
        m.exec(xx3(XVRSPIM, 7, 0, 6));
        assertEquals(s2(1, -2), hi(m, 7));
        assertEquals(s2(-1, 7), lo(m, 7));
    }

    @Test
    void estimatesOfExactCasesAndOfZero() {
        TestMachine m = machine();
        set(m, 1, d(4), 0);
        set(m, 2, d(-0.0), 0);
        m.exec(xx3(XSREDP, 3, 0, 1));
        assertEquals(d(0.25), hi(m, 3));
        m.exec(xx3(XSREDP, 4, 0, 2));
        assertEquals(d(Double.NEGATIVE_INFINITY), hi(m, 4));
        assertEquals(Fpscr.ZX, m.core.vectorScalar().fpscr() & Fpscr.ZX, "1/0 is a zero divide (ISA 7.6.1 xsredp)");
        set(m, 5, d(16), d(0.25));
        m.exec(xx3(XVRSQRTEDP, 6, 0, 5));
        assertEquals(d(0.25), hi(m, 6));
        assertEquals(d(2), lo(m, 6));
    }
}
