package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.*;

import jvisor.hw.power.Lpcr;
import jvisor.hw.power.PartitionTableEntry;
import jvisor.hw.power.Msr;
import jvisor.kvm.RunExit;
import org.junit.jupiter.api.Test;

/** H_REGISTER_PROCESS_TABLE and H_SET_MODE, handled in the hypervisor as PAPR says. */
class InKernelHypercallTest {
    private final RadixVmFixture f = new RadixVmFixture();
    private final PowerVcpu v;

    InKernelHypercallTest() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        // loop: sc 1 (the call under test); mr r20,r3; li r3,0x1240; sc 1 (hands r20 to the test); b loop.
        // The test answers the marker hypercall with the next call's number and arguments.
        int[] code = {0x44000022, 0x7c741b78, 0x38601240, 0x44000022, 0x4bfffff0};
        for (int i = 0; i < code.length; i++) f.vm.guestMemory().writeU32BE(0x400000 + 4L * i, code[i]);
        v = PowerVcpu.create(f.vm, 0);
        v.start(0x400000, 0, Msr.SF | Msr.ME);
    }

    private RunExit.Hypercall marker;

    private long hcall(long nr, long... args) {
        if (marker == null) {
            v.core().setGpr(3, nr);
            for (int i = 0; i < 4; i++) v.core().setGpr(4 + i, i < args.length ? args[i] : 0);
        } else {
            marker.ret()[0] = nr;
            for (int i = 0; i < 4; i++) marker.args()[i] = i < args.length ? args[i] : 0;
        }
        RunExit.Hypercall h = assertInstanceOf(RunExit.Hypercall.class, v.run());
        marker = h;
        assertEquals(0x1240, h.nr(), Hcall.name(nr) + " was handled in the hypervisor");
        return v.core().gpr(20);
    }

    @Test
    void theGuestsRegistrationConfiguresThePartitionTableAndLpcr() {
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_REGISTER_PROCESS_TABLE, 0x1D, 0x1000000, 0, 0));
        assertEquals(0x1000000, f.mmu.processTable());
        assertTrue(f.mmu.guestTranslationShootdownEnabled());
        assertEquals(PartitionTableEntry.GR | 0x1000000, f.mmu.host().readPartitionTableEntry(f.mmu.lpid(), 1));
        assertNotEquals(0, v.core().mmuRegisters().lpcr & Lpcr.GTSE);
    }

    @Test
    void processTableArgumentsAreCheckedAsPaprSays() {
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_REGISTER_PROCESS_TABLE, 0x3D, 0x1000000, 0, 0), "reserved flag");
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_REGISTER_PROCESS_TABLE, 0x18, 0x1000000, 0, 0), "hash table");
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_REGISTER_PROCESS_TABLE, 0x1E, 0x1000000, 0, 0), "hash + segment tables");
        assertEquals(Hcall.H_P2, hcall(Hcall.H_REGISTER_PROCESS_TABLE, 0x1D, 0x1000800, 0, 0), "unaligned");
        assertEquals(Hcall.H_P2, hcall(Hcall.H_REGISTER_PROCESS_TABLE, 0x1D, 1L << 60, 0, 0), "beyond 2^60");
        assertEquals(Hcall.H_P3, hcall(Hcall.H_REGISTER_PROCESS_TABLE, 0x1D, 0x1000000, 12, 0), "page size");
        assertEquals(Hcall.H_P4, hcall(Hcall.H_REGISTER_PROCESS_TABLE, 0x1D, 0x1000000, 0, 25), "table size");
        assertEquals(Hcall.H_P4, hcall(Hcall.H_REGISTER_PROCESS_TABLE, 0x1D, 0x1000000, 0, -1), "negative size");
        assertEquals(0, f.mmu.processTable(), "nothing was registered");
    }

    @Test
    void keepingOrDroppingTheRegistrationFollowsTheFlags() {
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_REGISTER_PROCESS_TABLE, 0x04, 0, 0, 0),
                "keep a radix table that was never registered");
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_REGISTER_PROCESS_TABLE, 0x1C, 0x2000000, 0, 4));
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_REGISTER_PROCESS_TABLE, 0x05, 0, 0, 0), "keep, now with GTSE");
        assertEquals(0x2000004, f.mmu.processTable());
        assertTrue(f.mmu.guestTranslationShootdownEnabled());
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_REGISTER_PROCESS_TABLE, 0x10, 0, 0, 0), "deregister");
        assertEquals(0, f.mmu.processTable());
    }

    @Test
    void setModeChoosesTheInterruptByteOrderOfEveryVcpu() {
        PowerVcpu other = PowerVcpu.create(f.vm, 1);
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_SET_MODE, 1, 4, 0, 0));
        assertNotEquals(0, v.shared().lpcr & Lpcr.ILE);
        assertSame(v.shared(), other.shared());
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_SET_MODE, 0, 4, 0, 0));
        assertEquals(0, v.shared().lpcr & Lpcr.ILE);
    }

    @Test
    void setModeRefusesWhatItDoesNotKnowWithoutActing() {
        assertEquals(Hcall.H_UNSUPPORTED_FLAG, hcall(Hcall.H_SET_MODE, 2, 4, 0, 0));
        assertEquals(Hcall.H_P2, hcall(Hcall.H_SET_MODE, 0, 6, 0, 0), "no resource 6");
        assertEquals(Hcall.H_P2, hcall(Hcall.H_SET_MODE, 0, 0, 0, 0), "no resource 0");
        assertEquals(Hcall.H_P2, hcall(Hcall.H_SET_MODE, 0, 1L << 32 | 4, 0, 0), "resource numbers are not truncated");
        assertEquals(Hcall.H_P3, hcall(Hcall.H_SET_MODE, 1, 4, 1, 0));
        assertEquals(Hcall.H_P4, hcall(Hcall.H_SET_MODE, 1, 4, 0, 1));
        assertEquals(0, v.shared().lpcr & Lpcr.ILE);
    }

    @Test
    void setModeSetsTheAlternateInterruptLocationForEveryVcpu() {
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_SET_MODE, 3, 3, 0, 0));
        assertEquals(3L << 23, v.shared().lpcr & Lpcr.AIL);
        assertEquals(3L << 23, v.core().mmuRegisters().lpcr & Lpcr.AIL, "this vCPU's copy too");
        for (long reserved : new long[] {1, 2, 4, -1}) {
            assertEquals(Hcall.H_UNSUPPORTED_FLAG, hcall(Hcall.H_SET_MODE, reserved, 3, 0, 0), "AIL " + reserved);
        }
        assertEquals(Hcall.H_P3, hcall(Hcall.H_SET_MODE, 0, 3, 1, 0));
        assertEquals(Hcall.H_P4, hcall(Hcall.H_SET_MODE, 0, 3, 0, 1));
        assertEquals(3L << 23, v.shared().lpcr & Lpcr.AIL, "refusals change nothing");
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_SET_MODE, 0, 3, 0, 0));
        assertEquals(0, v.shared().lpcr & Lpcr.AIL);
    }

    @Test
    void setModeBreakpointsRefuseHypervisorMatches() {
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_SET_MODE, 0, 1, 0x4000_0001L, 0));
        assertEquals(0x4000_0001L, v.core().readSpr(PseriesHcalls.SPR_CIABR));
        assertEquals(Hcall.H_P3, hcall(Hcall.H_SET_MODE, 0, 1, 0x4000_0003L, 0), "CIABR match in hypervisor state");
        assertEquals(Hcall.H_UNSUPPORTED_FLAG, hcall(Hcall.H_SET_MODE, 1, 1, 0, 0));
        assertEquals(Hcall.H_P4, hcall(Hcall.H_SET_MODE, 0, 1, 0, 1));
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_SET_MODE, 0, 2, 0x8000, 0x3));
        assertEquals(Hcall.H_P4, hcall(Hcall.H_SET_MODE, 0, 2, 0x8000, PseriesHcalls.DAWRX_HYP));
    }

    /** Writes a registration buffer's length at offset 4: two bytes for the VPA, four for the others. */
    private void length(long address, int length, boolean vpa) {
        if (vpa) f.vm.guestMemory().writeU32BE(address + 4, length << 16);
        else f.vm.guestMemory().writeU32BE(address + 4, length);
    }

    @Test
    void theSlbShadowAndTraceLogNeedAVpaWhichCannotGoBeforeThem() {
        long vpa = 0x100000, slb = 0x101000, dtl = 0x102000;
        length(slb, 0x200, false);
        length(dtl, 0x200, false);
        assertEquals(Hcall.H_RESOURCE, hcall(Hcall.H_REGISTER_VPA, 3L << 45, 0, slb));
        assertEquals(Hcall.H_RESOURCE, hcall(Hcall.H_REGISTER_VPA, 2L << 45, 0, dtl));
        length(vpa, 640, true);
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_REGISTER_VPA, 1L << 45, 0, vpa));
        assertEquals(0x02, f.vm.guestMemory().readU32BE(vpa + 8) >>> 16 & 0x02, "the shared-processor bit is set");
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_REGISTER_VPA, 3L << 45, 0, slb));
        length(slb + 0xF00, 0x200, false);
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_REGISTER_VPA, 3L << 45, 0, slb + 0xF00), "crosses 4K");
        length(dtl, 47, false);
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_REGISTER_VPA, 2L << 45, 0, dtl), "shorter than one entry");
        length(dtl, 48, false);
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_REGISTER_VPA, 2L << 45, 0, dtl));
        assertEquals(Hcall.H_RESOURCE, hcall(Hcall.H_REGISTER_VPA, 5L << 45, 0, 0), "VPA still in use");
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_REGISTER_VPA, 6L << 45, 0, 0));
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_REGISTER_VPA, 7L << 45, 0, 0));
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_REGISTER_VPA, 5L << 45, 0, 0));
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_REGISTER_VPA, 4L << 45, 0, vpa), "function 4");
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_REGISTER_VPA, 1L << 45, 7, vpa), "no processor 7");
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_REGISTER_VPA, 3L << 45, 0, 0x7FFF_FFFF_0000L), "outside RAM");
    }

    @Test
    void prodWakesAProcessorAndConferYields() {
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_PROD, 0));
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_PROD, 5));
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_PROD, -1));
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_CONFER, -1));
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_CONFER, 0));
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_CONFER, 9));
        // A prodded processor's next H_CEDE returns at once: with no decrementer pending it would
        // otherwise sleep for good and this call would not come back.
        v.core().writeSpr(22, 0x007F_FFFF_FFFF_FFFFL);
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_PROD, 0));
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_CEDE)),
                "H_CEDE after H_PROD came back");
    }

    @Test
    void theHomeNodeOfAProcessorIsNodeZeroEndingWithItsNumber() {
        PowerVcpu.create(f.vm, 1);
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_HOME_NODE_ASSOCIATIVITY, 1, 1));
        assertEquals(0, v.core().gpr(4));
        assertEquals(0, v.core().gpr(5));
        assertEquals(0x1_FFFF_FFFFL, v.core().gpr(6));
        assertEquals(-1, v.core().gpr(9));
        assertEquals(Hcall.H_P2, hcall(Hcall.H_HOME_NODE_ASSOCIATIVITY, 1, 7));
        assertEquals(Hcall.H_FUNCTION, hcall(Hcall.H_HOME_NODE_ASSOCIATIVITY, 2, 0));
    }

    @Test
    void cpuCharacteristicsAreThoseQemuReportsWithItsMitigationsBroken() {
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_GET_CPU_CHARACTERISTICS));
        assertEquals(0x0400_0000_0000_0000L, v.core().gpr(4));
        assertEquals(0xE000_0000_0000_0000L, v.core().gpr(5));
    }

    @Test
    void systemResetGoesToExistingProcessorsOnly() {
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_SIGNAL_SYS_RESET, -2), "no other processor: nothing to do");
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_SIGNAL_SYS_RESET, 3));
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_SIGNAL_SYS_RESET, -3));
    }
}
