package jvisor.hw.power.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The machine's view of every core's load-and-reserve reservation. A reservation covers one
 * 128-byte reservation granule of real memory; a store by any other core, or a write by the
 * hypervisor or a device, to that granule makes the reservation lost so the owner's
 * store-conditional fails.
 *
 * <p>Each core owns one slot. Only the owner sets its slot; anyone may clear it. The count of held
 * reservations (one opaque read, no lock) tells a store whether any core holds one: the common
 * case, where none does, looks at no slot; on a machine of one core a store looks at none
 * either, even while its own reservation is held.
 */
public final class ReservationMonitor {
    /** log2 of the reservation granule (128 bytes on POWER9). */
    public static final int GRANULE_SHIFT = 7;
    private static final long NONE = -1;

    private final AtomicLongArray granules;
    private final AtomicInteger nextSlot = new AtomicInteger();
    /**
     * Reservations held, a field of the monitor itself (through {@link #HELD}) so that a store's
     * look ({@link #storeMayBreakAReservation}) is one load from the monitor.
     */
    @SuppressWarnings("unused") // through HELD
    private volatile int held;
    private static final VarHandle HELD;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(ReservationMonitor.class, "held", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public ReservationMonitor(int maxCores) {
        granules = new AtomicLongArray(maxCores);
        for (int i = 0; i < maxCores; i++) {
            granules.set(i, NONE);
        }
    }

    /** Hands out a slot to a new core. */
    public int register() {
        int slot = nextSlot.getAndIncrement();
        if (slot >= granules.length()) {
            throw new IllegalStateException("more cores than the reservation monitor was sized for");
        }
        return slot;
    }

    void reserve(int slot, long realAddress) {
        if (granules.getAndSet(slot, realAddress >>> GRANULE_SHIFT) == NONE) {
            HELD.getAndAdd(this, 1);
        }
    }

    void release(int slot) {
        clear(slot, granules.get(slot));
    }

    /** True while the slot still holds a reservation on the granule of {@code realAddress}. */
    boolean holds(int slot, long realAddress) {
        return granules.get(slot) == realAddress >>> GRANULE_SHIFT;
    }

    /**
     * Whether more than one core has a slot. A machine's vCPUs take theirs when they are created,
     * before any runs, so on a machine of one core a store has no other core's reservation to
     * clear and need not look: one read. A core registered later takes its first reservation
     * after any read that could not see it yet.
     */
    boolean shared() {
        return nextSlot.getPlain() > 1;
    }

    /**
     * A core stored to real memory: reservations of the other cores on the touched granules are
     * lost. When the only reservation held is the storing core's own, there is nothing to clear:
     * the case of a single core whose last larx was followed by no stcx (Linux leaves one behind
     * a failed trylock), where every store used to look through the slots.
     */
    void storeSeen(int slot, long realAddress, int length) {
        if (storeMayBreakAReservation()) {
            reservationsLost(slot, realAddress, length);
        }
    }

    /**
     * Whether a store may cost another core its reservation: some core holds one, and the machine
     * has more than one ({@link #shared}). The count is asked first, one load from the monitor,
     * zero nearly always: a store translated code made asks this before it even works out its
     * real address ({@link #reservationsLost}). The count's read is opaque: a store that overlaps
     * another core's larx may miss its reservation either way (the store can still sit in the
     * host's store buffer when the count is read), and the stcx's compare-and-set on the value it
     * reserved then still fails unless the store wrote that same value. Volatile reads bought no
     * more than that, and each was a barrier HotSpot moves no access of the translated code
     * across: smp-sieve (no larx, 118 M stores) spent ~20% of its vCPUs' samples here, and ran
     * 0.930 +- 0.022 of the time with them opaque (10 alternating runs); with the count read with
     * acquire semantics, which a count less the storing core's own slot needs (a slot cleared
     * between the two reads would make it one too low), 0.993 +- 0.034. So the slots are looked at
     * whenever any is held, the storing core's own too (it is skipped in the loop), and each is
     * judged by its own value: no order between the reads matters.
     */
    boolean storeMayBreakAReservation() {
        return (int) HELD.getOpaque(this) > 0 && shared();
    }

    /** The hypervisor or a device wrote real memory: every reservation on the range is lost. */
    public void invalidate(long realAddress, long length) {
        if ((int) HELD.getVolatile(this) != 0) {
            reservationsLost(-1, realAddress, length);
        }
    }

    /**
     * A store to {@code [realAddress, realAddress + length)} by the core of slot {@code except}
     * (-1: by no core), one that {@link #storeMayBreakAReservation} said may matter: the
     * reservations of the other cores on its granules are lost.
     */
    void reservationsLost(int except, long realAddress, long length) {
        long first = realAddress >>> GRANULE_SHIFT;
        long last = (realAddress + Math.max(length, 1L) - 1) >>> GRANULE_SHIFT;
        // Only the slots handed out can hold one: a machine of one or two cores looks at one or
        // two, not at every slot the monitor was sized for (a store pays this while any
        // reservation is held, and Linux often leaves one behind a failed trylock).
        for (int i = 0, n = Math.min(nextSlot.getPlain(), granules.length()); i < n; i++) {
            long g = granules.getOpaque(i);
            if (i != except && g != NONE && g >= first && g <= last) {
                clear(i, g);
            }
        }
    }

    private void clear(int slot, long granule) {
        if (granule != NONE && granules.compareAndSet(slot, granule, NONE)) {
            HELD.getAndAdd(this, -1);
        }
    }
}
