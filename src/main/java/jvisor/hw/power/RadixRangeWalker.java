package jvisor.hw.power;

/**
 * Walks every entry of a radix tree that covers an address range, in one descent (the shape of
 * arm64's page-table walker): for each present directory entry the visitor is called before its
 * table's entries (pre-order, {@link Visitor#table}, which may skip the subtree) and after them
 * (post-order, {@link Visitor#tableDone}, where a table can be freed), and for each present leaf
 * ({@link Visitor#leaf}). Holes are skipped a whole entry at a time.
 *
 * <p>The geometry rules are {@link RadixTreeWalker}'s: the 52-bit tree, the directory sizes
 * POWER9 accepts at each level (a directory of another size is not descended into), at most four
 * levels, no leaf at the root level, a table base masked to its alignment. An entry the reader
 * cannot read is treated as invalid. It never allocates and never throws.
 */
public final class RadixRangeWalker {
    private RadixRangeWalker() {
    }

    /** What a range walk calls; every method has a default that does nothing. */
    public interface Visitor {
        /**
         * A present directory entry at {@code entryAddress} whose table maps
         * {@code [address, address + 2^shift)}; false skips that table (and {@link #tableDone}).
         */
        default boolean table(long entryAddress, long entry, long address, int shift) {
            return true;
        }

        /** A present leaf at {@code entryAddress} mapping {@code [address, address + 2^pageShift)}. */
        default void leaf(long entryAddress, long entry, long address, int pageShift) {
        }

        /** After every entry of a directory's table was visited (the entry itself is as it was read). */
        default void tableDone(long entryAddress, long entry, long address, int shift) {
        }
    }

    /**
     * Visits the entries of the tree rooted at {@code root} (PATE or PRTE doubleword 0) that cover
     * any part of {@code [start, end)}. {@code scratch} carries the reader's failure report.
     */
    public static void walk(long root, long start, long end, TableReader reader, RadixWalk scratch, Visitor visitor) {
        int bits = RadixTreeRoot.addressBits(root);
        if (bits != RadixTreeRoot.ADDRESS_BITS_52) return;
        long top = 1L << bits;
        start = Math.max(start, 0);
        end = Math.min(end, top);
        if (start >= end) return;
        descend(RadixTreeRoot.rpdb(root), RadixTreeRoot.rpds(root), bits, 0, 0, start, end, reader, scratch, visitor);
    }

    /**
     * One table at {@code level} that maps {@code [tableAddress, tableAddress + 2^bits)}, with
     * {@code nls} index bits; visits the entries overlapping {@code [start, end)}.
     */
    private static void descend(long base, int nls, int bits, int level, long tableAddress, long start, long end,
                                TableReader reader, RadixWalk scratch, Visitor visitor) {
        if (!RadixTreeWalker.supportedLevel(level, nls)) return;
        base &= -(1L << (nls + 3));
        int shift = bits - nls;
        long last = (1L << nls) - 1;
        long first = Math.max(0, (start - tableAddress) >> shift);
        long stop = Math.min(last, (end - 1 - tableAddress) >> shift);
        for (long i = first; i <= stop; i++) {
            long slot = base + (i << 3);
            long address = tableAddress + (i << shift);
            scratch.readFailure = 0;
            long e = reader.readEntry(scratch, level, slot);
            if (scratch.readFailure != 0 || !RadixEntry.valid(e)) continue;
            if (RadixEntry.leaf(e)) {
                if (level > 0) visitor.leaf(slot, e, address, shift);
                continue;
            }
            if (level + 1 >= RadixTreeWalker.MAX_LEVELS) continue;
            if (!visitor.table(slot, e, address, shift)) continue;
            descend(RadixEntry.nlb(e), RadixEntry.nls(e), shift, level + 1, address, start, end, reader, scratch, visitor);
            visitor.tableDone(slot, e, address, shift);
        }
    }
}
