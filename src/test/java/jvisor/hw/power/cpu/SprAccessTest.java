package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
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
    void pvrReadsPower9AndIgnoresWrites() {
        assertEquals(0x004E_1202L, kernel(0).exec(0x7c7f42a6).r(3));
        assertEquals(0x004E_1202L, kernel(5).exec(0x7c7f43a6, 0x7c7f42a6).r(3));
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
        assertEquals(Core.SRR1_PRIVILEGED, programReason(u));
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

    @Test
    void sprZeroAndFourToSixAreIllegalEvenInPrivilegedState() {
        assertEquals(Core.SRR1_ILLEGAL, programReason(kernel(0).exec(0x7c6002a6)));  // mfspr r3,0
        assertEquals(Core.SRR1_ILLEGAL, programReason(kernel(0).exec(0x7c6003a6)));  // mtspr 0,r3
    }

    @Test
    void undefinedSprsAreNoOpsInPrivilegedState() {
        TestMachine t = kernel(42).exec(0x7c69c2a6, 0x7c69c3a6, 0x7c75faa6, 0x7c75fba6);
        assertEquals(42, t.r(3));
        assertEquals(C + 16, t.core.pc());
    }

    @Test
    void undefinedSprsFromProblemStateFollowTheirPrivilegeBit() {
        assertEquals(Core.SRR1_ILLEGAL, programReason(new TestMachine().msr(USER).exec(0x7c69c2a6)));    // 777
        assertEquals(Core.SRR1_PRIVILEGED, programReason(new TestMachine().msr(USER).exec(0x7c75faa6))); // 1013
    }

    @Test
    void hypervisorSprsAreEmulationAssistExits() {
        for (int w : new int[] {0x7c7e4ba6 /* mtlpcr */, 0x7c7e4aa6 /* mflpcr */, 0x7c7a4ba6 /* mthsrr0 */,
                0x7c7073a6 /* mtptcr */}) {
            TestMachine t = kernel(0);
            assertEquals(Exit.HYPERVISOR_EMULATION_ASSIST, t.runAt(C, 5, w), Integer.toHexString(w));
            assertEquals(w & 0xFFFF_FFFFL, t.core.heir());
            assertEquals(C, t.core.pc());
            assertEquals(C, t.core.hsrr0());
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
    void xerKeepsOnlyItsDefinedBits() {
        assertEquals(0xE00C_007FL, kernel(-1L).exec(0x7c6103a6, 0x7c6102a6).r(3));
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
        g.regs.lpcr = Core.LPCR_GTSE;
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
        g.regs.lpcr = Core.LPCR_GTSE;
        g.tlb = new TlbControl() {
            @Override
            public int tlbie(long rb, long rs, int ric, int prs, int r, boolean local) {
                return INVALID_FORM;
            }

            @Override
            public void slbia(int ih) {
            }
        };
        assertEquals(Core.SRR1_ILLEGAL, programReason(g.exec(0x7cab2264)));
    }

    @Test
    void hypervisorCanReadAndWriteEverySpr() {
        TestMachine t = kernel(0);
        t.core.writeSpr(Spr.LPCR, Core.LPCR_ILE);
        assertEquals(Core.LPCR_ILE, t.regs.lpcr);
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
