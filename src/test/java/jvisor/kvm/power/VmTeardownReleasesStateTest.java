package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.ref.WeakReference;
import jvisor.hw.power.Msr;
import jvisor.kvm.Kvm;
import jvisor.kvm.Vm;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.PhysicalMemory;
import jvisor.memory.UserMemoryRegion;
import org.junit.jupiter.api.Test;

/**
 * A destroyed VM leaves nothing of its vCPU state reachable from the host: with one VM after
 * another on a host, the heap holds the live VMs only (found by the fuzzer: every VM's decode
 * cache stayed registered with host memory).
 */
class VmTeardownReleasesStateTest {
    @Test
    void theDecodeCacheOfADestroyedVmCanBeCollected() throws Exception {
        PhysicalMemory phys = new PhysicalMemory(2 * RadixVmFixture.GIB);
        HostAddressSpace mm = new HostAddressSpace(phys);
        Kvm kvm = new Kvm(phys, mm);
        WeakReference<Object> cache = runAndDestroy(kvm);
        // Well under a second: the VM's background translator, which idles that long before its
        // thread ends, must have let go of the cache when the VM was destroyed.
        for (int i = 0; i < 25 && cache.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(cache.get(), "the host still holds the destroyed VM's decode cache");
    }

    /** A VM's life; the host objects (memory, address space, KVM) outlive it, as in a VMM. */
    private static WeakReference<Object> runAndDestroy(Kvm kvm) {
        Vm<PartitionScopedMmu> vm = kvm.createVm(PartitionScopedMmu.HV_RADIX);
        long hva = kvm.addressSpace().mmap(16 * MIB, 0);
        vm.setUserMemoryRegion(new UserMemoryRegion(0, 0, 0, 16 * MIB, hva));
        vm.guestMemory().writeU32BE(0x400000, 0x48000000); // b .
        PowerVcpu v = PowerVcpu.create(vm, 0);
        v.start(0x400000, 0, Msr.SF | Msr.ME);
        v.setRunLimit(100);
        v.run();
        WeakReference<Object> ref = new WeakReference<>(v.shared().decodeCache);
        v.destroy();
        vm.destroy();
        kvm.addressSpace().munmap(hva, 16 * MIB);
        return ref;
    }
}
