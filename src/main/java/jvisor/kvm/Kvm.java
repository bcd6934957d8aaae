package jvisor.kvm;

import jvisor.memory.HostAddressSpace;
import jvisor.memory.PhysicalMemory;

/**
 * The hypervisor as user space opens it ({@code /dev/kvm}): creates VMs and answers capability
 * questions. Every VM it creates lives in the address space of the process that opened it (the
 * VMM), whose memory backs the guests' memslots.
 */
public final class Kvm {
    private final PhysicalMemory phys;
    private final HostAddressSpace mm;

    public Kvm(PhysicalMemory phys, HostAddressSpace mm) {
        this.phys = phys;
        this.mm = mm;
    }

    public PhysicalMemory physicalMemory() {
        return phys;
    }

    public HostAddressSpace addressSpace() {
        return mm;
    }

    /** KVM_CREATE_VM. */
    public <A extends ArchMmu> Vm<A> createVm(VmType<A> type) {
        return new Vm<>(this, type);
    }

    /** KVM_CHECK_EXTENSION on the system: what any VM of this host gets. */
    public int checkExtension(Capability cap) {
        return Vm.genericExtension(cap);
    }
}
