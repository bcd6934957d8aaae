package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jvisor.hw.power.cpu.fpu.Fpscr;
import org.junit.jupiter.api.Test;

/**
 * VSX scalar floating point (ISA 3.0B 7.6.1) on doubleword 0 of VSRs anywhere in 0-63, with the
 * FPSCR the scalar unit keeps. Expected values are IEEE results worked out by hand.
 */
class VsxScalarTest {
    private static int xx3(int base, int t, int a, int b) {
        return (60 << 26) | base | (t & 31) << 21 | (a & 31) << 16 | (b & 31) << 11 | (a >>> 5) << 2 | (b >>> 5) << 1 | t >>> 5;
    }

    private static TestMachine machine() {
        return VsxLoadStoreMoveTest.machine(false);
    }

    private static long d(double x) {
        return Double.doubleToRawLongBits(x);
    }

    @Test
    void doubleArithmeticUsesBothHalvesOfTheRegisterFileAndClearsDoublewordOne() {
        TestMachine m = machine();
        m.core.vectorScalar().set(40, d(1.5), 7);
        m.core.vectorScalar().set(3, d(2.25), 9);
        m.core.vectorScalar().set(63, 5, 5);
        m.exec(xx3(0x100, 63, 40, 3)); // xsadddp vs63, vs40, vs3
        assertEquals(d(3.75), VsxLoadStoreMoveTest.hi(m, 63));
        assertEquals(0, VsxLoadStoreMoveTest.lo(m, 63));
        assertEquals(0x4000, m.core.vectorScalar().fpscr() & 0x1F000, "FPRF: positive normal");
        m.exec(xx3(0x180, 1, 40, 3), xx3(0x1c0, 2, 3, 40), xx3(0x140, 4, 40, 3)); // mul, div, sub
        assertEquals(d(3.375), VsxLoadStoreMoveTest.hi(m, 1));
        assertEquals(d(1.5), VsxLoadStoreMoveTest.hi(m, 2));
        assertEquals(d(-0.75), VsxLoadStoreMoveTest.hi(m, 4));
    }

    @Test
    void singleFormsRoundOnceToSinglePrecision() {
        TestMachine m = machine();
        // 1 + (2^-24 + 2^-50): just above the midpoint of the singles 1 and 1 + 2^-23, so rounded to
        // nearest it is 1 + 2^-23, inexact and rounded up in magnitude (FI and FR).
        m.core.vectorScalar().set(1, d(1.0), 0);
        m.core.vectorScalar().set(2, d(Math.scalb(1.0, -24) + Math.scalb(1.0, -50)), 0);
        m.exec(xx3(0x000, 3, 1, 2)); // xsaddsp
        assertEquals(d(1.0 + Math.scalb(1.0, -23)), VsxLoadStoreMoveTest.hi(m, 3));
        assertEquals(Fpscr.FI | Fpscr.FR, m.core.vectorScalar().fpscr() & (Fpscr.FI | Fpscr.FR));
    }

    @Test
    void comparesSetTheCrFieldAndFpcc() {
        TestMachine m = machine();
        m.core.vectorScalar().set(33, d(-1.0), 0);
        m.core.vectorScalar().set(34, d(2.0), 0);
        m.exec(xx3(0x118, 33, 33, 34) & ~(31 << 21) & ~1 | 3 << 23); // xscmpudp cr3, vs33, vs34
        assertEquals(8, m.crField(3), "less than");
        assertEquals(0x8000, m.core.vectorScalar().fpscr() & 0xF000);
        m.core.vectorScalar().set(34, 0x7FF4_0000_0000_0000L, 0); // SNaN
        m.exec(xx3(0x158, 0, 33, 34)); // xscmpodp cr0
        assertEquals(1, m.crField(0), "unordered");
        assertEquals(Fpscr.VXSNAN | Fpscr.VXVC, m.core.vectorScalar().fpscr() & (Fpscr.VXSNAN | Fpscr.VXVC));
    }

    @Test
    void signMovesAndConversions() {
        TestMachine m = machine();
        m.core.vectorScalar().set(1, d(-2.5), 3);
        m.core.vectorScalar().set(2, d(4.0), 3);
        m.core.vectorScalar().set(5, 0x3FC0_0000_1234_5678L, 0); // 1.5f in word 0
        m.core.vectorScalar().set(6, -7, 0);
        m.exec(xx3(0x564, 10, 0, 1), xx3(0x5a4, 11, 0, 2), xx3(0x5e4, 12, 0, 1), xx3(0x580, 13, 1, 2),
                xx3(0x52c, 14, 0, 5), xx3(0x42c, 15, 0, 1), xx3(0x560, 16, 0, 1), xx3(0x5e0, 17, 0, 6));
        assertEquals(d(2.5), VsxLoadStoreMoveTest.hi(m, 10));          // xsabsdp
        assertEquals(0, VsxLoadStoreMoveTest.lo(m, 10));
        assertEquals(d(-4.0), VsxLoadStoreMoveTest.hi(m, 11));         // xsnabsdp
        assertEquals(d(2.5), VsxLoadStoreMoveTest.hi(m, 12));          // xsnegdp
        assertEquals(d(-4.0), VsxLoadStoreMoveTest.hi(m, 13));         // xscpsgndp: sign of XA
        assertEquals(d(1.5), VsxLoadStoreMoveTest.hi(m, 14));          // xscvspdpn
        assertEquals(0xC020_0000L, VsxLoadStoreMoveTest.hi(m, 15) >>> 32); // xscvdpspn: -2.5f
        assertEquals(-2L, VsxLoadStoreMoveTest.hi(m, 16));             // xscvdpsxds truncates
        assertEquals(d(-7.0), VsxLoadStoreMoveTest.hi(m, 17));         // xscvsxddp
    }
}
