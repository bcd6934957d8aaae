package jvisor.hw.arm;

import jvisor.memory.RealMemory;

/**
 * The hardware's lookup of one address: a {@link TableWalker} walk of a one-byte range that
 * captures the last descriptor it reaches. Owned by one thread (a CPU's MMU, or a hypervisor
 * under its lock) and reused, so a lookup never allocates.
 */
public final class TableLookup implements TableWalker.Visitor {
    private final TableWalker.Walk walk;
    /** The last descriptor the lookup reached: a leaf, an invalid entry or a reserved one. */
    public long descriptor;
    /** Its level; after {@link TableWalker#BAD_TABLE}, the level of the entry holding the bad pointer. */
    public int level;

    public TableLookup(RealMemory mem) {
        this.walk = new TableWalker.Walk(mem);
    }

    @Override
    public int flags() {
        return TableWalker.LEAF;
    }

    @Override
    public int leaf(TableWalker.Walk w) {
        descriptor = w.old;
        level = w.level;
        return TableWalker.OK;
    }

    /**
     * Finds the descriptor that translates {@code addr} in the tables rooted at {@code rootPa}.
     *
     * @return {@link TableWalker#OK}, or {@link TableWalker#BAD_TABLE} when a table pointer left
     *         real memory
     */
    public int find(long rootPa, int startLevel, int rootTables, long addr) {
        descriptor = 0;
        level = startLevel;
        int r = TableWalker.walk(walk, rootPa, startLevel, rootTables, addr, addr + 1, this);
        if (r == TableWalker.BAD_TABLE) level = walk.level;
        return r;
    }

    /** Whether the last {@link #find} ended at a valid block or page. */
    public boolean foundLeaf() {
        return Descriptor.isLeaf(descriptor, level);
    }

    /** The real address {@code addr} translates to through the leaf found last (only when {@link #foundLeaf}). */
    public long outputAddress(long addr) {
        return Descriptor.leafAddress(descriptor, level) | (addr & (Descriptor.levelSize(level) - 1));
    }

    /** Descriptor reads made by this lookup's walks so far. */
    public long reads() {
        return walk.reads;
    }
}
