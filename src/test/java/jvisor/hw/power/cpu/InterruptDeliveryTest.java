package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvisor.hw.power.Dsisr;
import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.Lpcr;
import jvisor.hw.power.Mmu;
import jvisor.hw.power.Msr;
import jvisor.hw.power.Srr1;
import jvisor.hw.power.TranslationFault;
import org.junit.jupiter.api.Test;

/** Every interrupt's vector, SRR0, SRR1, DAR and DSISR, and the MSR the handler starts with. */
class InterruptDeliveryTest {
    static final long C = TestMachine.CODE, DATA = 0x20000;
    static final long KERNEL = Msr.SF | Msr.ME;
    static final long USER = Msr.SF | Msr.ME | Msr.EE | Msr.PR | Msr.IR | Msr.DR | Msr.RI;
    static final int LWZ = 0x80640004, STW = 0x90640004, SC = 0x44000002, ADDI = 0x38630001, NOP = 0x60000000;

    @Test
    void systemCallSavesTheNextAddressAndEntersTheHandlerInKernelState() {
        TestMachine t = new TestMachine().msr(USER | Msr.FP | Msr.VEC | Msr.VSX).exec(SC);
        assertEquals(0xC00, t.core.pc());
        assertEquals(C + 4, t.core.srr0());
        assertEquals((USER | Msr.FP | Msr.VEC | Msr.VSX) & Msr.SAVED_IN_SRR1, t.core.srr1());
        assertEquals(Msr.SF | Msr.ME, t.core.msr());
    }

    @Test
    void handlerEndiannessComesFromLpcrIle() {
        TestMachine t = new TestMachine();
        t.regs.lpcr = Lpcr.ILE;
        t.exec(SC);
        assertEquals(Msr.SF | Msr.ME | Msr.LE, t.core.msr());
    }

    @Test
    void handlerEntersIn64BitModeFrom32BitMode() {
        TestMachine t = new TestMachine().msr(Msr.ME).exec(SC);
        assertEquals(Msr.SF | Msr.ME, t.core.msr());
        assertEquals(0, t.core.srr1() & Msr.SF);
    }

    @Test
    void alternateInterruptLocationRelocatesHandlersWhenTranslationWasOn() {
        TestMachine t = new TestMachine().msr(KERNEL | Msr.IR | Msr.DR);
        t.regs.lpcr = 3L << 23;
        t.exec(SC);
        assertEquals(0xC000_0000_0000_4C00L, t.core.pc());
        assertEquals(Msr.SF | Msr.ME | Msr.IR | Msr.DR, t.core.msr());
    }

    @Test
    void hypercallIsAnExitNotAGuestInterrupt() {
        TestMachine t = new TestMachine().gpr(3, 0x58);
        t.code(C, 0x44000022, ADDI); // sc 1; addi r3,r3,1
        t.core.setPc(C);
        assertEquals(Exit.HYPERCALL, t.core.run(10));
        assertEquals(C + 4, t.core.pc());
        assertEquals(C + 4, t.core.readSpr(Spr.HSRR0));
        assertEquals(0, t.core.srr0());
        assertEquals(KERNEL, t.core.msr());
        t.core.setGpr(3, 0); // H_SUCCESS
        assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(1));
        assertEquals(1, t.r(3));
    }

    @Test
    void illegalInstructionIsAProgramInterrupt() {
        TestMachine t = new TestMachine().exec(0);
        assertEquals(0x700, t.core.pc());
        assertEquals(C, t.core.srr0());
        assertEquals(Srr1.ILLEGAL, t.core.srr1() & 0x1F_0000L);
    }

    @Test
    void privilegedInstructionsFromProblemState() {
        int[] words = {0x7c6000a6 /* mfmsr */, 0x7c600164 /* mtmsrd */, 0x4c000024 /* rfid */, 0x7c7a03a6 /* mtsrr0 */,
                0x7cab2264 /* tlbie */, 0x7c0003e4 /* slbia */, 0x4c000224 /* hrfid */, 0x7c7e4ba6 /* mtlpcr */,
                0x7c75faa6 /* mfspr 1013 (undefined, privileged number) */};
        for (int w : words) {
            TestMachine t = new TestMachine().msr(USER).exec(w);
            assertEquals(0x700, t.core.pc(), Integer.toHexString(w));
            assertEquals(Srr1.PRIVILEGED, t.core.srr1() & 0x1F_0000L, Integer.toHexString(w));
            assertEquals(C, t.core.srr0());
        }
    }

    @Test
    void dataStorageInterruptReportsDarAndDsisr() {
        TestMachine t = new TestMachine().gpr(4, DATA).gpr(3, 9);
        t.mmu.fault(DATA, Mmu.LOAD, InterruptVector.DATA_STORAGE, 0x4000_0000);
        t.exec(LWZ);
        assertEquals(0x300, t.core.pc());
        assertEquals(C, t.core.srr0());
        assertEquals(DATA + 4, t.core.dar());
        assertEquals(0x4000_0000L, t.core.dsisr());
        assertEquals(9, t.r(3));
        TestMachine s = new TestMachine().gpr(4, DATA);
        s.mmu.fault(DATA, Mmu.STORE, InterruptVector.DATA_STORAGE, 0x0800_0000);
        s.exec(STW);
        assertEquals(0x0A00_0000L, s.core.dsisr()); // protection | store
    }

    @Test
    void updateFormsLeaveRaUntouchedWhenTheAccessFaults() {
        TestMachine t = new TestMachine().gpr(4, DATA);
        t.mmu.fault(DATA, Mmu.LOAD, InterruptVector.DATA_STORAGE, 0x4000_0000);
        t.exec(0x84640004); // lwzu r3,4(r4)
        assertEquals(DATA, t.r(4));
    }

    @Test
    void dataSegmentInterrupt() {
        TestMachine t = new TestMachine().gpr(4, DATA);
        t.mmu.fault(DATA, Mmu.LOAD, InterruptVector.DATA_SEGMENT, 0);
        t.exec(LWZ);
        assertEquals(0x380, t.core.pc());
        assertEquals(DATA + 4, t.core.dar());
    }

    @Test
    void instructionStorageInterruptPutsTheReasonInSrr1() {
        TestMachine t = new TestMachine();
        t.mmu.fault(C, Mmu.FETCH, InterruptVector.INSTRUCTION_STORAGE, 0x4000_0000);
        assertEquals(Exit.INSTRUCTION_LIMIT, t.runAt(C, 1, ADDI));
        assertEquals(0x400, t.core.pc());
        assertEquals(C, t.core.srr0());
        assertEquals(0x4000_0000L | (KERNEL & Msr.SAVED_IN_SRR1), t.core.srr1());
        TestMachine s = new TestMachine();
        s.mmu.fault(C, Mmu.FETCH, InterruptVector.INSTRUCTION_SEGMENT, 0);
        s.runAt(C, 1, ADDI);
        assertEquals(0x480, s.core.pc());
    }

    @Test
    void hypervisorStorageFaultsAreExitsWithTheSyndrome() {
        TestMachine t = new TestMachine().gpr(4, DATA);
        t.mmu.fault(DATA, Mmu.LOAD, InterruptVector.HYPERVISOR_DATA_STORAGE, 0x4000_0000);
        assertEquals(Exit.HDSI, t.runAt(C, 5, LWZ));
        assertEquals(C, t.core.pc());
        assertEquals(C, t.core.readSpr(Spr.HSRR0));
        assertEquals(DATA + 4, t.core.readSpr(Spr.HDAR));
        assertEquals(0x4000_0000L, t.core.readSpr(Spr.HDSISR));
        assertEquals(DATA, t.core.readSpr(Spr.ASDR));
        assertEquals(0, t.core.srr0());
        t.mmu.clearFaults();
        t.memory.writeIntBE(DATA + 4, 1234);
        assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(1));
        assertEquals(1234, t.r(3));
        TestMachine i = new TestMachine();
        i.mmu.fault(C, Mmu.FETCH, InterruptVector.HYPERVISOR_INSTRUCTION_STORAGE, 0x4000_0000);
        assertEquals(Exit.HISI, i.runAt(C, 5, ADDI));
        assertEquals(C, i.core.pc());
        assertEquals(C, i.core.readSpr(Spr.HSRR0));
    }

    @Test
    void theHypervisorFaultIsTheRecordTheMmuReported() {
        TestMachine t = new TestMachine().gpr(4, DATA);
        t.mmu.fault(DATA, Mmu.STORE, InterruptVector.HYPERVISOR_DATA_STORAGE, 0x0A00_0000);
        assertEquals(Exit.HDSI, t.runAt(C, 5, STW));
        assertEquals(new TranslationFault.HypervisorDataStorage(DATA + 4, 0x0A00_0000L, DATA), t.core.hypervisorFault());
        TestMachine i = new TestMachine();
        i.mmu.fault(C, Mmu.FETCH, InterruptVector.HYPERVISOR_INSTRUCTION_STORAGE, 0x4000_0000);
        assertEquals(Exit.HISI, i.runAt(C, 5, ADDI));
        assertEquals(new TranslationFault.HypervisorInstructionStorage(C, 0x4000_0000L, C), i.core.hypervisorFault());
        assertEquals(0, i.core.readSpr(Spr.HDAR), "HDAR is for data accesses");
        assertEquals(0x4000_0000L, i.core.readSpr(Spr.HSRR1) & Srr1.INSTRUCTION_STORAGE_CAUSE);
    }

    @Test
    void aReflectedDsiSetsDarAndDsisrAtTheCurrentInstruction() {
        TestMachine t = new TestMachine().gpr(4, DATA);
        t.mmu.fault(DATA, Mmu.LOAD, InterruptVector.HYPERVISOR_DATA_STORAGE, 0x4000_0000);
        assertEquals(Exit.HDSI, t.runAt(C, 5, LWZ));
        assertTrue(t.core.deliver(new TranslationFault.DataStorage(DATA + 4, Dsisr.NO_TRANSLATION | Dsisr.TABLE_WALK)));
        assertEquals(0x300, t.core.pc());
        assertEquals(C, t.core.srr0());
        assertEquals(DATA + 4, t.core.dar());
        assertEquals(0x4002_0000L, t.core.dsisr());
    }

    @Test
    void aReflectedIsiPutsOnlyTheCauseBitsInSrr1() {
        TestMachine t = new TestMachine();
        t.mmu.fault(C, Mmu.FETCH, InterruptVector.HYPERVISOR_INSTRUCTION_STORAGE, 0x4000_0000);
        assertEquals(Exit.HISI, t.runAt(C, 5, ADDI));
        long darBefore = t.core.dar();
        // MSB 38 (a store) is no ISI cause: SRR1 keeps MSB 33:36 and 42:47 only.
        assertTrue(t.core.deliver(new TranslationFault.InstructionStorage(C, Dsisr.PROTECTION | Dsisr.STORE)));
        assertEquals(0x400, t.core.pc());
        assertEquals(C, t.core.srr0());
        assertEquals(Dsisr.PROTECTION | (KERNEL & Msr.SAVED_IN_SRR1), t.core.srr1());
        assertEquals(darBefore, t.core.dar());
    }

    @Test
    void facilityUnavailableInterrupts() {
        TestMachine fp = new TestMachine().gpr(4, DATA).exec(0xc8240000); // lfd
        assertEquals(0x800, fp.core.pc());
        assertEquals(C, fp.core.srr0());
        assertEquals(0xF20, new TestMachine().exec(0x10221800).core.pc()); // vaddubm
        assertEquals(0xF40, new TestMachine().exec(0xf0221c90).core.pc()); // xxlor
        assertEquals(0xF40, new TestMachine().exec(0x7c202698).core.pc()); // lxvd2x
    }

    @Test
    void enabledButUnimplementedFacilitiesStopCleanly() {
        // Decimal floating point (dadd f1,f2,f3) is the part of the FP facility jvisor lacks.
        TestMachine t = new TestMachine().msr(KERNEL | Msr.FP).gpr(4, DATA);
        assertEquals(Exit.ERROR, t.runAt(C, 10, 0xec221804));
        assertEquals(C, t.core.pc());
        assertTrue(t.core.exitMessage().contains("floating-point"), t.core.exitMessage());
    }

    @Test
    void decrementerIsTakenOnlyWithEeAndWhileNegative() {
        TestMachine t = new TestMachine().gpr(3, 10).gpr(4, Msr.EE);
        t.exec(0x7c7603a6); // mtdec r3
        t.now += 11;
        t.exec(ADDI); // EE=0: nothing
        assertEquals(C + 4, t.core.pc());
        t.code(0x900, NOP);
        t.code(C, 0x7c810164, ADDI); // mtmsrd r4,1 (EE on); addi
        t.core.setPc(C);
        t.core.run(2);
        assertEquals(0x904, t.core.pc()); // taken right after mtmsrd; the handler's nop ran
        assertEquals(C + 4, t.core.srr0());
        assertEquals(Msr.EE, t.core.srr1() & Msr.EE);
    }

    @Test
    void aDecrementerWrittenNegativeWithEeOnIsTakenBeforeTheNextInstruction() {
        TestMachine t = new TestMachine().msr(KERNEL | Msr.EE).gpr(4, -1);
        t.code(0x900, NOP);
        assertEquals(Exit.INSTRUCTION_LIMIT, t.runAt(C, 2, 0x7c9603a6, ADDI, ADDI)); // mtdec r4; addi; addi
        assertEquals(0x904, t.core.pc());
        assertEquals(C + 4, t.core.srr0());
        assertEquals(0, t.r(3));
    }

    @Test
    void decrementerCountsDownAtTheTimebase() {
        TestMachine t = new TestMachine().gpr(3, 100).exec(0x7c7603a6);
        t.now += 30;
        assertEquals(70, t.exec(0x7c7602a6).r(3)); // mfdec
        TestMachine n = new TestMachine().gpr(3, 0xFFFF_FFFFL).exec(0x7c7603a6, 0x7c7602a6);
        assertEquals(-1L, n.r(3)); // 32-bit decrementer reads sign-extended
    }

    @Test
    void externalInterruptIsALevelSampledWithEe() {
        TestMachine off = new TestMachine();
        off.core.setExternalInterrupt(true);
        off.exec(ADDI);
        assertEquals(1, off.r(3));
        TestMachine on = new TestMachine().msr(KERNEL | Msr.EE);
        on.core.setExternalInterrupt(true);
        on.code(0x500, NOP);
        assertEquals(Exit.INSTRUCTION_LIMIT, on.runAt(C, 1, ADDI));
        assertEquals(0x504, on.core.pc()); // delivered before the addi, then one instruction of the handler
        assertEquals(C, on.core.srr0());
        assertEquals(0, on.r(3));
    }

    @Test
    void singleStepTracesAfterEachInstruction() {
        TestMachine t = new TestMachine().msr(KERNEL | Msr.SE).exec(ADDI);
        assertEquals(0xD00, t.core.pc());
        assertEquals(C + 4, t.core.srr0());
        assertEquals(C, t.core.readSpr(Spr.SIAR));
        assertEquals(1, t.r(3));
        assertEquals(0, t.core.msr() & Msr.SE);
    }

    @Test
    void branchTraceTracesOnlyBranches() {
        TestMachine t = new TestMachine().msr(KERNEL | Msr.BE).exec(ADDI);
        assertEquals(C + 4, t.core.pc());
        TestMachine b = new TestMachine().msr(KERNEL | Msr.BE).exec(0x48000100);
        assertEquals(0xD00, b.core.pc());
        assertEquals(C + 0x100, b.core.srr0());
        assertEquals(C, b.core.readSpr(Spr.SIAR));
    }

    @Test
    void rfidRestoresMsrButCannotTouchHvOrMe() {
        TestMachine t = new TestMachine().gpr(3, 0x3001).gpr(5, Msr.SF | Msr.HV | Msr.PR | Msr.LE);
        t.exec(0x7c7a03a6, 0x7cbb03a6, 0x4c000024); // mtsrr0 r3; mtsrr1 r5; rfid
        assertEquals(0x3000, t.core.pc());
        assertEquals(Msr.SF | Msr.ME | Msr.PR | Msr.EE | Msr.IR | Msr.DR | Msr.LE, t.core.msr());
        assertEquals(C + 8, t.core.readSpr(Spr.CFAR));
    }

    @Test
    void rfidTo32BitModeTruncatesTheTarget() {
        TestMachine t = new TestMachine().gpr(3, 0xFFFF_FFFF_0000_3000L).gpr(5, Msr.ME);
        t.exec(0x7c7a03a6, 0x7cbb03a6, 0x4c000024);
        assertEquals(0x3000, t.core.pc());
    }

    @Test
    void mtmsrdFormsAndMtmsr() {
        TestMachine l1 = new TestMachine().gpr(3, Msr.EE | Msr.PR | Msr.RI).exec(0x7c610164); // mtmsrd r3,1
        assertEquals(KERNEL | Msr.EE | Msr.RI, l1.core.msr());
        TestMachine l0 = new TestMachine().gpr(3, Msr.SF | Msr.PR).exec(0x7c600164);        // mtmsrd r3
        assertEquals(Msr.SF | Msr.ME | Msr.PR | Msr.EE | Msr.IR | Msr.DR, l0.core.msr());
        TestMachine me = new TestMachine().gpr(3, Msr.SF).exec(0x7c600164);
        assertEquals(KERNEL, me.core.msr()); // ME is not the guest's to clear
        TestMachine w = new TestMachine().gpr(3, Msr.DR).exec(0x7c600124);                 // mtmsr r3
        assertEquals(Msr.SF | Msr.ME | Msr.DR, w.core.msr()); // the high word (SF) is unchanged
        TestMachine r = new TestMachine().exec(0x7c6000a6);                                 // mfmsr
        assertEquals(KERNEL, r.r(3));
    }

    @Test
    void machineCheckWithMeOffStopsTheMachine() {
        TestMachine t = new TestMachine().msr(Msr.SF).gpr(4, 0x4000_0000L);
        assertEquals(Exit.STOPPED, t.runAt(C, 5, LWZ));
        assertTrue(t.core.exitMessage().contains("checkstop"));
    }

    @Test
    void systemResetRequestIsDeliveredAtTheNextBoundary() {
        TestMachine t = new TestMachine();
        t.core.requestSystemReset();
        t.code(0x100, NOP);
        t.code(C, ADDI);
        t.core.setPc(C);
        t.core.run(1);
        assertEquals(0x104, t.core.pc());
        assertEquals(C, t.core.srr0());
    }
}
