package jvisor.hw.power;

import jvisor.memory.RealMemory;

/**
 * The reader of the 2-D walk: every process-scoped table address (the PRTE and each PDE/PTE) is a
 * guest real address, so it is first translated by a partition-scoped walk, as a load, and the
 * entry is then read from host real memory. A failure of that inner walk is reported as
 * {@link #PARTITION_FAULT} with the guest real address of the table entry; the caller turns it into
 * an HDSI with DSISR MSB 46.
 *
 * <p>The partition-scoped translations of a TLB miss are cached, as the hardware's page walk
 * cache keeps them: for each guest real page that translated without fault, the host page, the
 * partition-scoped leaf and its page size, direct-mapped by guest real page. They serve the
 * guest's table pages here, and the page a translation ends at ({@link #cachedSlot}, used by
 * {@link RadixTranslator}): a miss of a 4-level guest tree then reads 5 entries instead of 29.
 * A kept leaf serves only an access it allows; the others walk, and keep what they find. The
 * cache belongs to one partition-scoped tree and one partition generation
 * ({@link RadixTlb#partitionGeneration}): a new root, an invalidation with PRS=0 or a full flush
 * empties it; the guest's own (process-scoped) tlbies, which are most of them, do not (Linux
 * patching its code at boot flushes PID 0 some 70,000 times). Walks told to report every table
 * read (a listener, {@code jvisor walk}) bypass it.
 */
public final class PartitionScopedTableReader implements TableReader {
    private static final int WALK_CACHE = 512;

    private final RealMemory memory;
    private final HostTableReader hostReader;
    private final RadixWalk partitionWalk = new RadixWalk(WalkStage.PARTITION_SCOPED);
    private long partitionRoot;
    private boolean cached;
    /** Guest real page | 1 of each entry (0: empty), the host page it translates to, the leaf and its page size. */
    private final long[] walkTag = new long[WALK_CACHE], walkHost = new long[WALK_CACHE], walkLeaf = new long[WALK_CACHE];
    private final int[] walkShift = new int[WALK_CACHE];
    private long walkRoot = -1;
    private int walkGeneration;

    public PartitionScopedTableReader(RealMemory memory) {
        this.memory = memory;
        this.hostReader = new HostTableReader(memory);
    }

    /** Sets the partition-scoped tree (PATE dword 0) to translate through, without the cache. */
    public PartitionScopedTableReader root(long pateDword0) {
        return root(pateDword0, false);
    }

    /** Sets the partition-scoped tree (PATE dword 0) to translate through, and whether the walk cache serves. */
    public PartitionScopedTableReader root(long pateDword0, boolean useCache) {
        this.partitionRoot = pateDword0;
        this.cached = useCache;
        if (useCache && pateDword0 != walkRoot) {
            emptyCache();
            walkRoot = pateDword0;
        }
        return this;
    }

    /** The partition generation the next walks run under; the cache is emptied when it moved on. */
    void generation(int generation) {
        if (generation != walkGeneration) {
            emptyCache();
            walkGeneration = generation;
        }
    }

    /** Page-number bits above the index folded in: table pages 1 MiB apart do not collide. */
    private static int slot(long page) {
        return (int) ((page >>> 12) ^ (page >>> 20)) & (WALK_CACHE - 1);
    }

    private void emptyCache() {
        java.util.Arrays.fill(walkTag, 0);
    }

    /**
     * The cache's slot for the page of guest real address {@code gra} if the cache serves (see
     * {@link #root(long, boolean)}), holds the page, and its leaf allows {@code access}; else -1,
     * and the caller walks.
     */
    int cachedSlot(long gra, int access) {
        long page = gra & ~0xFFFL;
        int i = slot(page);
        return cached && walkTag[i] == (page | 1) && allows(walkLeaf[i], access) ? i : -1;
    }

    /** The host page, the partition-scoped leaf and its page size (log2) of a {@link #cachedSlot}. */
    long cachedHostPage(int slot) {
        return walkHost[slot];
    }

    long cachedLeaf(int slot) {
        return walkLeaf[slot];
    }

    int cachedPageShift(int slot) {
        return walkShift[slot];
    }

    /** Keeps the translation of the page of {@code gra} a walk found (when the cache serves). */
    void keep(long gra, long hostAddress, long leaf, int pageShift) {
        if (cached) {
            long page = gra & ~0xFFFL;
            int i = slot(page);
            walkTag[i] = page | 1;
            walkHost[i] = hostAddress & ~0xFFFL;
            walkLeaf[i] = leaf;
            walkShift[i] = pageShift;
        }
    }

    /** Whether the partition-scoped leaf allows the access without a fault (permissions, R/C). */
    private static boolean allows(long leaf, int access) {
        return RadixPermissions.partitionScoped(leaf, access) == 0 && RadixPermissions.referenceChangeOk(leaf, access);
    }

    @Override
    public long readEntry(RadixWalk walk, int level, long tableAddress) {
        int i = cachedSlot(tableAddress, Mmu.LOAD);
        if (i >= 0) {
            long host = walkHost[i] | (tableAddress & 0xFFF);
            if (memory.contains(host, 8)) {
                return HostTableReader.read(memory, walk, level, tableAddress, host);
            }
        }
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
        keep(tableAddress, host, pw.entry, pw.pageShift);
        return HostTableReader.read(memory, walk, level, tableAddress, host);
    }
}
