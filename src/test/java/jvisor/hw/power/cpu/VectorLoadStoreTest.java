package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VectorMachine.vx;
import static jvisor.hw.power.cpu.VectorMachine.x31;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import jvisor.hw.power.Msr;

/**
 * Vector loads and stores in both byte orders (ISA 3.0B 6.7): storage bytes 0x00..0x0f at
 * 0x2000, so that where each byte lands is visible.
 */
class VectorLoadStoreTest {
    private static final long BUF = 0x2000;
    private static final int LVX = 103, LVEBX = 7, LVEHX = 39, LVEWX = 71, LVSL = 6, LVSR = 38,
            STVX = 231, STVEBX = 135, STVEHX = 167, STVEWX = 199;

    private static VectorMachine machine(boolean le) {
        VectorMachine v = new VectorMachine();
        if (le) v.littleEndian();
        for (int i = 0; i < 32; i++) v.m.memory.writeByte(BUF + i, (byte) i);
        return v;
    }

    @Test
    void lvxBigEndianPutsStorageByteIInVrByteIAndIgnoresTheLowFourBits() {
        VectorMachine v = machine(false);
        v.m.gpr(3, BUF + 7);
        v.exec(x31(LVX, 1, 0, 3));
        assertEquals(0x0001020304050607L, v.hi(1));
        assertEquals(0x08090a0b0c0d0e0fL, v.lo(1));
    }

    @Test
    void lvxLittleEndianReversesTheQuadword() {
        VectorMachine v = machine(true);
        v.m.gpr(3, BUF).gpr(4, 0x1f);
        v.exec(x31(LVX, 2, 3, 4)); // EA 0x201f: the quadword at 0x2010
        assertEquals(0x1f1e1d1c1b1a1918L, v.hi(2));
        assertEquals(0x1716151413121110L, v.lo(2));
    }

    @Test
    void stvxStoresTheSameLayoutLvxLoads() {
        for (boolean le : new boolean[]{false, true}) {
            VectorMachine v = machine(le);
            v.vr(5, 0x8899aabbccddeeffL, 0x0011223344556677L);
            v.m.gpr(3, BUF + 0x10 + 9);
            v.exec(x31(STVX, 5, 0, 3));
            for (int i = 0; i < 16; i++) {
                int vrByte = le ? 15 - i : i;
                long dw = vrByte < 8 ? v.hi(5) : v.lo(5);
                long expect = (dw >>> (56 - 8 * (vrByte % 8))) & 0xFF;
                assertEquals(expect, v.m.memory.readByte(BUF + 0x10 + i) & 0xFF, (le ? "LE" : "BE") + " byte " + i);
            }
        }
    }

    @Test
    void elementLoadsFillTheElementTheAddressNamesAndKeepTheOthers() {
        VectorMachine be = machine(false);
        be.vr(1, -1, -1).vr(2, -1, -1).vr(3, -1, -1);
        be.m.gpr(3, BUF + 5).gpr(4, BUF + 6).gpr(5, BUF + 9);
        be.exec(x31(LVEBX, 1, 0, 3), x31(LVEHX, 2, 0, 4), x31(LVEWX, 3, 0, 5));
        assertEquals(0xFFFF_FFFF_FF05_FFFFL, be.hi(1));            // byte 5
        assertEquals(0xFFFF_FFFF_FFFF_0607L, be.hi(2));            // halfword 3 = bytes 6,7
        assertEquals(0x08090a0b_FFFFFFFFL, be.lo(3));              // EA aligned down to 8: word 2

        VectorMachine le = machine(true);
        le.vr(1, -1, -1).vr(2, -1, -1).vr(3, -1, -1);
        le.m.gpr(3, BUF + 5).gpr(4, BUF + 6).gpr(5, BUF + 9);
        le.exec(x31(LVEBX, 1, 0, 3), x31(LVEHX, 2, 0, 4), x31(LVEWX, 3, 0, 5));
        assertEquals(0xFFFF_FFFF_FFFF_FFFFL, le.hi(1));
        assertEquals(0xFFFF_05FF_FFFF_FFFFL, le.lo(1));            // byte 15-5 = 10
        assertEquals(0x0706_FFFF_FFFF_FFFFL, le.lo(2));            // bytes 14-6, 15-6: halfword 4, little-endian value
        assertEquals(0xFFFFFFFF_0b0a0908L, le.hi(3));              // bytes 12-8 .. 15-8: word 1
    }

    @Test
    void elementStoresWriteOnlyTheirElement() {
        VectorMachine be = machine(false);
        be.vr(1, 0x1011121314151617L, 0x18191a1b1c1d1e1fL);
        be.m.gpr(3, BUF + 3).gpr(4, BUF + 10).gpr(5, BUF + 13);
        be.exec(x31(STVEBX, 1, 0, 3), x31(STVEHX, 1, 0, 4), x31(STVEWX, 1, 0, 5));
        assertEquals(0x0001021304050607L, be.m.memory.readLongBE(BUF));
        assertEquals(0x08091a1b1c1d1e1fL, be.m.memory.readLongBE(BUF + 8));

        VectorMachine le = machine(true);
        le.vr(1, 0x1011121314151617L, 0x18191a1b1c1d1e1fL);
        le.m.gpr(3, BUF + 3).gpr(4, BUF + 10).gpr(5, BUF + 13);
        le.exec(x31(STVEBX, 1, 0, 3), x31(STVEHX, 1, 0, 4), x31(STVEWX, 1, 0, 5));
        // byte 12 (0x1c) to EA 3; halfword 2 (0x1415) to EA 10 little-endian; word 0 (0x10111213) to 12.
        assertEquals(0x000102_1c_04050607L, le.m.memory.readLongBE(BUF));
        assertEquals(0x0809_1514_13121110L, le.m.memory.readLongBE(BUF + 8));
    }

    @Test
    void lvslAndLvsrDoNotDependOnTheByteOrder() {
        for (boolean le : new boolean[]{false, true}) {
            VectorMachine v = machine(le);
            v.m.gpr(3, 0x1233);
            v.exec(x31(LVSL, 1, 0, 3), x31(LVSR, 2, 0, 3));
            assertEquals(0x030405060708090aL, v.hi(1));
            assertEquals(0x0b0c0d0e0f101112L, v.lo(1));
            assertEquals(0x0d0e0f1011121314L, v.hi(2));
            assertEquals(0x15161718191a1b1cL, v.lo(2));
        }
    }

    @Test
    void vscrHoldsOnlyNjAndSatAndMfvscrZeroesTheRest() {
        VectorMachine v = new VectorMachine();
        v.vr(1, -1, 0xFFFF_FFFF_1235_5679L).vr(2, -1, -1);
        v.exec(vx(1604, 0, 0, 1), vx(1540, 2, 0, 0));
        assertEquals(0x10001, v.vscr());
        assertEquals(0, v.hi(2));
        assertEquals(0x10001, v.lo(2));
    }

    @Test
    void vrsaveIsAThirtyTwoBitUserSpr() {
        VectorMachine v = new VectorMachine();
        v.m.gpr(3, 0x1_dead_beefL);
        v.exec(0x7c6043a6 /* mtspr 256,r3 */, 0x7c8042a6 /* mfspr r4,256 */);
        assertEquals(0xdead_beefL, v.m.r(4));
    }

    @Test
    void aVectorInstructionWithVecOffTakesTheVectorUnavailableInterrupt() {
        VectorMachine v = new VectorMachine();
        v.m.msr(Msr.SF | Msr.ME);
        v.vr(1, 1, 1);
        v.exec(vx(0, 1, 1, 1)); // vaddubm v1,v1,v1
        assertEquals(0xF20, v.m.core.pc());
        assertEquals(TestMachine.CODE, v.m.core.srr0());
        assertEquals(1, v.lo(1), "the instruction did not run");
    }

    @Test
    void dataStreamStopsAreNoOpsEvenWithVecOffAndTouchesAreIllegal() {
        VectorMachine v = new VectorMachine();
        v.m.msr(Msr.SF | Msr.ME);
        v.m.gpr(3, 0x1000).gpr(4, 0x2000);
        v.exec(0x7e00066c /* dssall */, 0x7c00066c /* dss 0 */);
        assertEquals(TestMachine.CODE + 8, v.m.core.pc());
        VectorMachine t = new VectorMachine();
        t.m.msr(Msr.SF | Msr.ME | Msr.VEC);
        t.exec(0x7c6322ac /* dst r3,r4,1: phased out */);
        assertEquals(0x700, t.m.core.pc(), "dst is illegal on POWER9");
    }

    @Test
    void aFaultingLoadLeavesTheTargetUnchanged() {
        VectorMachine v = new VectorMachine();
        v.vr(1, 7, 7);
        v.m.gpr(3, 1L << 40); // beyond memory
        v.m.exec(x31(LVX, 1, 0, 3));
        assertEquals(7, v.hi(1));
        assertEquals(7, v.lo(1));
    }
}
