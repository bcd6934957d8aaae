package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.*;

import jvisor.hw.power.Msr;
import jvisor.kvm.RunExit;
import org.junit.jupiter.api.Test;

/**
 * Whatever MSR user space gives a vCPU, the guest runs below the hypervisor: MSR[HV] and MSR[S]
 * are cleared on the way in, so a real-mode access is still a guest real address translated by
 * the partition-scoped tree (found by the fuzzer: with HV left set, the guest's real-mode
 * fetches and loads went straight to host real memory).
 */
class GuestStateEntryTest {
    private static final long OUTSIDE_RAM = 0x1000_0000L;

    @Test
    void aVcpuStartedWithHypervisorBitsRunsAsAGuest() {
        RadixVmFixture f = new RadixVmFixture(2 * RadixVmFixture.GIB);
        f.addSlot(0, 0, 16 * MIB, 0, 0);
        f.vm.guestMemory().writeU32BE(0x400000, 0x80830000); // lwz r4,0(r3)
        PowerVcpu v = PowerVcpu.create(f.vm, 0);
        v.start(0x400000, OUTSIDE_RAM, Msr.HV | Msr.S | Msr.SF | Msr.ME);
        assertEquals(0, v.core().msr() & (Msr.HV | Msr.S));
        RunExit.Mmio m = assertInstanceOf(RunExit.Mmio.class, v.run(),
                "a load outside the guest's memory is MMIO, not a read of host real memory");
        assertEquals(OUTSIDE_RAM, m.physAddr());
        assertEquals(0, f.phys.guard().outsideAccesses(), () -> f.phys.guard().firstOutsideAccesses().toString());
    }

    @Test
    void settingTheMsrBetweenRunsKeepsTheGuestBelowTheHypervisor() {
        RadixVmFixture f = new RadixVmFixture(2 * RadixVmFixture.GIB);
        f.addSlot(0, 0, 16 * MIB, 0, 0);
        PowerVcpu v = PowerVcpu.create(f.vm, 0);
        v.start(0x400000, 0, Msr.SF | Msr.ME);
        v.setMsr(Msr.HV | Msr.SF | Msr.ME | Msr.DR);
        assertEquals(Msr.SF | Msr.ME | Msr.DR, v.core().msr());
    }
}
