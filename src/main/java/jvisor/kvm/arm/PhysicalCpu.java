package jvisor.kvm.arm;

import jvisor.hw.arm.Abort;
import jvisor.hw.arm.Mmu;
import jvisor.hw.arm.Tlb;
import jvisor.memory.PhysicalMemory;

/**
 * A host CPU that vCPUs run on: its MMU, its TLB and its abort registers. Like a real CPU it runs
 * one thing at a time: a vCPU holds {@link #running} while it is on the CPU (the world switch, the
 * access, the abort handling), so two threads that run vCPUs bound to the same CPU take turns
 * instead of mixing one VM's loaded context with another's access.
 */
public final class PhysicalCpu {
    final java.util.concurrent.locks.ReentrantLock running = new java.util.concurrent.locks.ReentrantLock();
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
