package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jvisor.hw.power.Msr;
import jvisor.hw.power.Srr1;
import org.junit.jupiter.api.Test;

/** Loads and stores of every width and form, in both byte orders, and their faults. */
class LoadStoreTest {
    static final long DATA = 0x20000;
    static final long BE = Msr.SF | Msr.ME, LE = Msr.SF | Msr.ME | Msr.LE;

    /** DATA holds 01 02 .. 10, then 80 81 .. 8f. */
    private static TestMachine m(long msr) {
        TestMachine t = new TestMachine().msr(msr).gpr(4, DATA);
        for (int i = 0; i < 16; i++) {
            t.memory.writeByte(DATA + i, (byte) (i + 1));
            t.memory.writeByte(DATA + 16 + i, (byte) (0x80 + i));
        }
        return t;
    }

    private static byte[] bytes(TestMachine t, long at, int n) {
        return t.memory.copy(at, n);
    }

    @Test
    void zeroExtendingLoadsFollowTheByteOrder() {
        assertEquals(0x02, m(BE).exec(0x88640001).r(3));                       // lbz 1
        assertEquals(0x0304, m(BE).exec(0xa0640002).r(3));                     // lhz 2
        assertEquals(0x0403, m(LE).exec(0xa0640002).r(3));
        assertEquals(0x0506_0708L, m(BE).exec(0x80640004).r(3));               // lwz 4
        assertEquals(0x0807_0605L, m(LE).exec(0x80640004).r(3));
        assertEquals(0x090A_0B0C_0D0E_0F10L, m(BE).exec(0xe8640008).r(3));     // ld 8
        assertEquals(0x100F_0E0D_0C0B_0A09L, m(LE).exec(0xe8640008).r(3));
    }

    @Test
    void algebraicLoadsSignExtend() {
        assertEquals(0xFFFF_FFFF_FFFF_8283L, m(BE).gpr(4, DATA + 16).exec(0xa8640002).r(3)); // lha
        assertEquals(0xFFFF_FFFF_FFFF_8382L, m(LE).gpr(4, DATA + 16).exec(0xa8640002).r(3));
        assertEquals(0xFFFF_FFFF_8485_8687L, m(BE).gpr(4, DATA + 16).exec(0xe8640006).r(3)); // lwa
        assertEquals(0xFFFF_FFFF_8786_8584L, m(LE).gpr(4, DATA + 16).gpr(5, 4).exec(0x7c642aaa).r(3)); // lwax
        assertEquals(0xFFFF_FFFF_FFFF_8A8BL, m(BE).gpr(4, DATA + 16).gpr(5, 10).exec(0x7c642aae).r(3)); // lhax
    }

    @Test
    void updateFormsWriteTheEffectiveAddressBack() {
        TestMachine b = m(BE).exec(0x8c640001);                                 // lbzu
        assertEquals(2, b.r(3));
        assertEquals(DATA + 1, b.r(4));
        TestMachine h = m(BE).exec(0xac640002);                                 // lhau
        assertEquals(DATA + 2, h.r(4));
        TestMachine d = m(BE).exec(0xe8640009);                                 // ldu
        assertEquals(DATA + 8, d.r(4));
        TestMachine s = m(BE).gpr(3, 0x1122_3344).exec(0x94640004);            // stwu
        assertEquals(DATA + 4, s.r(4));
        assertArrayEquals(new byte[] {0x11, 0x22, 0x33, 0x44}, bytes(s, DATA + 4, 4));
        TestMachine x = m(BE).gpr(4, DATA + 8).gpr(3, 7).exec(0xf864fff9);     // stdu -8
        assertEquals(DATA, x.r(4));
        assertEquals(7, x.memory.readLongBE(DATA));
        TestMachine ux = m(BE).gpr(5, 8).exec(0x7c64286a);                     // ldux
        assertEquals(DATA + 8, ux.r(4));
        assertEquals(0x090A_0B0C_0D0E_0F10L, ux.r(3));
    }

    @Test
    void invalidUpdateFormsAreIllegal() {
        TestMachine t = m(BE).exec(0x8c840001); // lbzu r4,1(r4): RA = RT
        assertEquals(0x700, t.core.pc());
        assertEquals(Srr1.ILLEGAL, t.core.srr1() & 0x1F_0000L);
        TestMachine z = m(BE).exec(0x94600004); // stwu r3,4(0): RA = 0
        assertEquals(0x700, z.core.pc());
    }

    @Test
    void storesFollowTheByteOrder() {
        long v = 0x1122_3344_5566_7788L;
        assertArrayEquals(new byte[] {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88},
                bytes(m(BE).gpr(3, v).exec(0xf8640008), DATA + 8, 8));             // std
        assertArrayEquals(new byte[] {(byte) 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11},
                bytes(m(LE).gpr(3, v).exec(0xf8640008), DATA + 8, 8));
        assertArrayEquals(new byte[] {0x77, (byte) 0x88}, bytes(m(BE).gpr(3, v).exec(0xb0640002), DATA + 2, 2)); // sth
        assertArrayEquals(new byte[] {(byte) 0x88, 0x77}, bytes(m(LE).gpr(3, v).exec(0xb0640002), DATA + 2, 2));
        assertArrayEquals(new byte[] {(byte) 0x88}, bytes(m(BE).gpr(3, v).exec(0x98640001), DATA + 1, 1));  // stb
        assertArrayEquals(new byte[] {0x55, 0x66, 0x77, (byte) 0x88},
                bytes(m(BE).gpr(3, v).gpr(5, 4).exec(0x7c64292e), DATA + 4, 4));   // stwx
        TestMachine sd = m(BE).gpr(3, v).gpr(5, 4).gpr(4, DATA + 4).exec(0x7c64296a); // stdux
        assertEquals(DATA + 8, sd.r(4));
        assertEquals(v, sd.memory.readLongBE(DATA + 8));
    }

    @Test
    void byteReverseFormsUseTheOtherOrder() {
        assertEquals(0x0807_0605L, m(BE).gpr(5, 4).exec(0x7c642c2c).r(3));               // lwbrx
        assertEquals(0x0506_0708L, m(LE).gpr(5, 4).exec(0x7c642c2c).r(3));
        assertEquals(0x0403, m(BE).gpr(5, 2).exec(0x7c642e2c).r(3));                      // lhbrx
        assertEquals(0x100F_0E0D_0C0B_0A09L, m(BE).gpr(5, 8).exec(0x7c642c28).r(3));      // ldbrx
        assertArrayEquals(new byte[] {0x44, 0x33, 0x22, 0x11},
                bytes(m(BE).gpr(3, 0x1122_3344).gpr(5, 0).exec(0x7c642d2c), DATA, 4));  // stwbrx
        assertArrayEquals(new byte[] {0x11, 0x22, 0x33, 0x44},
                bytes(m(LE).gpr(3, 0x1122_3344).gpr(5, 0).exec(0x7c642d2c), DATA, 4));
        assertArrayEquals(new byte[] {0x22, 0x11},
                bytes(m(BE).gpr(3, 0x1122).gpr(5, 0).exec(0x7c642f2c), DATA, 2));        // sthbrx
        assertEquals(0x0807_0605_0403_0201L,
                m(BE).gpr(3, 0x0102_0304_0506_0708L).gpr(5, 0).exec(0x7c642d28).memory.readLongBE(DATA)); // stdbrx
    }

    @Test
    void quadwordLoadAndStore() {
        TestMachine b = m(BE).exec(0xe0c40000);                                    // lq r6
        assertEquals(0x0102_0304_0506_0708L, b.r(6));
        assertEquals(0x090A_0B0C_0D0E_0F10L, b.r(7));
        TestMachine l = m(LE).exec(0xe0c40000);
        assertEquals(0x100F_0E0D_0C0B_0A09L, l.r(6));
        assertEquals(0x0807_0605_0403_0201L, l.r(7));
        TestMachine s = m(BE).gpr(6, 0xAAL).gpr(7, 0xBBL).exec(0xf8c40002);       // stq r6
        assertEquals(0xAA, s.memory.readLongBE(DATA));
        assertEquals(0xBB, s.memory.readLongBE(DATA + 8));
        TestMachine sl = m(LE).gpr(6, 0xAAL).gpr(7, 0xBBL).exec(0xf8c40002);
        assertEquals(0xBB, sl.memory.readLongLE(DATA));
        assertEquals(0xAA, sl.memory.readLongLE(DATA + 8));
    }

    @Test
    void misalignedQuadwordRaisesAlignment() {
        TestMachine t = m(BE).gpr(4, DATA + 8).exec(0xe0c40000);
        assertEquals(0x600, t.core.pc());
        assertEquals(DATA + 8, t.core.dar());
        assertEquals(TestMachine.CODE, t.core.srr0());
    }

    @Test
    void loadAndStoreMultipleInBigEndian() {
        TestMachine t = m(BE).exec(0xbba40000);                                    // lmw r29
        assertEquals(0x0102_0304L, t.r(29));
        assertEquals(0x0506_0708L, t.r(30));
        assertEquals(0x090A_0B0CL, t.r(31));
        TestMachine s = m(BE).gpr(29, 0xFFFF_FFFF_A1A2_A3A4L).gpr(30, 0xB1B2_B3B4L).gpr(31, 0xC1C2_C3C4L).exec(0xbfa40000);
        assertArrayEquals(new byte[] {(byte) 0xA1, (byte) 0xA2, (byte) 0xA3, (byte) 0xA4, (byte) 0xB1, (byte) 0xB2,
                (byte) 0xB3, (byte) 0xB4, (byte) 0xC1, (byte) 0xC2, (byte) 0xC3, (byte) 0xC4}, bytes(s, DATA, 12));
    }

    @Test
    void multipleAndStringFormsRaiseAlignmentInLittleEndian() {
        for (int word : new int[] {0xbba40000, 0xbfa40000, 0x7cc43caa, 0x7cc43daa, 0x7cc42c2a, 0x7cc42d2a}) {
            TestMachine t = m(LE).gpr(5, 0).exec(word);
            assertEquals(0x600, t.core.pc(), Integer.toHexString(word));
            assertEquals(DATA, t.core.dar());
        }
    }

    @Test
    void stringLoadsAndStoresPackBytesLeftJustified() {
        TestMachine t = m(BE).exec(0x7cc43caa);                                    // lswi r6,r4,7
        assertEquals(0x0102_0304L, t.r(6));
        assertEquals(0x0506_0700L, t.r(7));
        TestMachine x = m(BE).gpr(5, 0);
        x.core.setXer(5);
        x.exec(0x7cc42c2a);                                                        // lswx, XER count 5
        assertEquals(0x0102_0304L, x.r(6));
        assertEquals(0x0500_0000L, x.r(7));
        TestMachine s = m(BE).gpr(6, 0xA1A2_A3A4L).gpr(7, 0xB1B2_B3B4L).exec(0x7cc43daa); // stswi 7
        assertArrayEquals(new byte[] {(byte) 0xA1, (byte) 0xA2, (byte) 0xA3, (byte) 0xA4, (byte) 0xB1, (byte) 0xB2,
                (byte) 0xB3, 0x08}, bytes(s, DATA, 8));
    }

    @Test
    void dcbzZeroesTheWhole128ByteBlock() {
        TestMachine t = m(BE);
        t.memory.fill(DATA + 0x80, DATA + 0x180, (byte) 0x55);
        t.gpr(4, DATA + 0x85).exec(0x7c0027ec);
        assertArrayEquals(new byte[128], bytes(t, DATA + 0x80, 128));
        assertEquals(0x55, t.memory.readByte(DATA + 0x100));
        assertEquals(0x10, t.memory.readByte(DATA + 0x0F));
    }

    @Test
    void dcbzOnAPageTheDataCacheHoldsZeroesTheBlockAndNothingElse() {
        TestMachine t = m(BE);
        t.memory.fill(DATA, DATA + 0x1000, (byte) 0x55);
        // stb r5,0(r4) fills the cache's write entry for the page; dcbz r0,r4 then hits it (in
        // the same run: code written for a second run would be decoded anew, and a page decoded
        // since lets the cache's write entries lapse).
        t.gpr(4, DATA + 0x185).gpr(5, 0x66).exec(0x98a40000, 0x7c0027ec);
        assertArrayEquals(new byte[128], bytes(t, DATA + 0x180, 128));
        assertEquals(0x55, t.memory.readByte(DATA + 0x17F));
        assertEquals(0x55, t.memory.readByte(DATA + 0x200));
    }

    @Test
    void effectiveAddressesWrapAt32BitsIn32BitMode() {
        TestMachine t = m(Msr.ME).gpr(4, 0xFFFF_FFFF_0002_0000L).exec(0x88640001);
        assertEquals(0x02, t.r(3));
        TestMachine w = m(Msr.ME).gpr(4, 0xFFFF_FFFFL);
        w.memory.writeByte(0, (byte) 0x5A);
        assertEquals(0x5A, w.exec(0x88640001).r(3));
        TestMachine u = m(Msr.ME).gpr(4, 0xFFFF_FFFF_0002_0000L).exec(0x8c640001); // lbzu keeps the truncated EA
        assertEquals(DATA + 1, u.r(4));
    }

    @Test
    void accessesCrossingAPageBoundaryWork() {
        TestMachine t = m(BE).gpr(4, DATA + 0xFFC);
        t.memory.writeLongBE(DATA + 0xFFC, 0x1122_3344_5566_7788L);
        assertEquals(0x1122_3344_5566_7788L, t.exec(0xe8640000 /* ld r3,0(r4) */).r(3));
        TestMachine s = m(LE).gpr(4, DATA + 0xFFE).gpr(3, 0xA1A2_A3A4L).exec(0x90640000); // stw r3,0(r4)
        assertArrayEquals(new byte[] {(byte) 0xA4, (byte) 0xA3, (byte) 0xA2, (byte) 0xA1}, bytes(s, DATA + 0xFFE, 4));
    }

    /** The page is in the core's data cache from the first access; the second still takes both pages. */
    @Test
    void accessesCrossingOutOfACachedPageWork() {
        TestMachine t = m(BE).gpr(4, DATA + 0xFFA).gpr(6, DATA + 0xF00);
        t.memory.writeLongBE(DATA + 0xFFA, 0x1122_3344_5566_7788L);
        t.exec(0xe8a60000 /* ld r5,0(r6) */, 0xe8640000 /* ld r3,0(r4) */, 0x80e40004 /* lwz r7,4(r4) */);
        assertEquals(0x1122_3344_5566_7788L, t.r(3));
        assertEquals(0x5566_7788L, t.r(7));
        TestMachine s = m(LE).gpr(4, DATA + 0xFFF).gpr(6, DATA + 0xF00).gpr(3, 0xB1B2L)
                .exec(0xe8a60000 /* ld r5,0(r6) */, 0xb0640000 /* sth r3,0(r4) */);
        assertArrayEquals(new byte[] {(byte) 0xB2, (byte) 0xB1}, bytes(s, DATA + 0xFFF, 2));
    }

    @Test
    void loadFromOutsideRealMemoryIsAMachineCheck() {
        TestMachine t = m(BE).gpr(4, 0x4000_0000L).gpr(3, 77).exec(0x88640001);
        assertEquals(0x200, t.core.pc());
        assertEquals(0x4000_0001L, t.core.dar());
        assertEquals(TestMachine.CODE, t.core.srr0());
        assertEquals(Srr1.MACHINE_CHECK_LOAD_STORE, t.core.srr1() & Srr1.MACHINE_CHECK_LOAD_STORE);
        assertEquals(77, t.r(3));
        assertEquals(0, t.core.msr() & Msr.ME);
    }
}
