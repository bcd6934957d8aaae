package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import jvisor.hw.power.Msr;

/** Add/subtract/multiply/divide results and XER (CA, CA32, OV, OV32, SO) and CR0, values from the ISA. */
class FixedPointArithmeticTest {
    static final long SO = 0x8000_0000L, OV = 0x4000_0000L, CA = 0x2000_0000L, OV32 = 0x8_0000L, CA32 = 0x4_0000L;

    static final int ADD = 0x7c642a14, ADDO = 0x7c642e14, ADDO_RC = 0x7c642e15, ADD_RC = 0x7c642a15,
            ADDC = 0x7c642814, ADDCO_RC = 0x7c642c15, ADDE = 0x7c642914, SUBF = 0x7c642850, SUBFC = 0x7c642810,
            SUBFE = 0x7c642910, SUBFIC_M1 = 0x2064ffff, NEG = 0x7c6400d0, NEGO = 0x7c6404d0, ADDME = 0x7c6401d4,
            ADDZE = 0x7c640194, SUBFME = 0x7c6401d0, SUBFZE = 0x7c640190, ADDIC_1 = 0x30640001,
            ADDIC_RC_M1 = 0x3464ffff, ADDIS_M1 = 0x3c64ffff, MULLI_M3 = 0x1c64fffd, MULLW = 0x7c6429d6,
            MULLWO = 0x7c642dd6, MULLD = 0x7c6429d2, MULLDO = 0x7c642dd2, MULHW = 0x7c642896,
            MULHWU = 0x7c642816, MULHD = 0x7c642892, MULHDU = 0x7c642812, MADDHD = 0x106429b0,
            MADDHDU = 0x106429b1, MADDLD = 0x106429b3, DIVW = 0x7c642bd6, DIVWO = 0x7c642fd6,
            DIVWU = 0x7c642b96, DIVD = 0x7c642bd2, DIVDO_RC = 0x7c642fd3, DIVDU = 0x7c642b92,
            DIVWE = 0x7c642b56, DIVWEU = 0x7c642b16, DIVDE = 0x7c642b52, DIVDEU = 0x7c642b12,
            DIVDEUO = 0x7c642f12, DIVDEO = 0x7c642f52, DIVDEO_RC = 0x7c642f53, DIVDEU_RC = 0x7c642b13,
            DIVWEO = 0x7c642f56, DIVWEUO = 0x7c642f16, DIVDEUO_RC = 0x7c642f13, MODSW = 0x7c642e16, MODUW = 0x7c642a16, MODSD = 0x7c642e12,
            MODUD = 0x7c642a12, MCRXRX_CR2 = 0x7d000480, ADDEX = 0x7c642954;

    private static TestMachine m64(long a, long b) {
        return new TestMachine().gpr(4, a).gpr(5, b);
    }

    private static TestMachine m32(long a, long b) {
        return new TestMachine().msr(Msr.ME).gpr(4, a).gpr(5, b);
    }

    @Test
    void addOverflowAtTheTopOfTheSignedRangeSetsOvAndSoButNotOv32() {
        TestMachine m = m64(0x7FFF_FFFF_FFFF_FFFFL, 1).exec(ADDO);
        assertEquals(0x8000_0000_0000_0000L, m.r(3));
        assertEquals(SO | OV, m.xer());
    }

    @Test
    void recordFormCopiesSoIntoCr0() {
        TestMachine m = m64(0x7FFF_FFFF_FFFF_FFFFL, 1).exec(ADDO_RC);
        assertEquals(0b1001, m.crField(0)); // LT and SO
    }

    @Test
    void soStaysSetAcrossLaterNonOverflowingOeInstructions() {
        TestMachine m = m64(0x7FFF_FFFF_FFFF_FFFFL, 1).exec(ADDO, 0x38800001 /* li r4,1 */, ADDO);
        assertEquals(SO, m.xer());
    }

    @Test
    void addCarryingSetsCaAndCa32FromTheirOwnBitPositions() {
        assertEquals(CA | CA32, m64(-1L, 1).exec(ADDC).xer());
        TestMachine m = m64(0xFFFF_FFFFL, 1).exec(ADDC);
        assertEquals(0x1_0000_0000L, m.r(3));
        assertEquals(CA32, m.xer()); // 64-bit mode: no carry out of bit 0
    }

    @Test
    void in32BitModeCaAndOvComeFromTheLowWord() {
        TestMachine m = m32(0xFFFF_FFFFL, 1).exec(ADDC);
        assertEquals(CA | CA32, m.xer());
        TestMachine o = m32(0x7FFF_FFFFL, 1).exec(ADDO);
        assertEquals(0x8000_0000L, o.r(3));
        assertEquals(SO | OV | OV32, o.xer());
    }

    @Test
    void cr0In32BitModeLooksAtTheLowWordSignOnly() {
        assertEquals(0b1000, m32(0x7FFF_FFFFL, 1).exec(ADD_RC).crField(0));
        assertEquals(0b0100, m64(0x7FFF_FFFFL, 1).exec(ADD_RC).crField(0));
        assertEquals(0b0010, m32(0x1_0000_0000L, 0).exec(ADD_RC).crField(0));
    }

    @Test
    void addcoRecordSetsCaOvAndCr0Together() {
        TestMachine m = m64(0x8000_0000_0000_0000L, 0x8000_0000_0000_0000L).exec(ADDCO_RC);
        assertEquals(0, m.r(3));
        assertEquals(SO | OV | CA, m.xer());
        assertEquals(0b0011, m.crField(0));
    }

    @Test
    void subtractFromCarryMeansNoBorrow() {
        assertEquals(-2L, m64(5, 3).exec(SUBFC).r(3));
        assertEquals(0, m64(5, 3).exec(SUBFC).xer());
        assertEquals(CA | CA32, m64(3, 5).exec(SUBFC).xer());
        assertEquals(CA | CA32, m64(7, 7).exec(SUBFC).xer());
        assertEquals(2, m64(3, 5).exec(SUBF).r(3));
    }

    @Test
    void extendedFormsConsumeCa() {
        TestMachine m = m64(1, 2);
        m.core.setXer(CA);
        assertEquals(4, m.exec(ADDE).r(3));
        TestMachine s = m64(1, 5);
        s.core.setXer(0);
        assertEquals(3, s.exec(SUBFE).r(3)); // 5 + ~1 + 0 = 5 - 1 - 1
        TestMachine z = m64(0, 0);
        z.core.setXer(CA);
        assertEquals(1, z.exec(ADDZE).r(3));
        assertEquals(0, z.xer() & CA);
        TestMachine me = m64(0, 0);
        assertEquals(-1L, me.exec(ADDME).r(3));
        assertEquals(0, me.xer());
        TestMachine sme = m64(0, 0);
        sme.core.setXer(CA);
        assertEquals(-1L, sme.exec(SUBFME).r(3)); // ~0 + 1 - 1
        assertEquals(CA | CA32, sme.xer());
        TestMachine sze = m64(5, 0);
        sze.core.setXer(CA);
        assertEquals(-5L, sze.exec(SUBFZE).r(3));
    }

    @Test
    void immediateForms() {
        TestMachine m = m64(5, 0).exec(SUBFIC_M1);
        assertEquals(-6L, m.r(3));
        assertEquals(CA | CA32, m.xer());
        TestMachine a = m64(-1L, 0).exec(ADDIC_1);
        assertEquals(0, a.r(3));
        assertEquals(CA | CA32, a.xer());
        TestMachine r = m64(0, 0).exec(ADDIC_RC_M1);
        assertEquals(-1L, r.r(3));
        assertEquals(0b1000, r.crField(0));
        assertEquals(0, r.xer());
        assertEquals(0, m64(0x1_0000L, 0).exec(ADDIS_M1).r(3));
        assertEquals(-0x1_0000L, m64(0, 0).exec(ADDIS_M1).r(3));
        assertEquals(-21L, m64(7, 0).exec(MULLI_M3).r(3));
    }

    @Test
    void negateOfTheMostNegativeNumberOverflows() {
        TestMachine m = m64(0x8000_0000_0000_0000L, 0).exec(NEGO);
        assertEquals(0x8000_0000_0000_0000L, m.r(3));
        assertEquals(SO | OV, m.xer());
        assertEquals(-9L, m64(9, 0).exec(NEG).r(3));
    }

    @Test
    void multiplyLowAndHigh() {
        TestMachine w = m64(0x1_0000L, 0x1_0000L).exec(MULLWO);
        assertEquals(0x1_0000_0000L, w.r(3));
        assertEquals(SO | OV | OV32, w.xer());
        assertEquals(-6L, m64(0xFFFF_FFFE_0000_0003L, 0x7_FFFF_FFFEL).exec(MULLW).r(3)); // 3 * -2 on the low words
        TestMachine d = m64(0x1_0000_0000L, 0x1_0000_0000L).exec(MULLDO);
        assertEquals(0, d.r(3));
        assertEquals(SO | OV | OV32, d.xer());
        assertEquals(-12L, m64(3, -4L).exec(MULLD).r(3));
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, m64(-1L, -1L).exec(MULHDU).r(3));
        assertEquals(0, m64(-1L, -1L).exec(MULHD).r(3));
        assertEquals(-1L, m64(-1L, 1).exec(MULHD).r(3));
        assertEquals(0xFFFF_FFFFL, m64(0x8000_0000L, 2).exec(MULHW).r(3) & 0xFFFF_FFFFL);
        assertEquals(1, m64(0x8000_0000L, 2).exec(MULHWU).r(3) & 0xFFFF_FFFFL);
    }

    @Test
    void multiplyAddForms() {
        assertEquals(-1L, m64(-1L, 1).gpr(6, -1L).exec(MADDHD).r(3));
        assertEquals(2, m64(-1L, 2).gpr(6, 3).exec(MADDHDU).r(3));
        assertEquals(17, m64(3, 4).gpr(6, 5).exec(MADDLD).r(3));
    }

    @Test
    void divideWordTruncatesTowardZero() {
        assertEquals(-3, (int) m64(7, -2L).exec(DIVW).r(3));
        assertEquals(0x7FFF_FFFF, (int) m64(0xFFFF_FFFFL, 2).exec(DIVWU).r(3));
        assertEquals(-3L, m64(-7L, 2).exec(DIVD).r(3));
        assertEquals(0x7FFF_FFFF_FFFF_FFFFL, m64(-1L, 2).exec(DIVDU).r(3));
    }

    @Test
    void invalidDivisionsSetOverflowWithOe() {
        assertEquals(SO | OV | OV32, m64(5, 0).exec(DIVWO).xer());
        assertEquals(SO | OV | OV32, m64(0x8000_0000L, -1L).exec(DIVWO).xer());
        TestMachine d = m64(5, 0).exec(DIVDO_RC);
        assertEquals(SO | OV | OV32, d.xer());
        assertEquals(1, d.crField(0) & 1);
        assertEquals(0, m64(6, 3).exec(DIVWO).xer());
    }

    @Test
    void divideExtendedForms() {
        assertEquals(0x4000_0000, (int) m64(1, 4).exec(DIVWE).r(3));
        assertEquals(0x5555_5555, (int) m64(1, 3).exec(DIVWEU).r(3));
        assertEquals(0x5555_5555_5555_5555L, m64(1, 3).exec(DIVDEU).r(3));
        assertEquals(SO | OV | OV32, m64(3, 3).exec(DIVDEUO).xer());
        assertEquals(0x8000_0000_0000_0000L, m64(-1L, 2).exec(DIVDE).r(3));
        assertEquals(0xC000_0000_0000_0000L, m64(-1L, 4).exec(DIVDE).r(3));
        assertEquals(0x2AAA_AAAA_AAAA_AAAAL, m64(1, 6).exec(DIVDE).r(3));
    }

    /** Runs {@code word} on RA = r4, RB = r5 with XER preset to {@code xer}. */
    private static TestMachine withXer(long a, long b, long xer, int word) {
        TestMachine m = m64(a, b);
        m.core.setXer(xer);
        return m.exec(word);
    }

    private static void assertDivideOverflow(long a, long b, int word) {
        TestMachine m = withXer(a, b, 0, word);
        assertEquals(SO | OV | OV32, m.xer(), () -> Long.toHexString(a) + " / " + Long.toHexString(b));
        assertEquals(0, m.r(3), "an overflowing quotient (undefined by the ISA) is written as 0");
    }

    private static void assertQuotient(long a, long b, int word, long q) {
        TestMachine m = withXer(a, b, SO | OV | OV32 | CA, word);
        assertEquals(q, m.r(3), () -> Long.toHexString(a) + " / " + Long.toHexString(b));
        assertEquals(SO | CA, m.xer(), "OV and OV32 cleared, SO and CA kept");
    }

    @Test
    void divdeoOverflowsOnZeroDivisorAndWhenTheDividendMagnitudeIsNotBelowTheDivisors() {
        // (RA || 64 zeros) / RB: |quotient| >= 2^64 > 2^63 whenever |RA| >= |RB|.
        assertDivideOverflow(5, 0, DIVDEO);
        assertDivideOverflow(0, 0, DIVDEO);
        assertDivideOverflow(3, 3, DIVDEO);
        assertDivideOverflow(-4L, 3, DIVDEO);
        assertDivideOverflow(3, -3L, DIVDEO);
        assertDivideOverflow(Long.MIN_VALUE, -1L, DIVDEO);
        assertDivideOverflow(Long.MIN_VALUE, Long.MIN_VALUE, DIVDEO);
        assertDivideOverflow(Long.MAX_VALUE, Long.MIN_VALUE + 1, DIVDEO);
    }

    @Test
    void divdeoOverflowRecordFormHasRtZeroAndCr0EqPlusSo() {
        TestMachine m = withXer(7, 0, 0, DIVDEO_RC);
        assertEquals(0, m.r(3));
        assertEquals(SO | OV | OV32, m.xer());
        assertEquals(0b0011, m.crField(0)); // LT/GT/EQ undefined by the ISA; QEMU compares RT = 0
    }

    @Test
    void divdeoRepresentableQuotientsTruncateTowardZero() {
        assertQuotient(1, 6, DIVDEO, 0x2AAA_AAAA_AAAA_AAAAL);                 // 2^64/6 = 0x2AAA..AA.AA
        assertQuotient(1, 3, DIVDEO, 0x5555_5555_5555_5555L);                 // 2^64/3 = 0x5555..55.55
        assertQuotient(-1L, 3, DIVDEO, 0xAAAA_AAAA_AAAA_AAABL);               // -0x5555..55
        assertQuotient(-1L, 4, DIVDEO, 0xC000_0000_0000_0000L);               // -2^62
        assertQuotient(0, -5L, DIVDEO, 0);
        assertQuotient(1, Long.MIN_VALUE, DIVDEO, -2L);                      // 2^64 / -2^63
        assertQuotient(-1L, Long.MIN_VALUE, DIVDEO, 2);
    }

    @Test
    void divdeoMostNegativeQuotientIsRepresentable() {
        // 2^64 / -2 = -2^63, the one quotient of magnitude 2^63 that fits.
        assertQuotient(1, -2L, DIVDEO, Long.MIN_VALUE);
        assertQuotient(-1L, 2, DIVDEO, Long.MIN_VALUE);
        TestMachine m = withXer(1, -2L, 0, DIVDEO_RC);
        assertEquals(0, m.xer());
        assertEquals(0b1000, m.crField(0));
    }

    @Test
    void divdeoQuotientsOfMagnitude2To63AndAboveOverflowAsTheIsaSays() {
        // |RA| < |RB| but the quotient needs 65 signed bits: overflow (QEMU 10 misses these).
        assertDivideOverflow(1, 2, DIVDEO);                                   // +2^63
        assertDivideOverflow(-1L, -2L, DIVDEO);                               // +2^63
        assertDivideOverflow(3, -5L, DIVDEO);                                 // -(0x9999..99)
        assertDivideOverflow(Long.MAX_VALUE, Long.MIN_VALUE, DIVDEO);         // -(2^64 - 2)
        assertDivideOverflow(0xC000_0000_0000_0000L, Long.MAX_VALUE, DIVDEO); // -(2^63 + 1)
        assertDivideOverflow(0x3FFF_FFFF_FFFF_FFFFL, 0x4000_0000_0000_0000L, DIVDEO); // +(2^64 - 4)
    }

    @Test
    void divdeWithoutOeLeavesXerAlone() {
        TestMachine m = withXer(5, 0, OV | OV32, DIVDE);
        assertEquals(OV | OV32, m.xer());
        assertEquals(0, m.r(3));
        assertEquals(0, withXer(3, 3, 0, DIVDE).xer());
    }

    @Test
    void divdeuoIsUnsignedAndOverflowsExactlyWhenRaIsNotBelowRb() {
        assertDivideOverflow(5, 0, DIVDEUO);
        assertDivideOverflow(0, 0, DIVDEUO);
        assertDivideOverflow(3, 3, DIVDEUO);
        assertDivideOverflow(-1L, -2L, DIVDEUO);
        assertQuotient(1, 3, DIVDEUO, 0x5555_5555_5555_5555L);
        assertQuotient(1, 2, DIVDEUO, 0x8000_0000_0000_0000L);                // fits unsigned
        assertQuotient(-2L, -1L, DIVDEUO, 0xFFFF_FFFF_FFFF_FFFEL);            // (2^64-2)2^64/(2^64-1)
        assertQuotient(1, -1L, DIVDEUO, 1);
        TestMachine m = withXer(1, 2, 0, DIVDEU_RC);
        assertEquals(0b1000, m.crField(0)); // CR0 compares the result as signed
        TestMachine o = withXer(3, 3, 0, DIVDEUO_RC);
        assertEquals(0b0011, o.crField(0));
    }

    @Test
    void divweoUsesLowWordsAndOverflowsOutsideThe32BitSignedRange() {
        // (RA[32:63] || 32 zeros) / EXTS(RB[32:63]); the quotient must fit in 32 signed bits.
        assertDivideOverflow(1, 0, DIVWEO);
        assertDivideOverflow(1, 0x1_0000_0000L, DIVWEO);                       // low word of RB is 0
        assertDivideOverflow(1, 2, DIVWEO);                                    // +2^31
        assertDivideOverflow(3, 5, DIVWEO);                                    // 0x9999_9999.9
        assertDivideOverflow(0x8000_0000L, -1L, DIVWEO);                       // -2^63 / -1
        assertDivideOverflow(1, 1, DIVWEO);                                    // 2^32
        assertQuotientWord(1, 4, DIVWEO, 0x4000_0000);
        assertQuotientWord(1, -2L, DIVWEO, 0x8000_0000);                       // -2^31, the most negative
        assertQuotientWord(-1L, 3, DIVWEO, 0xAAAA_AAAB);                       // -0x5555_5555
        assertQuotientWord(0xFFFF_FFFF_0000_0001L, 0x1_0000_0004L, DIVWEO, 0x4000_0000); // high words ignored
        assertQuotientWord(1, 0xFFFF_FFFF_8000_0000L, DIVWEO, 0xFFFF_FFFE);    // 2^32 / -2^31 = -2
    }

    @Test
    void divweuoIsUnsignedOnTheLowWords() {
        assertDivideOverflow(1, 0, DIVWEUO);
        assertDivideOverflow(3, 3, DIVWEUO);
        assertDivideOverflow(0x1_0000_0005L, 0x2_0000_0005L, DIVWEUO);        // low words 5 / 5
        assertQuotientWord(1, 3, DIVWEUO, 0x5555_5555);
        assertQuotientWord(1, 2, DIVWEUO, 0x8000_0000);
        assertQuotientWord(0xFFFF_FFFEL, 0xFFFF_FFFFL, DIVWEUO, 0xFFFF_FFFE);
        assertQuotientWord(0x7_0000_0001L, 0x9_0000_0002L, DIVWEUO, 0x8000_0000);
    }

    @Test
    void divideExtendedWordFormsWithoutOe() {
        assertEquals(0x8000_0000, (int) withXer(1, -2L, 0, DIVWE).r(3));
        assertEquals(0, withXer(1, 2, 0, DIVWE).xer());
        assertEquals(0, (int) withXer(1, 2, 0, DIVWE).r(3));
        assertEquals(0x8000_0000, (int) withXer(1, 2, 0, DIVWEU).r(3));
    }

    /** Only RT[32:63] is defined for the word forms; the high word is not checked. */
    private static void assertQuotientWord(long a, long b, int word, int q) {
        TestMachine m = withXer(a, b, SO | OV | OV32, word);
        assertEquals(q, (int) m.r(3), () -> Long.toHexString(a) + " / " + Long.toHexString(b));
        assertEquals(SO, m.xer());
    }

    @Test
    void moduloForms() {
        assertEquals(-1, (int) m64(-7L, 3).exec(MODSW).r(3));
        assertEquals(1, m64(7, 3).exec(MODUW).r(3));
        assertEquals(-1L, m64(-7L, 3).exec(MODSD).r(3));
        assertEquals(1, m64(7, 3).exec(MODUD).r(3));
        assertEquals(1, m64(-1L, 2).exec(MODUD).r(3));
    }

    @Test
    void mcrxrxCopiesOvOv32CaCa32() {
        TestMachine m = m64(0, 0);
        m.core.setXer(OV | CA32);
        assertEquals(0b1001, m.exec(MCRXRX_CR2).crField(2));
    }

    @Test
    void addexUsesOvAsTheCarry() {
        TestMachine m = m64(-1L, 0);
        m.core.setXer(OV);
        m.exec(ADDEX);
        assertEquals(0, m.r(3));
        assertEquals(OV | OV32, m.xer());
    }
}
