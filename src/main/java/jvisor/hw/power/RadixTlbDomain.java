package jvisor.hw.power;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The set of TLBs a tlbie reaches: the machine owns one and every core's {@link RadixMmu} joins it.
 * tlbie goes to every member, tlbiel only to the issuing core. The hypervisor uses the same door
 * for its own partition-scoped invalidations (after changing a partition-scoped PTE or a PATE).
 * An invalidation has taken effect on every member when the call returns, which is what the
 * ptesync; tlbie; eieio; tlbsync; ptesync sequence guarantees.
 */
public final class RadixTlbDomain {
    private final CopyOnWriteArrayList<RadixMmu> members = new CopyOnWriteArrayList<>();

    public void join(RadixMmu mmu) {
        members.addIfAbsent(mmu);
    }

    public void leave(RadixMmu mmu) {
        members.remove(mmu);
    }

    public int size() {
        return members.size();
    }

    /** Applies {@code t} to every member's TLB and cached table entries. */
    public void broadcast(Tlbie t) {
        for (RadixMmu m : members) {
            m.invalidateLocal(t);
        }
        for (java.util.function.Consumer<Tlbie> l : listeners) {
            l.accept(t);
        }
    }

    private final CopyOnWriteArrayList<java.util.function.Consumer<Tlbie>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Makes every core that listens pass an instruction boundary before this returns (each is
     * told of a null invalidation, which drops only what {@link ProcessTableWatch} logged): a
     * store it had begun has then landed. See {@link ProcessTableWatch}.
     */
    public void synchronize() {
        for (java.util.function.Consumer<Tlbie> l : listeners) {
            l.accept(null);
        }
    }

    /**
     * Also tells {@code listener} of every invalidation, after the TLBs dropped it: for caches that
     * sit in front of a TLB (a core's own translation fast path), which must be gone when the
     * broadcast returns; and of a null one at {@link #synchronize}.
     */
    public void addListener(java.util.function.Consumer<Tlbie> listener) {
        listeners.addIfAbsent(listener);
    }

    public void removeListener(java.util.function.Consumer<Tlbie> listener) {
        listeners.remove(listener);
    }

    /** Partition-scoped tlbie of one page of guest real address space. */
    public void invalidatePartitionScopedPage(long lpid, long guestReal, int pageShift) {
        broadcast(Tlbie.partitionPage(lpid, guestReal, pageShift));
    }

    /** Everything cached for a partition (after changing its PATE or tearing it down). */
    public void invalidatePartition(long lpid) {
        broadcast(Tlbie.partition(lpid));
    }
}
