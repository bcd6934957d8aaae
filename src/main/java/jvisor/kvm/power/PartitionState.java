package jvisor.kvm.power;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import jvisor.hw.power.Lpcr;
import jvisor.hw.power.PartitionTableEntry;
import jvisor.kvm.KvmException;

/**
 * What a migration carries of the partition as a whole ({@link PowerVmState} and the
 * registration in {@link PartitionScopedMmu}): the timebase the guest had when it stopped, the
 * partition's LPCR bits the guest chose (AIL, interrupt endianness, GTSE through H_SET_MODE and
 * H_REGISTER_PROCESS_TABLE), and its process-table registration (which the destination writes
 * into its own partition-table entry: the partition table itself, its LPID and the
 * partition-scoped tree are the destination host's).
 */
public final class PartitionState {
    public static final int VERSION = 1;

    private PartitionState() {}

    /** Saves with every vCPU held and the timebase held ({@link GuestTimebase#hold()}). */
    public static void save(PowerVmState vm, DataOutput out) throws IOException {
        out.writeInt(VERSION);
        out.writeLong(vm.time.timebase());
        out.writeLong(vm.lpcr);
        PartitionScopedMmu partitionMmu = vm.vm.arch();
        out.writeLong(partitionMmu.processTable());
        out.writeBoolean(partitionMmu.guestTranslationShootdownEnabled());
    }

    /**
     * Restores before any vCPU state: the timebase is left held at the saved value (the caller
     * releases it when the vCPUs start).
     */
    public static void restore(PowerVmState vm, DataInput in) throws IOException {
        int version = in.readInt();
        if (version != VERSION) throw new IOException("partition state version " + version + ", expected " + VERSION);
        long tb = in.readLong(), lpcr = in.readLong(), table = in.readLong();
        boolean gtse = in.readBoolean();
        vm.time.holdAt(tb);
        long guestBits = Lpcr.AIL | Lpcr.ILE | Lpcr.GTSE;
        vm.updateLpcr(guestBits, lpcr & guestBits);
        if (table != 0) {
            if ((table & ~(PartitionTableEntry.PRTB_MASK | PartitionTableEntry.PRTS_MASK)) != 0) {
                throw new IOException(String.format("bad process table 0x%x", table));
            }
            try {
                vm.vm.arch().configureV3Mmu(PartitionScopedMmu.MMUV3_RADIX | (gtse ? PartitionScopedMmu.MMUV3_GTSE : 0), table);
            } catch (KvmException e) {
                throw new IOException(e.getMessage());
            }
        }
    }
}
