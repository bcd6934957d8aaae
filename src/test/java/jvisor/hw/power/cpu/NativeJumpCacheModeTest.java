package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.Lpcr;
import jvisor.hw.power.Mmu;
import jvisor.hw.power.Msr;
import org.junit.jupiter.api.Test;

/**
 * A core's jump cache (guest address to native block) holds entries of the translation mode they
 * were made in: after a change to problem state, a branch to a block reached before in
 * supervisor state goes to the MMU again, which may refuse it. The mode is part of each entry,
 * so that returning to a mode finds its entries again (a system call's round trip used to
 * empty every core's jump cache twice).
 */
class NativeJumpCacheModeTest {
    static final long LOOP = 0x30000, F = 0x20000;
    static final int LI_R3_0 = 0x38600000, LI_R6_200 = 0x38C000C8, MTCTR_R5 = 0x7CA903A6, BCTRL = 0x4E800421,
            ADDI_R6_M1 = 0x38C6FFFF, CMPWI_R6_0 = 0x2C060000, BNE_BACK_16 = 0x4082FFF0,
            ADDI_R3_1 = 0x38630001, BLR = 0x4E800020, B_SELF = 0x48000000;
    /** The loop's instructions: two, then 200 rounds of five and the called function's two. */
    static final int LOOP_INSTRUCTIONS = 2 + 200 * 7;

    @Test
    void aBlockReachedInSupervisorStateIsNotEnteredFromProblemStateThroughTheJumpCache() {
        assumeTrue(NativeTier.problem() == null, NativeTier.problem());
        TestMachine t = new TestMachine().msr(Msr.SF | Msr.LE | Msr.IR | Msr.DR);
        t.regs.lpcr |= Lpcr.ILE; // interrupts taken little-endian, as the code is
        t.core.setJit(true);
        t.core.natives().setEnabled(true);
        t.core.tiering().setNativeHeat(1);
        t.code(F, ADDI_R3_1, BLR);
        t.code(LOOP, LI_R3_0, LI_R6_200, MTCTR_R5, BCTRL, ADDI_R6_M1, CMPWI_R6_0, BNE_BACK_16);
        t.code(InterruptVector.INSTRUCTION_STORAGE, B_SELF);
        t.gpr(5, F);
        // Supervisor state: the loop and the function it calls become blocks, and the function's
        // block goes into the jump cache as the loop's bctrl reaches it.
        t.core.setPc(LOOP);
        assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(LOOP_INSTRUCTIONS));
        assertEquals(200, t.r(3), "the loop ran");
        assertEquals(true, t.core.natives().instructions() > 0, "in native blocks");
        // Problem state, where the function's page may not be executed: the loop's block, entered
        // again, must not go on to the function's block.
        t.mmu.faultInProblemState(F, Mmu.FETCH, InterruptVector.INSTRUCTION_STORAGE, 0x0800_0000);
        t.core.setMsr(t.core.msr() | Msr.PR);
        t.core.setPc(LOOP);
        t.core.run(LOOP_INSTRUCTIONS);
        assertEquals(InterruptVector.INSTRUCTION_STORAGE, t.core.pc(), "the fetch of the function faulted");
        assertEquals(F, t.core.srr0());
        assertEquals(0, t.r(3), "and it never ran");
    }
}
