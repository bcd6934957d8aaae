package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.*;

import jvisor.hw.power.PartitionTableEntry;
import jvisor.hw.power.cpu.Msr;
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
        for (int i = 0; i < code.length; i++) f.vm.guestMemory().writeIntBE(0x400000 + 4L * i, code[i]);
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
        assertNotEquals(0, v.core().mmuRegisters().lpcr & PowerVmState.LPCR_GTSE);
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
        assertNotEquals(0, v.shared().lpcr & PowerVmState.LPCR_ILE);
        assertSame(v.shared(), other.shared());
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_SET_MODE, 0, 4, 0, 0));
        assertEquals(0, v.shared().lpcr & PowerVmState.LPCR_ILE);
    }

    @Test
    void setModeRefusesWhatItDoesNotKnowWithoutActing() {
        assertEquals(Hcall.H_UNSUPPORTED_FLAG, hcall(Hcall.H_SET_MODE, 2, 4, 0, 0));
        assertEquals(Hcall.H_P2, hcall(Hcall.H_SET_MODE, 0, 1, 0, 0));
        assertEquals(Hcall.H_P3, hcall(Hcall.H_SET_MODE, 1, 4, 1, 0));
        assertEquals(Hcall.H_P4, hcall(Hcall.H_SET_MODE, 1, 4, 0, 1));
        assertEquals(0, v.shared().lpcr & PowerVmState.LPCR_ILE);
    }
}
