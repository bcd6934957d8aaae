package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

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
            DIVDEUO = 0x7c642f12, MODSW = 0x7c642e16, MODUW = 0x7c642a16, MODSD = 0x7c642e12,
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
