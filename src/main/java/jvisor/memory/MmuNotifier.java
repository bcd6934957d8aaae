package jvisor.memory;

/**
 * A subscriber to changes of a {@link HostAddressSpace}'s mappings, as Linux's mmu_notifier: a
 * secondary MMU (the hypervisor's partition-scoped or stage-2 tables) that caches translations of
 * host virtual addresses must drop them before the host frees or moves the page behind them.
 *
 * <p>Ranges are half-open {@code [start, end)} host virtual addresses. Between
 * {@link #invalidateRangeStart} and {@link #invalidateRangeEnd} the host is changing the range:
 * a secondary MMU must not install new translations for it (KVM's in-progress count and
 * sequence number implement that). Callbacks run on the thread changing the address space, with
 * no host page-table lock held.
 */
public interface MmuNotifier {

    void invalidateRangeStart(HostAddressSpace mm, long start, long end);

    void invalidateRangeEnd(HostAddressSpace mm, long start, long end);

    /** The page at {@code hva} now maps {@code newPte} (migration); called inside a start/end pair. */
    default void changePte(HostAddressSpace mm, long hva, long newPte) {}

    /** Clears the accessed state of secondary mappings of the range; true if any was young. */
    default boolean clearYoung(HostAddressSpace mm, long start, long end) {
        return false;
    }

    /** Tests (without clearing) whether a secondary mapping of the page was accessed. */
    default boolean testYoung(HostAddressSpace mm, long hva) {
        return false;
    }

    /** The address space is being torn down: drop everything. */
    default void release(HostAddressSpace mm) {}
}
