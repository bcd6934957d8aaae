package jvisor.hw.x86;

/**
 * Walks every entry of a set of two-level tables (32-bit, no PAE) that covers an address range,
 * in one descent: the contract of {@code hw.power.RadixRangeWalker} for the x86 format. For each
 * directory entry that points at a table the visitor is called before the table's entries
 * (pre-order, {@link Visitor#table}, which may skip the table) and after them (post-order,
 * {@link Visitor#tableDone}, where the table can be freed); every other entry is a leaf.
 *
 * <p>One difference from the radix walker, on purpose: a leaf here is any entry that does not
 * point at a table, present or not, as in arm64's page-table walker. A hypervisor building
 * shadow tables fills empty slots and must learn that a guest's directory entry is missing, which
 * a walker that skips holes would hide from it. So a visitor that only wants mappings checks
 * {@link X86Pte#present}.
 *
 * <p>Leaves come in two sizes: a table entry maps 4 KiB ({@link X86Pte#PAGE_SHIFT}); a directory
 * entry that is not present, or that maps a 4 MiB page when large pages are on (CR4.PSE and PS
 * set), is a leaf of {@link X86Pte#DIRECTORY_SHIFT}. Whether a 4 MiB entry's reserved bits are
 * clear is the visitor's business; {@link TwoLevelWalker} is the walk that checks rights and
 * reserved bits for one access. Entries are read through {@link TableMemory}, whatever they hold:
 * the walk never allocates and never throws.
 */
public final class TwoLevelRangeWalker {
    private TwoLevelRangeWalker() {}

    private static final long DIRECTORY_SPAN = 1L << X86Pte.DIRECTORY_SHIFT;

    /** What a range walk calls; every method has a default that does nothing. */
    public interface Visitor {
        /**
         * A present directory entry at {@code entryAddress} whose table maps
         * {@code [address, address + 4 MiB)}; false skips that table (and {@link #tableDone}).
         */
        default boolean table(long entryAddress, int entry, long address) {
            return true;
        }

        /**
         * An entry at {@code entryAddress} that maps (or would map, when not present)
         * {@code [address, address + 2^shift)}.
         */
        default void leaf(long entryAddress, int entry, long address, int shift) {
        }

        /** After every entry of a directory entry's table in the range was visited (the entry as it was read). */
        default void tableDone(long entryAddress, int entry, long address) {
        }
    }

    /**
     * Visits the entries of the tables at {@code cr3} (its low flag bits ignored) that cover any
     * part of {@code [start, end)}, clipped to the 32-bit address space, in address order.
     * {@code largePages} is CR4.PSE: whether a directory entry with PS is a 4 MiB leaf.
     */
    public static void walk(TableMemory tables, long cr3, long start, long end, boolean largePages, Visitor visitor) {
        start = Math.max(start, 0);
        end = Math.min(end, X86Pte.ADDRESS_MASK + 1);
        if (start >= end) return;
        int last = X86Pte.directoryIndex(end - 1);
        for (int i = X86Pte.directoryIndex(start); i <= last; i++) {
            long address = X86Pte.directoryBase(i);
            long slot = X86Pte.directoryEntryAddress(cr3, address);
            int pde = tables.readEntry(slot);
            if (!X86Pte.present(pde) || (largePages && (pde & X86Pte.PSE) != 0)) {
                visitor.leaf(slot, pde, address, X86Pte.DIRECTORY_SHIFT);
                continue;
            }
            if (!visitor.table(slot, pde, address)) continue;
            long from = Math.max(start, address) & -X86Pte.PAGE_SIZE;
            long to = Math.min(end, address + DIRECTORY_SPAN);
            for (long va = from; va < to; va += X86Pte.PAGE_SIZE) {
                long pteSlot = X86Pte.tableEntryAddress(pde, va);
                visitor.leaf(pteSlot, tables.readEntry(pteSlot), va, X86Pte.PAGE_SHIFT);
            }
            visitor.tableDone(slot, pde, address);
        }
    }
}
