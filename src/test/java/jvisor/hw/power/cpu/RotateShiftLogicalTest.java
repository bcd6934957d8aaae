package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Rotates with masks, shifts (CA for algebraic shifts), counts, extends and logical operations. */
class RotateShiftLogicalTest {
    static final long CA_BOTH = 0x2000_0000L | 0x4_0000L;

    private static TestMachine m(long rs, long rb) {
        return new TestMachine().gpr(4, rs).gpr(5, rb);
    }

    private static long run(long rs, long rb, int word) {
        return m(rs, rb).exec(word).r(3);
    }

    @Test
    void rlwinmExtractsAndWrappedMasksSeeTheReplicatedWord() {
        assertEquals(0x12, run(0xFFFF_FFFF_1234_5678L, 0, 0x5483463e));                      // srwi 24
        assertEquals(0xABCD_EF12_A000_0002L, run(0xABCD_EF12L, 0, 0x54830706));              // rlwinm 0,28,3
        TestMachine rec = m(0x8000_0001L, 0).exec(0x5483203f);                                // rotlwi. 4
        assertEquals(0x18, rec.r(3));
        assertEquals(0b0100, rec.crField(0));
        assertEquals(0xF, run(0xF000_0000L, 36, 0x5c83283e));                                // rotlw by 36 & 31
    }

    @Test
    void rlwimiInsertsUnderTheMask() {
        TestMachine t = m(0xABCD, 0).gpr(3, 0x1111_1111_2222_2222L).exec(0x5083821e);       // rlwimi 16,8,15
        assertEquals(0x1111_1111_22CD_2222L, t.r(3));
    }

    @Test
    void doublewordRotates() {
        assertEquals(0xAB, run(0xAB00_0000_0000_0000L, 0, 0x78834620));                      // srdi 56
        assertEquals(0x4000_0000_0000_0000L, run(0x1234, 0, 0x7883e0c6));                    // sldi 60
        assertEquals(0x0000_FFFF_FFFF_FF00L, run(-1L, 0, 0x78834408));                       // rldic 8,16
        TestMachine t = m(0xDEAD_BEEFL, 0).gpr(3, 0x1111_1111_2222_2222L).exec(0x7883000e);  // rldimi 32,0
        assertEquals(0xDEAD_BEEF_2222_2222L, t.r(3));
        assertEquals(0x1F, run(0xF000_0000_0000_0001L, 68, 0x78832810));                     // rotld by 68 & 63
        assertEquals(1, run(0x8000_0000_0000_0000L, 1, 0x78832ff2));                         // rldcr ,63
        assertEquals(0xFFFF_FFFFL, run(-1L, 0, 0x78830020));                                 // clrldi 32
    }

    @Test
    void wordShiftsUseSixBitsOfTheAmount() {
        assertEquals(2, run(0xFFFF_FFFF_8000_0001L, 1, 0x7c832830));                         // slw
        assertEquals(0, run(0xFFFF_FFFF_8000_0001L, 32, 0x7c832830));
        assertEquals(0x8000_0001L, run(0xFFFF_FFFF_8000_0001L, 64, 0x7c832830));             // only 6 bits
        assertEquals(1, run(0xFFFF_FFFF_8000_0000L, 31, 0x7c832c30));                        // srw
    }

    @Test
    void algebraicWordShiftsSetCaOnlyWhenANegativeValueLosesOnes() {
        TestMachine a = m(0x8000_0001L, 1).exec(0x7c832e30);                                  // sraw by 1
        assertEquals(0xFFFF_FFFF_C000_0000L, a.r(3));
        assertEquals(CA_BOTH, a.xer());
        TestMachine big = m(0x8000_0000L, 40).exec(0x7c832e30);
        assertEquals(-1L, big.r(3));
        assertEquals(CA_BOTH, big.xer());
        TestMachine pos = m(0x7FFF_FFFFL, 4).exec(0x7c832e30);
        assertEquals(0x07FF_FFFFL, pos.r(3));
        assertEquals(0, pos.xer());
        TestMachine exact = m(0xFFFF_FFF0L, 0).exec(0x7c832670);                              // srawi 4 of -16
        assertEquals(-1L, exact.r(3));
        assertEquals(0, exact.xer());
        TestMachine lost = m(0xFFFF_FFEFL, 0).exec(0x7c832670);                               // srawi 4 of -17
        assertEquals(-2L, lost.r(3));
        assertEquals(CA_BOTH, lost.xer());
        assertEquals(0xFFFF_FFFF_8000_0000L, run(0x1_8000_0000L, 0, 0x7c830670));            // srawi 0 sign-extends
    }

    @Test
    void doublewordShifts() {
        assertEquals(0, run(1, 64, 0x7c832836));                                             // sld
        assertEquals(0x10, run(1, 4, 0x7c832836));
        assertEquals(0, run(-1L, 0x7F, 0x7c832c36));                                         // srd
        TestMachine s = m(-1L, 70).exec(0x7c832e34);                                          // srad
        assertEquals(-1L, s.r(3));
        assertEquals(CA_BOTH, s.xer());
        TestMachine e = m(-8L, 3).exec(0x7c832e34);
        assertEquals(-1L, e.r(3));
        assertEquals(0, e.xer());
        TestMachine i = m(-17L, 0).exec(0x7c832674);                                          // sradi 4
        assertEquals(-2L, i.r(3));
        assertEquals(CA_BOTH, i.xer());
        assertEquals(-1L, run(0x8000_0000_0000_0000L, 0, 0x7c83fe76));                       // sradi 63
        assertEquals(0xFFFF_FFF8_0000_0000L, run(0x8000_0000L, 0, 0x7c8326f4));              // extswsli 4
    }

    @Test
    void countsAndPopulation() {
        assertEquals(16, run(0xFFFF_FFFF_0000_8000L, 0, 0x7c830034));                        // cntlzw
        TestMachine z = m(0, 0).exec(0x7c830075);                                             // cntlzd.
        assertEquals(64, z.r(3));
        assertEquals(0b0100, z.crField(0));
        assertEquals(32, run(0x1_0000_0000L, 0, 0x7c830434));                                // cnttzw
        assertEquals(32, run(0x1_0000_0000L, 0, 0x7c830474));                                // cnttzd
        assertEquals(0x0102_0304_0800_0000L, run(0x0103_070F_FF00_0000L, 0, 0x7c8300f4));    // popcntb
        assertEquals(0x0000_0020_0000_0001L, run(0xFFFF_FFFF_0000_0001L, 0, 0x7c8302f4));    // popcntw
        assertEquals(64, run(-1L, 0, 0x7c8303f4));                                           // popcntd
        assertEquals(0x0000_0001_0000_0000L, run(0x0100_0000_0101_0000L, 0, 0x7c830134));    // prtyw
        assertEquals(1, run(0x0100_0000_0101_0000L, 0, 0x7c830174));                         // prtyd
    }

    @Test
    void signExtension() {
        assertEquals(-128L, run(0x80, 0, 0x7c830774));
        TestMachine h = m(0x8000, 0).exec(0x7c830735);
        assertEquals(-32768L, h.r(3));
        assertEquals(0b1000, h.crField(0));
        assertEquals(-1L, run(0xFFFF_FFFFL, 0, 0x7c8307b4));
    }

    @Test
    void byteCompareAndBitPermute() {
        assertEquals(0xFF00_FFFF_00FF_FF00L, run(0x1122_3344_5566_7788L, 0x1100_3344_0066_7700L, 0x7c832bf8));
        assertEquals(0xA8, run(0x0001_0203_3F40_FF08L, 0xA000_0000_0000_0001L, 0x7c8329f8));
    }

    @Test
    void logicalOperations() {
        long a = 0xF0F0_0000_FFFF_0000L, b = 0xFF00_FF00_0F0F_0F0FL;
        TestMachine and = m(a, b).exec(0x7c832839);
        assertEquals(a & b, and.r(3));
        assertEquals(0b1000, and.crField(0));
        assertEquals(a & ~b, run(a, b, 0x7c832878));
        assertEquals(a | b, run(a, b, 0x7c832b78));
        assertEquals(a | ~b, run(a, b, 0x7c832b38));
        assertEquals(a ^ b, run(a, b, 0x7c832a78));
        assertEquals(~(a & b), run(a, b, 0x7c832bb8));
        assertEquals(~(a | b), run(a, b, 0x7c8328f8));
        assertEquals(~(a ^ b), run(a, b, 0x7c832a38));
    }

    @Test
    void logicalImmediatesZeroExtend() {
        TestMachine ai = m(0x1234, 0).exec(0x708300ff);
        assertEquals(0x34, ai.r(3));
        assertEquals(0b0100, ai.crField(0));
        TestMachine ais = m(-1L, 0).exec(0x74838000);
        assertEquals(0x8000_0000L, ais.r(3));
        assertEquals(0b0100, ais.crField(0));
        assertEquals(0x8001, run(1, 0, 0x60838000));
        assertEquals(0x8000_0000L, run(0, 0, 0x64838000));
        assertEquals(0x1_0000_0000L, run(0x1_0000_0001L, 0, 0x68830001));
        assertEquals(0x1_0001_0000L, run(0x1_0000_0000L, 0, 0x6c830001));
    }
}
