package jvisor.hw.power;

import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Which entries of the guest's process-scoped tables the cores' cached translations were read
 * from, and the writes to those entries since: what lets a core keep, across a tlbie of a whole
 * PID (or of more), each cached translation whose table entries nobody wrote. Such a translation
 * is exactly what a new walk would find (a walk reads only those entries and the process table
 * entry, and writes nothing: a guest's radix entries must already have R and C set), so keeping
 * it cannot be told apart from walking again; the hardware's flush is kept in effect.
 *
 * <p>Why: Linux 6.1 patches some 34,000 places in its code at boot, each through a temporary
 * mapping and then a flush of all of PID 0 (twice, with a POWER9 workaround). Dropping every
 * cached translation each time cost a boot some 790,000 data-cache refills, and 90% of those put
 * back the very translation the slot held before; only the temporary mapping had changed.
 *
 * <p>How:
 * <ul>
 * <li>A walk that succeeds registers what it read ({@link View#register}): for each level, the
 * part of that table in the host page of the entry read (a <em>chunk</em>: its host address and
 * entries, the effective address its first entry maps and the bytes one entry spans), and the
 * process table entry, a change of which may change anything. A newly registered page is marked
 * ({@code mark}): the cores' data caches then hold it for reading only, as they hold code, so
 * that every store to it comes to {@link #written}.</li>
 * <li>A store to a registered chunk appends the effective address ranges its entries map to a
 * log. Each core keeps its place in the log; at a tlbie of a whole PID (or LPID, or all) it drops
 * the ranges logged since ({@link View#drain}) instead of everything, and everything only when
 * it fell more than the log's length behind or meets a write that may change anything.</li>
 * <li>A page that takes {@link #WRITES_TO_FORGET} logged writes is forgotten (the guest freed a
 * table and uses the page for data, or rewrites a table constantly): unmarked, so that its
 * stores are fast again, with a write of anything logged, so that every core's next full flush
 * drops everything that may have been read from it. A later walk registers it again.</li>
 * </ul>
 *
 * <p>With several cores, a store may have passed its data cache's check before the page was
 * marked and land after the walk read the entry: such a store is in no log. So a core that
 * registers something new, or walks while another core's registration is not yet settled, makes
 * every other core pass an instruction boundary (the domain's {@link RadixTlbDomain#synchronize})
 * and walks again before it caches the translation. Host-side writers (devices, the hypervisor)
 * report their writes through {@link #written} too; one racing a core's first registration of
 * the same page is not seen, a guest programming DMA into its own live page tables.
 */
public final class ProcessTableWatch {
    /** A log entry that stands for any address (a process table entry written, a page forgotten). */
    static final long EVERYTHING = -1;
    /** The log's length (entries): a core further behind drops everything. */
    static final int LOG = 4096;
    /** Chunks kept per page; past it the page counts as one chunk of anything. */
    static final int CHUNKS_PER_PAGE = 32;
    /** Logged writes after which a page is forgotten. */
    static final int WRITES_TO_FORGET = 4096;
    /**
     * Pages registered at most (64 MiB of tables); past it all are forgotten at once, so that a
     * guest building tables without end costs the host a bounded map.
     */
    static final int MAX_PAGES = 16384;
    /** A record: the chunk's host address, its first entry's effective address, span | entries << 8. */
    private static final int RECORD = 3;
    /** The span of an entry that may change anything (a process table entry). */
    private static final int ANYTHING = 64;

    private final LongConsumer mark, unmark;
    /**
     * Host page number to its records: element 0 counts the logged writes, then RECORD longs per
     * chunk. Replaced, never changed in place (but for the count), under this object's monitor.
     */
    private final ConcurrentHashMap<Long, long[]> pages = new ConcurrentHashMap<>();
    private final long[] log = new long[LOG];
    /** The page {@link #written} looked up last and its records (-1: none), under the monitor. */
    private long memoPage = -1;
    private long[] memoRecords;
    /** Entries ever appended; the log holds the last {@link #LOG} of them. */
    private volatile long head;
    /** Moved on when a page is forgotten: the cores' memories of registered chunks lapse. */
    private volatile int version;
    /** Registrations whose cores have not yet made the others pass an instruction boundary. */
    private final AtomicInteger unsettled = new AtomicInteger();
    /** Full flushes that kept what was not written, and those that dropped everything. */
    private long precise, whole;

    /**
     * @param mark told of each newly registered host page number (the data caches must send its
     *             stores to {@link #written} from now on)
     * @param unmark told of each forgotten one
     */
    public ProcessTableWatch(LongConsumer mark, LongConsumer unmark) {
        this.mark = mark;
        this.unmark = unmark;
    }

    /** The address of a logged range ({@link View#drain}). */
    public static long address(long entry) {
        return entry & ~0xFFFL;
    }

    /** log2 of the bytes of a logged range. */
    public static int shift(long entry) {
        return (int) entry & 0x7F;
    }

    /** Host pages registered now. */
    public int pages() {
        return pages.size();
    }

    /** Full flushes that kept the unwritten translations ({@code precise}) and that dropped all. */
    public synchronized long[] flushes() {
        return new long[] {precise, whole};
    }

    /** Adds a chunk; true if it was new. */
    private boolean add(long host, long ea, int span, int entries, boolean count) {
        long page = host >>> 12;
        boolean marked;
        synchronized (this) {
            long[] r = pages.get(page);
            long meta = span | (long) entries << 8;
            if (r != null) {
                for (int k = 1; k < r.length; k += RECORD) {
                    if (r[k] == host && r[k + 1] == ea && r[k + 2] == meta
                            || r[k + 2] == (ANYTHING | 512L << 8)) {
                        return false;
                    }
                }
            }
            long[] n;
            if (r != null && (r.length - 1) / RECORD >= CHUNKS_PER_PAGE) {
                n = new long[] {r[0], page << 12, 0, ANYTHING | 512L << 8};
            } else {
                n = r == null ? new long[1 + RECORD] : java.util.Arrays.copyOf(r, r.length + RECORD);
                n[n.length - 3] = host;
                n[n.length - 2] = ea;
                n[n.length - 1] = meta;
            }
            if (r == null && pages.size() >= MAX_PAGES) {
                forgetAll();
            }
            if (count) {
                unsettled.incrementAndGet();
            }
            pages.put(page, n);
            if (memoPage == page) {
                memoRecords = n;
            }
            marked = r == null;
        }
        if (marked) {
            mark.accept(page); // after the record: a store that sees the mark finds it
        }
        return true;
    }

    /**
     * {@code length} bytes at host real {@code address} (within one page) were written, by a core
     * or by the host: logs the ranges the registered entries among them map.
     */
    public void written(long address, int length) {
        // Against a walk that registers the page's chunk now: this store is performed before the
        // look (a walk registers before it reads again, so one of the two sees the other).
        VarHandle.fullFence();
        long page = address >>> 12;
        synchronized (this) {
            // The page written last first: a table is written in bursts (a process's tables
            // copied or cleared entry by entry), and the map's key is a boxed Long.
            long[] r = page == memoPage ? memoRecords : pages.get(page);
            if (r == null) {
                return;
            }
            memoPage = page;
            memoRecords = r;
            long end = address + length;
            for (int k = 1; k < r.length; k += RECORD) {
                long start = r[k];
                int span = (int) r[k + 2] & 0xFF, entries = (int) (r[k + 2] >>> 8);
                long first = Math.max(address, start), last = Math.min(end, start + 8L * entries);
                if (first >= last) {
                    continue;
                }
                long i0 = (first - start) >>> 3, i1 = (last - 1 - start) >>> 3;
                if (span == ANYTHING || i1 - i0 >= 16) {
                    append(EVERYTHING);
                    continue;
                }
                for (long i = i0; i <= i1; i++) {
                    append((r[k + 1] + (i << span)) & ~0xFFFL | span);
                }
            }
            if (++r[0] >= WRITES_TO_FORGET) {
                pages.remove(page);
                memoPage = -1;
                version++;
                append(EVERYTHING);
                unmark.accept(page);
            }
        }
    }

    /** Forgets every page (under the monitor): every core's next full flush drops everything. */
    private void forgetAll() {
        for (Long page : pages.keySet()) {
            unmark.accept(page);
        }
        pages.clear();
        memoPage = -1;
        version++;
        append(EVERYTHING);
    }

    private void append(long entry) {
        long h = head;
        log[(int) (h & (LOG - 1))] = entry;
        head = h + 1;
    }

    /**
     * One core's side: its place in the log, and the chunks it registered lately (a walk's
     * tables are mostly those of the walk before, and need no look at the shared map).
     */
    public final class View {
        private static final int RECENT = 256;
        private final long[] recentHost = new long[RECENT], recentEa = new long[RECENT], recentMeta = new long[RECENT];
        private int recentVersion = -1;
        private long seen;
        /** Registrations of this core not yet settled ({@link #settle}). */
        private int unsettledHere;

        /**
         * After a successful walk of {@code t} for {@code ea} with a process-scoped stage: registers
         * the process table entry and each table the walk read. Returns true when the caller must
         * make the other cores pass an instruction boundary, {@link #settle}, and walk again:
         * something new was registered, or another core's registration is not settled, and
         * {@code otherCores} run.
         */
        public boolean register(RadixTranslator t, long ea, boolean otherCores) {
            if (recentVersion != version) {
                java.util.Arrays.fill(recentHost, 0);
                recentVersion = version;
            }
            boolean fresh = chunk(t.processTableEntryHost(), 0, 2, 0, ANYTHING, otherCores);
            RadixWalk w = t.processWalk();
            for (int level = 0; level <= w.level; level++) {
                int span = w.spanAt[level];
                long index = ((ea & RadixTranslator.EA_WITHOUT_QUADRANT) >>> span) & ((1L << w.sizeAt[level]) - 1);
                fresh |= chunk(w.hostAt[level], index, 1 << w.sizeAt[level], ea & -(1L << span), span, otherCores);
            }
            return otherCores && (fresh || unsettled.get() > 0);
        }

        /** The part in its host page of a table of {@code entries}, whose entry {@code index} at {@code host} maps {@code ea}. */
        private boolean chunk(long host, long index, int entries, long ea, int span, boolean count) {
            long page = host & ~0xFFFL;
            long first = Math.max(0, index - ((host - page) >>> 3));
            long last = Math.min(entries - 1, index + ((page + 4088 - host) >>> 3));
            long start = host - ((index - first) << 3);
            long eaStart = span == ANYTHING ? 0 : ea - ((index - first) << span);
            long meta = span | (last - first + 1) << 8;
            int slot = (int) ((start >>> 3) ^ (start >>> 15)) & (RECENT - 1);
            if (recentHost[slot] == start && recentEa[slot] == eaStart && recentMeta[slot] == meta) {
                return false;
            }
            boolean fresh = add(start, eaStart, span, (int) (last - first + 1), count);
            if (fresh && count) {
                unsettledHere++;
            } else if (!count || unsettled.get() == 0) {
                recentHost[slot] = start;
                recentEa[slot] = eaStart;
                recentMeta[slot] = meta;
            }
            return fresh;
        }

        /** The other cores have passed an instruction boundary since this core's registrations. */
        public void settle() {
            unsettled.addAndGet(-unsettledHere);
            unsettledHere = 0;
        }

        /**
         * At a full flush of this core: the ranges logged since its last one into {@code out}
         * ({@link #address} and {@link #shift} of each); their number, or -1 when everything
         * must go (a write that may change anything, more than {@code out} holds, or the log
         * overrun). Either way the core's place moves to the log's end.
         */
        public int drain(long[] out) {
            synchronized (ProcessTableWatch.this) {
                long h = head, n = h - seen;
                boolean all = n > out.length || n > LOG;
                for (int k = 0; !all && k < n; k++) {
                    long e = log[(int) ((seen + k) & (LOG - 1))];
                    all = e == EVERYTHING;
                    out[k] = e;
                }
                seen = h;
                if (all) {
                    whole++;
                    return -1;
                }
                precise++;
                return (int) n;
            }
        }

        /**
         * What this core caches now may have been read past a store no log holds: every core's
         * next full flush drops everything.
         */
        public void distrust() {
            synchronized (ProcessTableWatch.this) {
                append(EVERYTHING);
            }
        }

        /** The core drops everything now: the writes logged so far are taken care of. */
        public void flushedAll() {
            seen = head;
        }
    }
}
