package jvisor.kvm;

import jvisor.memory.MemorySlot;
import jvisor.memory.MemslotTable;

/**
 * The architecture's half of a VM's memory management (KVM's kvm_arch_* and kvm_*_gfn hooks): the
 * generic part ({@link Vm}, {@link KvmMmuNotifier}) turns host-virtual ranges into memslot guest
 * frame ranges and calls these, holding the {@link MmuLock} where KVM holds mmu_lock.
 */
public interface ArchMmu {

    /** Drops the translations of guest frames {@code [start, end)} of the slot. Under the MMU lock. */
    void unmapGfnRange(MemorySlot slot, long start, long end);

    /** Clears the accessed state of the range; true if any was young. Under the MMU lock. */
    boolean ageGfnRange(MemorySlot slot, long start, long end);

    /** Whether the frame's translation was accessed. Under the MMU lock. */
    boolean testAgeGfn(MemorySlot slot, long gfn);

    /** The host moved the page behind {@code gfn} to {@code newHostPte}. Under the MMU lock. */
    void changePte(MemorySlot slot, long gfn, long newHostPte);

    /** The slot is being deleted or moved: drop every translation of it (takes the MMU lock itself). */
    void flushMemslot(MemorySlot slot);

    /** A slot change is visible (e.g. dirty logging was switched on). */
    default void commitMemoryRegion(MemslotTable.Change change, MemorySlot old, MemorySlot now) {}

    /**
     * KVM_GET_DIRTY_LOG's architecture part: ORs the pages dirtied since the last call into
     * {@code map} (one bit per page, KVM's bit order) and re-arms tracking for them.
     */
    void getDirtyLog(MemorySlot slot, long[] map);

    /** The VM is being destroyed: free every table. */
    void destroy();
}
