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
 * VSX data-class tests, exponent/significand moves and conversions (ISA 3.0B 7.6.1), including
 * half precision. Expected values are worked out by hand from the formats.
 */
class VsxClassConvertTest {
    private static final int XSTSTDCDP = 0x5a8, XSTSTDCSP = 0x4a8, XVTSTDCSP = 0x6a8, XSXEXPDP = 0x56c,
            XSXSIGDP = 0x1056c, XSIEXPDP = 0x72c, XVXEXPSP = 0x8076c, XVIEXPDP = 0x7c0, XSCVDPHP = 0x11056c,
            XSCVHPDP = 0x10056c, XVCVSPHP = 0x19076c, XVCVHPSP = 0x18076c, XSCVDPSP = 0x424, XVCVDPSXWS = 0x360,
            XVCVSXWDP = 0x3e0, XVCVUXDSP = 0x6a0, XSCVDPUXWS = 0x120, XVCVSPDP = 0x724;

    private static TestMachine machine() {
        return VsxFusedTest.machine();
    }

    private static long fpscr(TestMachine m) {
        return m.core.vectorScalar().fpscr();
    }

    /** The X-form test-data-class word: BF, the 7-bit DCMX, XB. */
    private static int tstdc(int xo, int bf, int dcmx, int b) {
        return xx3(xo, 0, 0, b) | bf << 23 | dcmx << 16;
    }

    @Test
    void dataClassTests() {
        TestMachine m = machine();
        set(m, 1, 0x8000_0000_0000_0001L, 0); // -denormal
        set(m, 2, d(Math.scalb(1.0, -130)), 0); // normal double, denormal single
        set(m, 3, d(1 + Math.scalb(1.0, -30)), 0); // not exactly a single
        m.exec(tstdc(XSTSTDCDP, 1, 0x01, 1), tstdc(XSTSTDCDP, 2, 0x02, 1), tstdc(XSTSTDCSP, 3, 0x02, 2),
                tstdc(XSTSTDCDP, 4, 0x02, 2), tstdc(XSTSTDCSP, 5, 0x7f, 3));
        assertEquals(0b1010, m.crField(1), "negative, matches -denormal");
        assertEquals(0b1000, m.crField(2), "negative, no match");
        assertEquals(0b0010, m.crField(3), "a denormal as a single");
        assertEquals(0b0000, m.crField(4), "a normal double");
        assertEquals(0b0001, m.crField(5), "no class matches; not representable in single");
        // xvtstdcsp: DCMX = dc (bit 25) || dm (bit 29) || dx (bits 11:15); 0x30 = +-infinity.
        set(m, 4, s2(Float.POSITIVE_INFINITY, 1), s2(Float.NEGATIVE_INFINITY, Float.NaN));
        m.exec(xx3(XVTSTDCSP, 5, 0, 4) | 1 << 2 | 0x10 << 16);
        assertEquals(0xFFFF_FFFF_0000_0000L, hi(m, 5));
        assertEquals(0xFFFF_FFFF_0000_0000L, lo(m, 5));
        assertEquals(0, fpscr(m) & ~Fpscr.FPCC);
    }

    @Test
    void exponentAndSignificandMoves() {
        TestMachine m = machine();
        set(m, 40, d(-1.5), 0);
        set(m, 41, 0x0000_0000_0000_0003L, 0);
        m.exec(xx3(XSXEXPDP, 3, 0, 40), xx3(XSXSIGDP, 4, 0, 40), xx3(XSXSIGDP, 5, 0, 41));
        assertEquals(1023, m.r(3));
        assertEquals(0x0018_0000_0000_0000L, m.r(4));
        assertEquals(3, m.r(5), "a denormal has no implicit bit");
        m.gpr(6, d(-1.5)).gpr(7, 1024 + 0x800);
        m.exec((60 << 26) | XSIEXPDP | 10 << 21 | 6 << 16 | 7 << 11);
        assertEquals(d(-3), hi(m, 10), "only RB's low 11 bits are the exponent");
        set(m, 11, s2(2, -0.5f), s2(0, Float.NaN));
        m.exec(xx3(XVXEXPSP, 12, 0, 11));
        assertEquals(128L << 32 | 126, hi(m, 12));
        assertEquals(255, lo(m, 12));
        set(m, 13, d(1.5), d(-1));
        set(m, 14, 1023 + 4, 1023 - 1);
        m.exec(xx3(XVIEXPDP, 15, 13, 14));
        assertEquals(d(24), hi(m, 15));
        assertEquals(d(-0.5), lo(m, 15));
    }

    @Test
    void halfPrecision() {
        TestMachine m = machine();
        set(m, 1, d(1), 0);
        set(m, 2, d(65520), 0); // rounds to nearest up to infinity in half precision
        set(m, 3, 0x7D00L, 0); // a half-precision SNaN
        m.exec(xx3(XSCVDPHP, 4, 0, 1));
        assertEquals(0x3C00, hi(m, 4));
        assertEquals(Fpscr.CLASS_POS_NORMAL << 12, fpscr(m) & Fpscr.FPRF);
        m.exec(xx3(XSCVDPHP, 5, 0, 2));
        assertEquals(0x7C00, hi(m, 5));
        assertEquals(Fpscr.OX | Fpscr.XX, fpscr(m) & (Fpscr.OX | Fpscr.XX));
        m.core.vectorScalar().setFpscr(0);
        m.exec(xx3(XSCVHPDP, 6, 0, 3));
        assertEquals(0x7FFC_0000_0000_0000L, hi(m, 6), "quieted");
        assertEquals(Fpscr.VXSNAN, fpscr(m) & Fpscr.VXSNAN);
        set(m, 7, s2(1.5f, Math.scalb(1f, -24)), s2(-2, 0x1p-14f));
        m.exec(xx3(XVCVSPHP, 8, 0, 7));
        assertEquals(0x3E00L << 32 | 0x0001, hi(m, 8), "1.5 and the smallest half denormal");
        assertEquals(0xC000L << 32 | 0x0400, lo(m, 8));
        m.exec(xx3(XVCVHPSP, 9, 0, 8));
        assertEquals(s2(1.5f, Math.scalb(1f, -24)), hi(m, 9));
        assertEquals(s2(-2, 0x1p-14f), lo(m, 9));
    }

    @Test
    void conversionsRepeatWordResults() {
        TestMachine m = machine();
        set(m, 1, d(1.0 / 3), d(-2.7));
        m.exec(xx3(XSCVDPSP, 2, 0, 1));
        long third = Float.floatToRawIntBits(1f / 3) & 0xFFFF_FFFFL;
        assertEquals(third << 32 | third, hi(m, 2));
        assertEquals(0, lo(m, 2));
        m.exec(xx3(XVCVDPSXWS, 3, 0, 1));
        assertEquals(0, hi(m, 3));
        assertEquals(0xFFFF_FFFE_FFFF_FFFEL, lo(m, 3), "-2 in both words");
        set(m, 4, 0xFFFF_FFFF_0000_0005L, 0x7FFF_FFFF_1234_5678L);
        m.exec(xx3(XVCVSXWDP, 5, 0, 4));
        assertEquals(d(-1), hi(m, 5), "word 0");
        assertEquals(d(Integer.MAX_VALUE), lo(m, 5), "word 2");
        set(m, 6, -1L, 3);
        m.exec(xx3(XVCVUXDSP, 7, 0, 6));
        assertEquals(s2(0x1p64f, 0x1p64f), hi(m, 7));
        assertEquals(s2(3, 3), lo(m, 7));
        set(m, 8, d(-1), 0);
        m.exec(xx3(XSCVDPUXWS, 9, 0, 8));
        assertEquals(0, hi(m, 9));
        assertEquals(Fpscr.VXCVI, fpscr(m) & Fpscr.VXCVI);
        set(m, 10, s2(Float.intBitsToFloat(0x7FA0_0000), 0), s2(0.5f, 0));
        m.exec(xx3(XVCVSPDP, 11, 0, 10));
        assertEquals(0x7FFC_0000_0000_0000L, hi(m, 11), "the SNaN widened and quieted");
        assertEquals(d(0.5), lo(m, 11));
    }
}
