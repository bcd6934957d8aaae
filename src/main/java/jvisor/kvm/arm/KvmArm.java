package jvisor.kvm.arm;

import jvisor.hw.arm.TlbDomain;
import jvisor.kvm.VmType;
import jvisor.memory.PhysicalMemory;

/**
 * KVM/ARM's host-wide state (what kvm_arch_init sets up): the physical CPUs with their TLBs in
 * one inner-shareable domain, the VMID allocator, and the hypervisor's EL2 half. {@link #vmType()}
 * is the machine type to pass to {@link jvisor.kvm.Kvm#createVm}.
 */
public final class KvmArm {
    public static final int TLB_ENTRIES = 2048;

    private final PhysicalMemory pm;
    private final PhysicalCpu[] cpus;
    private final TlbDomain tlbs = new TlbDomain();
    private final Hyp hyp;
    private final VmidAllocator vmids;
    private final VmType<Stage2Mmu> vmType;

    /**
     * @param vmidBits 8 or 16 (VTCR_EL2.VS)
     */
    public KvmArm(PhysicalMemory pm, int cpus, int vmidBits) {
        this.pm = pm;
        this.cpus = new PhysicalCpu[cpus];
        for (int i = 0; i < cpus; i++) {
            this.cpus[i] = new PhysicalCpu(i, pm, TLB_ENTRIES);
            tlbs.add(this.cpus[i].tlb());
        }
        this.hyp = new Hyp(pm, tlbs);
        this.vmids = new VmidAllocator(vmidBits, cpus, hyp::flushVmContext);
        this.vmType = new VmType<>("arm", vm -> new Stage2Mmu(this, vm));
    }

    public VmType<Stage2Mmu> vmType() {
        return vmType;
    }

    public PhysicalCpu cpu(int i) {
        return cpus[i];
    }

    public int cpuCount() {
        return cpus.length;
    }

    public TlbDomain tlbs() {
        return tlbs;
    }

    public Hyp hyp() {
        return hyp;
    }

    public VmidAllocator vmids() {
        return vmids;
    }

    public PhysicalMemory physicalMemory() {
        return pm;
    }
}
