package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import jvisor.hw.power.Msr;

/**
 * VSX loads, stores and GPR moves (ISA 3.0B 7.6.1) in both byte orders. Storage holds the bytes
 * 0x00..0x3f from 0x2000, so where each byte lands is visible; the expected values are worked out
 * from the ISA's element order, not from the code.
 */
class VsxLoadStoreMoveTest {
    private static final long BUF = 0x2000;
    static final long ALL = Msr.SF | Msr.ME | Msr.FP | Msr.VEC | Msr.VSX;

    // 10-bit extended opcodes of the X-form (opcode 31) forms.
    private static final int LXVD2X = 844, LXVW4X = 780, LXVH8X = 812, LXVB16X = 876, LXVX = 268,
            STXVD2X = 972, STXVW4X = 908, STXVH8X = 940, STXVB16X = 1004, STXVX = 396, LXVDSX = 332,
            LXVWSX = 364, LXVL = 269, LXVLL = 301, STXVL = 397, STXVLL = 429, LXSDX = 588, LXSSPX = 524,
            LXSIWAX = 76, LXSIWZX = 12, LXSIBZX = 781, LXSIHZX = 813, STXSDX = 716, STXSSPX = 652,
            STXSIWX = 140, STXSIBX = 909, STXSIHX = 941, MFVSRD = 51, MFVSRWZ = 115, MTVSRD = 179,
            MTVSRWA = 211, MTVSRWZ = 243, MFVSRLD = 307, MTVSRWS = 403, MTVSRDD = 435;

    static TestMachine machine(boolean le) {
        TestMachine m = new TestMachine();
        m.msr(ALL | (le ? Msr.LE : 0));
        for (int i = 0; i < 64; i++) m.memory.writeByte(BUF + i, (byte) i);
        return m;
    }

    /** X-form of opcode 31 with a 6-bit VSR number t (TX in bit 31). */
    static int x31(int xo, int t, int a, int b) {
        return (31 << 26) | ((t & 31) << 21) | (a << 16) | (b << 11) | (xo << 1) | (t >>> 5);
    }

    static long hi(TestMachine m, int vsr) {
        return m.core.vectorScalar().dw0(vsr);
    }

    static long lo(TestMachine m, int vsr) {
        return m.core.vectorScalar().dw1(vsr);
    }

    private static void assertVsr(TestMachine m, int vsr, long hi, long lo, String what) {
        assertEquals(hi, hi(m, vsr), () -> what + " dw0 " + Long.toHexString(hi(m, vsr)));
        assertEquals(lo, lo(m, vsr), () -> what + " dw1 " + Long.toHexString(lo(m, vsr)));
    }

    @Test
    void bigEndianVectorLoadsAllPutStorageByteIInRegisterByteI() {
        for (int xo : new int[]{LXVD2X, LXVW4X, LXVH8X, LXVB16X, LXVX}) {
            TestMachine m = machine(false).gpr(3, BUF);
            m.exec(x31(xo, 40, 0, 3));
            assertVsr(m, 40, 0x0001020304050607L, 0x08090a0b0c0d0e0fL, "xo " + xo);
        }
    }

    @Test
    void littleEndianVectorLoadsReverseEachElement() {
        long[][] want = {
                {LXVD2X, 0x0706050403020100L, 0x0f0e0d0c0b0a0908L},
                {LXVW4X, 0x0302010007060504L, 0x0b0a09080f0e0d0cL},
                {LXVH8X, 0x0100030205040706L, 0x09080b0a0d0c0f0eL},
                {LXVB16X, 0x0001020304050607L, 0x08090a0b0c0d0e0fL},
                {LXVX, 0x0f0e0d0c0b0a0908L, 0x0706050403020100L}};
        for (long[] c : want) {
            TestMachine m = machine(true).gpr(3, BUF);
            m.exec(x31((int) c[0], 7, 0, 3));
            assertVsr(m, 7, c[1], c[2], "xo " + c[0]);
        }
    }

    @Test
    void unalignedLoadsTakeNoInterrupt() {
        TestMachine m = machine(true).gpr(3, BUF).gpr(4, 3);
        m.exec(x31(LXVD2X, 63, 3, 4));
        assertVsr(m, 63, 0x0a09080706050403L, 0x1211100f0e0d0c0bL, "lxvd2x at +3");
    }

    @Test
    void eachStoreWritesWhatItsLoadReads() {
        int[][] pairs = {{LXVD2X, STXVD2X}, {LXVW4X, STXVW4X}, {LXVH8X, STXVH8X}, {LXVB16X, STXVB16X}, {LXVX, STXVX}};
        for (boolean le : new boolean[]{false, true}) {
            for (int[] p : pairs) {
                TestMachine m = machine(le).gpr(3, BUF).gpr(4, BUF + 0x21);
                m.exec(x31(p[0], 33, 0, 3), x31(p[1], 33, 0, 4));
                for (int i = 0; i < 16; i++) {
                    assertEquals(i, m.memory.readByte(BUF + 0x21 + i), (le ? "LE " : "BE ") + p[1] + " byte " + i);
                }
            }
        }
    }

    @Test
    void littleEndianStxvd2xWritesDoublewordZeroFirst() {
        TestMachine m = machine(true).gpr(3, BUF);
        m.core.vectorScalar().set(5, 0x1122334455667788L, 0x99aabbccddeeff00L);
        m.exec(x31(STXVD2X, 5, 0, 3));
        assertEquals(0x1122334455667788L, m.memory.readLongLE(BUF));
        assertEquals(0x99aabbccddeeff00L, m.memory.readLongLE(BUF + 8));
    }

    @Test
    void dqFormLxvAndStxvUseTheScaledDisplacementAndTx() {
        for (boolean le : new boolean[]{false, true}) {
            TestMachine m = machine(le).gpr(3, BUF);
            // lxv vs33 (T=1, TX=1), 0x10(r3); stxv vs33, 0x20(r3)
            m.exec((61 << 26) | (1 << 21) | (3 << 16) | 0x10 | 8 | 1, (61 << 26) | (1 << 21) | (3 << 16) | 0x20 | 8 | 5);
            long h = le ? 0x1f1e1d1c1b1a1918L : 0x1011121314151617L;
            long l = le ? 0x1716151413121110L : 0x18191a1b1c1d1e1fL;
            assertVsr(m, 33, h, l, le ? "LE" : "BE");
            for (int i = 0; i < 16; i++) assertEquals(0x10 + i, m.memory.readByte(BUF + 0x20 + i));
        }
    }

    @Test
    void splattingLoads() {
        TestMachine m = machine(true).gpr(3, BUF + 8);
        m.exec(x31(LXVDSX, 2, 0, 3), x31(LXVWSX, 3, 0, 3));
        assertVsr(m, 2, 0x0f0e0d0c0b0a0908L, 0x0f0e0d0c0b0a0908L, "lxvdsx");
        assertVsr(m, 3, 0x0b0a09080b0a0908L, 0x0b0a09080b0a0908L, "lxvwsx");
    }

    @Test
    void lengthLoadsFillFromTheLeftOrInLittleEndianFromTheRight() {
        TestMachine be = machine(false).gpr(3, BUF + 0x10).gpr(4, 5L << 56);
        be.core.vectorScalar().set(1, -1, -1);
        be.exec(x31(LXVL, 1, 3, 4), x31(LXVLL, 2, 3, 4));
        assertVsr(be, 1, 0x1011121314000000L, 0, "BE lxvl");
        assertVsr(be, 2, 0x1011121314000000L, 0, "BE lxvll");

        TestMachine le = machine(true).gpr(3, BUF + 0x10).gpr(4, 5L << 56 | 0xFF);
        le.exec(x31(LXVL, 1, 3, 4), x31(LXVLL, 2, 3, 4));
        assertVsr(le, 1, 0, 0x0000001413121110L, "LE lxvl");
        assertVsr(le, 2, 0x1011121314000000L, 0, "LE lxvll");

        TestMachine big = machine(true).gpr(3, BUF).gpr(4, 200L << 56); // lengths over 16 load 16
        big.exec(x31(LXVL, 1, 3, 4));
        assertVsr(big, 1, 0x0f0e0d0c0b0a0908L, 0x0706050403020100L, "LE lxvl 200");
    }

    @Test
    void lengthStoresWriteOnlyNBytes() {
        for (boolean le : new boolean[]{false, true}) {
            TestMachine m = machine(le).gpr(3, BUF).gpr(4, BUF + 0x10).gpr(5, 3L << 56);
            m.core.vectorScalar().set(9, 0x8899aabbccddeeffL, 0x0011223344556677L);
            m.exec(x31(STXVL, 9, 3, 5), x31(STXVLL, 9, 4, 5));
            int[] stxvl = le ? new int[]{0x77, 0x66, 0x55} : new int[]{0x88, 0x99, 0xaa};
            for (int i = 0; i < 3; i++) {
                assertEquals((byte) stxvl[i], m.memory.readByte(BUF + i));
                assertEquals((byte) new int[]{0x88, 0x99, 0xaa}[i], m.memory.readByte(BUF + 0x10 + i));
            }
            assertEquals(3, m.memory.readByte(BUF + 3));
            assertEquals(0x13, m.memory.readByte(BUF + 0x13));
        }
    }

    @Test
    void scalarLoadsWriteDoublewordZero() {
        TestMachine m = machine(true).gpr(3, BUF + 0x40).gpr(4, BUF + 0x13);
        m.memory.writeIntLE(BUF + 0x40, 0x3FC0_0000); // 1.5f
        m.memory.writeIntLE(BUF + 0x44, 0xFFFF_FFFE);
        m.core.vectorScalar().set(40, 0, 0x5555);
        m.exec(x31(LXSSPX, 1, 0, 3), x31(LXSIWAX, 2, 3, 5), x31(LXSIWZX, 4, 3, 5), x31(LXSIBZX, 40, 0, 4),
                x31(LXSIHZX, 6, 0, 4), x31(LXSDX, 7, 0, 3));
        assertEquals(0x3FF8_0000_0000_0000L, hi(m, 1));
        assertEquals(0x3FC0_0000L, hi(m, 2), "lxsiwax of a positive word"); // r5 = 0: the same EA
        assertEquals(0x3FC0_0000L, hi(m, 4), "lxsiwzx");
        assertEquals(0x13L, hi(m, 40));
        assertEquals(0x5555L, lo(m, 40), "doubleword 1 is kept");
        assertEquals(0x1413L, hi(m, 6));
        assertEquals(0xFFFF_FFFE_3FC0_0000L, hi(m, 7));
        m.gpr(5, 4).exec(x31(LXSIWAX, 2, 3, 5), x31(LXSIWZX, 4, 3, 5));
        assertEquals(-2L, hi(m, 2));
        assertEquals(0xFFFF_FFFEL, hi(m, 4));
    }

    @Test
    void dsFormScalarsUseVectorRegistersAndClearDoublewordOne() {
        TestMachine m = machine(false).gpr(3, BUF);
        m.memory.writeIntBE(BUF + 0x20, 0xC020_0000); // -2.5f
        m.core.vectorScalar().set(32 + 4, 7, 7);
        // lxsd v4, 8(r3); lxssp v5, 0x20(r3); stxsd v4, 0x30(r3); stxssp v5, 0x38(r3)
        m.exec((57 << 26) | (4 << 21) | (3 << 16) | 8 | 2, (57 << 26) | (5 << 21) | (3 << 16) | 0x20 | 3,
                (61 << 26) | (4 << 21) | (3 << 16) | 0x30 | 2, (61 << 26) | (5 << 21) | (3 << 16) | 0x38 | 3);
        assertVsr(m, 36, 0x08090a0b0c0d0e0fL, 0, "lxsd");
        assertEquals(0xC004_0000_0000_0000L, hi(m, 37));
        assertEquals(0x08090a0b0c0d0e0fL, m.memory.readLongBE(BUF + 0x30));
        assertEquals(0xC020_0000, m.memory.readIntBE(BUF + 0x38));
    }

    @Test
    void scalarStoresTakeTheLowPartOfDoublewordZero() {
        TestMachine m = machine(true).gpr(3, BUF).gpr(4, 8).gpr(5, 16).gpr(6, 24).gpr(7, 32);
        m.core.vectorScalar().set(50, 0x3FF8_0000_0000_0000L, 0);
        m.core.vectorScalar().set(51, 0x1122_3344_5566_7788L, 0);
        m.exec(x31(STXSDX, 51, 0, 3), x31(STXSSPX, 50, 3, 4), x31(STXSIWX, 51, 3, 5), x31(STXSIHX, 51, 3, 6),
                x31(STXSIBX, 51, 3, 7));
        assertEquals(0x1122_3344_5566_7788L, m.memory.readLongLE(BUF));
        assertEquals(0x3FC0_0000, m.memory.readIntLE(BUF + 8));
        assertEquals(0x5566_7788, m.memory.readIntLE(BUF + 16));
        assertEquals((short) 0x7788, (short) (m.memory.readIntLE(BUF + 24)));
        assertEquals(26, m.memory.readByte(BUF + 26), "stxsihx stores two bytes only");
        assertEquals((byte) 0x88, m.memory.readByte(BUF + 32));
        assertEquals(33, m.memory.readByte(BUF + 33));
    }

    @Test
    void movesBetweenGprsAndVsrs() {
        TestMachine m = machine(false).gpr(3, 0x8000_0001_FFFF_FFF0L).gpr(4, 0x0123_4567_89ab_cdefL);
        m.core.vectorScalar().set(33, 0x1111, 0x2222);
        m.core.vectorScalar().set(2, 0x3333, 0x4444);
        m.exec(x31(MTVSRD, 33, 3, 0), x31(MTVSRWA, 2, 3, 0), x31(MTVSRWZ, 34, 3, 0), x31(MTVSRWS, 35, 4, 0),
                x31(MTVSRDD, 36, 3, 4), x31(MTVSRDD, 37, 0, 4));
        assertVsr(m, 33, 0x8000_0001_FFFF_FFF0L, 0x2222, "mtvsrd keeps doubleword 1");
        assertVsr(m, 2, 0xFFFF_FFFF_FFFF_FFF0L, 0x4444, "mtvsrwa");
        assertEquals(0xFFFF_FFF0L, hi(m, 34), "mtvsrwz");
        assertVsr(m, 35, 0x89ab_cdef_89ab_cdefL, 0x89ab_cdef_89ab_cdefL, "mtvsrws");
        assertVsr(m, 36, 0x8000_0001_FFFF_FFF0L, 0x0123_4567_89ab_cdefL, "mtvsrdd");
        assertVsr(m, 37, 0, 0x0123_4567_89ab_cdefL, "mtvsrdd RA=0");
        m.exec(x31(MFVSRD, 36, 5, 0), x31(MFVSRLD, 36, 6, 0), x31(MFVSRWZ, 36, 7, 0), x31(MFVSRLD, 37, 0, 0));
        assertEquals(0x8000_0001_FFFF_FFF0L, m.r(5));
        assertEquals(0x0123_4567_89ab_cdefL, m.r(6));
        assertEquals(0xFFFF_FFF0L, m.r(7));
        assertEquals(0x0123_4567_89ab_cdefL, m.r(0), "mfvsrld with RA=0 writes r0");
    }

    @Test
    void aStoreThatFaultsOnItsSecondPageWritesNothing() {
        TestMachine m = machine(false);
        long end = m.memory.size();
        m.gpr(3, end - 8);
        m.memory.writeLongBE(end - 8, 0x0102030405060708L);
        m.core.vectorScalar().set(1, -1, -1);
        int exit = m.runAt(TestMachine.CODE, 1, x31(STXVD2X, 1, 0, 3));
        assertEquals(0x0102030405060708L, m.memory.readLongBE(end - 8));
        assertEquals(Exit.INSTRUCTION_LIMIT, exit);
        assertEquals(0x200, m.core.pc(), "the page past the end of storage: machine check");
    }
}
