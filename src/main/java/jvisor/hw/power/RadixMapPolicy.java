package jvisor.hw.power;

import java.lang.invoke.VarHandle;
import jvisor.memory.RealMemory;

/**
 * How a mapping is installed in a 52-bit radix tree: the one map policy, a visitor of the one
 * {@link RadixTreeWalker}, used by the hypervisor's partition-scoped faults and by the tree
 * builder. On the way down an empty directory slot gets a new table from the {@link TableSource}
 * and the walker reads the slot again; at the target level the leaf is written. A directory where
 * the leaf should go ({@link #TABLE_IN_THE_WAY}) or a larger page over the address
 * ({@link #LARGER_PAGE}) is refused: the caller decides whether to map a smaller page or to let
 * the access go through the larger one.
 *
 * <p>What differs between users is an option with a name, not a copy of the policy:
 * <ul>
 * <li>where tables come from, and the size of the last level's ({@link TableSource}, and
 * {@code lastLevelBits}: 9 for 4K base pages, 5 for 64K);</li>
 * <li>what becomes of a leaf of the target's size already there ({@link SameSizeLeaf}).</li>
 * </ul>
 *
 * <p>Every entry is written after a release fence, so a CPU walking the tree at the same time
 * never sees a pointer to a table before the table's zeroed entries, nor a leaf before what the
 * caller wrote first. Not thread-safe: one map at a time (callers that share a tree hold a lock).
 */
public final class RadixMapPolicy implements RadixWalkVisitor {
    /** The leaf was written (or, under {@link SameSizeLeaf#BREAK_BEFORE_MAKE}, merged into the same page's). */
    public static final int MAPPED = RadixTreeWalker.FIRST_VISITOR_STATUS;
    /** A directory is where the leaf should go: smaller pages are mapped below it. */
    public static final int TABLE_IN_THE_WAY = MAPPED + 1;
    /** A larger page already maps the address. */
    public static final int LARGER_PAGE = MAPPED + 2;
    /** A level was missing and the table source had nothing. */
    public static final int NO_MEMORY = MAPPED + 3;
    /** The first status a user of this policy may define for itself. */
    public static final int FIRST_USER_STATUS = MAPPED + 4;

    /** Where new tables come from. */
    @FunctionalInterface
    public interface TableSource {
        /** A zeroed table of {@code 8 << nls} bytes aligned to its size, or -1 when none can be had. */
        long take(int nls);
    }

    /** What becomes of a valid leaf of the target's size already in the slot. */
    public enum SameSizeLeaf {
        /** It is overwritten: a tree that no CPU translates through yet (a builder setting one up). */
        OVERWRITE,
        /**
         * A tree CPUs are using: a leaf of the same page gains the new rights and R/C bits (a racing
         * fault mapped it first); a leaf of another page is broken before the new one is made, the
         * slot cleared and the {@link BreakListener} told before the new leaf is written.
         */
        BREAK_BEFORE_MAKE
    }

    /** Told when a leaf was cleared to make room for another; it must invalidate the TLBs' copies. */
    @FunctionalInterface
    public interface BreakListener {
        /** {@code old} mapped {@code [address, address + 2^pageShift)} and has been cleared. */
        void broken(long address, int pageShift, long old);
    }

    /** The rights and status bits a racing fault of the same page may add to the leaf. */
    private static final long MERGED_BITS = RadixEntry.READ_WRITE | RadixEntry.REFERENCE | RadixEntry.CHANGE;

    private final RealMemory tables;
    private final int lastLevelBits;
    private final TableSource source;
    private final SameSizeLeaf sameSize;
    private final BreakListener onBreak;

    // The map in progress.
    private int target;
    private long leaf;

    private RadixMapPolicy(RealMemory tables, int lastLevelBits, TableSource source, SameSizeLeaf sameSize,
                           BreakListener onBreak) {
        if (lastLevelBits != 9 && lastLevelBits != 5) {
            throw new IllegalArgumentException("POWER9 last level is 9 or 5 bits, not " + lastLevelBits);
        }
        this.tables = tables;
        this.lastLevelBits = lastLevelBits;
        this.source = source;
        this.sameSize = sameSize;
        this.onBreak = onBreak;
    }

    /** A policy that overwrites a same-size leaf ({@link SameSizeLeaf#OVERWRITE}). */
    public static RadixMapPolicy overwriting(RealMemory tables, int lastLevelBits, TableSource source) {
        return new RadixMapPolicy(tables, lastLevelBits, source, SameSizeLeaf.OVERWRITE, null);
    }

    /** A policy for a tree in use ({@link SameSizeLeaf#BREAK_BEFORE_MAKE}). */
    public static RadixMapPolicy breakingBeforeMaking(RealMemory tables, int lastLevelBits, TableSource source,
                                                      BreakListener onBreak) {
        return new RadixMapPolicy(tables, lastLevelBits, source, SameSizeLeaf.BREAK_BEFORE_MAKE, onBreak);
    }

    /** Index bits of a table at {@code level} (1..3) below the root. */
    public int tableBits(int level) {
        return level == 3 ? lastLevelBits : 9;
    }

    /**
     * Installs {@code leaf} (a PTE) for {@code address} at {@code targetLevel} (1: 1G, 2: 2M, 3: the
     * base page) in the tree rooted at {@code root}.
     *
     * @return {@link #MAPPED}, {@link #TABLE_IN_THE_WAY}, {@link #LARGER_PAGE}, {@link #NO_MEMORY}
     *         or a walker failure status
     */
    public int map(RadixWalk walk, long root, long address, TableReader reader, int targetLevel, long leaf) {
        this.target = targetLevel;
        this.leaf = leaf;
        return RadixTreeWalker.walk(walk, root, address, reader, this);
    }

    private void write(long entryAddress, long value) {
        VarHandle.releaseFence();
        tables.writeLongBE(entryAddress, value);
    }

    @Override
    public int invalid(RadixWalk walk, int level, long entryAddress, long entry) {
        if (level == target) {
            write(entryAddress, leaf);
            return MAPPED;
        }
        int nls = tableBits(level + 1);
        long table = source.take(nls);
        if (table < 0) return NO_MEMORY;
        write(entryAddress, RadixEntry.pde(table, nls));
        return RETRY;
    }

    @Override
    public int directory(RadixWalk walk, int level, long entryAddress, long entry) {
        return level == target ? TABLE_IN_THE_WAY : CONTINUE;
    }

    @Override
    public int leaf(RadixWalk walk, int level, long entryAddress, long old) {
        if (level < target) return LARGER_PAGE;
        if (sameSize == SameSizeLeaf.OVERWRITE) {
            write(entryAddress, leaf);
            return MAPPED;
        }
        if (RadixEntry.rpn(old) == RadixEntry.rpn(leaf)) {
            long merged = old | (leaf & MERGED_BITS);
            if (merged != old) write(entryAddress, merged);
            return MAPPED;
        }
        write(entryAddress, 0);
        onBreak.broken(walk.address & -(1L << walk.pageShift), walk.pageShift, old);
        write(entryAddress, leaf);
        return MAPPED;
    }
}
