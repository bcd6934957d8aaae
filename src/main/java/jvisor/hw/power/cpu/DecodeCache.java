package jvisor.hw.power.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import jvisor.hw.power.ProcessTableWatch;

/**
 * Decoded instructions of a machine, keyed by real page and byte order, shared by all cores.
 *
 * <p>Coherence: a page that has been decoded is marked in a per-page byte map. A core's store
 * drops the decoded form of a marked page: one its data cache does not hold checks the map, and
 * the data cache holds no marked page for writing (each marking moves the {@link #codeEpoch}
 * on, and write entries of an older epoch lapse); the hypervisor, devices and
 * DMA engines that write guest memory directly must call {@link #invalidateRange} for what they
 * touch. icbi drops the page as well. Dropping clears the slots in place, so cores that hold
 * the page in their fetch path simply decode again. Pages of guest tables that translations
 * were read from are kept out of the data caches for writing the same way, so that their
 * writes reach the machine's {@link ProcessTableWatch} ({@link #tables}).
 *
 * <p>Bounded: a guest may execute from every page of its RAM in both byte orders, and a decoded
 * page costs twice the memory it decodes, so at most {@link #maxDecodedPages()} pages are kept.
 * Past the bound every page is retired at once (as translations are past theirs): a retired page
 * is empty, never filled again and gone from the cache, so a core still holding it decodes each
 * instruction from memory afresh (always current, whatever is written there) until it fetches
 * the page anew.
 */
public final class DecodeCache {
    static final int PAGE_SHIFT = 12;

    private final ConcurrentHashMap<Long, DecodePage> pages = new ConcurrentHashMap<>();
    private final byte[] decoded;
    /** Translations reachable from the pages; bounded by {@link #maxRegions}. */
    private final AtomicInteger liveRegions = new AtomicInteger();
    /** Translations made reachable since the cache was made; decoded pages dropped because their code changed. */
    private final LongAdder regionsMade = new LongAdder(), invalidations = new LongAdder();
    private volatile int maxRegions = Integer.getInteger("jvisor.jit.maxRegions", 4096);
    /** 8192 pages decoded: 32 MiB of code, some 64 MiB of decoded words. */
    private volatile int maxPages = Integer.getInteger("jvisor.decode.maxPages", 8192);

    /** Translates for the cores when set; null: each core translates on its own thread. */
    private volatile BackgroundTranslator background;

    /** @param memorySize bytes of real memory the cores may execute from */
    public DecodeCache(long memorySize) {
        long n = (memorySize + (1L << PAGE_SHIFT) - 1) >>> PAGE_SHIFT;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("real memory too large for the decode cache: " + memorySize);
        }
        decoded = new byte[(int) n];
        tablePages = new byte[(int) n];
        tables = new ProcessTableWatch(this::markTable, this::unmarkTable);
    }

    /**
     * A direct-mapped front for {@link #pages}, read and written without locks: a core's fetch
     * misses often (every context switch and tlbie empties its fetch cache), and the map's
     * boxed, hashed lookup showed in profiles of process-heavy guests. An entry is only a hint,
     * checked against the page's own final fields and its retirement; racing writers merely
     * overwrite each other.
     */
    private final DecodePage[] front = new DecodePage[FRONT];
    private static final int FRONT = 4096;

    /** The decoded form of a real page in the given byte order, created empty on first use. */
    DecodePage page(long realPage, boolean littleEndian) {
        long key = (realPage << 1) | (littleEndian ? 1 : 0);
        int slot = (int) key & (FRONT - 1);
        DecodePage p = front[slot];
        if (p == null || p.realBase != realPage << PAGE_SHIFT || p.littleEndian != littleEndian || p.retired) {
            p = pages.get(key);
            if (p == null) {
                if (pages.size() >= maxPages) {
                    retireAll();
                }
                p = pages.computeIfAbsent(key, k -> new DecodePage(this, realPage << PAGE_SHIFT, littleEndian));
            }
            front[slot] = p;
        }
        markDecoded(realPage);
        return p;
    }

    /** Bounds the decoded pages kept; past it all are retired. */
    public void setMaxDecodedPages(int max) {
        maxPages = Math.max(1, max);
    }

    public int maxDecodedPages() {
        return maxPages;
    }

    /** Pages whose decoded form is kept (what {@link #setMaxDecodedPages} bounds). */
    public int decodedPages() {
        return pages.size();
    }

    /** Forgets every decoded page; cores holding one decode from memory until they fetch anew. */
    private void retireAll() {
        for (var it = pages.values().iterator(); it.hasNext(); ) {
            DecodePage p = it.next();
            it.remove();
            p.retire();
        }
    }

    /**
     * Moves on whenever a page becomes decoded. A core's data cache holds a page for writing only
     * while it is not decoded and only for the epoch it was filled in (see
     * {@link LoadStoreUnit#writeHost}), so a store that hits the cache needs no look at the map.
     */
    private volatile int codeEpoch;
    private static final VarHandle CODE_EPOCH;

    static {
        try {
            CODE_EPOCH = MethodHandles.lookup().findVarHandle(DecodeCache.class, "codeEpoch", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    int codeEpoch() {
        return codeEpoch;
    }

    /**
     * Marks the page as decoded, and moves the code epoch on if it was not. Written only when it
     * changes: the page is marked again on every fetch miss and decode, and a write of the same
     * value would still take the cache line from the other cores. The epoch moves after the mark
     * (an atomic add, a full fence): a core that sees the new epoch sees the mark.
     */
    void markDecoded(long realPage) {
        if (decoded[(int) realPage] == 0) {
            decoded[(int) realPage] = 1;
            CODE_EPOCH.getAndAdd(this, 1);
        }
    }

    /** Has this real page been decoded (checked by every store the data cache does not hold)? */
    boolean isDecoded(long realPage) {
        return realPage < decoded.length && decoded[(int) realPage] != 0;
    }

    /**
     * Pages holding guest page-table entries that cached translations were read from (see
     * {@link ProcessTableWatch}): like decoded pages, held by no data cache for writing, so that
     * every store to one is reported to {@link #tables}. A map of its own: a byte shared with the
     * decoded mark would be updated by two threads at once.
     */
    private final byte[] tablePages;
    private final ProcessTableWatch tables;

    /** The machine's record of the guest page-table entries its cores' translations came from. */
    public ProcessTableWatch tables() {
        return tables;
    }

    private void markTable(long realPage) {
        if (realPage >= 0 && realPage < tablePages.length && tablePages[(int) realPage] == 0) {
            tablePages[(int) realPage] = 1;
            CODE_EPOCH.getAndAdd(this, 1); // write entries made before lapse
        }
    }

    private void unmarkTable(long realPage) {
        if (realPage >= 0 && realPage < tablePages.length) {
            tablePages[(int) realPage] = 0;
        }
    }

    /** Whether a store to this real page must be reported (decoded code or a watched table). */
    boolean isWatched(long realPage) {
        return realPage < decoded.length && (decoded[(int) realPage] | tablePages[(int) realPage]) != 0;
    }

    /**
     * A store of {@code len} bytes at real address {@code ra} (within one page) that the data
     * cache did not hold: drops the page's decoded code and logs a table write. True if it wrote code.
     */
    boolean stored(long ra, int len) {
        long page = ra >>> PAGE_SHIFT;
        if (page >= decoded.length) {
            return false;
        }
        if (tablePages[(int) page] != 0) {
            tables.written(ra, len);
        }
        if (decoded[(int) page] != 0) {
            invalidate(page);
            return true;
        }
        return false;
    }

    /** Real page {@code realPage} (real address >>> 12) was written: forget its decoded form. */
    public void invalidate(long realPage) {
        if (realPage < 0 || realPage >= decoded.length || decoded[(int) realPage] == 0) {
            return;
        }
        decoded[(int) realPage] = 0;
        invalidations.increment();
        invalidateOne(realPage << 1);
        invalidateOne((realPage << 1) | 1);
    }

    /** Writes covering {@code [realAddress, realAddress + length)} happened outside the cores. */
    public void invalidateRange(long realAddress, long length) {
        if (length <= 0) {
            return;
        }
        for (long p = realAddress >>> PAGE_SHIFT, last = (realAddress + length - 1) >>> PAGE_SHIFT; p <= last; p++) {
            if (p >= 0 && p < tablePages.length && tablePages[(int) p] != 0) {
                long from = Math.max(realAddress, p << PAGE_SHIFT);
                tables.written(from, (int) (Math.min(realAddress + length, (p + 1) << PAGE_SHIFT) - from));
            }
            invalidate(p);
        }
    }

    /**
     * Whether hot code is translated on a thread of the machine's own ({@link BackgroundTranslator})
     * while the cores go on interpreting it, or by the core that found it hot, at once (the
     * default: what tests of translated code need to be deterministic).
     */
    public void setBackgroundTranslation(boolean on) {
        background = on ? new BackgroundTranslator(this) : null;
    }

    /** The machine is gone: a background translator stops and lets go of this cache. */
    public void close() {
        BackgroundTranslator b = background;
        if (b != null) {
            b.close();
        }
    }

    BackgroundTranslator background() {
        return background;
    }

    /** Bounds the translations kept (each is a class and native code): past it all are dropped. */
    public void setMaxCompiledRegions(int max) {
        maxRegions = Math.max(1, max);
    }

    /** Translations currently reachable from the pages (what {@link #setMaxCompiledRegions} bounds). */
    public int compiledRegions() {
        return liveRegions.get();
    }

    /** Before translating: makes room by dropping every translation if the bound is reached. */
    void reserveRegion() {
        if (liveRegions.get() >= maxRegions) {
            dropAllCompiled();
        }
    }

    /** Drops every translation of the machine; the decoded instructions stay. */
    public void dropAllCompiled() {
        for (DecodePage p : pages.values()) {
            p.dropCompiled();
        }
    }

    /** Translations made reachable since the cache was made (those dropped since included). */
    public long regionsMade() {
        return regionsMade.sum();
    }

    /**
     * Decoded pages dropped since the cache was made because their code was written (by a core,
     * the hypervisor or a device) or named by icbi; each drop takes the page's translations along.
     */
    public long invalidations() {
        return invalidations.sum();
    }

    void regionsAdded(int n) {
        liveRegions.addAndGet(n);
        if (n > 0) {
            regionsMade.add(n);
        }
    }

    private void invalidateOne(long key) {
        DecodePage p = pages.get(key);
        if (p != null) {
            p.invalidate();
        }
    }
}
