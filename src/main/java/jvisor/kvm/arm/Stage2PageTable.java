package jvisor.kvm.arm;

import java.util.concurrent.atomic.LongAdder;
import jvisor.hw.arm.Descriptor;
import jvisor.hw.arm.Stage2Descriptor;
import jvisor.hw.arm.TableLookup;
import jvisor.hw.arm.TableWalker;
import jvisor.hw.arm.TableWalker.Walk;
import jvisor.kvm.MemoryCache;
import jvisor.memory.PhysicalMemory;

/**
 * A table tree the hypervisor owns (KVM's struct kvm_pgtable): a VM's stage-2 tables, or the
 * hypervisor's own EL2 tables. Every operation is a visitor of the one {@link TableWalker}, an
 * object of its own whose fields hold the operation's arguments and results.
 *
 * <p>The refcount invariant: the host frame of every table page has a reference count of
 * {@code 1 + the number of valid entries it holds}. A table whose count falls back to one while
 * walking back up is unlinked and freed, so after everything is unmapped only the root remains,
 * at count one, and no table frame is leaked. Tables go away only in the walker's post-order
 * callback, after their own entries: on unmap, when a block replaces them, and at teardown.
 *
 * <p>Replacing a valid entry by another valid one is break-before-make, always through
 * {@link #breakEntry}: invalidate the entry, invalidate the TLBs for its range, then write the
 * new one (at once, or for a block replacing a table after the old subtree was walked). Operations that only take rights away (unmap, write-protect, make old) clear entries
 * and invalidate the TLBs once for the range they touched, before any table page they unlinked
 * goes back to the host: a walk still running on another CPU can never read a recycled page.
 *
 * <p>Callers serialize every operation (the VM's MMU lock, or the hypervisor's own lock); the
 * hardware reads the tables concurrently and never writes them.
 */
public final class Stage2PageTable {

    /** Invalidates the TLB entries built on {@code [addr, addr + size)}. */
    public interface TlbInvalidator {
        void invalidate(long addr, long size);
    }

    /** Operation results. */
    public static final int OK = 0, NO_MEMORY = -1, EXISTS = -2, NO_TABLE = -3, NOT_MAPPED = -4;

    /** Map flags. */
    public static final int NO_OVERWRITE = 1, NO_ALLOCATE = 2;

    private final PhysicalMemory pm;
    private final long rootPa;
    private final int startLevel, rootTables, inputBits;
    private final TlbInvalidator tlbi;
    private final Walk walk;

    public final LongAdder tablesAllocated = new LongAdder(), tablesFreed = new LongAdder(),
            breakBeforeMake = new LongAdder(), leavesMapped = new LongAdder();

    // The policies, one reused object each (operations are serialized by the caller).
    private final MapVisitor mapVisitor = new MapVisitor();
    private final UnmapVisitor unmapVisitor = new UnmapVisitor();
    private final LeafAttributesVisitor leafAttributesVisitor = new LeafAttributesVisitor();
    private final YoungVisitor youngVisitor = new YoungVisitor();
    private final FreeVisitor freeVisitor = new FreeVisitor();
    private final TableLookup lookup;

    // What a rights-removing operation still owes: one TLB invalidation, then the unlinked tables.
    private long flushStart = Long.MAX_VALUE, flushEnd = Long.MIN_VALUE;
    private long[] pendingFree = new long[16];
    private int pendingCount;

    private Stage2PageTable(PhysicalMemory pm, long rootPa, int startLevel, int rootTables, int inputBits, TlbInvalidator tlbi) {
        this.pm = pm;
        this.rootPa = rootPa;
        this.startLevel = startLevel;
        this.rootTables = rootTables;
        this.inputBits = inputBits;
        this.tlbi = tlbi;
        this.walk = new Walk(pm);
        this.lookup = new TableLookup(pm);
    }

    /**
     * Allocates an empty tree: {@code rootTables} concatenated tables at {@code startLevel},
     * contiguous and aligned to their combined size as the architecture requires.
     *
     * @return the tree, or null when the host is out of memory
     */
    public static Stage2PageTable create(PhysicalMemory pm, int startLevel, int rootTables, int inputBits, TlbInvalidator tlbi) {
        long root = allocateAligned(pm, rootTables);
        return root < 0 ? null : new Stage2PageTable(pm, root, startLevel, rootTables, inputBits, tlbi);
    }

    /**
     * {@code n} contiguous 4 KiB frames aligned to {@code n} frames. The host allocator hands out
     * single frames (cut in ascending order from 2 MiB blocks), so a few single allocations find an
     * aligned run; the frames passed over are given back. When freed frames have scattered the
     * free list, the run comes from {@link PhysicalMemory#allocateRun}.
     */
    static long allocateAligned(PhysicalMemory pm, int n) {
        if (n == 1) {
            long pfn = pm.allocate(0);
            return pfn == PhysicalMemory.NO_FRAME ? -1 : pfn << 12;
        }
        final int maxTries = 2048;
        long[] held = new long[maxTries];
        int count = 0;
        long found = -1;
        while (count < maxTries) {
            long pfn = pm.allocate(0);
            if (pfn == PhysicalMemory.NO_FRAME) break;
            held[count++] = pfn;
            if (pfn % n == n - 1 && count >= n) {
                boolean run = true;
                for (int i = 1; i < n && run; i++) run = held[count - 1 - i] == pfn - i;
                if (run) {
                    found = pfn - (n - 1);
                    count -= n;
                    break;
                }
            }
        }
        for (int i = 0; i < count; i++) pm.put(held[i]);
        if (found < 0) {
            // The single frames are too scattered (a host that has run for a while): a fresh run.
            long run = pm.allocateRun(n);
            return run == PhysicalMemory.NO_FRAME ? -1 : run << 12;
        }
        return found << 12;
    }

    public long rootPa() {
        return rootPa;
    }

    public int startLevel() {
        return startLevel;
    }

    public int rootTables() {
        return rootTables;
    }

    public int inputBits() {
        return inputBits;
    }

    /** Table pages a map may need below the root: what a memory cache must hold before the lock. */
    public int maxNewTables() {
        return Descriptor.MAX_LEVEL - startLevel;
    }

    /** Reference count of a table page (the invariant's left side). */
    public int refCount(long tablePa) {
        return pm.refCount(tablePa >>> 12);
    }

    // ---------------------------------------------------------------- shared steps

    private void countEntry(Walk w) {
        pm.get(w.tablePage() >>> 12);
    }

    private void uncountEntry(Walk w) {
        pm.put(w.tablePage() >>> 12);
    }

    /** Break-before-make: the entry goes invalid, the TLBs forget its range, then {@code next} is written. */
    private void breakBeforeMake(Walk w, long next) {
        breakEntry(w);
        w.write(next);
    }

    /**
     * The break: the entry goes invalid and the TLBs forget its range. The make follows at once,
     * or, when a block replaces a table, once the walk is back up from the table's subtree.
     */
    private void breakEntry(Walk w) {
        long start = w.entryStart();
        w.write(0);
        tlbi.invalidate(start, Descriptor.levelSize(w.level));
        breakBeforeMake.increment();
    }

    private void deferFlush(Walk w) {
        long s = w.entryStart();
        flushStart = Math.min(flushStart, s);
        flushEnd = Math.max(flushEnd, s + Descriptor.levelSize(w.level));
    }

    private void deferFree(long tablePa) {
        if (pendingCount == pendingFree.length) pendingFree = java.util.Arrays.copyOf(pendingFree, pendingCount * 2);
        pendingFree[pendingCount++] = tablePa;
    }

    /** Ends a rights-removing operation: one TLB invalidation, then the unlinked tables are freed. */
    private void finish() {
        if (flushStart < flushEnd) tlbi.invalidate(flushStart, flushEnd - flushStart);
        flushStart = Long.MAX_VALUE;
        flushEnd = Long.MIN_VALUE;
        for (int i = 0; i < pendingCount; i++) {
            pm.put(pendingFree[i] >>> 12);
            tablesFreed.increment();
        }
        pendingCount = 0;
    }

    /** In {@code tablePost}: unlinks the empty table below the visited entry (its count is back to one). */
    private void unlinkEmptyTable(Walk w) {
        w.write(0);
        uncountEntry(w);
        deferFlush(w);
        deferFree(w.childTable);
    }

    private int walk(long start, long size, TableWalker.Visitor v) {
        long end = start + size;
        if (start < 0 || size <= 0 || end > 1L << inputBits) {
            throw new IllegalArgumentException(String.format("range 0x%x+0x%x outside the %d-bit input", start, size, inputBits));
        }
        return TableWalker.walk(walk, rootPa, startLevel, rootTables, start, end, v);
    }

    // ---------------------------------------------------------------- map

    /**
     * The map policy: missing tables come from the cache, a block splits into a table when a
     * smaller leaf goes inside it, and a table gives way to a block. For the last, the table entry
     * is broken on the way down and the block made on the way back up, once every entry of the
     * unlinked subtree has been dropped and its pages queued for freeing.
     */
    private final class MapVisitor implements TableWalker.Visitor {
        long start, pa, attrs;
        int level;
        boolean noOverwrite, noAllocate;
        MemoryCache cache;
        /** The entry whose table a block is replacing while its subtree is walked, or -1. */
        long anchor = -1;

        @Override
        public int flags() {
            return TableWalker.LEAF | TableWalker.TABLE_PRE | TableWalker.TABLE_POST;
        }

        @Override
        public int tablePre(Walk w) {
            if (anchor >= 0 || w.level != level) return OK;
            if (noOverwrite) return EXISTS;
            // Break now: no CPU may reach the subtree once its pages start going back to the host.
            breakEntry(w);
            anchor = w.entryPa;
            return OK;
        }

        @Override
        public int tablePost(Walk w) {
            if (anchor < 0) return OK;
            // Every entry of the table below has been dropped: its count is back to one.
            deferFree(w.childTable);
            if (w.entryPa == anchor) {
                // Make: the broken entry, still counted in its table, becomes the block.
                w.write(leafFor(w));
                leavesMapped.increment();
                anchor = -1;
            } else {
                w.write(0);
                uncountEntry(w);
            }
            return OK;
        }

        @Override
        public int leaf(Walk w) {
            int level = w.level;
            long old = w.old;
            if (anchor >= 0) {
                // Inside the unlinked subtree: the entry dies with its table.
                if (Descriptor.valid(old)) {
                    w.write(0);
                    uncountEntry(w);
                }
                return OK;
            }
            if (level < this.level) {
                if (Descriptor.valid(old) && noOverwrite) return EXISTS;
                if (noAllocate) return NO_TABLE;
                long page = cache == null ? -1 : cache.take();
                if (page < 0) return NO_MEMORY;
                tablesAllocated.increment();
                if (Descriptor.valid(old)) {
                    // A block becomes a table: what it mapped outside the new entry faults back in.
                    Stage2PageTable.this.breakBeforeMake(w, Descriptor.table(page));
                } else {
                    w.write(Descriptor.table(page));
                    countEntry(w);
                }
                return OK;
            }
            long leaf = leafFor(w);
            if (!Descriptor.valid(old)) {
                w.write(leaf);
                countEntry(w);
                leavesMapped.increment();
                return OK;
            }
            if (noOverwrite) return EXISTS;
            if (old == leaf) return OK;
            if (Descriptor.isLeaf(old, level) && Descriptor.leafAddress(old, level) == Descriptor.leafAddress(leaf, level)) {
                // Same output, other rights: no break needed, but rights taken away must leave the TLBs.
                w.write(leaf);
                if ((Stage2Descriptor.prot(old) & ~Stage2Descriptor.prot(leaf)) != 0) {
                    tlbi.invalidate(w.entryStart(), Descriptor.levelSize(level));
                }
                return OK;
            }
            Stage2PageTable.this.breakBeforeMake(w, leaf);
            leavesMapped.increment();
            return OK;
        }

        private long leafFor(Walk w) {
            long out = pa + (w.entryStart() - start);
            return (out & Descriptor.OA_MASK) | Descriptor.leafType(w.level) | attrs;
        }
    }

    /**
     * Maps {@code [addr, addr + size)} to {@code [pa, pa + size)} with leaves of
     * {@code 1 << pageShift} bytes carrying {@code attrs} (attribute bits of the format, without
     * type or address). New tables come only from {@code cache}.
     *
     * @return OK, NO_MEMORY (the cache ran dry: top it up and retry), EXISTS (NO_OVERWRITE met a
     *         valid entry), NO_TABLE (NO_ALLOCATE met a missing table)
     */
    public int map(long addr, long size, long pa, int pageShift, long attrs, MemoryCache cache, int flags) {
        long granule = 1L << pageShift;
        if (((addr | size | pa) & (granule - 1)) != 0) {
            throw new IllegalArgumentException(String.format("map 0x%x+0x%x -> 0x%x not aligned to %d", addr, size, pa, granule));
        }
        MapVisitor v = mapVisitor;
        v.start = addr;
        v.pa = pa;
        v.attrs = attrs & ~(Descriptor.OA_MASK | Descriptor.VALID | Descriptor.TYPE);
        v.level = Descriptor.levelOf(pageShift);
        v.noOverwrite = (flags & NO_OVERWRITE) != 0;
        v.noAllocate = (flags & NO_ALLOCATE) != 0;
        v.cache = cache;
        v.anchor = -1;
        try {
            return walk(addr, size, v);
        } finally {
            v.cache = null;
            finish();
        }
    }

    // ---------------------------------------------------------------- unmap

    /** Clears every leaf of the range; a table left empty is unlinked walking back up. */
    private final class UnmapVisitor implements TableWalker.Visitor {
        long removed;

        @Override
        public int flags() {
            return TableWalker.LEAF | TableWalker.TABLE_POST;
        }

        @Override
        public int leaf(Walk w) {
            if (Descriptor.valid(w.old)) {
                w.write(0);
                uncountEntry(w);
                deferFlush(w);
                removed++;
            }
            return OK;
        }

        @Override
        public int tablePost(Walk w) {
            if (pm.refCount(w.childTable >>> 12) == 1) unlinkEmptyTable(w);
            return OK;
        }
    }

    /**
     * Unmaps {@code [addr, addr + size)}; a block reaching outside the range is unmapped whole.
     * Empty tables are freed walking back up.
     *
     * @return leaves removed
     */
    public long unmap(long addr, long size) {
        unmapVisitor.removed = 0;
        try {
            walk(addr, size, unmapVisitor);
            return unmapVisitor.removed;
        } finally {
            finish();
        }
    }

    // ---------------------------------------------------------------- rights and age

    /**
     * Sets and clears descriptor bits of every valid leaf of the range, in place (arm64's
     * stage2_update_leaf_attrs): write protection, ageing, marking young and relaxing rights are
     * this one visitor with different bits. A change that takes access away (a permission or the
     * access flag cleared, execute-never set) makes the TLBs forget the leaf; one that only adds
     * needs nothing, since a stale entry can only fault and refault.
     */
    private final class LeafAttributesVisitor implements TableWalker.Visitor {
        long set, clear;
        /** Valid leaves met, and how many of them changed. */
        long met, changed;

        @Override
        public int flags() {
            return TableWalker.LEAF;
        }

        @Override
        public int leaf(Walk w) {
            if (!Descriptor.valid(w.old)) return OK;
            met++;
            long old = w.old, d = (old | set) & ~clear;
            if (d != old) {
                w.write(d);
                changed++;
                long removed = (old & ~d & (Stage2Descriptor.S2AP_READ | Stage2Descriptor.S2AP_WRITE | Stage2Descriptor.AF))
                        | (d & ~old & Stage2Descriptor.XN_MASK);
                if (removed != 0) deferFlush(w);
            }
            return OK;
        }
    }

    /** Applies {@code set} and {@code clear} to the leaves of the range; the walk's result (the counts are in the visitor). */
    private int updateLeaves(long addr, long size, long set, long clear) {
        LeafAttributesVisitor v = leafAttributesVisitor;
        v.set = set;
        v.clear = clear;
        v.met = v.changed = 0;
        try {
            return walk(addr, size, v);
        } finally {
            finish();
        }
    }

    /** Removes write permission from every stage-2 leaf of the range (dirty logging). Returns leaves changed. */
    public long writeProtect(long addr, long size) {
        updateLeaves(addr, size, 0, Stage2Descriptor.S2AP_WRITE);
        return leafAttributesVisitor.changed;
    }

    /**
     * Clears the access flag of every leaf of the range so the next access takes an access-flag
     * fault; the TLBs forget the range so that access cannot be served from them.
     *
     * @return true if any leaf was young
     */
    public boolean mkold(long addr, long size) {
        updateLeaves(addr, size, 0, Stage2Descriptor.AF);
        return leafAttributesVisitor.changed != 0;
    }

    /** Sets the access flag of the leaf mapping {@code addr}; false if nothing maps it. No TLB work: rights only grow. */
    public boolean mkyoung(long addr) {
        updateLeaves(addr, 1, Stage2Descriptor.AF, 0);
        return leafAttributesVisitor.met != 0;
    }

    /** Only looks: whether the leaf it meets has its access flag set. */
    private static final class YoungVisitor implements TableWalker.Visitor {
        boolean young;

        @Override
        public int flags() {
            return TableWalker.LEAF;
        }

        @Override
        public int leaf(Walk w) {
            if (Descriptor.valid(w.old) && (w.old & Stage2Descriptor.AF) != 0) young = true;
            return OK;
        }
    }

    public boolean isYoung(long addr) {
        youngVisitor.young = false;
        walk(addr, 1, youngVisitor);
        return youngVisitor.young;
    }

    /**
     * Adds the PROT_* rights {@code prot} to the leaf mapping {@code addr}, in place: rights only
     * grow, so there is nothing to break and nothing to invalidate.
     *
     * @return OK, or NOT_MAPPED when the leaf went away meanwhile (the guest refaults)
     */
    public int relaxPermissions(long addr, int prot) {
        long set = Stage2Descriptor.AF, clear = 0;
        if ((prot & Stage2Descriptor.PROT_R) != 0) set |= Stage2Descriptor.S2AP_READ;
        if ((prot & Stage2Descriptor.PROT_W) != 0) set |= Stage2Descriptor.S2AP_WRITE;
        if ((prot & Stage2Descriptor.PROT_X) != 0) clear = Stage2Descriptor.XN_MASK;
        int r = updateLeaves(addr, 1, set, clear);
        return r != OK ? r : leafAttributesVisitor.met != 0 ? OK : NOT_MAPPED;
    }

    /**
     * The leaf mapping {@code addr}: its descriptor, or 0. {@link #lastLevel} gives the level.
     * For the hypervisor's own software walks and for tests; under the caller's lock.
     */
    public long lookup(long addr) {
        int r = lookup.find(rootPa, startLevel, rootTables, addr);
        lastLevel = lookup.level;
        return r < 0 ? 0 : lookup.descriptor;
    }

    /** Level of the descriptor {@link #lookup} returned last. */
    public int lastLevel;

    // ---------------------------------------------------------------- free

    /**
     * Tears the tree down: every valid entry is dropped and every table below the root unlinked
     * and queued for freeing after its own entries (post-order), counting the tables whose
     * reference count was not back to one by then.
     */
    private final class FreeVisitor implements TableWalker.Visitor {
        int broken;

        @Override
        public int flags() {
            return TableWalker.LEAF | TableWalker.TABLE_POST;
        }

        @Override
        public int leaf(Walk w) {
            if (Descriptor.valid(w.old)) {
                w.write(0);
                uncountEntry(w);
            }
            return OK;
        }

        @Override
        public int tablePost(Walk w) {
            if (pm.refCount(w.childTable >>> 12) != 1) broken++;
            w.write(0);
            uncountEntry(w);
            deferFree(w.childTable);
            return OK;
        }
    }

    /**
     * Frees every table, the root last (VM teardown). The TLBs must already be clean of the tree
     * (the caller invalidates the VMID first).
     *
     * @return the number of tables whose count broke the invariant (0 when all is well)
     */
    public int destroy() {
        freeVisitor.broken = 0;
        TableWalker.walk(walk, rootPa, startLevel, rootTables, 0, 1L << inputBits, freeVisitor);
        int broken = freeVisitor.broken;
        flushStart = Long.MAX_VALUE;
        finish();
        for (int i = 0; i < rootTables; i++) {
            long p = (rootPa >>> 12) + i;
            if (pm.refCount(p) != 1) broken++;
            while (!pm.put(p)) {
                // drain a broken count so the root still goes back to the host
            }
            tablesFreed.increment();
        }
        return broken;
    }

    /** Table pages currently in the tree, root included (for statistics). */
    public long tablesInUse() {
        return rootTables + tablesAllocated.sum() - tablesFreed.sum();
    }
}
