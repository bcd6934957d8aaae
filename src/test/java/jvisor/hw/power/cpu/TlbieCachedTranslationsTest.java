package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.Lpcr;
import jvisor.hw.power.Mmu;
import jvisor.hw.power.Tlbie;
import org.junit.jupiter.api.Test;

/**
 * What a core's own tlbie takes out of its cached translations: one process-scoped page drops that
 * page only (the hardware TLB keeps the others too); wider forms drop everything.
 */
class TlbieCachedTranslationsTest {
    static final long A = 0x40000, B = 0x41000;
    static final int LWZ_R7_0_R4 = 0x80E40000, LWZ_R8_0_R5 = 0x81050000;

    private static TestMachine machine() {
        TestMachine t = new TestMachine().gpr(4, A).gpr(5, B);
        t.regs.lpcr |= Lpcr.GTSE; // the guest may issue tlbie itself
        t.exec(LWZ_R7_0_R4, LWZ_R8_0_R5); // both pages now in the data translation cache
        return t;
    }

    /** tlbie r6,r9 with RIC=0, PRS=1, R=1: what it invalidates is in RB (r6). */
    private static final int TLBIE = Tlbie.instruction(false, 9, Tlbie.RIC_TLB, true, true, 6);

    /** The tlbie with RB = {@code rb}, then the two loads again: the translations the MMU made anew. */
    private static int translationsAfterTlbie(long rb) {
        TestMachine t = machine().gpr(6, rb).gpr(9, Tlbie.rs(0, 0));
        t.exec(TLBIE);
        int before = t.mmu.translations;
        t.exec(LWZ_R7_0_R4, LWZ_R8_0_R5);
        return t.mmu.translations - before;
    }

    @Test
    void aSinglePageTlbieDropsThatPageOnly() {
        assertEquals(1, translationsAfterTlbie(Tlbie.rb(A, Tlbie.IS_ADDRESS, 0)), "A translated again, B still cached");
    }

    @Test
    void aPidTlbieDropsEverything() {
        assertEquals(3, translationsAfterTlbie(Tlbie.rb(0, Tlbie.IS_PID, 0)), "A, B and the code's own page");
    }

    @Test
    void theInvalidatedPageTranslatesAnewAndFaultsIfItMustNow() {
        TestMachine t = machine().gpr(6, Tlbie.rb(A, Tlbie.IS_ADDRESS, 0)).gpr(9, Tlbie.rs(0, 0));
        t.mmu.fault(A, Mmu.LOAD, InterruptVector.DATA_STORAGE, 0x4000_0000);
        t.exec(LWZ_R8_0_R5); // B: still cached, no fault
        t.exec(TLBIE);
        t.code(InterruptVector.DATA_STORAGE, 0x48000000);
        t.core.setPc(TestMachine.CODE);
        t.code(TestMachine.CODE, LWZ_R7_0_R4);
        t.core.run(1);
        assertEquals(InterruptVector.DATA_STORAGE, t.core.pc(), "the load of A faulted");
        assertEquals(A, t.core.dar());
    }
}
