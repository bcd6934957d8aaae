package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.*;

import jvisor.hw.power.Lpcr;
import jvisor.hw.power.Msr;
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
        for (int i = 0; i < CODE.length; i++) f.vm.guestMemory().writeU32BE(0x400000 + 4L * i, CODE[i]);
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
        for (int i = 0; i < code.length; i++) f.vm.guestMemory().writeU32BE(0x400000 + 4L * i, code[i]);
        PowerVcpu v = PowerVcpu.create(f.vm, 0);
        v.start(0x400000, 0, Msr.SF | Msr.ME);
        RunExit.Hypercall h = assertInstanceOf(RunExit.Hypercall.class, v.run());
        assertEquals(0x1236, h.nr());
        assertEquals(0x77, v.core().readSpr(272), "SPRG0 set by H_SET_SPRG0");
        assertEquals(java.util.Map.of("H_RANDOM", 1L, "H_SET_SPRG0", 1L, VcpuStatistics.OTHER_HCALLS, 1L), v.statistics().hcalls(),
                "H_RANDOM, H_SET_SPRG0 and the user one (0x1236, outside PAPR's numbers) were counted");
    }

    private PowerVcpu load(int[] code, long msr) {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        for (int i = 0; i < code.length; i++) f.vm.guestMemory().writeU32BE(0x400000 + 4L * i, code[i]);
        // At the system call vector: li r3,0x1239; sc 1 — so a delivered sc shows up as that hcall.
        f.vm.guestMemory().writeU32BE(0xC00, 0x38601239);
        f.vm.guestMemory().writeU32BE(0xC04, 0x44000022);
        PowerVcpu v = PowerVcpu.create(f.vm, 0);
        v.start(0x400000, 0, msr);
        return v;
    }

    /** KVM features call, then the OSI call, then hcall 0x1238 (assembled with -mbig). */
    private static final int[] PARAVIRT = {0x3c004b56, 0x60004d21, 0x3d60002a, 0x616b0003, 0x38800063, 0x44000002,
            0x7c651b78, 0x7c862378, 0x3c601137, 0x606324fa, 0x3c807781, 0x60840f9b, 0x38000000, 0x44000002,
            0x38601238, 0x44000022};

    @Test
    void kvmParavirtualFeaturesCallAnswersInR3AndR4WithoutLeavingTheHypervisor() {
        PowerVcpu v = load(PARAVIRT, Msr.SF | Msr.ME);
        // OSI is not enabled: the second sc is the guest's own system call, delivered at 0xc00.
        RunExit.Hypercall h = assertInstanceOf(RunExit.Hypercall.class, v.run());
        assertEquals(0x1239, h.nr(), "the OSI sc went to the guest's system call vector");
        assertEquals(KvmParavirt.EV_SUCCESS, h.args()[1], "r5 = status of KVM_HC_FEATURES");
        assertEquals(0, h.args()[2], "r6 = feature bits: none (no magic page)");
        assertEquals(0x400000 + 4 * 14, v.core().srr0(), "SRR0 is the instruction after the sc");
    }

    @Test
    void osiCallsExitToUserSpaceOnlyOnceEnabledAndTheirRegistersComeBack() {
        PowerVcpu v = load(PARAVIRT, Msr.SF | Msr.ME);
        v.enableCap(jvisor.kvm.Capability.PPC_OSI);
        RunExit.Osi osi = assertInstanceOf(RunExit.Osi.class, v.run());
        assertEquals(KvmParavirt.OSI_SC_MAGIC_R3, osi.gprs()[3]);
        osi.gprs()[4] = 0x4444;
        RunExit.Hypercall h = assertInstanceOf(RunExit.Hypercall.class, v.run());
        assertEquals(0x1238, h.nr());
        assertEquals(0x4444, h.args()[0], "user space's r4 is the guest's r4");
        assertThrows(jvisor.kvm.KvmException.class, () -> v.enableCap(jvisor.kvm.Capability.PPC_MMU_RADIX));
    }

    @Test
    void paravirtualArgumentsAreThirtyTwoBitsWideInThirtyTwoBitMode() {
        // lis r0,"KV"; ori r0,"M!"; lis r11,42; ori r11,r11,1 (MAP_MAGIC_PAGE); li r3,-1 (all ones); li r4,0; sc; li r3,0x1238; sc 1
        int[] code = {0x3c004b56, 0x60004d21, 0x3d60002a, 0x616b0001, 0x3860ffff, 0x38800000, 0x44000002,
                0x38601238, 0x44000022};
        PowerVcpu v = load(code, Msr.ME);
        assertInstanceOf(RunExit.Hypercall.class, v.run());
        assertEquals(0xFFFF_F000L, v.magicPagePa(), "r3 = -1 seen as a 32-bit address");
    }

    @Test
    void storesToACoalescedZoneAreQueuedInsteadOfExiting() {
        // lis r9,0x2000; li r3,0x41; stw r3,0(r9); li r3,0x42; stb r3,5(r9); li r3,0x123a; sc 1
        int[] code = {0x3d202000, 0x38600041, 0x90690000, 0x38600042, 0x98690005, 0x3860123a, 0x44000022};
        PowerVcpu v = load(code, Msr.SF | Msr.ME);
        f.vm.coalescedMmio().register(new jvisor.kvm.CoalescedMmioRing.Zone(0x2000_0000L, 0x1000));
        RunExit.Hypercall h = assertInstanceOf(RunExit.Hypercall.class, v.run(), "no MMIO exit for the two stores");
        assertEquals(0x123a, h.nr());
        java.util.List<String> seen = new java.util.ArrayList<>();
        f.vm.coalescedMmio().drain((addr, data, len) -> seen.add(Long.toHexString(addr) + ":" + java.util.HexFormat.of().formatHex(data, 0, len)));
        assertEquals(java.util.List.of("20000000:00000041", "20000005:42"), seen);
        assertEquals(1, f.vm.checkExtension(jvisor.kvm.Capability.COALESCED_MMIO));
        assertEquals(1, f.vm.checkExtension(jvisor.kvm.Capability.PPC_OSI));
        assertEquals(0, f.vm.checkExtension(jvisor.kvm.Capability.PPC_SEGSTATE), "radix has no segment state");
    }

    @Test
    void pvinfoGivesTheHypercallSequence() {
        KvmParavirt.PvInfo info = KvmParavirt.pvinfo();
        assertArrayEquals(new int[]{0x3c004b56, 0x60004d21, 0x44000002, 0x60000000}, info.hcall(),
                "lis r0,0x4b56; ori r0,r0,0x4d21; sc; nop");
    }

    @Test
    void aLevelInterruptStaysPendingUntilLowered() {
        // main: loop { hcall 0x123c }; at 0x500: hcall 0x123b; rfid
        PowerVcpu v = load(new int[]{0x3860123c, 0x44000022, 0x4bfffff8}, Msr.SF | Msr.ME | Msr.EE);
        int[] handler = {0x3860123b, 0x44000022, 0x4c000024};
        for (int i = 0; i < handler.length; i++) f.vm.guestMemory().writeU32BE(0x500 + 4L * i, handler[i]);
        v.setIrq(true);
        assertEquals(0x123b, ((RunExit.Hypercall) v.run()).nr(), "taken at once");
        assertEquals(0x123b, ((RunExit.Hypercall) v.run()).nr(), "taken again after rfid: the line is still up");
        v.setIrq(false);
        assertEquals(0x123c, ((RunExit.Hypercall) v.run()).nr(), "lowered: the main loop runs");
        assertEquals(0x123c, ((RunExit.Hypercall) v.run()).nr());
    }

    @Test
    void hCedeSleepsUntilTheDecrementerFiresAndTheInterruptFollows() {
        // lis r5,7; ori r5,r5,0xd000 (DEC = 512000 ticks = 1 ms); mtdec r5; H_CEDE; hcall 0x123d
        PowerVcpu v = load(new int[]{0x3ca00007, 0x60a5d000, 0x7cb603a6, 0x386000e0, 0x44000022, 0x3860123d, 0x44000022},
                Msr.SF | Msr.ME);
        f.vm.guestMemory().writeU32BE(0x900, 0x3860123e); // li r3,0x123e
        f.vm.guestMemory().writeU32BE(0x904, 0x44000022); // sc 1
        RunExit.Hypercall h = assertInstanceOf(RunExit.Hypercall.class, v.run());
        assertEquals(0x123e, h.nr(), "H_CEDE enabled EE and the decrementer interrupt came right after it");
        assertTrue(v.core().decrementerValue() < 0, "the vCPU slept until DEC went negative: DEC is "
                + v.core().decrementerValue());
        assertEquals(1, v.statistics().cedes());
        assertEquals(0x400000 + 4 * 5, v.core().srr0(), "interrupted at the instruction after the sc 1");
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
        for (int i = 0; i < code.length; i++) f.vm.guestMemory().writeU32BE(0x400000 + 4L * i, code[i]);
        f.vm.guestMemory().writeU32BE(0x100000, 0x5A5A5A5A);
        PowerVcpu v = PowerVcpu.create(f.vm, 0);
        long ileBefore = v.shared().lpcr & Lpcr.ILE;
        v.start(0x400000, 0, Msr.SF | Msr.ME);
        RunExit.Hypercall h = assertInstanceOf(RunExit.Hypercall.class, v.run());
        assertEquals(0x1236, h.nr());
        assertEquals(Hcall.H_P3, v.core().gpr(20), "value1 != 0");
        assertEquals(Hcall.H_P4, v.core().gpr(21), "value2 != 0");
        assertEquals(ileBefore, v.shared().lpcr & Lpcr.ILE, "the refused calls left LPCR[ILE] alone");
        assertEquals(Hcall.H_PARAMETER, v.core().gpr(22), "an unknown H_PAGE_INIT flag");
        assertEquals(0x5A5A5A5AL, v.core().gpr(23), "the page was not zeroed");
    }

    @Test
    void aStoreWithUpdateToNowhereLeavesRaAsItWas() {
        // lis r9,0x3000; stbu r3,1(r9)
        PowerVcpu v = load(new int[]{0x3d203000, 0x9c690001}, Msr.SF | Msr.ME);
        RunExit.Mmio m = assertInstanceOf(RunExit.Mmio.class, v.run());
        assertEquals(0x3000_0001L, m.physAddr());
        v.failMmio(m.physAddr());
        assertEquals(0x3000_0000L, v.core().gpr(9), "the machine check undoes the whole store");
        assertEquals(0x400004, v.core().srr0());
        assertEquals(0x200, v.core().pc());
    }

    @Test
    void emulationAssistanceIsReflectedAsAPrivilegedProgramInterrupt() {
        // mflpcr r3 (a hypervisor SPR), then mfspr r3,4 (an undefined number the hardware traps).
        for (int w : new int[]{0x7c7e4aa6, 0x7c6402a6}) {
            RadixVmFixture fresh = new RadixVmFixture();
            fresh.addSlot(0, 0, 64 * MIB, 0, 0);
            fresh.vm.guestMemory().writeU32BE(0x400000, w);
            // At the program vector: li r3,0x123a; sc 1.
            fresh.vm.guestMemory().writeU32BE(0x700, 0x3860123a);
            fresh.vm.guestMemory().writeU32BE(0x704, 0x44000022);
            PowerVcpu v = PowerVcpu.create(fresh.vm, 0);
            v.start(0x400000, 0, Msr.SF | Msr.ME);
            RunExit.Hypercall h = assertInstanceOf(RunExit.Hypercall.class, v.run());
            assertEquals(0x123a, h.nr());
            assertEquals(0x400000, v.core().srr0(), Integer.toHexString(w));
            assertEquals(1L << 18, v.core().srr1() & 0x1F_0000L, "SRR1: privileged instruction, as QEMU's pseries gives it");
            v.destroy();
            fresh.vm.destroy();
            fresh.mm.destroy();
        }
    }
}
