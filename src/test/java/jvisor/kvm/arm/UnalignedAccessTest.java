package jvisor.kvm.arm;

import static jvisor.kvm.arm.ArmVmFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import jvisor.hw.arm.AccessInfo;
import jvisor.hw.arm.Mmu;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.Vm;
import org.junit.jupiter.api.Test;

/**
 * An unaligned access that crosses a page boundary touches the two guest pages it names, each
 * translated on its own, and nothing else (found by the fuzzer: the bytes past the boundary went
 * to the host frame after the first page's, which belongs to somebody else or to nobody).
 */
class UnalignedAccessTest {
    private static final int STR8 = AccessInfo.single(3, 2, false, true), LDR8 = AccessInfo.single(3, 1, false, true);

    @Test
    void aStoreAndALoadAcrossAPageBoundaryUseBothGuestPages() {
        ArmVmFixture f = new ArmVmFixture(1, 16);
        Vm<Stage2Mmu> vm = f.vm();
        f.addRam(vm, 0, 0, 16 * MIB, 0, 0);
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        // Fault the pages in out of order, so that the guest's pages 1 and 2 are not neighbours in host memory.
        for (long ipa : new long[] {0x2000, 0x5000, 0x1000}) assertEquals(AccessOutcome.DONE, store(v, ipa + 8, 1));
        assertEquals(AccessOutcome.DONE, v.accessPhysical(0x1FFC, Mmu.STORE, STR8, 0x8877_6655_4433_2211L));
        byte[] b = new byte[8];
        vm.guestMemory().read(0x1FFC, b, 0, 8);
        assertArrayEquals(new byte[] {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88}, b);
        assertEquals(AccessOutcome.DONE, v.accessPhysical(0x1FFE, Mmu.LOAD, LDR8, 0));
        assertEquals(0x0000_8877_6655_4433L, v.x[1]);
        assertEquals(0, f.pm.guard().outsideAccesses(), () -> f.pm.guard().firstOutsideAccesses().toString());
    }

    @Test
    void aFaultOnTheSecondPageStopsTheWholeAccess() {
        ArmVmFixture f = new ArmVmFixture(1, 16);
        Vm<Stage2Mmu> vm = f.vm();
        f.addRam(vm, 0, 0, 2 * MIB, 0, 0);
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        long last = 2 * MIB - 4;
        // The second half lies beyond RAM: MMIO, and the first half is not written.
        assertEquals(AccessOutcome.EXIT, v.accessPhysical(last, Mmu.STORE, STR8, -1L));
        assertEquals(2 * MIB, ArmVmFixture.mmioExit(v).physAddr());
        byte[] b = new byte[4];
        vm.guestMemory().read(last, b, 0, 4);
        assertArrayEquals(new byte[4], b);
    }
}
