package jvisor.kvm;

import jvisor.memory.MemslotGuestMemory;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.MemorySlot;
import jvisor.memory.MemslotException;
import jvisor.memory.MemslotTable;
import jvisor.memory.PhysicalMemory;
import jvisor.memory.UserMemoryRegion;

/**
 * A virtual machine (KVM's struct kvm and its VM ioctls): guest memory slots, the MMU lock with
 * its notifier protocol, and the architecture's MMU. Architecture-specific ioctls are methods of
 * {@link #arch()}.
 */
public final class Vm<A extends ArchMmu> {
    private final Kvm kvm;
    private final String type;
    private final MemslotTable slots = new MemslotTable();
    private final MmuLock mmuLock = new MmuLock();
    private final MemslotGuestMemory guestMemory;
    private final A arch;
    private final KvmMmuNotifier notifier;
    private final CoalescedMmioRing coalescedMmio = new CoalescedMmioRing();
    private boolean destroyed;
    private final java.util.Map<Class<?>, Object> archState = new java.util.concurrent.ConcurrentHashMap<>();

    Vm(Kvm kvm, VmType<A> type) {
        this.kvm = kvm;
        this.type = type.name();
        this.guestMemory = new MemslotGuestMemory(slots, kvm.addressSpace());
        this.arch = type.createMmu().apply(this);
        this.notifier = new KvmMmuNotifier(slots, mmuLock, arch);
        kvm.addressSpace().register(notifier);
    }

    public Kvm kvm() {
        return kvm;
    }

    /**
     * Per-VM state of the architecture's vCPU side (kvm->arch beyond the MMU), created on first
     * use. State that holds on to something of the host's implements {@link ArchState} and lets
     * go of it when the VM is destroyed.
     */
    public <T> T archState(Class<T> key, java.util.function.Supplier<T> create) {
        return key.cast(archState.computeIfAbsent(key, k -> create.get()));
    }

    public A arch() {
        return arch;
    }

    public String type() {
        return type;
    }

    public MemslotTable memslots() {
        return slots;
    }

    public MmuLock mmuLock() {
        return mmuLock;
    }

    public MemslotGuestMemory guestMemory() {
        return guestMemory;
    }

    public HostAddressSpace addressSpace() {
        return kvm.addressSpace();
    }

    public PhysicalMemory physicalMemory() {
        return kvm.physicalMemory();
    }

    /** KVM_SET_USER_MEMORY_REGION. Throws {@link KvmException} with KVM's errno on a bad request. */
    public void setUserMemoryRegion(UserMemoryRegion region) {
        try {
            slots.set(region, new MemslotTable.Listener() {
                @Override
                public void flushSlot(MemorySlot slot) {
                    arch.flushMemslot(slot);
                }

                @Override
                public void commit(MemslotTable.Change change, MemorySlot old, MemorySlot now) {
                    arch.commitMemoryRegion(change, old, now);
                }
            });
        } catch (MemslotException e) {
            throw new KvmException(KvmException.Errno.valueOf(e.errno().name()), e.getMessage());
        }
    }

    /**
     * KVM_GET_DIRTY_LOG: the pages of the slot written since the last call, one bit per page
     * (bit {@code i % 64} of word {@code i / 64}), and tracking re-armed for them.
     */
    public long[] getDirtyLog(int slotId) {
        MemorySlot slot = slots.byId(slotId);
        if (slot == null) throw new KvmException(KvmException.Errno.ENOENT, "no memory slot " + slotId);
        if (slot.dirtyBitmap() == null) {
            throw new KvmException(KvmException.Errno.ENOENT, "slot " + slotId + " does not log dirty pages");
        }
        long[] map = new long[slot.dirtyBitmap().words()];
        arch.getDirtyLog(slot, map);
        return map;
    }

    /**
     * The VM's coalesced-MMIO ring: KVM_REGISTER_COALESCED_MMIO adds zones to it, vCPUs append
     * their stores to those zones instead of exiting, and the VMM drains it.
     */
    public CoalescedMmioRing coalescedMmio() {
        return coalescedMmio;
    }

    /** KVM_CHECK_EXTENSION on this VM. */
    public int checkExtension(Capability cap) {
        int generic = genericExtension(cap);
        return generic != 0 ? generic : archExtension(cap);
    }

    private int archExtension(Capability cap) {
        return arch instanceof ExtensionAware e ? e.checkExtension(cap) : 0;
    }

    static int genericExtension(Capability cap) {
        return switch (cap) {
            case USER_MEMORY, SYNC_MMU, READONLY_MEM -> 1;
            case NR_MEMSLOTS -> MemslotTable.MAX_SLOTS;
            case COALESCED_MMIO -> 1; // the ring's page offset in KVM's vCPU mapping
            default -> 0;
        };
    }

    /** An architecture MMU that answers capabilities of its own. */
    public interface ExtensionAware {
        int checkExtension(Capability cap);
    }

    /** Per-VM architecture state that registered something with the host and must undo it. */
    public interface ArchState {
        /** The VM is being destroyed. */
        void vmDestroyed();
    }

    /** Tears the VM down: the notifier is unregistered, every table freed, the arch state told. */
    public void destroy() {
        if (destroyed) return;
        destroyed = true;
        kvm.addressSpace().unregister(notifier);
        arch.destroy();
        for (Object s : archState.values()) {
            if (s instanceof ArchState a) a.vmDestroyed();
        }
    }
}
