package jvisor.hw.power;

/**
 * A core's translation lookaside buffer: direct-mapped, 1024 entries in parallel primitive arrays.
 * Each entry caches one 4 KiB granule of a translation of any page size (as QEMU's soft TLB does):
 * a 2M page fills granules as they are touched, and remembers its page sizes so tlbie matches it
 * by the page it came from.
 *
 * <p>The tag holds the EA granule and the translation mode (relocation, MSR[PR], MSR[HV]); since
 * PIDR/LPIDR/PTCR writes flush the whole TLB, (EA, mode) determines (LPID, PID), which are kept
 * beside it for tlbie's sake. Permissions are precomputed for the mode, except the AMR/IAMR key-0
 * rule, which is checked on each hit because the AMR changes without any flush.
 *
 * <p>Concurrency: only the owning core inserts and reads; any core invalidates (tlbie). An
 * invalidation clears tags and then advances the volatile {@link #generation}; the owner reads the
 * generation before its lookup, so a completed tlbie is seen by the next access. An insert only
 * happens if the generation is still the one read before the walk, so a walk that raced with a
 * tlbie cannot leave a stale entry behind. Inserts and invalidations hold the monitor.
 */
public final class RadixTlb {
    public static final int ENTRIES = 1024;
    static final int INDEX_MASK = ENTRIES - 1;

    /** Mode bits in a tag (below the 4K granule): valid, relocation, MSR[PR], MSR[HV]. */
    static final long TAG_VALID = 1, TAG_RELOCATE = 2, TAG_PR = 4, TAG_HV = 8;

    final long[] tag = new long[ENTRIES];
    final long[] host = new long[ENTRIES];
    final int[] granted = new int[ENTRIES];
    final long[] guestReal = new long[ENTRIES];
    final long[] lpid = new long[ENTRIES];
    final long[] pid = new long[ENTRIES];
    final byte[] processShift = new byte[ENTRIES];
    final byte[] partitionShift = new byte[ENTRIES];

    /** Advanced by every invalidation; also the generation of the translator's PATE/PRTE cache. */
    volatile int generation;
    /**
     * Advanced by every invalidation that can change a partition-scoped translation (any form
     * with PRS=0, and a full flush): the generation of the nested walk's cache of table pages
     * ({@link PartitionScopedTableReader}), which process-scoped tlbies leave alone.
     */
    volatile int partitionGeneration;

    /**
     * The largest process-scoped page size (log2) cached since the last full flush, for PID 0
     * (the operating system's own addresses, often mapped in 1G pages) and for the others: a
     * tlbie of one page need only look at the slots of the granules that page, or a larger
     * cached page around it, covers.
     */
    private int largestKernelShift = 12, largestUserShift = 12;
    /**
     * The slots filled since they were last found empty, {@link #listedCount} of them, without
     * repeats ({@link #listed}): every valid entry is among them. An invalidation of a whole PID
     * or more looks at these instead of all 1024 slots: Linux patches its code at boot through a
     * temporary mapping and flushes PID 0 twice per patch, some 68,000 times in a boot, when
     * only the few dozen pages touched since the last flush are cached.
     */
    private final short[] filled = new short[ENTRIES];
    private final boolean[] listed = new boolean[ENTRIES];
    private int listedCount;

    static int index(long ea) {
        return (int) (ea >>> 12) & INDEX_MASK;
    }

    /** Builds the tag for an access. */
    static long tag(long ea, long msr, boolean relocate) {
        return (ea & ~0xFFFL) | TAG_VALID | (relocate ? TAG_RELOCATE : 0)
                | ((msr >>> 12) & TAG_PR) | ((msr >>> 57) & TAG_HV);
    }

    synchronized void insert(int expectedGeneration, int i, long tagValue, long hostPage, int grantedSet,
                             long guestRealPage, long lpidValue, long pidValue, int procShift, int partShift) {
        if (generation != expectedGeneration) {
            return;
        }
        tag[i] = tagValue;
        host[i] = hostPage;
        granted[i] = grantedSet;
        guestReal[i] = guestRealPage;
        lpid[i] = lpidValue;
        pid[i] = pidValue;
        processShift[i] = (byte) procShift;
        partitionShift[i] = (byte) partShift;
        if (!listed[i]) {
            listed[i] = true;
            filled[listedCount++] = (short) i;
        }
        if (pidValue == 0) {
            largestKernelShift = Math.max(largestKernelShift, procShift);
        } else if (pidValue > 0) {
            largestUserShift = Math.max(largestUserShift, procShift);
        }
    }

    /** Drops every entry (and, through the generation, the cached PATE/PRTE). */
    synchronized void flushAll() {
        java.util.Arrays.fill(tag, 0);
        java.util.Arrays.fill(listed, false);
        listedCount = 0;
        largestKernelShift = largestUserShift = 12;
        partitionGeneration++;
        generation++;
    }

    /**
     * PIDR changed to {@code currentPid}: drops the entries made through the old one (quadrants
     * 0-2 with another PID). Entries of quadrant 3 (PID 0, the operating system's own addresses)
     * and of real mode stay: like the hardware's TLB, which is tagged by PID, this one keeps them
     * across a context switch; an OS that reuses a PID invalidates it with tlbie first.
     */
    synchronized void dropOtherProcesses(long currentPid) {
        for (int k = listedCount - 1; k >= 0; k--) {
            int i = filled[k];
            long t = tag[i];
            if (ofAnotherProcess(t, pid[i], currentPid)) {
                tag[i] = 0;
            }
            unlistIfEmpty(k, i);
        }
    }

    /**
     * Whether a cached translation (its tag, 0 if none, and the PID it was made through, -1 for
     * none) belongs to a process other than {@code currentPid}: made through another PID, in a
     * quadrant other than 3 (the operating system's own addresses).
     */
    static boolean ofAnotherProcess(long tagValue, long pidValue, long currentPid) {
        return tagValue != 0 && pidValue >= 0 && pidValue != currentPid && (tagValue >>> 62) != 3;
    }

    /** Takes slot i, the k-th of the list, off the list if it is empty (the last one takes its place). */
    private void unlistIfEmpty(int k, int i) {
        if (tag[i] == 0) {
            listed[i] = false;
            filled[k] = filled[--listedCount];
        }
    }

    /** Applies one invalidation to this TLB. Entries may be dropped more widely than required. */
    synchronized void invalidate(Tlbie t) {
        if (t.ric() != Tlbie.RIC_PAGE_WALK_CACHE) {
            // RIC=1 concerns only the page-walk cache, which this model does not have.
            int span = pageSpan(t);
            if (span < 0 || 1 << (span - 12) > listedCount) {
                for (int k = listedCount - 1; k >= 0; k--) {
                    int i = filled[k];
                    if (tag[i] != 0 && matches(t, i)) {
                        tag[i] = 0;
                    }
                    unlistIfEmpty(k, i);
                }
            } else {
                // Every entry it can match caches a granule of the aligned block of 2^span bytes
                // around the page: only their slots are looked at, if they are fewer than the
                // filled ones (Linux unmaps page by page). Slots emptied here stay listed until a
                // walk of the list finds them empty.
                long block = (t.epn() & RadixTranslator.EA_WITHOUT_QUADRANT) & -(1L << span);
                for (int k = 0, n = 1 << (span - 12); k < n; k++) {
                    int i = index(block + ((long) k << 12));
                    if (tag[i] != 0 && matches(t, i)) {
                        tag[i] = 0;
                    }
                }
            }
        }
        if (!t.processScoped()) {
            partitionGeneration++;
        }
        // Every invalidation moves the generation on: it orders the cleared tags before the owner's
        // next lookup, and drops the cached PATE/PRTE (required for RIC=2, harmless otherwise).
        generation++;
    }

    /**
     * For a process-scoped tlbie of one page: log2 of the aligned block holding every granule it
     * can match (the page, or the largest cached page of its kind around it); -1 when that block
     * has as many granules as the TLB has slots, or the tlbie is of another form.
     */
    private int pageSpan(Tlbie t) {
        if (t.is() != Tlbie.IS_ADDRESS || !t.processScoped() || t.pageShift() < 12) {
            return -1;
        }
        int span = Math.max(t.pageShift(), t.pid() == 0 ? largestKernelShift : largestUserShift);
        return span - 12 < Integer.numberOfTrailingZeros(ENTRIES) ? span : -1;
    }

    boolean matches(Tlbie t, int i) {
        return switch (t.is()) {
            case Tlbie.IS_ALL -> true;
            case Tlbie.IS_LPID -> lpid[i] == t.lpid();
            case Tlbie.IS_PID -> lpid[i] == t.lpid() && pid[i] == t.pid();
            default -> lpid[i] == t.lpid() && (t.processScoped() ? matchesProcessPage(t, i) : matchesGuestRealPage(t, i));
        };
    }

    private boolean matchesProcessPage(Tlbie t, int i) {
        if (pid[i] != t.pid() || pid[i] < 0) {
            return false;
        }
        long ea = tag[i] & RadixTranslator.EA_WITHOUT_QUADRANT & ~0xFFFL;
        return overlaps(ea, processShift[i], t.epn() & RadixTranslator.EA_WITHOUT_QUADRANT, t.pageShift());
    }

    private boolean matchesGuestRealPage(Tlbie t, int i) {
        long g = guestReal[i];
        return g >= 0 && overlaps(g, partitionShift[i], t.epn(), t.pageShift());
    }

    /**
     * Two naturally aligned blocks overlap when they agree above the larger one's size. A
     * tlbie whose AP names no page size is treated as covering every page.
     */
    static boolean overlaps(long a, int aShift, long b, int bShift) {
        if (bShift < 0) {
            return true;
        }
        int shift = Math.max(Math.max(aShift, bShift), 12);
        return shift >= 64 || ((a ^ b) >>> shift) == 0;
    }

    /** Whether every valid entry is on the list of filled slots, once (for tests). */
    synchronized boolean listComplete() {
        boolean[] seen = new boolean[ENTRIES];
        for (int k = 0; k < listedCount; k++) {
            if (seen[filled[k]] || !listed[filled[k]]) {
                return false;
            }
            seen[filled[k]] = true;
        }
        for (int i = 0; i < ENTRIES; i++) {
            if ((tag[i] != 0 && !seen[i]) || listed[i] != seen[i]) {
                return false;
            }
        }
        return true;
    }

    /** Number of valid entries, for tests and statistics. */
    synchronized int validEntries() {
        int n = 0;
        for (long t : tag) {
            if (t != 0) {
                n++;
            }
        }
        return n;
    }
}
