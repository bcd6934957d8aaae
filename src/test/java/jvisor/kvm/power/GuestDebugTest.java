package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.*;

import jvisor.hw.power.cpu.DebugPoints;
import jvisor.hw.power.Msr;
import jvisor.kvm.RunExit;
import org.junit.jupiter.api.Test;

/** KVM_SET_GUEST_DEBUG and KVM_TRANSLATE on a POWER vCPU, and the VM's timebase held still. */
class GuestDebugTest {
    /** li r3,0x58; li r4,0; li r5,1; sc 1 (H_PUT_TERM_CHAR to user space); lis r9,0x2000; stw r3,0(r9) (MMIO); addi r3,r3,1; b . */
    private static final int[] CODE = {0x38600058, 0x38800000, 0x38a00001, 0x44000022, 0x3d202000, 0x90690000,
            0x38630001, 0x48000000};
    private static final long ENTRY = 0x400000;

    private final RadixVmFixture f = new RadixVmFixture();

    private PowerVcpu boot() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        for (int i = 0; i < CODE.length; i++) f.vm.guestMemory().writeU32BE(ENTRY + 4L * i, CODE[i]);
        PowerVcpu v = PowerVcpu.create(f.vm, 0);
        v.start(ENTRY, 0, Msr.SF | Msr.ME);
        return v;
    }

    private static RunExit.Debug step(PowerVcpu v, long expectedPc) {
        RunExit.Debug d = assertInstanceOf(RunExit.Debug.class, v.run());
        assertEquals(RunExit.Debug.Cause.STEP, d.cause());
        assertEquals(expectedPc, d.pc());
        assertEquals(expectedPc, v.core().pc());
        return d;
    }

    @Test
    void eachRunOfASingleSteppingVcpuIsOneInstructionThroughFaultsAndExits() {
        PowerVcpu v = boot();
        v.setGuestDebug(true, null);
        // The first fetch takes a partition-scoped fault the hypervisor resolves: the step is still one instruction.
        step(v, ENTRY + 4);
        assertEquals(0x58, v.core().gpr(3));
        step(v, ENTRY + 8);
        step(v, ENTRY + 12);
        // A hypercall for user space: its exit first, then the step ends once it is completed.
        RunExit.Hypercall h = assertInstanceOf(RunExit.Hypercall.class, v.run());
        h.ret()[0] = Hcall.H_SUCCESS;
        step(v, ENTRY + 16);
        assertEquals(Hcall.H_SUCCESS, v.core().gpr(3));
        step(v, ENTRY + 20);
        assertInstanceOf(RunExit.Mmio.class, v.run());
        step(v, ENTRY + 24);
        step(v, ENTRY + 28);
        assertEquals(1, v.core().gpr(3));
        step(v, ENTRY + 28); // b . : one instruction, the same pc
        v.setGuestDebug(false, null);
        v.kick();
        assertInstanceOf(RunExit.Interrupted.class, v.run());
    }

    @Test
    void aBreakpointEndsTheRunBeforeItsInstruction() {
        PowerVcpu v = boot();
        v.setGuestDebug(false, DebugPoints.NONE.withBreakpoint(ENTRY + 24));
        assertInstanceOf(RunExit.Hypercall.class, v.run());
        assertInstanceOf(RunExit.Mmio.class, v.run());
        RunExit.Debug d = assertInstanceOf(RunExit.Debug.class, v.run());
        assertEquals(RunExit.Debug.Cause.BREAKPOINT, d.cause());
        assertEquals(ENTRY + 24, d.pc());
        assertEquals(ENTRY + 24, d.address());
        assertEquals(0, v.core().gpr(3), "the addi at the breakpoint has not run");
    }

    @Test
    void aWatchpointEndsTheRunWithTheAddress() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        // li r9,0x1000; li r3,5; stw r3,4(r9); b .
        int[] code = {0x39201000, 0x38600005, 0x90690004, 0x48000000};
        for (int i = 0; i < code.length; i++) f.vm.guestMemory().writeU32BE(ENTRY + 4L * i, code[i]);
        PowerVcpu v = PowerVcpu.create(f.vm, 0);
        v.start(ENTRY, 0, Msr.SF | Msr.ME);
        v.setGuestDebug(false, DebugPoints.NONE.withWatchpoint(0x1006, 1, DebugPoints.WATCH_WRITE));
        RunExit.Debug d = assertInstanceOf(RunExit.Debug.class, v.run());
        assertEquals(RunExit.Debug.Cause.WATCH_WRITE, d.cause());
        assertEquals(0x1006, d.address());
        assertEquals(ENTRY + 8, d.pc());
        assertEquals(0, f.vm.guestMemory().readU32BE(0x1004));
    }

    @Test
    void translateGivesRealAddressesWithTheMmuOffAndFailsWhereTheGuestHasNoTables() {
        PowerVcpu v = boot();
        assertEquals(0x1234, v.translate(0x1234));
        assertEquals(0x1234, v.translate(0xC000_0000_0000_1234L), "EA bits 0:3 are ignored in real mode");
        v.core().setMsr(Msr.SF | Msr.ME | Msr.DR);
        assertEquals(-1, v.translate(0x1234), "no process table registered");
    }

    @Test
    void aHeldTimebaseStandsStillAndGoesOnFromWhereItStood() {
        long[] host = {1000};
        GuestTimebase tb = new GuestTimebase(() -> host[0]);
        assertEquals(1000, tb.timebase());
        host[0] = 1500;
        tb.hold();
        host[0] = 90_000;
        assertEquals(1500, tb.timebase());
        assertTrue(tb.isHeld());
        tb.release();
        assertEquals(1500, tb.timebase(), "no time passed for the guest while it was held");
        host[0] = 90_100;
        assertEquals(1600, tb.timebase());
        tb.release(); // nothing held: no change
        assertEquals(1600, tb.timebase());
    }
}
