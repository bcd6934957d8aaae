package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import jvisor.hw.power.Lpcr;
import jvisor.hw.power.Msr;
import jvisor.hw.power.Srr1;
import jvisor.hw.power.TlbControl;
import org.junit.jupiter.api.Test;

/** mfspr/mtspr privilege rules, 32-bit SPR widths, side effects, and the hypervisor-only resources. */
class SprAccessTest {
    static final long C = TestMachine.CODE;
    static final long KERNEL = Msr.SF | Msr.ME;
    static final long USER = Msr.SF | Msr.ME | Msr.EE | Msr.PR | Msr.IR | Msr.DR;

    private static TestMachine kernel(long r3) {
        return new TestMachine().gpr(3, r3);
    }

    private static long programReason(TestMachine t) {
        assertEquals(0x700, t.core.pc());
        return t.core.srr1() & 0x1F_0000L;
    }

    @Test
    void pvrReadsPower9AndCannotBeWritten() {
        assertEquals(0x004E_1202L, kernel(0).exec(0x7c7f42a6).r(3));
        assertAssist(kernel(5), 0x7c7f43a6);
    }

    @Test
    void thirtyTwoBitSprsReadBackThirtyTwoBits() {
        assertEquals(0x1234_5678L, kernel(0xFFFF_FFFF_1234_5678L).exec(0x7c7203a6, 0x7c7202a6).r(3)); // DSISR
        assertEquals(0x1234_5678L, kernel(0xFFFF_FFFF_1234_5678L).exec(0x7c700ba6, 0x7c700aa6).r(3)); // PIDR
        assertEquals(0x1234_5678L, kernel(0xFFFF_FFFF_1234_5678L).exec(0x7c6043a6, 0x7c6042a6).r(3)); // VRSAVE
        assertEquals(0x1234_5678L, kernel(0xFFFF_FFFF_1234_5678L).exec(0x7c7f23a6, 0x7c7f22a6).r(3)); // PSPB
        assertEquals(0, kernel(-1L).exec(0x7c7ffaa6).r(3));                                            // PIR
    }

    @Test
    void pidrWriteTellsTheMmu() {
        TestMachine t = kernel(7);
        int before = t.mmu.contextChanges;
        t.exec(0x7c700ba6);
        assertEquals(before + 1, t.mmu.contextChanges);
        assertEquals(7, t.regs.pidr);
    }

    @Test
    void sprgAndUserReadableSprg3() {
        TestMachine t = kernel(0xABC).exec(0x7c7343a6 /* mtsprg 3,r3 */);
        t.msr(USER).gpr(3, 0).exec(0x7c6342a6); // mfspr r3,259
        assertEquals(0xABC, t.r(3));
        assertEquals(0x55, kernel(0x55).exec(0x7c7043a6, 0x7c7042a6).r(3)); // SPRG0
        TestMachine u = new TestMachine().msr(USER).exec(0x7c7043a6);
        assertEquals(Srr1.PRIVILEGED, programReason(u));
    }

    @Test
    void ctrlRunLatch() {
        assertEquals(1, kernel(0).exec(0x7c6822a6).r(3));
        assertEquals(0, kernel(0).exec(0x7c7823a6, 0x7c6822a6).r(3));
    }

    @Test
    void timebaseReads() {
        TestMachine t = kernel(0);
        t.now = 0x1_2345_6789L;
        assertEquals(0x1_2345_6789L, t.exec(0x7c6c42a6).r(3));   // mftb
        assertEquals(1, t.exec(0x7c6d42a6).r(3));                // mftbu
        t.msr(USER);
        assertEquals(0x1_2345_6789L, t.exec(0x7c6c42a6).r(3));   // user may read the timebase
    }

    /** mfspr/mtspr word for SPR n with RT/RS = r3. */
    static int mfspr(int n) {
        return 0x7c6002a6 | ((n & 31) << 16) | ((n >> 5) << 11);
    }

    static int mtspr(int n) {
        return 0x7c6003a6 | ((n & 31) << 16) | ((n >> 5) << 11);
    }

    private static void assertAssist(TestMachine t, int w) {
        assertEquals(Exit.HYPERVISOR_EMULATION_ASSIST, t.runAt(C, 5, w), Integer.toHexString(w));
        assertEquals(w & 0xFFFF_FFFFL, t.core.readSpr(Spr.HEIR));
        assertEquals(C, t.core.pc());
    }

    @Test
    void undefinedSprsTrappedInPrivilegedStateAreMqAndThe601ReadNumbers() {
        for (int n : new int[] {0, 4, 5, 6}) {
            assertAssist(kernel(0), mfspr(n));
        }
        assertAssist(kernel(0), mtspr(0));
        for (int n : new int[] {4, 5, 6, 2, 777}) {
            TestMachine t = kernel(42).exec(mtspr(n));
            assertEquals(C + 4, t.core.pc(), "mtspr " + n + " is a no-op");
        }
    }

    @Test
    void undefinedSprsAreNoOpsInPrivilegedState() {
        TestMachine t = kernel(42).exec(0x7c69c2a6, 0x7c69c3a6, 0x7c75faa6, 0x7c75fba6);
        assertEquals(42, t.r(3));
        assertEquals(C + 16, t.core.pc());
    }

    @Test
    void undefinedSprsFromProblemStateFollowTheirPrivilegeBit() {
        TestMachine u = new TestMachine().msr(USER);
        assertAssist(u, 0x7c69c2a6);                                                                     // 777: bit 0x10 clear
        assertEquals(Srr1.PRIVILEGED, programReason(new TestMachine().msr(USER).exec(0x7c75faa6))); // 1013
    }

    @Test
    void reservedNumbers808To811AreNoOpsEvenInProblemState() {
        for (int n = 808; n <= 811; n++) {
            TestMachine t = new TestMachine().msr(USER).gpr(3, 7).exec(mtspr(n), mfspr(n));
            assertEquals(7, t.r(3));
        }
    }

    @Test
    void aDirectionTheTableLeavesUndefinedTrapsFromPrivilegedState() {
        for (int n : new int[] {Spr.PVR, Spr.TB, Spr.PIR, Spr.TIR, Spr.CTRL_READ, Spr.SPRG3_USER, Spr.SIER_USER}) {
            assertAssist(kernel(0), mtspr(n));
        }
        for (int n : new int[] {Spr.CTRL, Spr.TBL_WRITE, Spr.TBU40}) {
            assertAssist(kernel(0), mfspr(n));
        }
        assertEquals(Srr1.PRIVILEGED, programReason(new TestMachine().msr(USER).exec(mtspr(Spr.PVR))));
    }

    @Test
    void ciabrAndDpdesWritesBelongToTheHypervisor() {
        assertAssist(kernel(0), mtspr(Spr.CIABR));
        assertAssist(kernel(0), mfspr(Spr.CIABR));
        assertAssist(kernel(0), mtspr(Spr.DPDES));
        assertEquals(0, kernel(5).exec(mfspr(Spr.DPDES)).r(3));
    }

    @Test
    void transactionalMemorySprsAreUnavailableWithoutMsrTm() {
        for (TestMachine t : new TestMachine[] {kernel(0), new TestMachine().msr(USER)}) {
            t.exec(mfspr(Spr.TEXASR));
            assertEquals(0xF60, t.core.pc());
            assertEquals(Spr.CAUSE_TM, t.core.readSpr(Spr.FSCR) >>> 56);
            assertEquals(0, t.core.srr1() & 0x783F_0000L);
        }
    }

    @Test
    void problemStateTarEbbAndDscrNeedTheirFscrBits() {
        int[][] cases = {{Spr.TAR, Spr.CAUSE_TAR}, {Spr.BESCR, Spr.CAUSE_EBB}, {Spr.EBBHR, Spr.CAUSE_EBB},
                {Spr.DSCR_USER, Spr.CAUSE_DSCR}};
        for (int[] c : cases) {
            TestMachine t = new TestMachine().msr(USER).gpr(3, 9).exec(mtspr(c[0]));
            assertEquals(0xF60, t.core.pc(), "spr " + c[0]);
            assertEquals(c[1], t.core.readSpr(Spr.FSCR) >>> 56, "FSCR[IC] for spr " + c[0]);
            assertEquals(9, kernel(9).exec(mtspr(c[0]), mfspr(c[0])).r(3), "privileged state is not gated");
        }
        TestMachine t = kernel(0);
        t.core.writeSpr(Spr.FSCR, Spr.FSCR_TAR | Spr.FSCR_EBB | Spr.FSCR_DSCR);
        t.msr(USER).gpr(3, 0x44).exec(mtspr(Spr.TAR), mtspr(Spr.EBBHR), mtspr(Spr.DSCR_USER));
        assertEquals(0x44, t.core.readSpr(Spr.TAR));
        assertEquals(0x44, t.core.readSpr(Spr.EBBHR));
        assertEquals(0x44, t.core.readSpr(Spr.DSCR), "SPR 3 is the DSCR");
    }

    @Test
    void problemStatePmuAccessFollowsMmcr0Pmcc() {
        TestMachine t = kernel(0);
        t.core.writeSpr(Spr.SIAR, 0x1234);
        t.msr(USER).exec(mfspr(Spr.SIAR_USER));
        assertEquals(0x1234, t.r(3), "PMCC=00: readable");
        assertEquals(Srr1.PRIVILEGED, programReason(t.exec(mtspr(Spr.MMCR0_USER))), "PMCC=00: not writable");
        TestMachine rw = kernel(0);
        rw.core.writeSpr(Spr.MMCR0, 2L << 18);
        rw.msr(USER).gpr(3, 0x8000_0000L).exec(mtspr(Spr.MMCR0_USER), mfspr(Spr.MMCR0_USER));
        assertEquals(0x8000_0000L, rw.r(3), "PMCC=10: writable");
        TestMachine none = kernel(0);
        none.core.writeSpr(Spr.MMCR0, 1L << 18);
        none.msr(USER).exec(mfspr(Spr.SIAR_USER));
        assertEquals(0xF60, none.core.pc(), "PMCC=01: no access");
        assertEquals(Spr.CAUSE_PMU, none.core.readSpr(Spr.FSCR) >>> 56);
    }

    @Test
    void bescrSetAndResetNumbersActOnBescrHalves() {
        TestMachine t = kernel(0x0000_0001_0000_0002L).exec(mtspr(Spr.BESCRS));
        assertEquals(0x0000_0001_0000_0002L, t.core.readSpr(Spr.BESCR));
        t.gpr(3, 0xFFFF_FFFF_8000_0004L).exec(mtspr(Spr.BESCRSU));
        assertEquals(0x8000_0005_0000_0002L, t.core.readSpr(Spr.BESCR), "SU: RS[32:63] into BESCR[0:31]");
        t.gpr(3, 2).exec(mtspr(Spr.BESCRR));
        assertEquals(0x8000_0005_0000_0000L, t.core.readSpr(Spr.BESCR));
        t.gpr(3, 0x8000_0000L).exec(mtspr(Spr.BESCRRU));
        assertEquals(0x0000_0005_0000_0000L, t.core.readSpr(Spr.BESCR));
        assertEquals(0x0000_0005_0000_0000L, t.exec(mfspr(Spr.BESCRS)).r(3), "S and R read BESCR");
        assertEquals(5, t.exec(mfspr(Spr.BESCRSU)).r(3), "SU and RU read its upper word");
        assertEquals(5, t.exec(mfspr(Spr.BESCRRU)).r(3));
    }

    @Test
    void amrThroughSpr13InPrivilegedStateIsTheAmr() {
        TestMachine t = kernel(0x3000_0000_0000_0000L).exec(mtspr(Spr.AMR));
        assertEquals(0x3000_0000_0000_0000L, t.exec(mfspr(Spr.AMR_USER)).r(3));
        t.gpr(3, 0xC).exec(mtspr(Spr.AMR_USER));
        assertEquals(0xC, t.exec(mfspr(Spr.AMR)).r(3), "privileged writes through 13 are masked by AMOR (all ones)");
    }

    @Test
    void pmcsAreThirtyTwoBitsThroughEitherNumber() {
        assertEquals(0xFFFF_FFFFL, kernel(-1L).exec(mtspr(771), mfspr(771)).r(3));
        assertEquals(0xFFFF_FFFFL, kernel(-1L).exec(mtspr(787), mfspr(771)).r(3));
        assertEquals(-1L, kernel(-1L).exec(mtspr(Spr.WORT), mfspr(Spr.WORT)).r(3), "WORT keeps 64 bits, as QEMU's");
    }

    @Test
    void hypervisorSprsAreEmulationAssistExits() {
        for (int w : new int[] {0x7c7e4ba6 /* mtlpcr */, 0x7c7e4aa6 /* mflpcr */, 0x7c7a4ba6 /* mthsrr0 */,
                0x7c7073a6 /* mtptcr */}) {
            TestMachine t = kernel(0);
            assertEquals(Exit.HYPERVISOR_EMULATION_ASSIST, t.runAt(C, 5, w), Integer.toHexString(w));
            assertEquals(w & 0xFFFF_FFFFL, t.core.readSpr(Spr.HEIR));
            assertEquals(C, t.core.pc());
            assertEquals(C, t.core.readSpr(Spr.HSRR0));
        }
        for (int w : new int[] {0x4c000224 /* hrfid */, 0x7c00199c /* msgsnd */, 0x4c0002e4 /* stop */}) {
            assertEquals(Exit.HYPERVISOR_EMULATION_ASSIST, kernel(0).runAt(C, 5, w), Integer.toHexString(w));
        }
    }

    @Test
    void amrFromProblemStateChangesOnlyUamorBits() {
        TestMachine t = kernel(0xF000_0000_0000_0000L).exec(0x7c7d23a6); // mtuamor
        t.msr(USER).gpr(3, -1L).exec(0x7c6d03a6, 0x7c6d02a6);              // mtspr 13; mfspr 13
        assertEquals(0xF000_0000_0000_0000L, t.r(3));
        assertEquals(0xF000_0000_0000_0000L, t.regs.amr);
        assertEquals(-1L, kernel(-1L).exec(0x7c7d03a6, 0x7c7d02a6).r(3));   // privileged AMR: all bits (AMOR = ~0)
    }

    @Test
    void xerKeepsBits32To63AsWritten() {
        assertEquals(0xFFFF_FFFFL, kernel(-1L).exec(0x7c6103a6, 0x7c6102a6).r(3));
        TestMachine t = kernel(0x5555_5555_5555_5555L).exec(0x7c6103a6, 0x7c6102a6);
        assertEquals(0x5555_5555L, t.r(3));
        assertEquals(0x55, t.core.readSpr(Spr.XER) & 0x7F, "the string byte count");
        t.gpr(3, 0x2000_0000L).exec(0x7c6103a6);
        assertEquals(1, (t.xer() >>> 29) & 1, "CA");
    }

    @Test
    void ppr32IsTheHighWordOfPpr() {
        TestMachine t = kernel(0x000C_0000L).exec(0x7c62e3a6, 0x7c60e2a6);
        assertEquals(0x000C_0000L, t.r(3) >>> 32);
    }

    @Test
    void darnReportsNoRandomNumber() {
        assertEquals(-1L, kernel(0).exec(0x7c6105e6).r(3));
    }

    @Test
    void tlbieNeedsGtseElseTheHypervisorEmulatesIt() {
        TestMachine t = kernel(0).gpr(4, 0x1000).gpr(5, 0x2_0000_0001L);
        assertEquals(Exit.HYPERVISOR_EMULATION_ASSIST, t.runAt(C, 5, 0x7cab2264));
        List<String> calls = new ArrayList<>();
        TestMachine g = kernel(0).gpr(4, 0x1000).gpr(5, 0x2_0000_0001L);
        g.regs.lpcr = Lpcr.GTSE;
        g.tlb = new TlbControl() {
            @Override
            public int tlbie(long rb, long rs, int ric, int prs, int r, boolean local) {
                calls.add(Long.toHexString(rb) + " " + Long.toHexString(rs) + " " + ric + prs + r + " " + local);
                return OK;
            }

            @Override
            public void slbia(int ih) {
                calls.add("slbia " + ih);
            }
        };
        g.exec(0x7cab2264, 0x7ca32224, 0x7c00046c, 0x7c0003e4); // tlbie r4,r5,2,1,1; tlbiel r4,r5,0,1,1; tlbsync; slbia
        assertEquals(List.of("1000 200000001 211 false", "1000 200000001 011 true", "slbia 0"), calls);
    }

    @Test
    void invalidTlbieFormIsIllegal() {
        TestMachine g = kernel(0);
        g.regs.lpcr = Lpcr.GTSE;
        g.tlb = new TlbControl() {
            @Override
            public int tlbie(long rb, long rs, int ric, int prs, int r, boolean local) {
                return INVALID_FORM;
            }

            @Override
            public void slbia(int ih) {
            }
        };
        assertEquals(Srr1.ILLEGAL, programReason(g.exec(0x7cab2264)));
    }

    @Test
    void hypervisorCanReadAndWriteEverySpr() {
        TestMachine t = kernel(0);
        t.core.writeSpr(Spr.LPCR, Lpcr.ILE);
        assertEquals(Lpcr.ILE, t.regs.lpcr);
        t.core.writeSpr(Spr.SRR0, 0x1234);
        assertEquals(0x1234, t.core.srr0());
        assertEquals(0x004E_1202L, t.core.readSpr(Spr.PVR));
    }

    @Test
    void orderingAndCacheHintsAreNoOps() {
        TestMachine t = kernel(0).gpr(4, 0x20000).exec(0x60000000, 0x4c00012c, 0x7c0004ac, 0x7c2004ac, 0x7c4004ac,
                0x7c0006ac, 0x7c00206c, 0x7c0020ac, 0x7c00222c, 0x7c0021ec);
        assertEquals(C + 40, t.core.pc());
    }
}
