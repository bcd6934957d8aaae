package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VectorMachine.va;
import static jvisor.hw.power.cpu.VectorMachine.vx;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Permute, pack/unpack, merge, splat, insert/extract, and the AES/SHA/carry-less helpers. */
class VectorPermuteCryptoTest {
    private static final long A_HI = 0x0001020304050607L, A_LO = 0x08090a0b0c0d0e0fL;
    private static final long B_HI = 0x1011121314151617L, B_LO = 0x18191a1b1c1d1e1fL;

    private static VectorMachine ab() {
        return new VectorMachine().vr(1, A_HI, A_LO).vr(2, B_HI, B_LO);
    }

    @Test
    void vpermSelectsFromTheConcatenationAndVpermrFromItsEnd() {
        VectorMachine v = ab().vr(4, 0x1f00_1001_0203_0405L, 0x0607_0809_0a0b_0c0dL);
        v.exec(va(43, 3, 1, 2, 4), va(59, 5, 1, 2, 4));
        assertEquals(0x1f00_1001_0203_0405L, v.hi(3), "bytes 0x00-0x1f of VRA:VRB are the index");
        // vpermr: index 31 - i, so 0x1f -> byte 0 (0x00), 0x00 -> byte 31 (0x1f), 0x10 -> byte 15 (0x0f).
        assertEquals(0x001f_0f1e_1d1c_1b1aL, v.hi(5));
    }

    @Test
    void vsldoiTakesSixteenBytesFromTheShift() {
        VectorMachine v = ab().exec(va(44, 3, 1, 2, 13 << 0) /* SHB in bits 22:25: the VRC field's low 4 bits */);
        assertEquals(0x0d0e0f1011121314L, v.hi(3));
        assertEquals(0x15161718191a1b1cL, v.lo(3));
    }

    @Test
    void vpermxorXorsTheBytesTheNibblesName() {
        VectorMachine v = ab().vr(4, 0x0F10_0000_0000_0000L, 0);
        v.exec(va(45, 3, 1, 2, 4));
        assertEquals(0x0f ^ 0x10, (int) (v.hi(3) >>> 56)); // VRA byte 0 ^ VRB byte 15
        assertEquals(0x01 ^ 0x10, (int) (v.hi(3) >>> 48) & 0xFF);
    }

    @Test
    void packSaturatesAndSetsSat() {
        VectorMachine v = new VectorMachine().vr(1, 0x7FFF_8000_0100_FF80L, 0).vr(2, 0, 0x0005_FFFF_0000_0001L);
        v.exec(vx(398, 3, 1, 2)); // vpkshss
        assertEquals(0x7F80_7F80_0000_0000L, v.hi(3));
        assertEquals(0x0000_0000_05FF_0001L, v.lo(3));
        assertEquals(1, v.vscr() & 1);
        v.vscr(0).exec(vx(14, 5, 1, 2)); // vpkuhum: modulo
        assertEquals(0xFF00_0080_0000_0000L, v.hi(5));
        assertEquals(0, v.vscr() & 1);
    }

    @Test
    void unpackSignExtendsTheHighOrLowHalf() {
        VectorMachine v = new VectorMachine().vr(2, 0x80FF_0102_0000_0000L, 0x7F00_0000_0000_0081L);
        v.exec(vx(526, 3, 0, 2), vx(654, 4, 0, 2)); // vupkhsb, vupklsb
        assertEquals(0xFF80_FFFF_0001_0002L, v.hi(3));
        assertEquals(0x0000_0000_0000_FF81L, v.lo(4));
    }

    @Test
    void pixelPackAndUnpack() {
        VectorMachine v = new VectorMachine().words(1, 0x01F8_F8F8, 0, 0, 0).vr(2, 0, 0);
        v.exec(vx(782, 3, 1, 2)); // vpkpx: 1 | 11111 | 11111 | 11111
        assertEquals(0xFFFF, (int) (v.hi(3) >>> 48));
        v.vr(4, 0x8000_7C1FL << 32, 0).exec(vx(846, 5, 0, 4)); // vupkhpx
        assertEquals(0xFF00_0000_001F_001FL, v.hi(5));
    }

    @Test
    void mergesInterleave() {
        VectorMachine v = ab().exec(vx(12, 3, 1, 2), vx(396, 4, 1, 2), vx(1932, 5, 1, 2)); // vmrghb, vmrglw, vmrgew
        assertEquals(0x0010_0111_0212_0313L, v.hi(3));
        assertEquals(0x08090a0b_18191a1bL, v.hi(4));
        assertEquals(0x00010203_10111213L, v.hi(5));
        assertEquals(0x08090a0b_18191a1bL, v.lo(5));
    }

    @Test
    void splatsReplicateAnElementOrTheImmediate() {
        VectorMachine v = ab().exec(vx(524, 3, 9, 2), vx(908, 4, 0x10, 0)); // vspltb 9, vspltisw -16
        assertEquals(0x1919_1919_1919_1919L, v.hi(3));
        assertEquals(0xFFFF_FFF0_FFFF_FFF0L, v.lo(4));
    }

    @Test
    void insertAndExtractMoveBytesAtTheImmediateOffset() {
        VectorMachine v = ab().exec(vx(653, 3, 5, 1)); // vextractuw UIM 5: bytes 5..8
        assertEquals(0x0000_0000_0506_0708L, v.hi(3));
        assertEquals(0, v.lo(3));
        v.vr(4, A_HI, A_LO).exec(vx(845, 4, 9, 2)); // vinserth UIM 9: bytes 9,10 <- VRB bytes 6,7
        assertEquals(0x0816_170b_0c0d_0e0fL, v.lo(4));
    }

    @Test
    void extractToGprCountsFromTheLeftOrTheRight() {
        VectorMachine v = ab();
        v.m.gpr(5, 0x13); // index 3
        v.exec(vx(1613, 6, 5, 1), vx(1869, 7, 5, 1)); // vextuhlx, vextuhrx
        assertEquals(0x0304, v.m.r(6));
        assertEquals(0x0b0c, v.m.r(7), "the halfword whose last byte is 15 - 3");
    }

    @Test
    void bitPermuteQuadword() {
        VectorMachine v = new VectorMachine().vr(1, 0x8000_0000_0000_0000L, 1).vr(2, 0x00_7F_80_01_02_03_04_05L, 0x0606060606060606L);
        v.exec(vx(1356, 3, 1, 2)); // bits 0 (1), 127 (1), index 128 (0), 1, 2 ...
        assertEquals(0xC000L, v.hi(3));
        assertEquals(0, v.lo(3));
    }

    @Test
    void aesRoundMatchesFips197() {
        // FIPS-197 appendix B: the state entering round 1 and round key 1 give the state entering round 2.
        VectorMachine v = new VectorMachine().vr(1, 0x193de3bea0f4e22bL, 0x9ac68d2ae9f84808L).vr(2, 0xa0fafe1788542cb1L, 0x23a339392a6c7605L);
        v.exec(vx(1288, 3, 1, 2));
        assertEquals(0xa49c7ff2689f352bL, v.hi(3));
        assertEquals(0x6b5bea43026a5049L, v.lo(3));
    }

    @Test
    void lastRoundsAndTheSboxInvertEachOther() {
        VectorMachine v = new VectorMachine().vr(1, A_HI, A_LO).vr(2, 0, 0);
        v.exec(vx(1289, 3, 1, 2), vx(1353, 4, 3, 2)); // vcipherlast, vncipherlast with a zero key
        assertEquals(A_HI, v.hi(4));
        assertEquals(A_LO, v.lo(4));
        v.vr(5, 0x0053_0000_0000_0000L, 0).exec(vx(1480, 6, 5, 0)); // vsbox: S(00)=63, S(53)=ed
        assertEquals(0x63ed_6363_6363_6363L, v.hi(6));
    }

    @Test
    void inverseCipherRoundOfAUniformState() {
        // A state of equal bytes is left alone by (Inv)ShiftRows and (Inv)MixColumns, so
        // vncipher(x, 0) is InvSubBytes: S(0x00) = 0x63, so InvS(0x63) = 0x00.
        VectorMachine v = new VectorMachine().vr(1, 0x6363636363636363L, 0x6363636363636363L).vr(2, 0, 0);
        v.exec(vx(1352, 3, 1, 2));
        assertEquals(0, v.hi(3));
        assertEquals(0, v.lo(3));
        v.exec(vx(1288, 4, 3, 2)); // and vcipher(0, 0) is SubBytes: all 0x63
        assertEquals(0x6363636363636363L, v.hi(4));
    }

    @Test
    void shaSigmaFunctions() {
        VectorMachine v = new VectorMachine().words(1, 1, 1, 1, 1);
        v.exec(vx(1666, 3, 1, 0)); // vshasigmaw ST=0 SIX=0: sigma0
        assertEquals(0x0200_4000, v.word(3, 0)); // ror7 ^ ror18 ^ >>3
        v.exec(vx(1666, 4, 1, 0b1_1000)); // ST=1 SIX=0b1000: word 0 Sigma1, others Sigma0
        assertEquals(0x0420_0080, v.word(4, 0)); // ror6 ^ ror11 ^ ror25
        assertEquals(0x4008_0400, v.word(4, 1)); // ror2 ^ ror13 ^ ror22
    }

    @Test
    void carryLessMultiplySums() {
        VectorMachine v = new VectorMachine().vr(1, 3, 0x8000_0000_0000_0000L).vr(2, 3, 2);
        v.exec(vx(1224, 3, 1, 2)); // vpmsumd: 3*3 = 5, x^63 * x = x^64
        assertEquals(1, v.hi(3));
        assertEquals(5, v.lo(3));
        VectorMachine b = new VectorMachine().vr(1, 0x0303L << 48, 0).vr(2, 0x0302L << 48, 0);
        b.exec(vx(1032, 3, 1, 2)); // vpmsumb: 3*3 ^ 3*2 = 5 ^ 6 = 3
        assertEquals(0x0003L << 48, b.hi(3));
    }
}
