package jvisor.kvm.arm;

import jvisor.hw.arm.Abort;
import jvisor.hw.arm.Mmu;
import jvisor.hw.arm.Tlb;
import jvisor.memory.PhysicalMemory;

/** A host CPU that vCPUs run on: its MMU, its TLB and its abort registers. */
public final class PhysicalCpu {
    private final int index;
    private final Tlb tlb;
    private final Mmu mmu;
    final Abort abort = new Abort();
    /** The vCPU whose EL1 and EL2 context is loaded, and the VTTBR it was loaded with. */
    ArmVcpu loaded;
    long loadedVttbr;

    PhysicalCpu(int index, PhysicalMemory pm, int tlbEntries) {
        this.index = index;
        this.tlb = new Tlb(tlbEntries);
        this.mmu = new Mmu(pm, tlb);
    }

    public int index() {
        return index;
    }

    public Tlb tlb() {
        return tlb;
    }

    public Mmu mmu() {
        return mmu;
    }
}
