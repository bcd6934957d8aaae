package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VectorMachine.va;
import static jvisor.hw.power.cpu.VectorMachine.vc;
import static jvisor.hw.power.cpu.VectorMachine.vx;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Vector integer arithmetic, logical, shift/rotate, compare and count instructions, with values worked out by hand from the ISA's definitions. */
class VectorIntegerTest {
    private static VectorMachine run(int word, long[] a, long[] b) {
        VectorMachine v = new VectorMachine();
        v.vr(1, a[0], a[1]).vr(2, b[0], b[1]);
        return v.exec(word);
    }

    private static long[] q(long hi, long lo) {
        return new long[]{hi, lo};
    }

    @Test
    void unsignedSaturatingAddClampsAndSetsSat() {
        VectorMachine v = run(vx(512, 3, 1, 2), q(0xF0_01_00_00_00_00_00_00L, 0), q(0x20_02_00_00_00_00_00_00L, 0)); // vaddubs
        assertEquals(0xFF_03_00_00_00_00_00_00L, v.hi(3));
        assertEquals(1, v.vscr() & 1);
    }

    @Test
    void signedSaturatingAddClampsBothWays() {
        VectorMachine v = run(vx(768, 3, 1, 2), q(0x7F_80_05_00_00_00_00_00L, 0), q(0x01_FF_FB_00_00_00_00_00L, 0)); // vaddsbs
        assertEquals(0x7F_80_00_00_00_00_00_00L, v.hi(3));
        assertEquals(1, v.vscr() & 1);
        VectorMachine w = run(vx(768, 3, 1, 2), q(0x01_02_00_00_00_00_00_00L, 0), q(0x01_02_00_00_00_00_00_00L, 0));
        assertEquals(0, w.vscr() & 1, "no saturation leaves SAT as it was");
    }

    @Test
    void quadwordAddCarriesAcrossTheDoublewords() {
        assertEquals(1, run(vx(256, 3, 1, 2), q(0, -1), q(0, 1)).hi(3));                    // vadduqm
        assertEquals(1, run(vx(320, 3, 1, 2), q(-1, -1), q(0, 1)).lo(3));                   // vaddcuq
        assertEquals(0, run(vx(320, 3, 1, 2), q(-1, -2), q(0, 1)).lo(3));
        VectorMachine sub = run(vx(1280, 3, 1, 2), q(0, 0), q(0, 1));                       // vsubuqm 0 - 1
        assertEquals(-1, sub.hi(3));
        assertEquals(-1, sub.lo(3));
        assertEquals(0, run(vx(1344, 3, 1, 2), q(0, 0), q(0, 1)).lo(3));                    // vsubcuq: borrow
        assertEquals(1, run(vx(1344, 3, 1, 2), q(0, 1), q(0, 1)).lo(3));                    // no borrow
    }

    @Test
    void extendedQuadwordAddTakesTheCarryFromBit127OfVrc() {
        VectorMachine v = new VectorMachine();
        v.vr(1, 0, -1).vr(2, 0, 0).vr(4, -1, 0xFFFF_FFFF_FFFF_FFFEL);
        v.exec(va(60, 3, 1, 2, 4)); // vaddeuqm: carry in 0
        assertEquals(0, v.hi(3));
        v.vr(4, 0, 1).exec(va(60, 3, 1, 2, 4), va(61, 5, 1, 2, 4)); // carry in 1; vaddecuq
        assertEquals(1, v.hi(3));
        assertEquals(0, v.lo(3));
        assertEquals(0, v.lo(5), "no carry out of bit 0");
    }

    @Test
    void evenAndOddMultipliesWidenTheElements() {
        long[] a = q(0xFF_02_80_03_00_00_00_00L, 0), b = q(0xFF_05_02_07_00_00_00_00L, 0);
        assertEquals(0xFE01_0100_0000_0000L, run(vx(520, 3, 1, 2), a, b).hi(3));   // vmuleub: 255*255, 128*2
        assertEquals(0x000A_0015_0000_0000L, run(vx(8, 3, 1, 2), a, b).hi(3));     // vmuloub: 2*5, 3*7
        assertEquals(0x0001_FF00_0000_0000L, run(vx(776, 3, 1, 2), a, b).hi(3));   // vmulesb: -1*-1, -128*2
    }

    @Test
    void multiplySumUnsignedDoublewordAddsBothProductsAndVrc() {
        VectorMachine v = new VectorMachine();
        v.vr(1, -1, 2).vr(2, -1, 3).vr(4, 0, 10);
        v.exec(va(35, 3, 1, 2, 4)); // (2^64-1)^2 + 6 + 10 = 2^128 - 2^65 + 17
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, v.hi(3));
        assertEquals(17, v.lo(3));
    }

    @Test
    void sumAcrossSaturatesTheWordSum() {
        VectorMachine v = new VectorMachine();
        v.words(1, 0x7FFF_FFFF, 1, 0, 0).words(2, 0, 0, 0, 5);
        v.exec(vx(1928, 3, 1, 2)); // vsumsws
        assertEquals(0, v.hi(3));
        assertEquals(0x7FFF_FFFFL, v.lo(3));
        assertEquals(1, v.vscr() & 1);
    }

    @Test
    void averageRoundsUp() {
        assertEquals(0xFF80_0000_0000_0000L, run(vx(1026, 3, 1, 2), q(0xFF00L << 48, 0), q(0xFEFFL << 48, 0)).hi(3)); // vavgub: (255+254+1)/2, (0+255+1)/2
    }

    @Test
    void rotateThenMaskInsertKeepsTheTargetOutsideTheMask() {
        VectorMachine v = new VectorMachine();
        // vrlwmi word 0: rotate 0x000000FF left by 8, mask bits 16:23 (MB=16, ME=23).
        v.words(1, 0xFF, 0, 0, 0).words(2, (16 << 16) | (23 << 8) | 8, 0, 0, 0).words(3, 0x12345678, 0xAAAAAAAA, 0, 0);
        v.exec(vx(133, 3, 1, 2));
        assertEquals(0x1234FF78, v.word(3, 0));
        assertEquals(0x2AAAAAAA, v.word(3, 1), "MB=ME=SH=0: bit 0 of the rotated 0 replaces bit 0 of 0xAAAAAAAA");
        // vrldmi: doubleword 1 rotated by 4 into bits 60:63 (MB=60, ME=63) of the target.
        v.vr(1, 0, 0xF000_0000_0000_0001L).vr(2, 0, (60L << 16) | (63L << 8) | 4).vr(3, 0, 0x1111_1111_1111_1111L);
        v.exec(vx(197, 3, 1, 2));
        assertEquals(0x1111_1111_1111_111FL, v.lo(3));
    }

    @Test
    void rotateThenAndWithAWrappingMask() {
        VectorMachine v = new VectorMachine();
        // vrlwnm: 0x80000001 rotated by 1 = 0x00000003, mask MB=31 ME=0 (bits 31 and 0) = 0x80000001.
        v.words(1, 0x8000_0001, 0, 0, 0).words(2, (31 << 16) | (0 << 8) | 1, 0, 0, 0);
        v.exec(vx(389, 3, 1, 2));
        assertEquals(0x0000_0001, v.word(3, 0));
    }

    @Test
    void compareRecordFormSetsCr6AllOrNone() {
        VectorMachine v = new VectorMachine();
        v.vr(1, 5, 6).vr(2, 5, 6).vr(4, 5, 7);
        v.exec(vc(6, 3, 1, 2, true)); // vcmpequb.
        assertEquals(-1, v.hi(3));
        assertEquals(8, v.m.crField(6));
        v.exec(vc(6, 3, 1, 4, true));
        assertEquals(0, v.m.crField(6), "some but not all equal");
        v.vr(4, -1, -1).exec(vc(6, 3, 1, 4, true));
        assertEquals(2, v.m.crField(6));
        v.m.core.setCr(0);
        v.exec(vc(6, 3, 1, 2, false));
        assertEquals(0, v.m.crField(6), "without Rc CR6 is untouched");
    }

    @Test
    void compareNotEqualOrZeroCountsZeroElementsAsTrue() {
        VectorMachine v = run(vc(263, 3, 1, 2, false), q(0x0001_0203_0405_0607L, 0), q(0x0001_0203_0405_0607L, 0)); // vcmpnezb
        assertEquals(0xFF00_0000_0000_0000L, v.hi(3));
        assertEquals(-1, v.lo(3));
    }

    @Test
    void signedCompareGreaterThanDoubleword() {
        VectorMachine v = run(vc(967, 3, 1, 2, false), q(1, -1), q(-1, 1)); // vcmpgtsd
        assertEquals(-1, v.hi(3));
        assertEquals(0, v.lo(3));
        VectorMachine u = run(vc(711, 3, 1, 2, false), q(1, -1), q(-1, 1)); // vcmpgtud
        assertEquals(0, u.hi(3));
        assertEquals(-1, u.lo(3));
    }

    @Test
    void shiftsUseTheLowBitsOfEachElement() {
        assertEquals(0x0200_0000_0000_0000L, run(vx(260, 3, 1, 2), q(0x0100L << 48, 0), q(0x0900L << 48, 0)).hi(3)); // vslb by 9&7=1
        assertEquals(0xFF00_0000_0000_0000L, run(vx(772, 3, 1, 2), q(0x8000L << 48, 0), q(0x0700L << 48, 0)).hi(3)); // vsrab 7
        VectorMachine v = run(vx(452, 3, 1, 2), q(0x8000_0000_0000_0001L, 0x8000_0000_0000_0000L), q(0, 3)); // vsl by 3
        assertEquals(0x0000_0000_0000_000CL, v.hi(3));
        assertEquals(0, v.lo(3));
        VectorMachine o = run(vx(1100, 3, 1, 2), q(0x0102_0304_0506_0708L, 0x090A_0B0C_0D0E_0F10L), q(0, 3 << 3)); // vsro 3 bytes
        assertEquals(0x0000_0001_0203_0405L, o.hi(3));
        assertEquals(0x0607_0809_0A0B_0C0DL, o.lo(3));
    }

    @Test
    void variableShiftsBringInTheNeighbouringByte() {
        // vslv: byte 0 = (0x81 << 1 | 0xC0 >> 7) & 0xFF = 0x03, byte 1 unshifted; the last byte takes zeros in.
        VectorMachine v = run(vx(1860, 3, 1, 2), q(0x81C0_0000_0000_0000L, 0x00000000_000000FFL), q(0x0100_0000_0000_0000L, 1));
        assertEquals(0x03C0_0000_0000_0000L, v.hi(3));
        assertEquals(0xFEL, v.lo(3));
        // vsrv: byte 1 = (0x81C0 >> 1) & 0xFF = 0xE0; byte 0 takes zeros in.
        VectorMachine r = run(vx(1796, 3, 1, 2), q(0x81C0_0000_0000_0000L, 0), q(0x0101_0000_0000_0000L, 0));
        assertEquals(0x40E0_0000_0000_0000L, r.hi(3));
    }

    @Test
    void countsPerElementAndLeastSignificantBitsOfBytes() {
        VectorMachine v = run(vx(1794, 3, 0, 2), q(0, 0), q(0x0001_8040_0000_0000L, 0)); // vclzb
        assertEquals(0x0807_0001_0808_0808L, v.hi(3));
        VectorMachine t = run(vx(1538, 3, 29, 2), q(0, 0), q(0x0000_8000_0001_0002L, 0)); // vctzh
        assertEquals(0x0010_000F_0000_0001L, t.hi(3));
        VectorMachine p = run(vx(1923, 3, 0, 2), q(0xFFFF_FFFF_0000_0003L, 0), q(0xFFFF_FFFF_0000_0003L, 0)); // vpopcntw
        assertEquals(0x0000_0020_0000_0002L, p.hi(3));
        VectorMachine l = run(vx(1538, 3, 0, 2), q(0, 0), q(0x0002_0400_0301_0000L, 0)); // vclzlsbb
        assertEquals(4, l.m.r(3), "bytes 0-3 have bit 7 clear, byte 4 (0x03) has it set");
        VectorMachine z = run(vx(1538, 3, 1, 2), q(0, 0), q(0x0100_0000_0000_0000L, 0x0200_0000_0000_0000L)); // vctzlsbb
        assertEquals(15, z.m.r(3));
    }

    @Test
    void parityOfTheLowBitsOfTheBytes() {
        VectorMachine v = run(vx(1538, 3, 8, 2), q(0, 0), q(0x0101_0100_0000_0001L, 0x0000_0000_0303_0303L)); // vprtybw
        assertEquals(0x0000_0001_0000_0001L, v.hi(3));
        assertEquals(0, v.lo(3));
    }

    @Test
    void gatherBitsByBytesTransposesEachDoubleword() {
        VectorMachine v = run(vx(1292, 3, 0, 2), q(0, 0), q(0x8000_0000_0000_0000L, 0x0100_0000_0000_0000L)); // vgbbd
        assertEquals(0x8000_0000_0000_0000L, v.hi(3));
        assertEquals(0x0000_0000_0000_0080L, v.lo(3), "bit 7 of byte 0 goes to bit 0 of byte 7");
    }

    @Test
    void negateAndSignExtend() {
        assertEquals(0x0000_0000_FFFF_FFFFL, run(vx(1538, 3, 6, 2), q(0, 0), q(1, 0)).hi(3)); // vnegw: 0, -1
        assertEquals(0xFFFF_FFFF_FFFF_FF80L, run(vx(1538, 3, 24, 2), q(0, 0), q(0x80, 0)).hi(3)); // vextsb2d
    }

    @Test
    void minimumAndAbsoluteDifference() {
        assertEquals(0x80_00_00_00_00_00_00_00L, run(vx(770, 3, 1, 2), q(0x80L << 56, 0), q(0x7FL << 56, 0)).hi(3)); // vminsb
        assertEquals(0x7F_00_00_00_00_00_00_00L, run(vx(514, 3, 1, 2), q(0x80L << 56, 0), q(0x7FL << 56, 0)).hi(3)); // vminub
        assertEquals(0x0000_0005_FFFF_FFFEL, run(vx(1155, 3, 1, 2), q(0x0000_0003_FFFF_FFFFL, 0), q(0x0000_0008_0000_0001L, 0)).hi(3)); // vabsduw
    }
}
