package jvisor.fuzz;

import static org.junit.jupiter.api.Assertions.*;

import jvisor.hw.power.Msr;
import jvisor.kvm.Kvm;
import jvisor.kvm.RunExit;
import jvisor.kvm.Vm;
import jvisor.kvm.power.PartitionScopedMmu;
import jvisor.kvm.power.PowerHost;
import jvisor.kvm.power.PowerVcpu;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.HostPte;
import jvisor.memory.PhysicalMemory;
import jvisor.memory.UserMemoryRegion;
import org.junit.jupiter.api.Test;

/**
 * The outside-access count can fail: a host that frees the frame behind a guest page without
 * telling the hypervisor (no MMU notifier, as a buggy host would) leaves the guest storing into a
 * frame nobody holds, and the campaign's figures say so.
 */
class OutsideAccessTest {
    private static final long MIB = 1L << 20, DATA = 0x100000;

    @Test
    void aGuestStoreIntoAFrameTheHostFreedIsCounted() {
        PhysicalMemory pm = new PhysicalMemory(1L << 30);
        Tally tally = new Tally();
        tally.watch(pm);
        HostAddressSpace mm = new HostAddressSpace(pm);
        Kvm kvm = new Kvm(pm, mm);
        PowerHost.of(kvm);
        Vm<PartitionScopedMmu> vm = kvm.createVm(PartitionScopedMmu.HV_RADIX);
        long hva = mm.mmap(4 * MIB, 0);
        vm.setUserMemoryRegion(new UserMemoryRegion(0, 0, 0, 4 * MIB, hva));
        // 0x10000: std r5,0(r4); addi r5,r5,1; b .-8
        int[] loop = {PowerAsm.dsForm(62, 5, 4, 0, 0), PowerAsm.addi(5, 5, 1), PowerAsm.b(-8, false)};
        byte[] code = PowerVectors.bytes(loop, false);
        vm.guestMemory().write(0x10000, code, 0, code.length);
        PowerVcpu v = PowerVcpu.create(vm, 0);
        v.start(0x10000, 0, Msr.SF | Msr.ME);
        v.core().setGpr(4, DATA);
        v.setRunLimit(1000);
        assertInstanceOf(RunExit.Interrupted.class, v.run());
        assertEquals(0, tally.outsideAccesses(), () -> tally.findings().toString());

        long pfn = HostPte.pfn(mm.lookupPte(hva + DATA));
        pm.put(pfn); // the host's own reference, dropped without unmapping: the frame is free
        assertInstanceOf(RunExit.Interrupted.class, v.run());

        assertTrue(tally.outsideAccesses() > 0, "the stores into the freed frame were counted");
        assertTrue(tally.findings().get(0).contains(String.format("frame 0x%x is not allocated", pfn)), tally.findings().get(0));
        FuzzReport rep = new FuzzReport("power", 1, 2000, tally.hostExceptions(), tally.outsideAccesses(), 0, 1, 1,
                tally.figures(), tally.findings());
        assertFalse(rep.clean());
        assertTrue(rep.line().contains("outside-accesses=" + tally.outsideAccesses()), rep.line());
    }
}
