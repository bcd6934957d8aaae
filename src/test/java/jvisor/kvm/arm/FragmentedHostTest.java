package jvisor.kvm.arm;

import static jvisor.kvm.arm.ArmVmFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import jvisor.kvm.AccessOutcome;
import jvisor.kvm.Vm;
import org.junit.jupiter.api.Test;

/**
 * A host whose free single frames are scattered (every other one of thousands still in use) can
 * still create VMs: the concatenated stage-2 root needs two adjacent frames, and one is found
 * (found by the fuzzer: after enough VM churn createVm failed with ENOMEM on a mostly free host).
 */
class FragmentedHostTest {
    @Test
    void aVmIsCreatedOnAHostWithScatteredFreeFrames() {
        ArmVmFixture f = new ArmVmFixture(1, 16);
        long[] frames = new long[40_000]; // more than the frame guard keeps in quarantine
        for (int i = 0; i < frames.length; i++) frames[i] = f.pm.allocate(0);
        for (int i = 1; i < frames.length; i += 2) f.pm.put(frames[i]);
        Vm<Stage2Mmu> vm = f.vm();
        f.addRam(vm, 0, 0, 2 * MIB, 0, 0);
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        assertEquals(AccessOutcome.DONE, store(v, 0x5000, 42));
        assertEquals(AccessOutcome.DONE, load(v, 0x5000));
        assertEquals(42, v.x[1]);
        long root = vm.arch().pageTable().rootPa() >>> 12;
        assertEquals(0, root % 2, "the concatenated root is aligned to its two pages");
        long before = f.pm.framesInUse();
        vm.destroy();
        assertTrue(f.pm.framesInUse() < before, "the VM's tables went back");
        assertEquals(0, f.pm.refCount(root), "the root's frames are free again");
        assertEquals(0, f.pm.refCount(root + 1));
    }
}
