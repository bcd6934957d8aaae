package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jvisor.hw.power.cpu.fpu.Fpscr;
import org.junit.jupiter.api.Test;

/**
 * The VSX quad-precision instructions (ISA 3.0B 7.6.1) on VSR 32-63: arithmetic rounded in
 * FPSCR[RN] and to odd, fused multiply-add, compares, conversions, rounding to integral and to
 * double-extended precision, the moves and the data-class test. Operands and expected values are
 * binary128 bit patterns worked out by hand.
 */
class VsxQuadTest {
    private static final long ONE = 0x3FFF_0000_0000_0000L, TWO = 0x4000_0000_0000_0000L,
            THREE = 0x4000_8000_0000_0000L, MAX_HI = 0x7FFE_FFFF_FFFF_FFFFL, INF = 0x7FFF_0000_0000_0000L;

    /** An opcode-63 X-form on VRs t, a, b with the extended-opcode bits {@code xo}. */
    private static int x63(int xo, int t, int a, int b) {
        return (63 << 26) | t << 21 | a << 16 | b << 11 | xo;
    }

    private static TestMachine machine() {
        return VsxFusedTest.machine();
    }

    private static void vr(TestMachine m, int vr, long hi, long lo) {
        m.core.vectorScalar().set(32 + vr, hi, lo);
    }

    private static void assertVr(TestMachine m, int vr, long hi, long lo) {
        assertEquals(Long.toHexString(hi) + "." + Long.toHexString(lo),
                Long.toHexString(m.core.vectorScalar().dw0(32 + vr)) + "." + Long.toHexString(m.core.vectorScalar().dw1(32 + vr)));
    }

    private static long fpscr(TestMachine m) {
        return m.core.vectorScalar().fpscr();
    }

    private static final int ADD = 0x008, ADDO = 0x009, MUL = 0x048, DIV = 0x448, SQRT = 0x1b0648, MADD = 0x308,
            NMSUB = 0x3c8, CMPU = 0x508, CMPO = 0x108, CVQPDP = 0x140688, CVQPDPO = 0x140689, CVDPQP = 0x160688,
            CVQPSWZ = 0x090688, CVQPUDZ = 0x110688, CVSDQP = 0x0a0688, RQPI = 0x00a, RQPIX = 0x00b, RQPXP = 0x04a,
            XSIG = 0x120648, XEXP = 0x020648, IEXP = 0x6c8, TSTDC = 0x588, NEG = 0x100648, ABS = 0x000648;

    @Test
    void arithmeticRoundsOnceInFpscrRnOrToOdd() {
        TestMachine m = machine();
        vr(m, 1, ONE, 0);
        vr(m, 2, TWO, 0);
        m.exec(x63(ADD, 3, 1, 2));
        assertVr(m, 3, THREE, 0);
        assertEquals(Fpscr.CLASS_POS_NORMAL << 12, fpscr(m) & Fpscr.FPRF);
        vr(m, 4, THREE, 0);
        m.exec(x63(DIV, 5, 1, 4));
        assertVr(m, 5, 0x3FFD_5555_5555_5555L, 0x5555_5555_5555_5555L);
        assertEquals(Fpscr.XX | Fpscr.FI, fpscr(m) & (Fpscr.XX | Fpscr.FI | Fpscr.FR));
        // 1 + 2^-114: to nearest it is 1, to odd 1 + 2^-112.
        vr(m, 6, 0x3F8D_0000_0000_0000L, 0);
        m.exec(x63(ADD, 7, 1, 6), x63(ADDO, 8, 1, 6));
        assertVr(m, 7, ONE, 0);
        assertVr(m, 8, ONE, 1);
        vr(m, 9, 0x4001_0000_0000_0000L, 0); // 4
        m.exec(x63(SQRT, 10, 0, 9) | 0);
        assertVr(m, 10, TWO, 0);
    }

    @Test
    void overflowDependsOnTheRoundingMode() {
        TestMachine m = machine();
        vr(m, 1, MAX_HI, -1);
        vr(m, 2, TWO, 0);
        m.exec(x63(MUL, 3, 1, 2));
        assertVr(m, 3, INF, 0);
        assertEquals(Fpscr.OX | Fpscr.XX, fpscr(m) & (Fpscr.OX | Fpscr.XX));
        m.core.vectorScalar().setFpscr(Fpscr.ROUND_TOWARD_ZERO);
        m.exec(x63(MUL, 4, 1, 2));
        assertVr(m, 4, MAX_HI, -1);
    }

    @Test
    void fusedMultiplyAddTakesVrtAsTheAddend() {
        TestMachine m = machine();
        vr(m, 1, TWO, 0);
        vr(m, 2, THREE, 0);
        vr(m, 3, ONE, 0);
        vr(m, 4, ONE, 0);
        m.exec(x63(MADD, 3, 1, 2), x63(NMSUB, 4, 1, 2));
        assertVr(m, 3, 0x4001_C000_0000_0000L, 0); // 2 * 3 + 1 = 7
        assertVr(m, 4, 0xC001_4000_0000_0000L, 0); // -(2 * 3 - 1) = -5
    }

    @Test
    void comparesSetCrAndFpcc() {
        TestMachine m = machine();
        vr(m, 1, ONE, 0);
        vr(m, 2, TWO, 0);
        vr(m, 3, 0x7FFF_8000_0000_0000L, 0);
        m.exec(x63(CMPU, 0, 1, 2) | 4 << 23);
        assertEquals(8, m.crField(4));
        assertEquals(8 << 12, fpscr(m) & Fpscr.FPCC);
        m.exec(x63(CMPO, 0, 1, 3) | 5 << 23);
        assertEquals(1, m.crField(5));
        assertEquals(Fpscr.VXVC, fpscr(m) & (Fpscr.VXVC | Fpscr.VXSNAN));
    }

    @Test
    void conversions() {
        TestMachine m = machine();
        vr(m, 1, ONE, 0x0800_0000_0000_0000L); // 1 + 2^-53, a tie in double
        m.exec(x63(CVQPDP, 2, 0, 1), x63(CVQPDPO, 3, 0, 1));
        assertVr(m, 2, 0x3FF0_0000_0000_0000L, 0);
        assertVr(m, 3, 0x3FF0_0000_0000_0001L, 0);
        m.core.vectorScalar().set(32 + 4, 0x3FF8_0000_0000_0000L, 7); // 1.5
        m.exec(x63(CVDPQP, 5, 0, 4));
        assertVr(m, 5, 0x3FFF_8000_0000_0000L, 0);
        vr(m, 6, 0xC000_4000_0000_0000L, 0); // -2.5
        m.core.vectorScalar().setFpscr(0);
        m.exec(x63(CVQPSWZ, 7, 0, 6));
        assertVr(m, 7, -2L, 0);
        assertEquals(Fpscr.XX, fpscr(m) & Fpscr.XX);
        vr(m, 8, 0x403F_0000_0000_0000L, 0); // 2^64
        m.exec(x63(CVQPUDZ, 9, 0, 8));
        assertVr(m, 9, -1L, 0);
        assertEquals(Fpscr.VXCVI, fpscr(m) & Fpscr.VXCVI);
        vr(m, 10, -3, 0);
        m.exec(x63(CVSDQP, 11, 0, 10));
        assertVr(m, 11, 0xC000_8000_0000_0000L, 0);
    }

    @Test
    void roundingToIntegralAndToDoubleExtended() {
        TestMachine m = machine();
        vr(m, 1, 0xC000_4000_0000_0000L, 0); // -2.5
        int r1 = 1 << 16, rmcDown = 3 << 9;
        m.core.vectorScalar().setFpscr(0);
        m.exec(x63(RQPI, 2, 0, 1) | r1 | rmcDown, x63(RQPI, 3, 0, 1));
        assertVr(m, 2, 0xC000_8000_0000_0000L, 0); // toward -infinity: -3
        assertVr(m, 3, 0xC000_8000_0000_0000L, 0); // to nearest away: -3
        assertEquals(0, fpscr(m) & Fpscr.XX, "xsrqpi does not report inexact");
        m.exec(x63(RQPIX, 4, 0, 1) | r1);
        assertVr(m, 4, 0xC000_0000_0000_0000L, 0); // to nearest even: -2
        assertEquals(Fpscr.XX, fpscr(m) & Fpscr.XX);
        vr(m, 5, ONE, 0x0001_0000_0000_0001L); // 1 + 2^-64 + 2^-112: just above a double-extended tie
        m.exec(x63(RQPXP, 6, 0, 5) | r1);
        assertVr(m, 6, ONE, 0x0002_0000_0000_0000L);
    }

    @Test
    void movesAndDataClass() {
        TestMachine m = machine();
        vr(m, 1, 0xBFFF_8000_0000_0000L, 5); // -(1.5 + 5 * 2^-112)
        m.exec(x63(XSIG, 2, 0, 1), x63(XEXP, 3, 0, 1), x63(NEG, 4, 0, 1), x63(ABS, 5, 0, 1));
        assertVr(m, 2, 0x0001_8000_0000_0000L, 5);
        assertVr(m, 3, 16383, 0);
        assertVr(m, 4, 0x3FFF_8000_0000_0000L, 5);
        assertVr(m, 5, 0x3FFF_8000_0000_0000L, 5);
        vr(m, 6, 16384 + 0x8000, 0);
        m.exec(x63(IEXP, 7, 1, 6));
        assertVr(m, 7, 0xC000_8000_0000_0000L, 5);
        vr(m, 8, 0x8000_0000_0000_0000L, 1); // -denormal
        m.exec(x63(TSTDC, 0, 0x01, 8) | 6 << 23);
        assertEquals(0b1010, m.crField(6));
    }
}
