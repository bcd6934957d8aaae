package jvisor.hw.power;

import jvisor.memory.RealMemory;

/**
 * Reads table entries straight from host real memory: the partition-scoped tree, and the
 * process-scoped tree when no partition-scoped stage applies (MSR[HV]=1, effective LPID 0).
 * An address outside memory is a machine check, reported, never read.
 */
public final class HostTableReader implements TableReader {
    private final RealMemory memory;

    public HostTableReader(RealMemory memory) {
        this.memory = memory;
    }

    @Override
    public long readEntry(RadixWalk walk, int level, long tableAddress) {
        if ((tableAddress & 7) != 0 || !memory.contains(tableAddress, 8)) {
            walk.readFailure = MACHINE_CHECK;
            walk.failedAddress = tableAddress;
            return 0;
        }
        return read(memory, walk, level, tableAddress, tableAddress);
    }

    /**
     * The last step of every table read: the entry at host real {@code hostAddress} (already
     * checked to be memory), recorded in the walk and reported to its listener. {@code
     * tableAddress} is the address as the tree sees it (a guest real address in a nested walk).
     */
    static long read(RealMemory memory, RadixWalk walk, int level, long tableAddress, long hostAddress) {
        long e = memory.readLongBE(hostAddress);
        walk.entryHostAddress = hostAddress;
        RadixWalkListener l = walk.listener;
        if (l != null) {
            l.tableRead(walk.stage, level, tableAddress, hostAddress, e);
        }
        return e;
    }
}
