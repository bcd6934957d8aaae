package jvisor.hw.arm;

import jvisor.memory.RealMemory;

/**
 * The one walker of VMSAv8-64 4K-granule tables in real memory, with the policy passed in as a
 * typed visitor (the shape of arm64 KVM's pgtable.c): every entry overlapping {@code [start, end)}
 * is visited in address order; invalid entries and blocks/pages as a leaf ({@link Visitor#leaf}),
 * tables before their children ({@link Visitor#tablePre}, which may skip the subtree) and after
 * them ({@link Visitor#tablePost}). A visitor keeps its operation's arguments and results in its
 * own fields; the {@link Walk} it is handed says only where the walk is.
 *
 * <p>Two rules let the policies change the tree while it is walked. After {@code leaf} returns,
 * the entry is read again: a visitor that installed a table there is walked into it. A table
 * entry is descended into as it was read before {@code tablePre}, whatever the visitor wrote
 * there: a subtree it unlinked is still walked, so its pages can be released on the way back up
 * (post-order), which is how a block replaces a table and how a tree is torn down.
 *
 * <p>The hypervisor's map, unmap, write-protect, age, relax and free operations are visitors;
 * the hardware's stage-2 lookup is {@link TableLookup}, the same walk with a capturing visitor. A
 * table pointer outside real memory ends the walk with {@link #BAD_TABLE}, never an exception.
 */
public final class TableWalker {
    private TableWalker() {}

    /** Visitor flags: which callbacks a walk makes. */
    public static final int LEAF = 1, TABLE_PRE = 2, TABLE_POST = 4;

    /**
     * Callback results: {@link #OK} goes on, {@link #SKIP} (from {@code tablePre} only) leaves
     * the table's subtree and its {@code tablePost} out, and a negative code (a visitor's own)
     * ends the walk with it.
     */
    public static final int OK = 0, SKIP = 1;

    /** Walk result: a table pointer left real memory ({@link Walk#level} is the level of its entry). */
    public static final int BAD_TABLE = -100;

    /**
     * The policy of one operation. Each callback is made only when {@link #flags} asks for it.
     * A visitor holds its operation's state in fields of its own and is reused, so walking never
     * allocates.
     */
    public interface Visitor {
        /** {@link #LEAF}, {@link #TABLE_PRE} and {@link #TABLE_POST}, or-ed: the callbacks wanted. */
        int flags();

        /** An entry that is not a table: invalid, a block, a page or a reserved encoding. */
        default int leaf(Walk w) {
            return OK;
        }

        /** A table entry, before its children; {@link #SKIP} leaves them out. */
        default int tablePre(Walk w) {
            return OK;
        }

        /** A table entry, after its children; {@link Walk#childTable} is the table just walked. */
        default int tablePost(Walk w) {
            return OK;
        }
    }

    /**
     * Where a walk is, handed to the visitor's callbacks. Reused across walks by its owner (one per
     * thread), so that walking never allocates.
     */
    public static final class Walk {
        public final RealMemory mem;
        /** The first address of the visited entry's range that lies in the walked range. */
        public long addr;
        /** The walked range. */
        public long start, end;
        public int level;
        /** Real address of the descriptor being visited. */
        public long entryPa;
        /** The descriptor as last read (read again before {@code tablePost}). */
        public long old;
        /** In {@code tablePost}: the real address of the table whose entries were just walked. */
        public long childTable;
        /** Descriptor reads made, across walks (the cost of TLB misses). */
        public long reads;

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
     * @return {@link #OK}, {@link #BAD_TABLE}, or the negative code a callback ended the walk with
     */
    public static int walk(Walk w, long rootPa, int startLevel, int rootTables, long start, long end, Visitor v) {
        w.start = start;
        w.end = end;
        w.addr = start;
        if (start >= end) return OK;
        return walkTable(w, rootPa, startLevel, Descriptor.ENTRIES * rootTables, v, v.flags());
    }

    private static int walkTable(Walk w, long tablePa, int level, int entries, Visitor v, int flags) {
        int shift = Descriptor.levelShift(level);
        int idx = (int) ((w.addr >>> shift) & (entries - 1));
        for (; idx < entries && w.addr < w.end; idx++) {
            int r = walkEntry(w, tablePa + 8L * idx, level, v, flags);
            if (r < 0) return r;
        }
        return OK;
    }

    private static int walkEntry(Walk w, long entryPa, int level, Visitor v, int flags) {
        long size = Descriptor.levelSize(level);
        long entryStart = w.addr & ~(size - 1);
        w.level = level;
        w.entryPa = entryPa;
        long d = w.mem.readLongLE(entryPa);
        w.reads++;
        w.old = d;
        boolean table = Descriptor.isTable(d, level);
        if (table) {
            if ((flags & TABLE_PRE) != 0) {
                int r = v.tablePre(w);
                if (r < 0) return r;
                if (r == SKIP) {
                    w.addr = entryStart + size;
                    return OK;
                }
            }
        } else if ((flags & LEAF) != 0) {
            int r = v.leaf(w);
            if (r < 0) return r;
            d = w.mem.readLongLE(entryPa);
            table = Descriptor.isTable(d, level);
        }
        if (table) {
            long child = Descriptor.outputAddress(d);
            if (!w.mem.contains(child, 4096)) {
                w.level = level;
                return BAD_TABLE;
            }
            int r = walkTable(w, child, level + 1, Descriptor.ENTRIES, v, flags);
            if (r < 0) return r;
            if ((flags & TABLE_POST) != 0) {
                w.level = level;
                w.entryPa = entryPa;
                w.addr = Math.max(entryStart, w.start);
                w.old = w.mem.readLongLE(entryPa);
                w.childTable = child;
                r = v.tablePost(w);
                if (r < 0) return r;
            }
        }
        w.addr = entryStart + size;
        return OK;
    }
}
