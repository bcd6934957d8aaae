package jvisor.hw.power;

/**
 * How the walker fetches a table entry. A plain reader loads from host real memory; the nested
 * reader first translates the address through the partition-scoped tree, which is what makes one
 * walker serve the process-scoped, partition-scoped and 2-D walks. The hypervisor's software walk
 * plugs in a reader over guest memory.
 */
@FunctionalInterface
public interface TableReader {
    /** The reader could not produce the entry because the real address is not memory. */
    int MACHINE_CHECK = 1;
    /** The partition-scoped translation of a process-scoped table address failed. */
    int PARTITION_FAULT = 2;

    /**
     * Reads the big-endian doubleword at {@code tableAddress}. On failure sets
     * {@link RadixWalk#readFailure} (and the related fields) and returns 0; never throws.
     *
     * @param level the tree level being read (0 = root), for tracing
     */
    long readEntry(RadixWalk walk, int level, long tableAddress);
}
