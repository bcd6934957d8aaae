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
    private final java.util.Map<Class<?>, Object> hostState = new java.util.concurrent.ConcurrentHashMap<>();

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

    /**
     * Host-wide state an architecture keeps once per host, such as POWER's partition table and
     * LPID allocator (what Linux keeps in the arch's globals), created on first use.
     */
    public <T> T hostState(Class<T> key, java.util.function.Supplier<T> create) {
        return key.cast(hostState.computeIfAbsent(key, k -> create.get()));
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
