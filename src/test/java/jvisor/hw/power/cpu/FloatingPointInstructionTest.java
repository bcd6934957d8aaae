package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jvisor.hw.power.Msr;
import jvisor.hw.power.Srr1;
import jvisor.hw.power.cpu.fpu.Fpscr;
import org.junit.jupiter.api.Test;

/**
 * The floating-point instructions on a core: FPSCR effects (sticky bits, FX only on a 0-to-1
 * change, FR/FI/FPRF), record forms, the enabled-exception program interrupt and what it leaves
 * (ISA 3.0B Book I 4.4), compares, conversions, FPSCR moves, and loads and stores in both byte
 * orders. Expected values come from the ISA's definitions.
 */
class FloatingPointInstructionTest {
    static final long BE = Msr.SF | Msr.ME | Msr.FP, LE = BE | Msr.LE, PRECISE = Msr.FE0 | Msr.FE1;
    static final long ONE = 0x3FF0_0000_0000_0000L, TWO = 0x4000_0000_0000_0000L, INF = 0x7FF0_0000_0000_0000L,
            QNAN = 0x7FF8_0000_0000_0000L, SNAN = 0x7FF0_0000_0000_0001L, MARK = 0x5A5A_5A5A_5A5A_5A5AL;
    static final long DATA = 0x20000;

    static int a(int op, int t, int a, int b, int c, int xo, int rc) {
        return op << 26 | t << 21 | a << 16 | b << 11 | c << 6 | xo << 1 | rc;
    }

    static int x(int op, int t, int a, int b, int xo, int rc) {
        return op << 26 | t << 21 | a << 16 | b << 11 | xo << 1 | rc;
    }

    static int d(int op, int t, int ra, int disp) {
        return op << 26 | t << 21 | ra << 16 | (disp & 0xFFFF);
    }

    static int mtfsf(int flm, int frb, int l, int w, int rc) {
        return 63 << 26 | l << 25 | flm << 17 | w << 16 | frb << 11 | 711 << 1 | rc;
    }

    private static TestMachine m(long msr, long fpscr, long... fprs) {
        TestMachine t = new TestMachine().msr(msr);
        VectorScalarRegisters vs = t.core.vectorScalar();
        vs.setFpscr(fpscr);
        for (int i = 0; i < fprs.length; i++) {
            vs.setFpr(i + 1, fprs[i]);
        }
        vs.setFpr(4, MARK);
        return t;
    }

    private static long fpr(TestMachine t, int i) {
        return t.core.vectorScalar().fpr(i);
    }

    private static long fpscr(TestMachine t) {
        return t.core.vectorScalar().fpscr();
    }

    static final int FADD_RC = a(63, 4, 1, 2, 0, 21, 1), FADD = a(63, 4, 1, 2, 0, 21, 0), FMUL = a(63, 4, 1, 0, 2, 25, 0),
            FDIV = a(63, 4, 1, 2, 0, 18, 0), FADDS = a(59, 4, 1, 2, 0, 21, 0), FMADD = a(63, 4, 1, 3, 2, 29, 0),
            FCMPO_CR3 = x(63, 3 << 2, 1, 2, 32, 0), FCMPU_CR5 = x(63, 5 << 2, 1, 2, 0, 0), FCTIW = x(63, 4, 0, 2, 14, 0),
            FCTIDZ = x(63, 4, 0, 2, 815, 0), FCFID = x(63, 4, 0, 2, 846, 0), FRSP = x(63, 4, 0, 2, 12, 0),
            FSEL = a(63, 4, 1, 2, 3, 23, 0), FRE = a(63, 4, 0, 2, 0, 24, 0), FRIN = x(63, 4, 0, 2, 392, 0);

    @Test
    void invalidAdditionGivesTheDefaultNanAndRecordsCr1() {
        TestMachine t = m(BE, 0, INF, INF | 1L << 63).exec(FADD_RC);
        assertEquals(QNAN, fpr(t, 4));
        long f = fpscr(t);
        assertEquals(Fpscr.FX | Fpscr.VX | Fpscr.VXISI | 0x11 << 12, (int) f);
        assertEquals(0b1010, t.crField(1)); // FX, VX
    }

    @Test
    void snanOperandIsQuietedAndTheFirstNanInOrderWins() {
        TestMachine t = m(BE, 0, QNAN | 5, SNAN).exec(FADD);
        assertEquals(QNAN | 5, fpr(t, 4));
        assertEquals(Fpscr.VXSNAN, (int) fpscr(t) & Fpscr.VXSNAN);
        TestMachine u = m(BE, 0, ONE, SNAN).exec(FADD);
        assertEquals(QNAN | 1, fpr(u, 4));
        // fmadd f4,f1,f2(C),f3(B): A, then B, then C.
        TestMachine v = m(BE, 0, ONE, QNAN | 2, QNAN | 3).exec(FMADD);
        assertEquals(QNAN | 3, fpr(v, 4));
    }

    @Test
    void enabledInvalidOperationLeavesTheTargetAndInterruptsInPreciseMode() {
        TestMachine t = m(BE | PRECISE, Fpscr.VE, INF, INF | 1L << 63).exec(FADD);
        assertEquals(0x700, t.core.pc());
        assertEquals(TestMachine.CODE, t.core.srr0());
        assertEquals(Srr1.FP_ENABLED, t.core.srr1() & 0x1F_0000L);
        assertEquals(MARK, fpr(t, 4));
        assertEquals(Fpscr.FX | Fpscr.FEX | Fpscr.VX | Fpscr.VXISI | Fpscr.VE, (int) fpscr(t));
    }

    @Test
    void enabledInvalidOperationInIgnoreModeStillLeavesTheTarget() {
        TestMachine t = m(BE, Fpscr.VE | 0x4 << 12, INF, INF | 1L << 63).exec(FADD);
        assertEquals(TestMachine.CODE + 4, t.core.pc());
        assertEquals(MARK, fpr(t, 4));
        assertEquals(0x4 << 12, (int) fpscr(t) & Fpscr.FPRF); // FPRF unchanged
        assertEquals(Fpscr.FEX, (int) fpscr(t) & Fpscr.FEX);
    }

    @Test
    void turningExceptionsOnWithFexSetInterruptsAfterMtmsrd() {
        // mtmsrd r5 with FE0|FE1 while FPSCR[FEX] is set: SRR0 = the next instruction.
        TestMachine t = m(BE, Fpscr.XX | Fpscr.XE | Fpscr.FEX).gpr(5, BE | PRECISE).exec(0x7ca00164);
        assertEquals(0x700, t.core.pc());
        assertEquals(TestMachine.CODE + 4, t.core.srr0());
        assertEquals(Srr1.FP_ENABLED, t.core.srr1() & 0x1F_0000L);
        TestMachine quiet = m(BE, Fpscr.XX | Fpscr.XE).gpr(5, BE | PRECISE).exec(0x7ca00164);
        assertEquals(TestMachine.CODE + 4, quiet.core.pc());
    }

    @Test
    void zeroDivideGivesInfinityOrIsSuppressedWhenEnabled() {
        TestMachine t = m(BE, 0, ONE | 1L << 63, 0).exec(FDIV);
        assertEquals(INF | 1L << 63, fpr(t, 4));
        assertEquals(Fpscr.FX | Fpscr.ZX | 0x09 << 12, (int) fpscr(t));
        TestMachine e = m(BE | PRECISE, Fpscr.ZE, ONE, 0).exec(FDIV);
        assertEquals(MARK, fpr(e, 4));
        assertEquals(0x700, e.core.pc());
    }

    @Test
    void enabledOverflowAndUnderflowDeliverTheAdjustedResult() {
        long big = 0x7E70_0000_0000_0000L; // 2^1000
        TestMachine o = m(BE | PRECISE, Fpscr.OE, big, big).exec(FMUL);
        assertEquals((long) (2000 - 1536 + 1023) << 52, fpr(o, 4));
        assertEquals(Fpscr.OX, (int) fpscr(o) & (Fpscr.OX | Fpscr.XX));
        assertEquals(0x700, o.core.pc());
        long small = 0x0170_0000_0000_0000L; // 2^-1000
        TestMachine u = m(BE, Fpscr.UE, small, 0x3970_0000_0000_0000L /* 2^-104 */).exec(FMUL);
        assertEquals((long) (-1104 + 1536 + 1023) << 52, fpr(u, 4));
        assertEquals(Fpscr.UX, (int) fpscr(u) & (Fpscr.UX | Fpscr.XX));
        // Disabled: the exact tiny product is a denormal, no UX (not inexact).
        TestMachine d = m(BE, 0, 0x0010_0000_0000_0000L, 0x3FE0_0000_0000_0000L).exec(FMUL);
        assertEquals(0x0008_0000_0000_0000L, fpr(d, 4));
        assertEquals(0, (int) fpscr(d) & Fpscr.UX);
        assertEquals(0x14 << 12, (int) fpscr(d) & Fpscr.FPRF);
    }

    @Test
    void fxIsSetOnlyWhenAnExceptionBitChangesFromZeroToOne() {
        long third = 0x3FD5_5555_5555_5555L;
        TestMachine t = m(BE, Fpscr.XX, ONE, third).exec(FADD);
        assertEquals(0, (int) fpscr(t) & Fpscr.FX);
        assertEquals(Fpscr.XX | Fpscr.FI, (int) fpscr(t) & (Fpscr.XX | Fpscr.FI));
        TestMachine u = m(BE, 0, ONE, third).exec(FADD);
        assertEquals(Fpscr.FX, (int) fpscr(u) & Fpscr.FX);
    }

    @Test
    void frAndFiTellHowTheResultWasRounded() {
        // 1 + 2^-53 rounds down (ties to even), 1 + 3 * 2^-53 rounds up.
        TestMachine down = m(BE, 0, ONE, 0x3CA0_0000_0000_0000L).exec(FADD);
        assertEquals(Fpscr.FI, (int) fpscr(down) & (Fpscr.FR | Fpscr.FI));
        TestMachine up = m(BE, 0, ONE, 0x3CB8_0000_0000_0000L).exec(FADD);
        assertEquals(ONE + 2, fpr(up, 4));
        assertEquals(Fpscr.FR | Fpscr.FI, (int) fpscr(up) & (Fpscr.FR | Fpscr.FI));
        // Round toward zero: 1 + 3 * 2^-53 truncates.
        TestMachine rz = m(BE, Fpscr.ROUND_TOWARD_ZERO, ONE, 0x3CB8_0000_0000_0000L).exec(FADD);
        assertEquals(ONE + 1, fpr(rz, 4));
        assertEquals(Fpscr.FI, (int) fpscr(rz) & (Fpscr.FR | Fpscr.FI));
    }

    @Test
    void singlePrecisionResultsAreRoundedToSingleAndClassifiedAsSingles() {
        TestMachine t = m(BE, 0, ONE, 0x3E60_0000_0000_0001L /* just above 2^-25 */).exec(FADDS);
        assertEquals(ONE, fpr(t, 4));
        // 2^-130 is a single denormal but a double normal: FPRF says denormal.
        TestMachine d = m(BE, 0, 0x37D0_0000_0000_0000L, 0).exec(FADDS);
        assertEquals(0x37D0_0000_0000_0000L, fpr(d, 4));
        assertEquals(0x14 << 12, (int) fpscr(d) & Fpscr.FPRF);
        TestMachine r = m(BE, 0, 0, 0x47EF_FFFF_F000_0000L /* FLT_MAX + half ulp */).exec(FRSP);
        assertEquals(INF, fpr(r, 4));
        assertEquals(Fpscr.OX | Fpscr.XX, (int) fpscr(r) & (Fpscr.OX | Fpscr.XX));
    }

    @Test
    void comparesSetTheCrFieldAndFpccAndFcmpoSignalsNans() {
        TestMachine lt = m(BE, 0, ONE, TWO).exec(FCMPU_CR5);
        assertEquals(0b1000, lt.crField(5));
        assertEquals(0b1000 << 12, (int) fpscr(lt) & Fpscr.FPCC);
        TestMachine q = m(BE, 0, QNAN, ONE).exec(FCMPO_CR3);
        assertEquals(0b0001, q.crField(3));
        assertEquals(Fpscr.VXVC | Fpscr.VX | Fpscr.FX, (int) fpscr(q) & (Fpscr.VXVC | Fpscr.VX | Fpscr.FX));
        TestMachine s = m(BE, Fpscr.VE, SNAN, ONE).exec(FCMPO_CR3);
        assertEquals(Fpscr.VXSNAN, (int) fpscr(s) & (Fpscr.VXSNAN | Fpscr.VXVC));
        TestMachine u = m(BE, 0, QNAN, ONE).exec(FCMPU_CR5);
        assertEquals(0, (int) fpscr(u) & Fpscr.VX);
        TestMachine z = m(BE, 0, 1L << 63, 0).exec(FCMPU_CR5);
        assertEquals(0b0010, z.crField(5));
    }

    @Test
    void conversionsToIntegerRoundAndSaturate() {
        TestMachine w = m(BE, 0, 0, 0x41E0_0000_0000_0000L /* 2^31 */).exec(FCTIW);
        assertEquals(0x7FFF_FFFFL, fpr(w, 4) & 0xFFFF_FFFFL);
        assertEquals(Fpscr.VXCVI, (int) fpscr(w) & (Fpscr.VXCVI | Fpscr.XX));
        TestMachine n = m(BE, Fpscr.ROUND_DOWN, 0, 0xBFF8_0000_0000_0000L /* -1.5 */).exec(FCTIW);
        assertEquals(0xFFFF_FFFEL, fpr(n, 4) & 0xFFFF_FFFFL);
        TestMachine z = m(BE, Fpscr.ROUND_UP, 0, 0xC004_0000_0000_0000L /* -2.5 */).exec(FCTIDZ);
        assertEquals(-2, fpr(z, 4));
        TestMachine c = m(BE, 0, 0, -3).exec(FCFID);
        assertEquals(0xC008_0000_0000_0000L, fpr(c, 4));
        TestMachine i = m(BE, 0, 0, 0xC004_0000_0000_0000L).exec(FRIN);
        assertEquals(0xC008_0000_0000_0000L, fpr(i, 4)); // ties away from zero
    }

    @Test
    void fselPicksOnTheSignOfAIncludingMinusZeroAndNan() {
        assertEquals(TWO, fpr(m(BE, 0, 1L << 63, ONE, TWO).exec(FSEL), 4));
        assertEquals(ONE, fpr(m(BE, 0, QNAN, ONE, TWO).exec(FSEL), 4));
        assertEquals(ONE, fpr(m(BE, 0, 0xBFF0_0000_0000_0000L, ONE, TWO).exec(FSEL), 4));
    }

    @Test
    void reciprocalEstimateIsWithinTheArchitectedBound() {
        TestMachine t = m(BE, 0, 0, 0x4008_0000_0000_0000L).exec(FRE);
        double r = Double.longBitsToDouble(fpr(t, 4));
        assertEquals(1.0 / 3, r, 1.0 / 3 / 256);
        TestMachine z = m(BE, 0, 0, 1L << 63).exec(FRE);
        assertEquals(INF | 1L << 63, fpr(z, 4));
        assertEquals(Fpscr.ZX, (int) fpscr(z) & Fpscr.ZX);
    }

    // ---- FPSCR moves ----

    @Test
    void mtfsfWritesSelectedFieldsAndRecomputesTheSummaries() {
        // mtfsf 0x81,f2: fields 0 and 7; FRB has FEX and VX set, which are not taken from it.
        TestMachine t = m(BE, 0, 0, 0xFFFF_FFFFL).exec(mtfsf(0x81, 2, 0, 0, 1));
        long f = fpscr(t);
        assertEquals(0x9000_000FL, f); // FX, OX from field 0; XE NI RN from field 7; FEX, VX computed (no VX cause)
        assertEquals(0b1001, t.crField(1));
        // L=1: the whole register.
        TestMachine l = m(BE, 0, 0, 0x0000_0007_0100_0080L).exec(mtfsf(0, 2, 1, 0, 0));
        assertEquals(0x0000_0007_6100_0080L, fpscr(l)); // VXSNAN with VE: VX and FEX
    }

    @Test
    void mtfsfWithAnEnabledExceptionInterruptsInPreciseMode() {
        TestMachine t = m(BE | PRECISE, 0, 0, Fpscr.XX | Fpscr.XE).exec(mtfsf(0xFF, 2, 0, 0, 0));
        assertEquals(0x700, t.core.pc());
        assertEquals(Srr1.FP_ENABLED, t.core.srr1() & 0x1F_0000L);
    }

    @Test
    void mtfsfiMtfsbAndMcrfs() {
        // mtfsfi 7,3: RN = 3.
        TestMachine t = m(BE, 0).exec(x(63, 7 << 2, 0, 3 << 1, 134, 0));
        assertEquals(3, fpscr(t));
        // mtfsb1 3 (OX): OX and FX.
        TestMachine b = m(BE, 0).exec(x(63, 3, 0, 0, 38, 0));
        assertEquals(Fpscr.FX | Fpscr.OX, (int) fpscr(b));
        // mtfsb1 1 (FEX) has no effect.
        TestMachine fex = m(BE, 0).exec(x(63, 1, 0, 0, 38, 0));
        assertEquals(0, fpscr(fex));
        // mcrfs 2,1: CR2 = UX ZX XX VXSNAN, then those exception bits cleared, VX recomputed.
        TestMachine c = m(BE, Fpscr.FX | Fpscr.VX | Fpscr.UX | Fpscr.VXSNAN | Fpscr.VXISI).exec(x(63, 2 << 2, 1 << 2, 0, 64, 0));
        assertEquals(0b1001, c.crField(2));
        assertEquals(Fpscr.FX | Fpscr.VX | Fpscr.VXISI, (int) fpscr(c));
    }

    @Test
    void mffsVariantsReadAndSetTheModes() {
        long f = 0x0000_0005_8200_40F9L; // DRN 5, FX XX, FPRF, enables, RN 1
        TestMachine s = m(BE, f).exec(x(63, 4, 0, 0, 583, 0));
        assertEquals(f, fpr(s, 4));
        TestMachine l = m(BE, f).exec(x(63, 4, 24, 0, 583, 0));
        assertEquals(0x0000_0005_0000_40F9L, fpr(l, 4));
        TestMachine rn = m(BE, f, 0, 2).exec(x(63, 4, 22, 2, 583, 0));
        assertEquals(0x0000_0005_0000_00F9L, fpr(rn, 4));
        assertEquals((f & ~3L) | 2, fpscr(rn));
        TestMachine ce = m(BE, f).exec(x(63, 4, 1, 0, 583, 0));
        assertEquals(f & ~0xF8L, fpscr(ce));
    }

    // ---- loads and stores ----

    @Test
    void singleLoadsConvertExactlyAndStoresDoNotRound() {
        for (long msr : new long[] {BE, LE}) {
            TestMachine t = m(msr, 0).gpr(5, DATA);
            if (msr == LE) t.memory.writeIntLE(DATA, 0x0000_0001); else t.memory.writeIntBE(DATA, 0x0000_0001);
            t.exec(d(48, 6, 5, 0), d(52, 6, 5, 8)); // lfs f6,0(r5); stfs f6,8(r5)
            assertEquals(0x36A0_0000_0000_0000L, fpr(t, 6)); // 2^-149 normalized
            assertEquals(1, msr == LE ? t.memory.readIntLE(DATA + 8) : t.memory.readIntBE(DATA + 8));
        }
    }

    @Test
    void doubleLoadsAndStoresFollowTheByteOrderAndUpdateRa() {
        TestMachine t = m(LE, 0, 0x1122_3344_5566_7788L).gpr(5, DATA);
        t.exec(d(55, 1, 5, 16), d(51, 7, 5, 0)); // stfdu f1,16(r5); lfdu f7,0(r5)
        assertEquals(DATA + 16, t.r(5));
        assertEquals(0x1122_3344_5566_7788L, t.memory.readLongLE(DATA + 16));
        assertEquals(0x1122_3344_5566_7788L, fpr(t, 7));
    }

    @Test
    void wordLoadsFillTheFprAsTheIsaSays() {
        TestMachine t = m(BE, 0).gpr(5, DATA).gpr(6, 0);
        t.memory.writeIntBE(DATA, 0x8000_0001);
        t.exec(x(31, 8, 5, 6, 855, 0), x(31, 9, 5, 6, 887, 0), x(31, 8, 5, 6, 983, 0)); // lfiwax, lfiwzx, stfiwx
        assertEquals(0xFFFF_FFFF_8000_0001L, fpr(t, 8));
        assertEquals(0x8000_0001L, fpr(t, 9));
    }

    @Test
    void pairsUseTheEvenRegisterFirstInBigEndianAndSecondInLittleEndian() {
        for (long msr : new long[] {BE, LE}) {
            TestMachine t = m(msr, 0).gpr(5, DATA);
            t.memory.writeLongBE(DATA, 0x0102_0304_0506_0708L);
            t.memory.writeLongBE(DATA + 8, 0x1112_1314_1516_1718L);
            t.exec(57 << 26 | 10 << 21 | 5 << 16); // lfdp f10,0(r5)
            if (msr == BE) {
                assertEquals(0x0102_0304_0506_0708L, fpr(t, 10));
                assertEquals(0x1112_1314_1516_1718L, fpr(t, 11));
            } else {
                assertEquals(0x1817_1615_1413_1211L, fpr(t, 10));
                assertEquals(0x0807_0605_0403_0201L, fpr(t, 11));
            }
            t.exec(61 << 26 | 10 << 21 | 5 << 16 | 16); // stfdp f10,16(r5)
            assertEquals(0x0102_0304_0506_0708L, t.memory.readLongBE(DATA + 16));
            assertEquals(0x1112_1314_1516_1718L, t.memory.readLongBE(DATA + 24));
        }
        TestMachine odd = m(BE, 0).gpr(5, DATA).exec(57 << 26 | 11 << 21 | 5 << 16);
        assertEquals(0x700, odd.core.pc());
    }

    @Test
    void updateFormWithRaZeroIsIllegalAndAFaultingLoadChangesNothing() {
        TestMachine t = m(BE, 0).exec(d(49, 6, 0, 8)); // lfsu f6,8(0)
        assertEquals(0x700, t.core.pc());
        assertEquals(Srr1.ILLEGAL, t.core.srr1() & 0x1F_0000L);
        TestMachine f = m(BE, 0).gpr(5, TestMachine.MEMORY + 0x1000L).exec(d(51, 4, 5, 0)); // lfdu f4,0(r5)
        assertEquals(0x200, f.core.pc());
        assertEquals(MARK, fpr(f, 4));
        assertEquals(TestMachine.MEMORY + 0x1000L, f.r(5));
    }

    @Test
    void floatingPointInstructionsNeedMsrFp() {
        TestMachine t = m(Msr.SF | Msr.ME, 0, ONE, ONE).exec(FADD);
        assertEquals(0x800, t.core.pc());
        assertEquals(MARK, fpr(t, 4));
        TestMachine l = m(Msr.SF | Msr.ME, 0).gpr(5, DATA).exec(d(50, 4, 5, 0));
        assertEquals(0x800, l.core.pc());
    }
}
