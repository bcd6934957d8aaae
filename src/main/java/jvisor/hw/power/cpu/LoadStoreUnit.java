package jvisor.hw.power.cpu;

import static jvisor.memory.ByteLayouts.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jvisor.hw.power.Mmu;
import jvisor.memory.RealMemory;

/**
 * The load/store unit of one {@link Core}: every data access of the guest goes through it, and it
 * keeps the core's data translation cache, a direct-mapped cache of (effective page, translation
 * mode) to host real page, one for reads and one for writes, each with the host bytes of the page
 * for the hit path. The MMU is asked only on a miss ({@link #dataAddress}), which also raises the
 * storage interrupt, machine check or exit of a failed translation.
 *
 * <p>A tag is the effective page number with the translation mode in its low bits: MSR[DR],
 * MSR[PR] and MSR[HV], and the epoch of the last flush. Changing the MSR changes the mode, so it
 * needs no flush; {@link #flush} only bumps the epoch, and the tags are really cleared once every
 * {@link #EPOCHS} flushes, when the epoch wraps.
 *
 * <p>The interpreter reaches it through {@link #load} and {@link #store}; a whole region's code
 * calls {@link #readHost}/{@link #writeHost} and the static accessors inline, one method per width
 * and byte order, a quick region's code the same through one call of {@link QuickAccess}; both
 * leave a miss to the interpreter.
 */
final class LoadStoreUnit {
    static final int PAGE = 4096;
    static final long PAGE_MASK = ~0xFFFL;
    /**
     * Entries of the data translation cache: 8192 pages (32 MiB) each way, so a guest sweeping a
     * large array does not miss on every page (QEMU's softmmu TLB grows as large).
     */
    static final int ENTRIES = 8192;
    /** Bits 4..11 of a tag hold the epoch of the flush it was made after. */
    private static final int EPOCH_SHIFT = 4, EPOCHS = 256;

    private final Core core;
    private final RealMemory memory;
    private final Mmu mmu;
    private final DecodeCache decodeCache;
    private final ReservationMonitor reservations;
    private final int slot;

    /**
     * The read and the write cache, one entry of {@link #STRIDE} longs per page side by side: the
     * {@link #TAG}, the host {@link #ADDRESS} of the page's bytes, the guest {@link #REAL} address
     * of the page (what a store reports to the reservations) and, for writing, the decode cache's
     * {@link #CODE_EPOCH} it was made in (see {@link #writeHost}; 0 for reading). A hit reads one
     * host cache line, or two where an entry straddles one (the array is 8-byte aligned); separate
     * arrays of tags, bases and page segments cost it three or four, and a guest sweeping many
     * pages missed in the host's cache on each.
     */
    private final long[] rd = new long[2 * ENTRIES * STRIDE];
    static final int WR = ENTRIES << 2;
    /** Set by a quick region's load that missed ({@link QuickAccess}); the region clears it. */
    boolean quickMiss;
    static final int STRIDE_SHIFT = 2, STRIDE = 1 << STRIDE_SHIFT, TAG = 0, ADDRESS = 1, REAL = 2, CODE_EPOCH = 3;
    /** Low bits of a tag: the translation mode of the current MSR and the {@link #epoch}. */
    private long mode;
    private int epoch;

    long[] readArray() { return rd; }
    long modeBits() { return mode; }

    LoadStoreUnit(Core core) {
        this.core = core;
        this.memory = core.memory;
        this.mmu = core.mmu;
        this.decodeCache = core.decodeCache;
        this.reservations = core.reservations;
        this.slot = core.slot;
        clearTags();
    }

    private void clearTags() {
        for (int i = 0; i < ENTRIES; i++) {
            rd[i * STRIDE + TAG] = -1L;
            rd[WR + i * STRIDE + TAG] = -1L;
        }
    }

    /** The MSR changed: data tags from now on carry its DR, PR and HV bits. */
    void setMode(long msr) {
        long hv = (msr >>> 58) & 4, pr = (msr >>> 13) & 2;
        mode = ((msr >>> 4) & 1) | pr | hv | ((long) epoch << EPOCH_SHIFT);
    }

    /** Drops every cached data translation: entries made before never match again. */
    void flush() {
        epoch = (epoch + 1) & (EPOCHS - 1);
        if (epoch == 0) {
            clearTags();
        }
        mode = (mode & ((1L << EPOCH_SHIFT) - 1)) | ((long) epoch << EPOCH_SHIFT);
    }

    /**
     * Drops the cached translations of the page of 2^{@code pageShift} bytes at {@code ea}: the
     * entries of its 4K granules (whatever else shares their slots goes too); a page larger than
     * the cache flushes it.
     */
    void invalidatePage(long ea, int pageShift) {
        int granules = granules(pageShift, ENTRIES);
        if (granules < 0) {
            flush();
            return;
        }
        for (int k = 0; k < granules; k++) {
            int i = index(ea + ((long) k << 12));
            rd[i + TAG] = -1L;
            rd[WR + i + TAG] = -1L;
        }
    }

    /**
     * The 4K granules of a page of 2^{@code pageShift} bytes, or -1 when a cache of
     * {@code entries} pages is better flushed whole (a larger page, or no page size named).
     */
    static int granules(int pageShift, int entries) {
        if (pageShift < 0 || pageShift - 12 >= Integer.numberOfTrailingZeros(entries)) {
            return -1;
        }
        return 1 << (Math.max(pageShift, 12) - 12);
    }

    /** Loads {@code len} (1, 2, 4, 8) bytes in the current byte order, zero-extended. */
    long load(long ea, int len) {
        return switch (len) {
            case 1 -> loadByte(ea);
            case 2 -> core.le ? loadHalfLE(ea) : loadHalfBE(ea);
            case 4 -> core.le ? loadWordLE(ea) : loadWordBE(ea);
            default -> core.le ? loadDoubleLE(ea) : loadDoubleBE(ea);
        };
    }

    /** Stores the low {@code len} bytes of {@code v} in the current byte order. */
    void store(long ea, int len, long v) {
        switch (len) {
            case 1 -> storeByte(ea, v);
            case 2 -> { if (core.le) storeHalfLE(ea, v); else storeHalfBE(ea, v); }
            case 4 -> { if (core.le) storeWordLE(ea, v); else storeWordBE(ea, v); }
            default -> { if (core.le) storeDoubleLE(ea, v); else storeDoubleBE(ea, v); }
        }
    }

    // One small method per width and byte order: the interpreter reaches them through load/store,
    // translated code calls them directly with the byte order of its page (the hit inline). The
    // byte order used must be the current one (MSR[LE]): the slow path reads it from the core.

    /**
     * Index into the cache arrays of the entry of the page of {@code ea}: the page number's low
     * bits times {@link #STRIDE} (4), shifted into place at once, one shift and one mask where
     * HotSpot kept a shift, a mask and a second shift.
     */
    private static int index(long ea) {
        return (int) (ea >>> (12 - STRIDE_SHIFT)) & ((ENTRIES - 1) << STRIDE_SHIFT);
    }

    /**
     * The host address of the {@code len} bytes at {@code ea} for reading, if the cache has the
     * page, or 0 (the slow path): no page of guest memory sits at host address 0.
     */
    long readHost(long ea, int len) {
        return readMiss(ea, len) == 0 ? readAddress(ea) : 0;
    }

    /**
     * A whole region's read, in two steps: zero when the cache holds the page of the {@code len}
     * bytes at {@code ea} (their host address is then {@link #readAddress}), else the slow path.
     * {@link #readHost} tests the tag and then its own result, two tests where this leaves one in
     * the inlined code.
     */
    long readMiss(long ea, int len) {
        return miss(rd[index(ea) + TAG], ea, len);
    }

    /** The host address of the byte at {@code ea} for reading, where {@link #readMiss} said zero. */
    long readAddress(long ea) {
        return rd[index(ea) + ADDRESS] + (ea & 0xFFF);
    }

    /**
     * As {@link #readHost} for writing; a write through it must be followed by
     * {@link #storedCached}. The cache holds no decoded page for writing, nor a page of guest
     * tables a translation was read from: it is filled only with pages that are neither, and
     * every write entry lapses when any page becomes one (the decode cache's code epoch moves on
     * from the one the entry holds), so a hit cannot write code or a watched table entry and
     * needs no look at the maps. A store that misses goes the slow way, which drops decoded code
     * it writes and logs a table write (see {@link jvisor.hw.power.ProcessTableWatch}). (A store racing with another core's first decode of
     * its page may be missed, as it could before: cross-modified code is only certain after
     * icbi, which drops the page.)
     */
    long writeHost(long ea, int len) {
        return writeMiss(ea, len) == 0 ? writeAddress(ea) : 0;
    }

    /** As {@link #readMiss} for writing ({@link #writeHost}'s test): a write must be followed by {@link #storedCached}. */
    long writeMiss(long ea, int len) {
        int i = index(ea);
        return miss(rd[WR + i + TAG], ea, len) | (rd[WR + i + CODE_EPOCH] ^ decodeCache.codeEpoch());
    }

    /** The host address of the byte at {@code ea} for writing, where {@link #writeMiss} said zero. */
    long writeAddress(long ea) {
        return rd[WR + index(ea) + ADDRESS] + (ea & 0xFFF);
    }

    /**
     * Zero when {@code tag}, the tag of the entry of the page of {@code ea}, is that of the page
     * of the access's last byte in this mode: the page of {@code ea} itself, cached, when the
     * {@code len} bytes do not cross into the next page. An access that crosses compares the
     * next page with a tag that cannot hold it (consecutive pages have consecutive entries, and a
     * tag is only ever stored in its own page's entry), and misses. One test in the code that
     * inlines it, not one for the tag and one for the crossing. (Each test is a branch HotSpot
     * may compile as never taken, and throw the translated code of a region away the first time
     * it is.)
     */
    private long miss(long tag, long ea, int len) {
        return tag ^ (((ea + len - 1) & PAGE_MASK) | mode);
    }

    /**
     * Every host address, as one segment: the accessors below read and write guest memory through
     * it, at the host address the cache gave. Through each page's own segment, every access also
     * checked that segment's bounds and that its memory was still there, and HotSpot could not
     * fold those checks, as the page came from the cache: some 10% of the two-CPU sieve's time
     * and 3-5% of a Linux boot's. Through this constant segment there is nothing to check per
     * access. What the checks stood for still holds: the cache holds only native 4 KiB pages of
     * guest memory (see {@link #dataAddress}), an access never leaves its page ({@link #miss}
     * sends one crossing into the next page to the slow path), and the memory, which this unit
     * holds, keeps the pages it handed out allocated for its life ({@link RealMemory#page}).
     */
    private static final MemorySegment HOST = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    static long getByte(long host) {
        return HOST.get(ValueLayout.JAVA_BYTE, host) & 0xFFL;
    }

    static void putByte(long host, long v) {
        HOST.set(ValueLayout.JAVA_BYTE, host, (byte) v);
    }

    long loadByte(long ea) {
        long h = readHost(ea, 1);
        return h != 0 ? getByte(h) : loadSlow(ea, 1);
    }

    void storeByte(long ea, long v) {
        long h = writeHost(ea, 1);
        if (h == 0) {
            storeSlow(ea, 1, v);
            return;
        }
        putByte(h, v);
        storedCached(ea, 1);
    }

    static long getHalfLE(long host) {
        return HOST.get(SHORT_LE, host) & 0xFFFFL;
    }

    static void putHalfLE(long host, long v) {
        HOST.set(SHORT_LE, host, (short) v);
    }

    long loadHalfLE(long ea) {
        long h = readHost(ea, 2);
        return h != 0 ? getHalfLE(h) : loadSlow(ea, 2);
    }

    void storeHalfLE(long ea, long v) {
        long h = writeHost(ea, 2);
        if (h == 0) {
            storeSlow(ea, 2, v);
            return;
        }
        putHalfLE(h, v);
        storedCached(ea, 2);
    }

    static long getHalfBE(long host) {
        return HOST.get(SHORT_BE, host) & 0xFFFFL;
    }

    static void putHalfBE(long host, long v) {
        HOST.set(SHORT_BE, host, (short) v);
    }

    long loadHalfBE(long ea) {
        long h = readHost(ea, 2);
        return h != 0 ? getHalfBE(h) : loadSlow(ea, 2);
    }

    void storeHalfBE(long ea, long v) {
        long h = writeHost(ea, 2);
        if (h == 0) {
            storeSlow(ea, 2, v);
            return;
        }
        putHalfBE(h, v);
        storedCached(ea, 2);
    }

    static long getWordLE(long host) {
        return HOST.get(INT_LE, host) & 0xFFFF_FFFFL;
    }

    static void putWordLE(long host, long v) {
        HOST.set(INT_LE, host, (int) v);
    }

    long loadWordLE(long ea) {
        long h = readHost(ea, 4);
        return h != 0 ? getWordLE(h) : loadSlow(ea, 4);
    }

    void storeWordLE(long ea, long v) {
        long h = writeHost(ea, 4);
        if (h == 0) {
            storeSlow(ea, 4, v);
            return;
        }
        putWordLE(h, v);
        storedCached(ea, 4);
    }

    static long getWordBE(long host) {
        return HOST.get(INT_BE, host) & 0xFFFF_FFFFL;
    }

    static void putWordBE(long host, long v) {
        HOST.set(INT_BE, host, (int) v);
    }

    long loadWordBE(long ea) {
        long h = readHost(ea, 4);
        return h != 0 ? getWordBE(h) : loadSlow(ea, 4);
    }

    void storeWordBE(long ea, long v) {
        long h = writeHost(ea, 4);
        if (h == 0) {
            storeSlow(ea, 4, v);
            return;
        }
        putWordBE(h, v);
        storedCached(ea, 4);
    }

    static long getDoubleLE(long host) {
        return HOST.get(LONG_LE, host);
    }

    static void putDoubleLE(long host, long v) {
        HOST.set(LONG_LE, host, v);
    }

    long loadDoubleLE(long ea) {
        long h = readHost(ea, 8);
        return h != 0 ? getDoubleLE(h) : loadSlow(ea, 8);
    }

    /**
     * dcbz where the cache holds the page for writing (never code, never watched): the aligned
     * 128-byte block at {@code ea} zeroed and the store told; false on a miss, nothing written
     * (the caller takes the general path, which translates and checks each write).
     */
    boolean zeroCached(long ea) {
        long h = writeHost(ea, 128);
        if (h == 0) {
            return false;
        }
        zeroBlock(h);
        storedCached(ea, 128);
        return true;
    }

    void storeDoubleLE(long ea, long v) {
        long h = writeHost(ea, 8);
        if (h == 0) {
            storeSlow(ea, 8, v);
            return;
        }
        putDoubleLE(h, v);
        storedCached(ea, 8);
    }

    static long getDoubleBE(long host) {
        return HOST.get(LONG_BE, host);
    }

    /**
     * Zeroes the 128-byte block at {@code host} (dcbz's hit): sixteen doublewords, written out,
     * as HotSpot's C2 made of a loop over them a pre-, main- and post-loop with the memory
     * segment's bounds worked out at each (CoreLoopBenchmark.zeroLoop translated 315 -> 570 MIPS).
     */
    static void zeroBlock(long host) {
        HOST.set(LONG_LE, host, 0L);
        HOST.set(LONG_LE, host + 8, 0L);
        HOST.set(LONG_LE, host + 16, 0L);
        HOST.set(LONG_LE, host + 24, 0L);
        HOST.set(LONG_LE, host + 32, 0L);
        HOST.set(LONG_LE, host + 40, 0L);
        HOST.set(LONG_LE, host + 48, 0L);
        HOST.set(LONG_LE, host + 56, 0L);
        HOST.set(LONG_LE, host + 64, 0L);
        HOST.set(LONG_LE, host + 72, 0L);
        HOST.set(LONG_LE, host + 80, 0L);
        HOST.set(LONG_LE, host + 88, 0L);
        HOST.set(LONG_LE, host + 96, 0L);
        HOST.set(LONG_LE, host + 104, 0L);
        HOST.set(LONG_LE, host + 112, 0L);
        HOST.set(LONG_LE, host + 120, 0L);
    }

    static void putDoubleBE(long host, long v) {
        HOST.set(LONG_BE, host, v);
    }

    long loadDoubleBE(long ea) {
        long h = readHost(ea, 8);
        return h != 0 ? getDoubleBE(h) : loadSlow(ea, 8);
    }

    void storeDoubleBE(long ea, long v) {
        long h = writeHost(ea, 8);
        if (h == 0) {
            storeSlow(ea, 8, v);
            return;
        }
        putDoubleBE(h, v);
        storedCached(ea, 8);
    }

    /**
     * A store through {@link #writeHost} happened at {@code ea}: the reservations learn of it
     * (it wrote no code: see {@link #writeHost}).
     */
    void storedCached(long ea, int len) {
        // The real address only for a store that may break another core's reservation.
        if (reservations.storeMayBreakAReservation()) {
            reservations.reservationsLost(slot, rd[WR + index(ea) + REAL] + (ea & 0xFFF), len);
        }
    }

    /** A store (within one page) the data cache did not hold tells the decode cache (code, tables) and the reservation monitor; true if it wrote code. */
    boolean stored(long ra, int len) {
        boolean code = decodeCache.stored(ra, len);
        reservations.storeSeen(slot, ra, len);
        return code;
    }

    long read(long ra, int len, boolean littleEndian) {
        RealMemory m = memory;
        if (littleEndian) {
            return switch (len) {
                case 1 -> m.readByte(ra) & 0xFFL;
                case 2 -> m.readShortLE(ra) & 0xFFFFL;
                case 4 -> m.readIntLE(ra) & 0xFFFF_FFFFL;
                default -> m.readLongLE(ra);
            };
        }
        return switch (len) {
            case 1 -> m.readByte(ra) & 0xFFL;
            case 2 -> m.readShortBE(ra) & 0xFFFFL;
            case 4 -> m.readIntBE(ra) & 0xFFFF_FFFFL;
            default -> m.readLongBE(ra);
        };
    }

    void write(long ra, int len, long v, boolean littleEndian) {
        RealMemory m = memory;
        if (littleEndian) {
            switch (len) {
                case 1 -> m.writeByte(ra, (byte) v);
                case 2 -> m.writeShortLE(ra, (short) v);
                case 4 -> m.writeIntLE(ra, (int) v);
                default -> m.writeLongLE(ra, v);
            }
        } else {
            switch (len) {
                case 1 -> m.writeByte(ra, (byte) v);
                case 2 -> m.writeShortBE(ra, (short) v);
                case 4 -> m.writeIntBE(ra, (int) v);
                default -> m.writeLongBE(ra, v);
            }
        }
    }

    long loadSlow(long ea, int len) {
        if ((ea & 0xFFF) <= PAGE - len) {
            long ra = dataAddress(ea, len, Mmu.LOAD);
            return ra < 0 ? 0 : read(ra, len, core.le);
        }
        // The access crosses a page: translate both pages before reading anything.
        long split = (ea | 0xFFF) + 1;
        int first = (int) (split - ea);
        long ra0 = dataAddress(ea, first, Mmu.LOAD);
        if (ra0 < 0) {
            return 0;
        }
        long ra1 = dataAddress(split & core.addrMask, len - first, Mmu.LOAD);
        if (ra1 < 0) {
            return 0;
        }
        long v = 0;
        for (int k = 0; k < len; k++) {
            long b = memory.readByte(k < first ? ra0 + k : ra1 + k - first) & 0xFFL;
            v = core.le ? v | (b << (8 * k)) : (v << 8) | b;
        }
        return v;
    }

    void storeSlow(long ea, int len, long v) {
        if ((ea & 0xFFF) <= PAGE - len) {
            long ra = dataAddress(ea, len, Mmu.STORE);
            if (ra >= 0) {
                write(ra, len, v, core.le);
                stored(ra, len);
            }
            return;
        }
        long split = (ea | 0xFFF) + 1;
        int first = (int) (split - ea);
        long ra0 = dataAddress(ea, first, Mmu.STORE);
        if (ra0 < 0) {
            return;
        }
        long ra1 = dataAddress(split & core.addrMask, len - first, Mmu.STORE);
        if (ra1 < 0) {
            return;
        }
        for (int k = 0; k < len; k++) {
            int shift = core.le ? 8 * k : 8 * (len - 1 - k);
            memory.writeByte(k < first ? ra0 + k : ra1 + k - first, (byte) (v >>> shift));
        }
        stored(ra0, first);
        stored(ra1, len - first);
    }

    /** The access hits a watchpoint: the instruction stops before it, for the debugger. */
    private boolean watched(long ea, int len, int access) {
        DebugPoints.Hit hit = core.debug.watchHit(ea, len, access == Mmu.STORE);
        if (hit == null) {
            return false;
        }
        core.debugHit = hit;
        core.pc = core.cia;
        core.exit(Exit.DEBUG, "");
        return true;
    }

    /**
     * Translates a data access that stays within one page and returns the host real address,
     * or -1 after raising the interrupt or exit (then {@link Core#trap} is set).
     */
    long dataAddress(long ea, int len, int access) {
        int i = index(ea);
        long tag = (ea & PAGE_MASK) | mode;
        int off = (int) ea & 0xFFF;
        long[] cache = rd;
        int i0 = access == Mmu.LOAD ? 0 : WR;
        // A write entry of an older code epoch is made again below, or stores would keep missing
        // it; read entries hold epoch 0.
        int epochNow = access == Mmu.STORE ? decodeCache.codeEpoch() : 0;
        if (cache[i0 + i + TAG] == tag && cache[i0 + i + CODE_EPOCH] == epochNow) {
            return cache[i0 + i + REAL] + off;
        }
        if (core.debug != null && watched(ea, len, access)) {
            return -1;
        }
        long ra = mmu.translate(ea, access, core.msr);
        if (ra < 0) {
            core.interrupts.dataFault(mmu.fault(), ea, access);
            return -1;
        }
        if (!memory.contains(ra, len)) {
            core.interrupts.machineCheckData(ea);
            return -1;
        }
        long page = ra & PAGE_MASK;
        // Only pages the memory can hand out as native bytes of the whole page are cached: the
        // hit path accesses them anywhere in their 4 KiB by host address, without a check (see
        // HOST). A watched page stays out of the cache, so every access to it comes through here.
        MemorySegment bytes = memory.contains(page, PAGE) ? memory.page(page) : null;
        // A write entry holds the code epoch it was made in, read before the decode map: a page
        // decoded after that read moves the epoch on, and the entry lapses.
        if (access == Mmu.STORE && decodeCache.isWatched(page >>> 12)) {
            bytes = null;
        }
        if (bytes != null && bytes.isNative() && bytes.byteSize() >= PAGE
                && (core.debug == null || !core.debug.watchesPage(ea))) {
            cache[i0 + i + ADDRESS] = bytes.address();
            cache[i0 + i + REAL] = page;
            cache[i0 + i + CODE_EPOCH] = epochNow;
            cache[i0 + i + TAG] = tag;
        }
        return ra;
    }
}
