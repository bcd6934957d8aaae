package jvisor.hw.power;

/** What a table read during translation was for; reported to a {@link RadixWalkListener}. */
public enum WalkStage {
    /** A doubleword of the partition table entry (host real memory). */
    PARTITION_TABLE,
    /** Doubleword 0 of the process table entry. */
    PROCESS_TABLE,
    /** A PDE or PTE of the process-scoped (guest) tree. */
    PROCESS_SCOPED,
    /** A PDE or PTE of the partition-scoped tree (host real memory). */
    PARTITION_SCOPED
}
