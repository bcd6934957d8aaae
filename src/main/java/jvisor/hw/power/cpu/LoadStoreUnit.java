package jvisor.hw.power.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
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
 * <p>The interpreter reaches it through {@link #load} and {@link #store}; translated code calls
 * {@link #readPage}/{@link #writePage} and the static accessors inline, one method per width and
 * byte order, and leaves a miss to the interpreter.
 */
final class LoadStoreUnit {
    static final int PAGE = 4096;
    static final long PAGE_MASK = ~0xFFFL;
    /**
     * Entries of the data translation cache: 8192 pages (32 MiB) each way, so a guest sweeping a
     * large array does not miss on every page (QEMU's softmmu TLB grows as large).
     */
    private static final int ENTRIES = 8192;
    /** Bits 4..11 of a tag hold the epoch of the flush it was made after. */
    private static final int EPOCH_SHIFT = 4, EPOCHS = 256;
    private static final ValueLayout.OfShort HALF_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
            HALF_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt WORD_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
            WORD_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong DOUBLE_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
            DOUBLE_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Core core;
    private final RealMemory memory;
    private final Mmu mmu;
    private final DecodeCache decodeCache;
    private final ReservationMonitor reservations;
    private final int slot;

    private final long[] rdTag = new long[ENTRIES], rdBase = new long[ENTRIES];
    private final long[] wrTag = new long[ENTRIES], wrBase = new long[ENTRIES];
    /** The host bytes of each cached page (what rdBase/wrBase address), for the hit path. */
    private final MemorySegment[] rdPage = new MemorySegment[ENTRIES], wrPage = new MemorySegment[ENTRIES];
    /** Low bits of a tag: the translation mode of the current MSR and the {@link #epoch}. */
    private long mode;
    private int epoch;

    LoadStoreUnit(Core core) {
        this.core = core;
        this.memory = core.memory;
        this.mmu = core.mmu;
        this.decodeCache = core.decodeCache;
        this.reservations = core.reservations;
        this.slot = core.slot;
        Arrays.fill(rdTag, -1L);
        Arrays.fill(wrTag, -1L);
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
            Arrays.fill(rdTag, -1L);
            Arrays.fill(wrTag, -1L);
            Arrays.fill(rdPage, null);
            Arrays.fill(wrPage, null);
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
            rdTag[i] = -1L;
            wrTag[i] = -1L;
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

    /** Index into the cache of the page of {@code ea}. */
    private static int index(long ea) {
        return (int) (ea >>> 12) & (ENTRIES - 1);
    }

    /** The cached host bytes of the page holding {@code len} bytes at {@code ea} for reading, or null (slow path). */
    MemorySegment readPage(long ea, int len) {
        int i = index(ea);
        return miss(rdTag[i], ea, len) == 0 ? rdPage[i] : null;
    }

    /** As {@link #readPage} for writing; a write through it must be followed by {@link #storedCached}. */
    MemorySegment writePage(long ea, int len) {
        int i = index(ea);
        return miss(wrTag[i], ea, len) == 0 ? wrPage[i] : null;
    }

    /**
     * Zero when the tag is that of the page of {@code ea} in this mode and the {@code len} bytes
     * do not cross into the next page: one test in the code that inlines it, not two. (Each test
     * is a branch HotSpot may compile as never taken, and throw the translated code of a region
     * away the first time it is.)
     */
    private long miss(long tag, long ea, int len) {
        return (tag ^ ((ea & PAGE_MASK) | mode)) | ((ea ^ (ea + len - 1)) & PAGE_MASK);
    }

    /**
     * Every host address, as one segment: the page accessors below read and write a native page
     * through it, at the page's address. Through the page's own segment, each access also checked
     * that segment's bounds and that its memory was still there, and HotSpot could not fold those
     * checks, as the page comes from the cache's arrays: some 10% of the two-CPU sieve's time and
     * 3-5% of a Linux boot's. Through this constant segment there is nothing to check per access.
     * What the checks stood for still holds: the page is a 4 KiB slice of guest memory (the cache
     * was filled from {@link RealMemory#page}), an access never leaves it (the offset is the low
     * 12 bits of the address and {@link #miss} sends one crossing into the next page to the slow
     * path), and the page segment the caller holds keeps its memory allocated. A page that is no
     * native memory (a heap array, in tests) is accessed through its own segment.
     */
    private static final MemorySegment HOST = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static MemorySegment via(MemorySegment page) {
        return page.isNative() ? HOST : page;
    }

    private static long at(MemorySegment page, long ea) {
        return page.isNative() ? page.address() + (ea & 0xFFF) : ea & 0xFFF;
    }

    static long getByte(MemorySegment page, long ea) {
        return via(page).get(ValueLayout.JAVA_BYTE, at(page, ea)) & 0xFFL;
    }

    static void putByte(MemorySegment page, long ea, long v) {
        via(page).set(ValueLayout.JAVA_BYTE, at(page, ea), (byte) v);
    }

    long loadByte(long ea) {
        MemorySegment p = readPage(ea, 1);
        return p != null ? getByte(p, ea) : loadSlow(ea, 1);
    }

    void storeByte(long ea, long v) {
        MemorySegment p = writePage(ea, 1);
        if (p == null) {
            storeSlow(ea, 1, v);
            return;
        }
        putByte(p, ea, v);
        storedCached(ea, 1);
    }

    static long getHalfLE(MemorySegment page, long ea) {
        return via(page).get(HALF_LE, at(page, ea)) & 0xFFFFL;
    }

    static void putHalfLE(MemorySegment page, long ea, long v) {
        via(page).set(HALF_LE, at(page, ea), (short) v);
    }

    long loadHalfLE(long ea) {
        MemorySegment p = readPage(ea, 2);
        return p != null ? getHalfLE(p, ea) : loadSlow(ea, 2);
    }

    void storeHalfLE(long ea, long v) {
        MemorySegment p = writePage(ea, 2);
        if (p == null) {
            storeSlow(ea, 2, v);
            return;
        }
        putHalfLE(p, ea, v);
        storedCached(ea, 2);
    }

    static long getHalfBE(MemorySegment page, long ea) {
        return via(page).get(HALF_BE, at(page, ea)) & 0xFFFFL;
    }

    static void putHalfBE(MemorySegment page, long ea, long v) {
        via(page).set(HALF_BE, at(page, ea), (short) v);
    }

    long loadHalfBE(long ea) {
        MemorySegment p = readPage(ea, 2);
        return p != null ? getHalfBE(p, ea) : loadSlow(ea, 2);
    }

    void storeHalfBE(long ea, long v) {
        MemorySegment p = writePage(ea, 2);
        if (p == null) {
            storeSlow(ea, 2, v);
            return;
        }
        putHalfBE(p, ea, v);
        storedCached(ea, 2);
    }

    static long getWordLE(MemorySegment page, long ea) {
        return via(page).get(WORD_LE, at(page, ea)) & 0xFFFF_FFFFL;
    }

    static void putWordLE(MemorySegment page, long ea, long v) {
        via(page).set(WORD_LE, at(page, ea), (int) v);
    }

    long loadWordLE(long ea) {
        MemorySegment p = readPage(ea, 4);
        return p != null ? getWordLE(p, ea) : loadSlow(ea, 4);
    }

    void storeWordLE(long ea, long v) {
        MemorySegment p = writePage(ea, 4);
        if (p == null) {
            storeSlow(ea, 4, v);
            return;
        }
        putWordLE(p, ea, v);
        storedCached(ea, 4);
    }

    static long getWordBE(MemorySegment page, long ea) {
        return via(page).get(WORD_BE, at(page, ea)) & 0xFFFF_FFFFL;
    }

    static void putWordBE(MemorySegment page, long ea, long v) {
        via(page).set(WORD_BE, at(page, ea), (int) v);
    }

    long loadWordBE(long ea) {
        MemorySegment p = readPage(ea, 4);
        return p != null ? getWordBE(p, ea) : loadSlow(ea, 4);
    }

    void storeWordBE(long ea, long v) {
        MemorySegment p = writePage(ea, 4);
        if (p == null) {
            storeSlow(ea, 4, v);
            return;
        }
        putWordBE(p, ea, v);
        storedCached(ea, 4);
    }

    static long getDoubleLE(MemorySegment page, long ea) {
        return via(page).get(DOUBLE_LE, at(page, ea));
    }

    static void putDoubleLE(MemorySegment page, long ea, long v) {
        via(page).set(DOUBLE_LE, at(page, ea), v);
    }

    long loadDoubleLE(long ea) {
        MemorySegment p = readPage(ea, 8);
        return p != null ? getDoubleLE(p, ea) : loadSlow(ea, 8);
    }

    void storeDoubleLE(long ea, long v) {
        MemorySegment p = writePage(ea, 8);
        if (p == null) {
            storeSlow(ea, 8, v);
            return;
        }
        putDoubleLE(p, ea, v);
        storedCached(ea, 8);
    }

    static long getDoubleBE(MemorySegment page, long ea) {
        return via(page).get(DOUBLE_BE, at(page, ea));
    }

    static void putDoubleBE(MemorySegment page, long ea, long v) {
        via(page).set(DOUBLE_BE, at(page, ea), v);
    }

    long loadDoubleBE(long ea) {
        MemorySegment p = readPage(ea, 8);
        return p != null ? getDoubleBE(p, ea) : loadSlow(ea, 8);
    }

    void storeDoubleBE(long ea, long v) {
        MemorySegment p = writePage(ea, 8);
        if (p == null) {
            storeSlow(ea, 8, v);
            return;
        }
        putDoubleBE(p, ea, v);
        storedCached(ea, 8);
    }

    /**
     * A store through {@link #writePage} happened at {@code ea}: the decode cache and the
     * reservations learn of it. True when it dropped decoded instructions (it wrote code).
     */
    boolean storedCached(long ea, int len) {
        return stored(wrBase[index(ea)] + (ea & 0xFFF), len);
    }

    /** Every store (within one page) tells the decode cache and the reservation monitor; true if it wrote code. */
    boolean stored(long ra, int len) {
        long page = ra >>> 12;
        boolean code = decodeCache.isDecoded(page);
        if (code) {
            decodeCache.invalidate(page);
        }
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
        int i = (int) (ea >>> 12) & (ENTRIES - 1);
        long tag = (ea & PAGE_MASK) | mode;
        int off = (int) ea & 0xFFF;
        if (access == Mmu.LOAD ? rdTag[i] == tag : wrTag[i] == tag) {
            return (access == Mmu.LOAD ? rdBase[i] : wrBase[i]) + off;
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
        // Only pages the memory can hand out as a segment of the whole page are cached: the hit
        // path accesses it anywhere in its 4 KiB without a check (see HOST).
        MemorySegment bytes = memory.contains(page, PAGE) ? memory.page(page) : null;
        // A watched page stays out of the cache, so every access to it comes through here.
        if (bytes != null && bytes.byteSize() >= PAGE && (core.debug == null || !core.debug.watchesPage(ea))) {
            if (access == Mmu.STORE) {
                wrTag[i] = tag;
                wrBase[i] = page;
                wrPage[i] = bytes;
            } else {
                rdTag[i] = tag;
                rdBase[i] = page;
                rdPage[i] = bytes;
            }
        }
        return ra;
    }
}
