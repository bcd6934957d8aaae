package jvisor.hw.power;

/**
 * Told about every table read a translation makes, in order: the trace hook behind
 * {@code jvisor walk}. Not used on the hardware fast path (the field is null there).
 */
@FunctionalInterface
public interface RadixWalkListener {
    /**
     * @param stage             which table the entry belongs to
     * @param level             tree level, 0 = root; for {@link WalkStage#PARTITION_TABLE} the
     *                          doubleword index (0 or 1); 0 for {@link WalkStage#PROCESS_TABLE}
     * @param guestRealAddress  the entry's address as its tree sees it (equal to the host real
     *                          address when no partition-scoped stage applies)
     * @param hostRealAddress   where the entry was actually read
     * @param entry             the big-endian doubleword read
     */
    void tableRead(WalkStage stage, int level, long guestRealAddress, long hostRealAddress, long entry);
}
