package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.*;

import jvisor.hw.power.cpu.Msr;
import jvisor.kvm.RunExit;
import org.junit.jupiter.api.Test;

/** The vCPU run loop: hypercalls and MMIO exits to user space, and their completion on the next run. */
class PowerVcpuRunLoopTest {
    /** Big-endian code at 0x400000 (assembled with powerpc64le-linux-gnu-as -mbig):
     *  H_PUT_TERM_CHAR "AB"; stw to MMIO; lha from MMIO; hcall 0x1234 with r4 = loaded;
     *  lhzu from MMIO; hcall 0x1235 with r4 = loaded, r5 = updated base; lwz from 0x30000000. */
    private static final int[] CODE = {0x38600058, 0x38800000, 0x38a00002, 0x3cc04142, 0x78c607c6, 0x44000022,
            0x3d202000, 0x3c601122, 0x60633344, 0x90690000, 0xa9490006, 0x7d445378, 0x38601234, 0x44000022,
            0xa5690008, 0x7d645b78, 0x7d254b78, 0x38601235, 0x44000022, 0x3d803000, 0x81ac0000, 0x48000000};

    private final RadixVmFixture f = new RadixVmFixture();

    private PowerVcpu boot() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        for (int i = 0; i < CODE.length; i++) f.vm.guestMemory().writeIntBE(0x400000 + 4L * i, CODE[i]);
        PowerVcpu v = PowerVcpu.create(f.vm, 0);
        v.start(0x400000, 0, Msr.SF | Msr.ME);
        return v;
    }

    @Test
    void hypercallsMmioAndTheirCompletionFollowKvmRun() {
        PowerVcpu v = boot();
        RunExit e = v.run();
        RunExit.Hypercall h = assertInstanceOf(RunExit.Hypercall.class, e);
        assertEquals(0x58, h.nr());
        assertEquals(0, h.args()[0]);
        assertEquals(2, h.args()[1]);
        assertEquals(0x4142_0000_0000_0000L, h.args()[2]);
        h.ret()[0] = 0;

        RunExit.Mmio st = assertInstanceOf(RunExit.Mmio.class, v.run());
        assertEquals(0x2000_0000L, st.physAddr());
        assertTrue(st.isWrite());
        assertArrayEquals(new byte[]{0x11, 0x22, 0x33, 0x44}, st.data(), "a big-endian guest's word in memory order");

        RunExit.Mmio ld = assertInstanceOf(RunExit.Mmio.class, v.run());
        assertEquals(0x2000_0006L, ld.physAddr());
        assertFalse(ld.isWrite());
        assertEquals(2, ld.length());
        ld.data()[0] = (byte) 0xFF;
        ld.data()[1] = (byte) 0xFE;

        RunExit.Hypercall h2 = assertInstanceOf(RunExit.Hypercall.class, v.run());
        assertEquals(0x1234, h2.nr());
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, h2.args()[0], "lha sign-extends the device's halfword");
        h2.ret()[0] = Hcall.H_FUNCTION;

        RunExit.Mmio lu = assertInstanceOf(RunExit.Mmio.class, v.run());
        assertEquals(0x2000_0008L, lu.physAddr());
        lu.data()[0] = 0x12;
        lu.data()[1] = 0x34;
        RunExit.Hypercall h3 = assertInstanceOf(RunExit.Hypercall.class, v.run());
        assertEquals(0x1235, h3.nr());
        assertEquals(0x1234, h3.args()[0]);
        assertEquals(0x2000_0008L, h3.args()[1], "the update form wrote the effective address to RA");
        assertEquals(Hcall.H_FUNCTION, v.core().gpr(3) == 0x1235 ? Hcall.H_FUNCTION : v.core().gpr(3));
    }

    @Test
    void mmioToNowhereEndsInAMachineCheckAtTheInstruction() {
        PowerVcpu v = boot();
        v.run();
        v.run();
        RunExit.Mmio ld = (RunExit.Mmio) v.run();
        v.failMmio(ld.physAddr());
        assertEquals(0x200, v.core().pc());
        assertEquals(0x400000 + 4 * 10, v.core().srr0(), "SRR0 points at the lha");
        assertEquals(0x2000_0006L, v.core().dar());
        assertTrue((v.core().msr() & Msr.ME) != 0,
                "the guest's handler keeps MSR[ME]: it could never set it again, and its next machine check would checkstop");
    }

    @Test
    void theInKernelHypercallsNeverReachUserSpace() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        // li r3,0x300 (H_RANDOM); sc 1; li r3,0x24 (H_SET_SPRG0); li r4,0x77; sc 1; li r3,0x1236; sc 1
        int[] code = {0x38600300, 0x44000022, 0x38600024, 0x38800077, 0x44000022, 0x38601236, 0x44000022};
        for (int i = 0; i < code.length; i++) f.vm.guestMemory().writeIntBE(0x400000 + 4L * i, code[i]);
        PowerVcpu v = PowerVcpu.create(f.vm, 0);
        v.start(0x400000, 0, Msr.SF | Msr.ME);
        RunExit.Hypercall h = assertInstanceOf(RunExit.Hypercall.class, v.run());
        assertEquals(0x1236, h.nr());
        assertEquals(0x77, v.core().readSpr(272), "SPRG0 set by H_SET_SPRG0");
        assertEquals(2, v.statistics().hcalls.size() + 0 - 1, "H_RANDOM, H_SET_SPRG0 and the user one were counted");
    }

    @Test
    void hSetModeRefusesNonZeroValuesAndHPageInitUnknownFlagsWithoutActing() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        // H_SET_MODE(BE, resource 4, value1 1) -> r20; (BE, 4, 0, value2 1) -> r21;
        // H_PAGE_INIT(zero | bit 63, 0x100000) -> r22; r23 = the word at 0x100000; hcall 0x1236.
        int[] code = {0x3860031c, 0x38800000, 0x38a00004, 0x38c00001, 0x38e00000, 0x44000022, 0x7c741b78,
                0x3860031c, 0x38800000, 0x38a00004, 0x38c00000, 0x38e00001, 0x44000022, 0x7c751b78,
                0x3860002c, 0x38800000, 0x60848001, 0x3ca00010, 0x44000022, 0x7c761b78,
                0x3d200010, 0x82e90000, 0x38601236, 0x44000022};
        for (int i = 0; i < code.length; i++) f.vm.guestMemory().writeIntBE(0x400000 + 4L * i, code[i]);
        f.vm.guestMemory().writeIntBE(0x100000, 0x5A5A5A5A);
        PowerVcpu v = PowerVcpu.create(f.vm, 0);
        long ileBefore = v.shared().lpcr & PowerVmState.LPCR_ILE;
        v.start(0x400000, 0, Msr.SF | Msr.ME);
        RunExit.Hypercall h = assertInstanceOf(RunExit.Hypercall.class, v.run());
        assertEquals(0x1236, h.nr());
        assertEquals(Hcall.H_P3, v.core().gpr(20), "value1 != 0");
        assertEquals(Hcall.H_P4, v.core().gpr(21), "value2 != 0");
        assertEquals(ileBefore, v.shared().lpcr & PowerVmState.LPCR_ILE, "the refused calls left LPCR[ILE] alone");
        assertEquals(Hcall.H_PARAMETER, v.core().gpr(22), "an unknown H_PAGE_INIT flag");
        assertEquals(0x5A5A5A5AL, v.core().gpr(23), "the page was not zeroed");
    }
}
