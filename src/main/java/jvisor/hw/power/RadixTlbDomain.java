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
        for (Listener l : listeners) {
            l.invalidated(t);
        }
    }

    /**
     * What sits in front of a TLB (a core's own translation fast path) and must hear of what the
     * domain does before the call returns.
     */
    public interface Listener {
        /** An invalidation, after the TLBs dropped it: what it names must be gone on return. */
        void invalidated(Tlbie t);

        /**
         * The core must pass an instruction boundary before this returns (a store it had begun
         * has then landed), dropping what {@link ProcessTableWatch} logged on the way.
         */
        void synchronize();
    }

    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Makes every listening core pass an instruction boundary (see {@link ProcessTableWatch}). */
    public void synchronize() {
        for (Listener l : listeners) {
            l.synchronize();
        }
    }

    public void addListener(Listener listener) {
        listeners.addIfAbsent(listener);
    }

    public void removeListener(Listener listener) {
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
