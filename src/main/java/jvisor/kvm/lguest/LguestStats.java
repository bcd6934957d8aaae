package jvisor.kvm.lguest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** What one guest made the hypervisor do, counted. */
public final class LguestStats {
    private final LongAdder[] hypercalls = new LongAdder[Hypercalls.MAX];
    /** Hypercalls taken from the asynchronous ring rather than trapped one by one. */
    public final LongAdder asyncHypercalls = new LongAdder();
    /** Traps into the host for a hypercall. */
    public final LongAdder hypercallExits = new LongAdder();
    /** Traps into the host for a page fault. */
    public final LongAdder pageFaultExits = new LongAdder();
    /** Page faults fixed by filling a shadow entry; the guest never sees them. */
    public final LongAdder hiddenFaults = new LongAdder();
    /** Of the hidden faults: a write through a read-only shadow of a writable guest page (dirty-bit emulation). */
    public final LongAdder dirtyFaults = new LongAdder();
    /** Page faults passed on to the guest's own handler. */
    public final LongAdder deliveredFaults = new LongAdder();
    /** Accesses to the device window beyond guest memory, sent to the launcher. */
    public final LongAdder mmioExits = new LongAdder();
    public final LongAdder ptePagesAllocated = new LongAdder();
    public final LongAdder ptePagesFreed = new LongAdder();
    public final LongAdder directoriesAllocated = new LongAdder();
    public final LongAdder directoriesFreed = new LongAdder();
    public final LongAdder shadowPtesInstalled = new LongAdder();
    public final LongAdder shadowPtesReleased = new LongAdder();
    /** Shadow entries filled at once by SET_PTE because the guest entry was already accessed/dirty. */
    public final LongAdder prefilledPtes = new LongAdder();
    /** Shadow directories a kernel-address SET_PTE was applied to. */
    public final LongAdder kernelPteUpdates = new LongAdder();
    public final LongAdder directoryHits = new LongAdder();
    public final LongAdder directoryMisses = new LongAdder();
    /** Misses that took over a directory shadowing another guest top level (its user part flushed). */
    public final LongAdder directoryEvictions = new LongAdder();
    public final LongAdder userFlushes = new LongAdder();
    public final LongAdder fullFlushes = new LongAdder();
    public final LongAdder stackPagesPinned = new LongAdder();
    public final LongAdder switcherPgdIgnored = new LongAdder();
    /** Re-entries into the guest, each a CR3 load by the Switcher. */
    public final LongAdder guestEntries = new LongAdder();
    private final List<String> kills = new ArrayList<>();

    public LguestStats() {
        for (int i = 0; i < hypercalls.length; i++) hypercalls[i] = new LongAdder();
    }

    void hypercall(int nr) {
        hypercalls[nr >= 0 && nr < Hypercalls.MAX ? nr : 0].increment();
    }

    /** Hypercalls of number {@code nr} made (trapped or from the ring); index 0 counts out-of-range numbers. */
    public long hypercalls(int nr) {
        return hypercalls[nr].sum();
    }

    synchronized void killed(String why) {
        kills.add(why);
    }

    public synchronized List<String> kills() {
        return List.copyOf(kills);
    }
}
