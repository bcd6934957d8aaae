package jvisor.kvm.power;

import jvisor.hw.power.Mmu;
import jvisor.hw.power.MmuRegisters;
import jvisor.hw.power.RadixMmu;
import jvisor.hw.power.TranslationFault;
import jvisor.kvm.Kvm;
import jvisor.kvm.Vm;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.PhysicalMemory;
import jvisor.memory.UserMemoryRegion;

/**
 * A host with one radix VM and one core to run its accesses on: enough to follow a guest access
 * through the hardware walk, the HDSI, the hypervisor's fault handler and back.
 */
final class RadixVmFixture {
    static final long MIB = 1L << 20, GIB = 1L << 30;
    /** MSR of a 64-bit pseries guest with translation off: SF=1, HV=0, IR=DR=0. */
    static final long MSR_REAL = 1L << 63;

    final PhysicalMemory phys;
    final HostAddressSpace mm;
    final Kvm kvm;
    final Vm<PartitionScopedMmu> vm;
    final PartitionScopedMmu mmu;
    final long baselineFrames;

    RadixVmFixture(long hostBytes) {
        phys = new PhysicalMemory(hostBytes);
        mm = new HostAddressSpace(phys);
        kvm = new Kvm(phys, mm);
        PowerHost.of(kvm);
        baselineFrames = phys.framesInUse();
        vm = kvm.createVm(PartitionScopedMmu.HV_RADIX);
        mmu = vm.arch();
    }

    RadixVmFixture() {
        this(8 * GIB);
    }

    /** Maps host memory and gives it to the guest as a slot; returns the host address. */
    long addSlot(int slot, long gpa, long size, int mmapFlags, int slotFlags) {
        long hva = mm.mmap(size, mmapFlags);
        vm.setUserMemoryRegion(new UserMemoryRegion(slot, slotFlags, gpa, size, hva));
        return hva;
    }

    /** A core of this machine, running in the VM's partition. */
    Core core() {
        return new Core();
    }

    final class Core {
        final MmuRegisters regs = new MmuRegisters();
        final RadixMmu hw;
        long faults;

        Core() {
            regs.lpidr = mmu.lpid();
            regs.ptcr = mmu.host().ptcr();
            hw = new RadixMmu(regs, phys, mmu.host().tlbDomain());
        }

        /**
         * Performs a guest real-mode access the way the vCPU loop will: translate; on an HDSI let
         * the hypervisor handle it and try again. Returns the host real address, or the result of
         * the fault handler when it did not resume the guest.
         */
        Object access(long gpa, int kind) {
            for (int tries = 0; tries < 100_000; tries++) {
                long ra = hw.translate(gpa, kind, MSR_REAL);
                if (ra >= 0) return ra;
                if (!(hw.fault() instanceof TranslationFault.PartitionScoped fault)) return hw.fault().toString();
                faults++;
                PageFaultResult r = mmu.handlePageFault(fault);
                if (!(r instanceof PageFaultResult.Resume)) return r;
            }
            throw new AssertionError("access to 0x" + Long.toHexString(gpa) + " kept faulting");
        }

        long store(long gpa) {
            return (Long) access(gpa, Mmu.STORE);
        }

        long load(long gpa) {
            return (Long) access(gpa, Mmu.LOAD);
        }
    }
}
