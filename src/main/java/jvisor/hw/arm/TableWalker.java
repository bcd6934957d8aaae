package jvisor.hw.arm;

import jvisor.memory.RealMemory;

/**
 * The one walker of VMSAv8-64 4K-granule tables in real memory, with the policy passed in as a
 * visitor (the shape of arm64 KVM's pgtable.c): every entry overlapping {@code [start, end)} is
 * visited, invalid entries and blocks/pages as {@link #LEAF}, tables before ({@link #TABLE_PRE})
 * and after ({@link #TABLE_POST}) their children. After a visitor returns the entry is read
 * again, so a {@code LEAF} visitor may install a table and the walk descends into it, and a
 * {@code TABLE_PRE} visitor may replace a table by a leaf and the walk does not descend.
 *
 * <p>The hypervisor's map, unmap, write-protect, age, relax and free operations are visitors;
 * the hardware's stage-2 lookup is {@link #lookup}, the same walk with a capturing visitor. A
 * table pointer outside real memory ends the walk with {@link #BAD_TABLE}, never an exception.
 */
public final class TableWalker {
    private TableWalker() {}

    /** Visitor flags: which callbacks a walk makes. */
    public static final int LEAF = 1, TABLE_PRE = 2, TABLE_POST = 4;

    /** Walk results: 0, or a negative code (a visitor's own, or BAD_TABLE) that ended the walk. */
    public static final int OK = 0, BAD_TABLE = -100;

    public interface Visitor {
        /** Called for the entry described by {@code w}; a negative result ends the walk with it. */
        int visit(Walk w, int flag);
    }

    /**
     * The state of a walk, handed to visitors: the entry being visited and the arguments of the
     * operation. Reused across walks by its owner (one per thread) so that walking never allocates.
     */
    public static final class Walk {
        public final RealMemory mem;
        /** Where the walk is: the first address of the entry's range that is being walked. */
        public long addr;
        public long start, end;
        public int level;
        /** Real address of the descriptor being visited. */
        public long entryPa;
        /** The descriptor as last read. */
        public long old;
        /** Whether the entry sits in the root table (never freed by walking back up). */
        public boolean rootEntry;
        /** Descriptor reads made, across walks (the cost of TLB misses). */
        public long reads;
        /** Free arguments and results of the operation being walked. */
        public long arg0, arg1, arg2, result;
        public int iarg;
        public Object context;

        public Walk(RealMemory mem) {
            this.mem = mem;
        }

        /** The first address mapped by the visited entry. */
        public long entryStart() {
            return addr & ~(Descriptor.levelSize(level) - 1);
        }

        /** Whether the visited entry's whole range lies inside the walked range. */
        public boolean coversEntry() {
            long s = entryStart();
            return s >= start && s + Descriptor.levelSize(level) <= end;
        }

        /** The real address of the 4 KiB table page holding the visited entry. */
        public long tablePage() {
            return entryPa & ~0xFFFL;
        }

        public long read() {
            return mem.readLongLE(entryPa);
        }

        /** Replaces the visited entry. */
        public void write(long value) {
            mem.writeLongLE(entryPa, value);
            old = value;
        }
    }

    /**
     * Walks {@code [start, end)} of the tables rooted at {@code rootPa}.
     *
     * @param rootTables number of concatenated tables at {@code startLevel} (a power of two)
     */
    public static int walk(Walk w, long rootPa, int startLevel, int rootTables, long start, long end, Visitor v,
                           int flags) {
        w.start = start;
        w.end = end;
        w.addr = start;
        if (start >= end) return OK;
        return walkTable(w, rootPa, startLevel, Descriptor.ENTRIES * rootTables, v, flags, true);
    }

    private static int walkTable(Walk w, long tablePa, int level, int entries, Visitor v, int flags, boolean root) {
        int shift = Descriptor.levelShift(level);
        int idx = (int) ((w.addr >>> shift) & (entries - 1));
        for (; idx < entries && w.addr < w.end; idx++) {
            int r = walkEntry(w, tablePa + 8L * idx, level, v, flags, root);
            if (r < 0) return r;
        }
        return OK;
    }

    private static int walkEntry(Walk w, long entryPa, int level, Visitor v, int flags, boolean root) {
        long size = Descriptor.levelSize(level);
        long entryStart = w.addr & ~(size - 1);
        w.level = level;
        w.entryPa = entryPa;
        w.rootEntry = root;
        long d = w.mem.readLongLE(entryPa);
        w.reads++;
        w.old = d;
        boolean table = Descriptor.isTable(d, level);
        if (table && (flags & TABLE_PRE) != 0) {
            int r = v.visit(w, TABLE_PRE);
            if (r < 0) return r;
            d = w.mem.readLongLE(entryPa);
            table = Descriptor.isTable(d, level);
        }
        if (!table && (flags & LEAF) != 0) {
            int r = v.visit(w, LEAF);
            if (r < 0) return r;
            d = w.mem.readLongLE(entryPa);
            table = Descriptor.isTable(d, level);
        }
        if (table) {
            long child = Descriptor.outputAddress(d);
            if (!w.mem.contains(child, 4096)) {
                return BAD_TABLE;
            }
            int r = walkTable(w, child, level + 1, Descriptor.ENTRIES, v, flags, false);
            if (r < 0) return r;
            if ((flags & TABLE_POST) != 0) {
                w.level = level;
                w.entryPa = entryPa;
                w.rootEntry = root;
                w.addr = Math.max(entryStart, w.start);
                w.old = w.mem.readLongLE(entryPa);
                r = v.visit(w, TABLE_POST);
                if (r < 0) return r;
            }
        }
        w.addr = entryStart + size;
        return OK;
    }

    // ---------------------------------------------------------------- the hardware's lookup

    private static final Visitor CAPTURE = (w, flag) -> {
        w.result = w.old;
        w.iarg = w.level;
        return OK;
    };

    /**
     * Finds the descriptor that translates {@code addr}: on return {@code w.result} holds the
     * last descriptor reached (a leaf, an invalid entry or a reserved one) and {@code w.iarg}
     * its level. Returns {@link #BAD_TABLE} (with {@code w.level} the level of the bad pointer)
     * when a table pointer leaves real memory.
     */
    public static int lookup(Walk w, long rootPa, int startLevel, int rootTables, long addr) {
        w.result = 0;
        w.iarg = startLevel;
        return walk(w, rootPa, startLevel, rootTables, addr, addr + 1, CAPTURE, LEAF);
    }
}
