package jvisor.kvm.arm;

import jvisor.hw.arm.AccessInfo;
import jvisor.hw.arm.Mmu;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.Kvm;
import jvisor.kvm.RunExit;
import jvisor.kvm.Vm;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.PhysicalMemory;
import jvisor.memory.UserMemoryRegion;

/** A host with ARM KVM and helpers to make VMs with RAM at IPA 0 and run single accesses on them. */
final class ArmVmFixture {
    static final long MIB = 1L << 20, GIB = 1L << 30;
    static final int LDR_X1 = AccessInfo.single(3, 1, false, true);
    static final int STR_X2 = AccessInfo.single(3, 2, false, true);

    final PhysicalMemory pm;
    final HostAddressSpace mm;
    final Kvm kvm;
    final KvmArm arm;

    ArmVmFixture(int cpus, int vmidBits) {
        this(4 * GIB, cpus, vmidBits);
    }

    ArmVmFixture(long hostBytes, int cpus, int vmidBits) {
        pm = new PhysicalMemory(hostBytes);
        mm = new HostAddressSpace(pm);
        kvm = new Kvm(pm, mm);
        arm = new KvmArm(pm, cpus, vmidBits);
    }

    Vm<Stage2Mmu> vm() {
        return kvm.createVm(arm.vmType());
    }

    /** A VM with {@code bytes} of RAM at IPA {@code gpa}, backed by an mmap with {@code flags}; returns the hva. */
    long addRam(Vm<Stage2Mmu> vm, int slot, long gpa, long bytes, int mmapFlags, int slotFlags) {
        long hva = mm.mmap(bytes, mmapFlags);
        vm.setUserMemoryRegion(new UserMemoryRegion(slot, slotFlags, gpa, bytes, hva));
        return hva;
    }

    /** Runs a store with the MMU off (IPA = VA) and asserts it completed. */
    static AccessOutcome store(ArmVcpu v, long ipa, long value) {
        return v.access(ipa, Mmu.STORE, false, STR_X2, value);
    }

    static AccessOutcome load(ArmVcpu v, long ipa) {
        return v.access(ipa, Mmu.LOAD, false, LDR_X1, 0);
    }

    /** The MMIO exit the last run ended with (fails the test if it ended otherwise). */
    static RunExit.Mmio mmioExit(ArmVcpu v) {
        if (v.lastExit() instanceof RunExit.Mmio m) return m;
        throw new AssertionError("expected an MMIO exit, got " + v.lastExit());
    }

    /** The VMM's answer to the pending MMIO exit, little-endian, and the run that completes it. */
    static void completeMmio(ArmVcpu v, long data) {
        RunExit.Mmio m = mmioExit(v);
        if (!m.isWrite()) m.setValueLittleEndian(data);
        if (v.run() != RunExit.Interrupted.INSTANCE) throw new AssertionError("completing an MMIO exit exits again");
    }
}
