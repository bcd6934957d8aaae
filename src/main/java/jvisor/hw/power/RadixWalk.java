package jvisor.hw.power;

/**
 * The state of one walk through one radix tree: inputs, where it got to and, when it reached a
 * leaf, the translation. Reused across walks so that translating never allocates; a core owns one
 * per stage (process-scoped and partition-scoped), since a nested walk runs a partition-scoped
 * walk inside each step of a process-scoped one.
 */
public final class RadixWalk {
    /** Reported to the listener with each read. */
    public WalkStage stage = WalkStage.PROCESS_SCOPED;
    /** Trace hook; null when nobody is listening. */
    public RadixWalkListener listener;

    /** The address being translated. */
    public long address;
    /** Level of the last entry read (0 = root), -1 before the first read. */
    public int level;
    /** The last entry read. */
    public long entry;
    /** Its address as the tree sees it. */
    public long entryAddress;
    /** Where it was read in host real memory (set by the readers of this package). */
    public long entryHostAddress;
    /**
     * Per level of the last walk ({@code 0..level}): where its entry was read in host real memory,
     * log2 of the bytes of address one entry of that level spans, and log2 of its table's entries.
     * What a core needs to know which table entries a cached translation was read from
     * ({@link ProcessTableWatch}).
     */
    public final long[] hostAt = new long[RadixTreeWalker.MAX_LEVELS];
    public final byte[] spanAt = new byte[RadixTreeWalker.MAX_LEVELS], sizeAt = new byte[RadixTreeWalker.MAX_LEVELS];
    /** When a leaf was found: log2 of the page size. */
    public int pageShift;
    /** When a leaf was found: the translated address. */
    public long result;

    /** 0, or {@link TableReader#MACHINE_CHECK} / {@link TableReader#PARTITION_FAULT}. */
    public int readFailure;
    /** For a partition fault: the DSISR-style cause of the partition-scoped failure. */
    public long readCause;
    /** For a partition fault the table address (as the tree sees it); for a machine check the real address. */
    public long failedAddress;

    public RadixWalk() {
    }

    public RadixWalk(WalkStage stage) {
        this.stage = stage;
    }

    void reset(long address) {
        this.address = address;
        level = -1;
        entry = 0;
        entryAddress = 0;
        entryHostAddress = -1;
        pageShift = 0;
        result = 0;
        readFailure = 0;
        readCause = 0;
        failedAddress = 0;
    }
}
