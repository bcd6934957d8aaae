package jvisor.hw.power;

/**
 * Translations of 2 MiB blocks of large pages, behind a core's {@link RadixTlb}: a direct-mapped
 * cache of {@link #ENTRIES} blocks, each filled by a walk whose result (the smaller of the two
 * stages' pages) is 2 MiB or larger. The TLB holds 4 KiB granules of any page, as QEMU's soft TLB
 * does, so a guest sweeping memory it maps in large pages missed in it at every 4 KiB and walked
 * the tables again each time. A miss in the TLB whose block is here takes the granule from the
 * block instead. A cold boot of Debian's kernel (its linear map in 1 GiB pages over the
 * hypervisor's 2 MiB ones) takes 494,000 of its 890,000 TLB misses from here (--stats). JMH
 * RadixTranslationBenchmark.largePageSweep, a miss on such a sweep: 83-115 ns walked, 24-36 ns
 * refilled. (The boot itself is level: those misses cost it some 40 ms.)
 *
 * <p>What a walk finds for any granule of such a block is the same two leaf entries, so the same
 * host page (at the same offset), permissions and (LPID, PID): taking them from the block is the
 * walk's result, as a TLB entry for the large page would be. Permissions that do not allow the
 * access send it to the walk, as a TLB hit's do (an R/C update or a permission upgrade in memory
 * is honoured without a tlbie). An entry lives while the TLB's generation is the one it was made
 * under: every invalidation (any tlbie, a flush of LPIDR, PTCR) moves that on, so no tlbie form
 * needs matching here. A PIDR write drops the blocks of other processes, as the TLB does.
 *
 * <p>Only the owning core's thread uses it (misses and PIDR writes are its own).
 */
final class RadixLargePages {
    static final int ENTRIES = 64, SHIFT = 21;
    static final long OFFSET = (1L << SHIFT) - 1;

    /** The block's EA with the mode bits of a {@link RadixTlb} tag (0: empty). */
    private final long[] tag = new long[ENTRIES];
    /** Host real and guest real (-1 without the partition-scoped stage) addresses of the block. */
    private final long[] host = new long[ENTRIES], guestReal = new long[ENTRIES];
    private final long[] lpid = new long[ENTRIES], pid = new long[ENTRIES];
    private final int[] granted = new int[ENTRIES], generation = new int[ENTRIES];
    private final byte[] processShift = new byte[ENTRIES], partitionShift = new byte[ENTRIES];

    /** Refills of the TLB from a block (walks saved). */
    long refills;

    private static int index(long ea) {
        return (int) (ea >>> SHIFT) & (ENTRIES - 1);
    }

    /** The block tag of a TLB tag: the EA of the 2 MiB block, the mode bits kept. */
    private static long blockTag(long tlbTag) {
        return (tlbTag & ~OFFSET) | (tlbTag & 0xFFF);
    }

    /**
     * On a TLB miss at {@code ea} (TLB tag {@code tlbTag}) under the TLB's {@code currentGeneration}:
     * the block's entry, or -1 if it is not here.
     */
    int find(long ea, long tlbTag, int currentGeneration) {
        int j = index(ea);
        return tag[j] == blockTag(tlbTag) && generation[j] == currentGeneration ? j : -1;
    }

    /** What the walk that made entry {@code j} granted (the MMU decides whether that serves the access). */
    int granted(int j) {
        return granted[j];
    }

    /**
     * Puts the granule of {@code ea} from entry {@code j} in TLB slot {@code slot} (tag
     * {@code tlbTag}, under {@code currentGeneration}), as a walk would; returns the host real address.
     */
    long refill(int j, RadixTlb tlb, long ea, long tlbTag, int slot, int currentGeneration) {
        long offset = ea & OFFSET, granule = offset & ~0xFFFL;
        long g = guestReal[j];
        tlb.insert(currentGeneration, slot, tlbTag, host[j] + granule, granted[j], g < 0 ? -1 : g + granule,
                lpid[j], pid[j], processShift[j], partitionShift[j]);
        refills++;
        return host[j] + offset;
    }

    /**
     * After a walk at {@code ea} that found {@code t}'s translation under {@code walkGeneration}:
     * keeps its block if its page is 2 MiB or larger.
     */
    void remember(long ea, long tlbTag, RadixTranslator t, int walkGeneration) {
        if (t.pageShift < SHIFT) {
            return;
        }
        int j = index(ea);
        long offset = ea & OFFSET;
        tag[j] = blockTag(tlbTag);
        host[j] = t.realAddress - offset;
        guestReal[j] = t.partitionScoped ? t.guestRealAddress - offset : -1;
        lpid[j] = t.lpid;
        pid[j] = t.pid;
        granted[j] = t.granted;
        generation[j] = walkGeneration;
        processShift[j] = (byte) t.processPageShift;
        partitionShift[j] = (byte) t.partitionPageShift;
    }

    /** PIDR changed to {@code currentPid}: drops the blocks of other processes (quadrant 3 and real mode stay). */
    void dropOtherProcesses(long currentPid) {
        for (int j = 0; j < ENTRIES; j++) {
            if (RadixTlb.ofAnotherProcess(tag[j], pid[j], currentPid)) {
                tag[j] = 0;
            }
        }
    }
}
