package jvisor.kvm.arm;

import java.util.concurrent.atomic.LongAdder;
import jvisor.hw.arm.Esr;

/** What one VM's stage-2 MMU did, counted without locks (vCPU threads update it concurrently). */
public final class Stage2Stats {
    private final LongAdder[][] faults = new LongAdder[Esr.FaultKind.values().length][4];
    public final LongAdder s1ptwFaults = new LongAdder(), instructionAborts = new LongAdder(),
            retries = new LongAdder(), deletedSlotRetries = new LongAdder(), mmioExits = new LongAdder(),
            nisvExits = new LongAdder(), injectedAborts = new LongAdder(), hostFaults = new LongAdder(),
            mapped4k = new LongAdder(), mapped2m = new LongAdder(), mapped1g = new LongAdder(),
            relaxed = new LongAdder(), madeYoung = new LongAdder(), pagesDirtied = new LongAdder(),
            writeProtected = new LongAdder(), notifierUnmaps = new LongAdder(), agingCalls = new LongAdder(),
            changePtes = new LongAdder(), memslotFlushes = new LongAdder(), dirtyHarvested = new LongAdder();

    public Stage2Stats() {
        for (LongAdder[] row : faults) for (int i = 0; i < row.length; i++) row[i] = new LongAdder();
    }

    void fault(Esr.FaultKind kind, int level) {
        faults[kind.ordinal()][level & 3].increment();
    }

    public long faults(Esr.FaultKind kind, int level) {
        return faults[kind.ordinal()][level].sum();
    }

    public long faults(Esr.FaultKind kind) {
        long n = 0;
        for (LongAdder a : faults[kind.ordinal()]) n += a.sum();
        return n;
    }
}
