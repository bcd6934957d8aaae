package jvisor.hw.x86;

/**
 * A 32-bit x86 page-directory or page-table entry (no PAE) as an {@code int}. Bits 31:12 hold a
 * frame number (of the page, or of the page table for a directory entry), bits 11:0 the flags.
 * The same helpers serve both levels: the bits that differ (D, PS/PAT, G) are named for the level
 * that gives them meaning.
 */
public final class X86Pte {
    private X86Pte() {}

    public static final int PRESENT = 1, RW = 1 << 1, USER = 1 << 2, PWT = 1 << 3, PCD = 1 << 4,
            ACCESSED = 1 << 5, DIRTY = 1 << 6, GLOBAL = 1 << 8;
    /** In a directory entry: a 4 MiB page (with CR4.PSE). In a table entry the same bit is PAT. */
    public static final int PSE = 1 << 7;
    public static final int PAT = 1 << 7;
    /** Bits 9-11 are free for the operating system. */
    public static final int SOFTWARE = 7 << 9;
    public static final int FLAGS_MASK = 0xFFF;
    public static final int FRAME_MASK = 0xFFFF_F000;

    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    public static final int ENTRIES = 1024;
    /** Each directory entry covers 4 MiB. */
    public static final int DIRECTORY_SHIFT = 22;
    /** Addresses are 32 bits wide. */
    public static final long ADDRESS_MASK = 0xFFFF_FFFFL;

    /** The flags Linux gives a directory entry that points at a page table (_PAGE_TABLE). */
    public static final int TABLE_FLAGS = PRESENT | RW | USER | ACCESSED | DIRTY;
    /** Flags of a kernel data page: present, writable, accessed, dirty, supervisor only. */
    public static final int KERNEL_FLAGS = PRESENT | RW | ACCESSED | DIRTY;

    public static int make(long pfn, int flags) {
        return (int) (pfn << PAGE_SHIFT) | (flags & FLAGS_MASK);
    }

    /** The frame number (0 .. 2^20-1). */
    public static long pfn(int entry) {
        return (entry & 0xFFFF_FFFFL) >>> PAGE_SHIFT;
    }

    public static int flags(int entry) {
        return entry & FLAGS_MASK;
    }

    public static boolean present(int entry) {
        return (entry & PRESENT) != 0;
    }

    public static boolean writable(int entry) {
        return (entry & RW) != 0;
    }

    public static boolean user(int entry) {
        return (entry & USER) != 0;
    }

    public static boolean accessed(int entry) {
        return (entry & ACCESSED) != 0;
    }

    public static boolean dirty(int entry) {
        return (entry & DIRTY) != 0;
    }

    /** Index of the directory entry for a virtual address (VA[31:22]). */
    public static int directoryIndex(long va) {
        return (int) ((va & ADDRESS_MASK) >>> DIRECTORY_SHIFT);
    }

    /** Index of the table entry for a virtual address (VA[21:12]). */
    public static int tableIndex(long va) {
        return (int) ((va >>> PAGE_SHIFT) & (ENTRIES - 1));
    }

    /** Address of the directory entry for {@code va} in the directory CR3 points at (CR3's low flag bits ignored). */
    public static long directoryEntryAddress(long cr3, long va) {
        return (cr3 & FRAME_MASK & ADDRESS_MASK) + 4L * directoryIndex(va);
    }

    /** Address of the table entry for {@code va} in the page table a directory entry points at. */
    public static long tableEntryAddress(int pde, long va) {
        return (pfn(pde) << PAGE_SHIFT) + 4L * tableIndex(va);
    }

    /** First virtual address covered by directory slot {@code index}. */
    public static long directoryBase(int index) {
        return (long) index << DIRECTORY_SHIFT;
    }

    public static String describe(int entry) {
        if (!present(entry)) return String.format("0x%08x (not present)", entry);
        StringBuilder b = new StringBuilder(String.format("frame 0x%05x", pfn(entry)));
        b.append(writable(entry) ? " RW" : " RO").append(user(entry) ? " U" : " S");
        if (accessed(entry)) b.append(" A");
        if (dirty(entry)) b.append(" D");
        if ((entry & GLOBAL) != 0) b.append(" G");
        if ((entry & PSE) != 0) b.append(" PS");
        if ((entry & PWT) != 0) b.append(" PWT");
        if ((entry & PCD) != 0) b.append(" PCD");
        return b.toString();
    }
}
