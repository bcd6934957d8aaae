package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import jvisor.hw.power.Msr;
import jvisor.hw.power.Srr1;
import jvisor.hw.power.TlbControl;
import org.junit.jupiter.api.Test;

/**
 * The forms of the system and branch-unit instructions as QEMU's POWER9 pseries executes them:
 * scv, rfscv, rfebb, transactional memory, the reserved bit 31 of X/XL forms, and the privileged
 * instructions a radix partition has nothing to do for.
 */
class SystemInstructionFormTest {
    private static final long C = TestMachine.CODE;
    private static final long USER = Msr.SF | Msr.ME | Msr.EE | Msr.PR | Msr.IR | Msr.DR;

    private static long reason(TestMachine t) {
        assertEquals(0x700, t.core.pc());
        return t.core.srr1() & 0x1F_0000L;
    }

    @Test
    void scvWithoutFscrScvIsAFacilityUnavailableInterrupt() {
        for (int w : new int[] {0x44000001, 0x44000000}) {
            TestMachine t = new TestMachine().exec(w);
            assertEquals(0xF60, t.core.pc());
            assertEquals(12, t.core.readSpr(Spr.FSCR) >>> 56, "FSCR[IC] = scv");
        }
        assertEquals(Srr1.ILLEGAL, reason(new TestMachine().exec(0x44000003)));
    }

    @Test
    void scvSavesPcAndMsrInLrAndCtrAndKeepsEeAndRi() {
        TestMachine t = new TestMachine();
        t.core.writeSpr(Spr.FSCR, Spr.FSCR_SCV);
        t.core.writeSpr(Spr.LPCR, 3L << 23); // AIL = 3
        t.core.writeSpr(Spr.SRR0, 0x1234);
        long user = USER | Msr.RI | Msr.FP;
        t.msr(user).exec(0x44000001); // scv 0
        assertEquals(0xC000_0000_0000_3000L, t.core.pc());
        assertEquals(TestMachine.CODE + 4, t.core.lr());
        assertEquals(user, t.core.ctr());
        assertEquals(Msr.SF | Msr.ME | Msr.EE | Msr.RI | Msr.IR | Msr.DR, t.core.msr(), "PR and FP off, EE and RI kept");
        assertEquals(0x1234, t.core.srr0(), "SRR0 untouched");

        TestMachine real = new TestMachine();
        real.core.writeSpr(Spr.FSCR, Spr.FSCR_SCV);
        real.msr(Msr.SF | Msr.ME | Msr.PR).exec(0x44000021); // scv 1, AIL = 0
        assertEquals(0x17020, real.core.pc());
        assertEquals(Msr.SF | Msr.ME, real.core.msr());
    }

    @Test
    void rfscvReturnsToLrWithTheMsrFromCtr() {
        TestMachine t = new TestMachine();
        t.core.setLr(0x5000);
        t.core.setCtr(Msr.SF | Msr.ME | Msr.EE);
        t.exec(0x4c0000a4);
        assertEquals(0x5000, t.core.pc());
        assertEquals(Msr.SF | Msr.ME | Msr.EE, t.core.msr());
        assertEquals(Srr1.PRIVILEGED, reason(new TestMachine().msr(USER).exec(0x4c0000a4)));
    }

    @Test
    void rfebbSetsBescrGeAndReturnsToEbbrr() {
        TestMachine t = new TestMachine();
        t.core.writeSpr(Spr.EBBRR, 0x6000);
        t.exec(0x4c000924); // rfebb 1
        assertEquals(0x6000, t.core.pc());
        assertEquals(1L << 63, t.core.readSpr(Spr.BESCR) & (1L << 63));
        TestMachine user = new TestMachine().msr(USER).exec(0x4c000924);
        assertEquals(0xF60, user.core.pc(), "problem state needs FSCR[EBB]");
        assertEquals(Spr.CAUSE_EBB, user.core.readSpr(Spr.FSCR) >>> 56);
    }

    @Test
    void transactionalMemoryInstructionsAreUnavailableWithoutMsrTm() {
        for (int w : new int[] {0x7c00051d /* tbegin. */, 0x7c00055d /* tend. */, 0x7c00059c /* tcheck */,
                0x7c00071d /* tabort. */}) {
            TestMachine t = new TestMachine().exec(w);
            assertEquals(0xF60, t.core.pc(), Integer.toHexString(w));
            assertEquals(Spr.CAUSE_TM, t.core.readSpr(Spr.FSCR) >>> 56);
        }
    }

    @Test
    void reservedBit31IsIllegalWhereQemuSaysSoAndIgnoredElsewhere() {
        assertEquals(Srr1.ILLEGAL, reason(new TestMachine().exec(0x7c6000a7)), "mfmsr r3 with bit 31");
        assertEquals(Srr1.ILLEGAL, reason(new TestMachine().exec(0x4c000001)), "mcrf with bit 31");
        assertEquals(Srr1.ILLEGAL, reason(new TestMachine().exec(0x4c00012d)), "isync with bit 31");
        assertEquals(Srr1.ILLEGAL, reason(new TestMachine().exec(0x7c0007ed)), "dcbz with bit 31");
        assertEquals(Srr1.ILLEGAL, reason(new TestMachine().exec(0x7c0007a6)), "slbfee without the record bit");
        TestMachine ldx = new TestMachine().gpr(4, 0x20000).exec(0x7c60202b); // ldx r3,0,r4 with bit 31
        assertEquals(C + 4, ldx.core.pc());
        TestMachine cmp = new TestMachine().exec(0x7c000001); // cmpw with bit 31
        assertEquals(C + 4, cmp.core.pc());
    }

    @Test
    void mulhIgnoresItsReservedOeBit() {
        TestMachine t = new TestMachine().gpr(4, 1L << 62).gpr(5, 8).exec(0x7c642c92); // mulhd r3,r4,r5 with OE=1
        assertEquals(2, t.r(3));
    }

    @Test
    void mcrxrMovesXerSoOvCaToACrFieldAndClearsThem() {
        TestMachine t = new TestMachine().gpr(3, 0xE000_0000L).exec(0x7c6103a6, 0x7f800400); // mtxer r3; mcrxr cr7
        assertEquals(0xE, t.crField(7));
        assertEquals(0, t.xer() & 0xE000_0000L);
    }

    @Test
    void privilegedInstructionsARadixPartitionIgnores() {
        // msgsndp, slbsync, slbieg, slbiag, dcbi, mtsr, mtsrin: no effect in privileged state
        int[] words = {0x7c00011c, 0x7c0002a4, 0x7c0003a4, 0x7c0006a4, 0x7c0003ac, 0x7c0001a4, 0x7c0001e4};
        for (int w : words) {
            assertEquals(C + 4, new TestMachine().exec(w).core.pc(), Integer.toHexString(w));
            assertEquals(Srr1.PRIVILEGED, reason(new TestMachine().msr(USER).exec(w)), Integer.toHexString(w));
        }
        assertEquals(0, new TestMachine().gpr(3, 5).exec(0x7c6004a6).r(3), "mfsr reads 0");
        assertEquals(0, new TestMachine().gpr(3, 5).exec(0x7c60025c).r(3), "mfbhrbe reads an empty buffer");
    }

    @Test
    void tlbielOfAHashFormNeedsNoGtseAndTlbieDoes() {
        List<String> calls = new ArrayList<>();
        TestMachine t = new TestMachine().gpr(4, 0x1000);
        t.tlb = new TlbControl() {
            @Override
            public int tlbie(long rb, long rs, int ric, int prs, int r, boolean local) {
                calls.add("tlbie " + local);
                return OK;
            }

            @Override
            public void slbia(int ih) {
            }
        };
        t.exec(0x7c002224); // tlbiel r4,r0,0,0,0
        assertEquals(List.of("tlbie true"), calls);
        assertEquals(Exit.HYPERVISOR_EMULATION_ASSIST, t.runAt(C, 1, 0x7c002264), "tlbie without LPCR[GTSE]");
    }

    @Test
    void slbmteOperandsQemuRefusesAreIllegal() {
        assertEquals(Srr1.ILLEGAL, reason(new TestMachine().gpr(4, 0x9000).exec(0x7c002324)));
        assertEquals(C + 4, new TestMachine().gpr(4, 0x0800_0001L).exec(0x7c002324).core.pc(), "V with index 1");
    }
}
