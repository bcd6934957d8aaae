package jvisor.fuzz;

import jvisor.kvm.Kvm;
import jvisor.kvm.power.PowerHost;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.PhysicalMemory;

/**
 * The host a POWER campaign runs its VMs on: 2 GiB of host memory watched by the campaign's
 * guard, its address space, KVM with the POWER host state, and the frames in use before any VM,
 * so that what a campaign leaves behind can be counted when it closes the host.
 */
final class PowerFuzzHost {
    final PhysicalMemory memory = new PhysicalMemory(2L << 30);
    final HostAddressSpace addressSpace = new HostAddressSpace(memory);
    final Kvm kvm = new Kvm(memory, addressSpace);
    private final long baselineFrames;
    private final Tally tally;

    PowerFuzzHost(Tally tally) {
        this.tally = tally;
        tally.watch(memory);
        PowerHost.of(kvm);
        baselineFrames = memory.framesInUse();
    }

    /** Tears the address space down and reports the frames still held beyond the baseline. */
    void close() {
        addressSpace.destroy();
        tally.leakedFrames(memory.framesInUse() - baselineFrames);
    }
}
