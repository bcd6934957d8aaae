package jvisor.kvm.power;

import java.util.concurrent.atomic.LongAdder;

/** Counters of a VM's partition-scoped MMU: what faults did and what they cost. */
public final class FaultStatistics {
    public final LongAdder mapped4k = new LongAdder();
    public final LongAdder mapped2m = new LongAdder();
    public final LongAdder mapped1g = new LongAdder();
    public final LongAdder setRc = new LongAdder();
    public final LongAdder mmio = new LongAdder();
    public final LongAdder reflected = new LongAdder();
    public final LongAdder retriesInvalidation = new LongAdder();
    public final LongAdder retriesRace = new LongAdder();
    public final LongAdder largePageFallbacks = new LongAdder();
    public final LongAdder errors = new LongAdder();
    public final LongAdder tablesAllocated = new LongAdder();
    public final LongAdder tablesFreed = new LongAdder();
    public final LongAdder tlbies = new LongAdder();
    public final LongAdder unmapped = new LongAdder();

    public long faults() {
        return mapped4k.sum() + mapped2m.sum() + mapped1g.sum() + setRc.sum() + mmio.sum() + reflected.sum()
                + retriesInvalidation.sum() + retriesRace.sum() + errors.sum();
    }

    @Override
    public String toString() {
        return String.format("mapped 4K %d, 2M %d, 1G %d; set-RC %d; MMIO %d; reflected %d; retries %d+%d; "
                        + "large-page fallbacks %d; errors %d; tables %d allocated %d freed; tlbies %d",
                mapped4k.sum(), mapped2m.sum(), mapped1g.sum(), setRc.sum(), mmio.sum(), reflected.sum(),
                retriesInvalidation.sum(), retriesRace.sum(), largePageFallbacks.sum(), errors.sum(),
                tablesAllocated.sum(), tablesFreed.sum(), tlbies.sum());
    }
}
