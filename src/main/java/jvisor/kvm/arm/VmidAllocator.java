package jvisor.kvm.arm;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * VMIDs for stage-2 TLB tagging, handed out lazily on guest entry, shaped like arm64's ASID and
 * VMID allocators. A VM's VMID value carries the generation above the VMID bits. When the VMID
 * space (8 or 16 bits, VMID 0 never used) runs out, the generation moves on, the bitmap is
 * cleared except for the VMIDs the CPUs are running with (kept as reserved, so a running vCPU
 * keeps its VMID without being kicked), and every TLB is invalidated once with a broadcast
 * TLBI ALLE1IS. A VM of an older generation takes the slow path on its next entry and gets a
 * fresh VMID; since all TLBs were cleaned at the rollover, no entry tagged in an older
 * generation can hit for the VM that now owns the number.
 */
public final class VmidAllocator {

    /** A VM's VMID with its generation (0: never assigned). */
    public static final class VmVmid {
        final AtomicLong id = new AtomicLong();

        public long value() {
            return id.get();
        }
    }

    private final int bits;
    private final long idMask;
    private final AtomicLong generation;
    private final AtomicLongArray active;
    private final long[] reserved;
    private final BitSet map;
    private final Runnable flushAllTlbs;
    private int nextIndex = 1;
    private long rollovers;

    public VmidAllocator(int bits, int cpus, Runnable flushAllTlbs) {
        if (bits != 8 && bits != 16) throw new IllegalArgumentException("VMIDs are 8 or 16 bits");
        this.bits = bits;
        this.idMask = (1L << bits) - 1;
        this.generation = new AtomicLong(1L << bits);
        this.active = new AtomicLongArray(cpus);
        this.reserved = new long[cpus];
        this.map = new BitSet(1 << bits);
        this.flushAllTlbs = flushAllTlbs;
    }

    public int bits() {
        return bits;
    }

    /** The VMID number (without generation) of a value. */
    public int vmid(long value) {
        return (int) (value & idMask);
    }

    public long generation() {
        return generation.get() >>> bits;
    }

    public synchronized long rollovers() {
        return rollovers;
    }

    private boolean currentGeneration(long value) {
        return ((value ^ generation.get()) >>> bits) == 0;
    }

    /**
     * Called on every guest entry on {@code cpu}: makes sure the VM's VMID belongs to the current
     * generation and records it as the CPU's active VMID.
     *
     * @return the VMID to load into VTTBR
     */
    public int update(VmVmid vm, int cpu) {
        long value = vm.id.get();
        long old = active.get(cpu);
        // Fast path: a current VMID, and no rollover has cleared this CPU's active slot meanwhile.
        if (old != 0 && currentGeneration(value) && active.compareAndSet(cpu, old, value)) {
            return vmid(value);
        }
        synchronized (this) {
            value = vm.id.get();
            if (!currentGeneration(value)) {
                value = newVmid(value);
                vm.id.set(value);
            }
            active.set(cpu, value);
            return vmid(value);
        }
    }

    private long newVmid(long value) {
        long gen = generation.get();
        if (value != 0) {
            long renewed = gen | (value & idMask);
            // A VMID some CPU kept running through the rollover stays with its VM.
            if (updateReserved(value, renewed)) return renewed;
            int idx = (int) (value & idMask);
            if (!map.get(idx)) {
                map.set(idx);
                return renewed;
            }
        }
        int idx = map.nextClearBit(nextIndex);
        if (idx > idMask) {
            gen = generation.addAndGet(1L << bits);
            flushContext();
            idx = map.nextClearBit(1);
        }
        map.set(idx);
        nextIndex = idx;
        return gen | idx;
    }

    private boolean updateReserved(long value, long renewed) {
        boolean hit = false;
        for (int cpu = 0; cpu < reserved.length; cpu++) {
            if (reserved[cpu] == value) {
                hit = true;
                reserved[cpu] = renewed;
            }
        }
        return hit;
    }

    private void flushContext() {
        map.clear();
        for (int cpu = 0; cpu < reserved.length; cpu++) {
            long value = active.getAndSet(cpu, 0);
            // A CPU that already went through a rollover without entering a guest keeps its reserved VMID.
            if (value == 0) value = reserved[cpu];
            if (value != 0) map.set((int) (value & idMask));
            reserved[cpu] = value;
        }
        rollovers++;
        flushAllTlbs.run();
    }
}
