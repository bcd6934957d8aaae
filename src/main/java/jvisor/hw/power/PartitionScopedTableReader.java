package jvisor.hw.power;

import jvisor.memory.RealMemory;

/**
 * The reader of the 2-D walk: every process-scoped table address (the PRTE and each PDE/PTE) is a
 * guest real address, so it is first translated by a partition-scoped walk, as a load, and the
 * entry is then read from host real memory. A failure of that inner walk is reported as
 * {@link #PARTITION_FAULT} with the guest real address of the table entry; the caller turns it into
 * an HDSI with DSISR MSB 46.
 */
public final class PartitionScopedTableReader implements TableReader {
    private final RealMemory memory;
    private final HostTableReader hostReader;
    private final RadixWalk partitionWalk = new RadixWalk(WalkStage.PARTITION_SCOPED);
    private long partitionRoot;

    public PartitionScopedTableReader(RealMemory memory) {
        this.memory = memory;
        this.hostReader = new HostTableReader(memory);
    }

    /** Sets the partition-scoped tree (PATE dword 0) to translate through. */
    public PartitionScopedTableReader root(long pateDword0) {
        this.partitionRoot = pateDword0;
        return this;
    }

    @Override
    public long readEntry(RadixWalk walk, int level, long tableAddress) {
        RadixWalk pw = partitionWalk;
        pw.listener = walk.listener;
        int status = RadixTreeWalker.walk(pw, partitionRoot, tableAddress, hostReader, RadixWalkVisitor.TRANSLATE);
        long cause;
        if (status == RadixTreeWalker.DONE) {
            long pte = pw.entry;
            cause = RadixPermissions.partitionScoped(pte, Mmu.LOAD);
            if (cause == 0 && !RadixPermissions.referenceChangeOk(pte, Mmu.LOAD)) {
                cause = Dsisr.RC_UPDATE;
            }
        } else if (status == RadixTreeWalker.READ_FAILED) {
            walk.readFailure = MACHINE_CHECK;
            walk.failedAddress = pw.failedAddress;
            return 0;
        } else {
            cause = RadixPermissions.causeOfWalkStatus(status);
        }
        if (cause != 0) {
            walk.readFailure = PARTITION_FAULT;
            walk.readCause = cause;
            walk.failedAddress = tableAddress;
            return 0;
        }
        long host = pw.result;
        if (!memory.contains(host, 8)) {
            walk.readFailure = MACHINE_CHECK;
            walk.failedAddress = host;
            return 0;
        }
        return HostTableReader.read(memory, walk, level, tableAddress, host);
    }
}
