package jvisor.memory;

/**
 * A host page-table entry of a {@link HostAddressSpace}, as a {@code long}: the frame number in
 * the high bits and Linux-like software bits low. For a huge mapping the frame is the head of the
 * huge frame. A swapped-out entry is not present and holds its swap slot instead of a frame.
 */
public final class HostPte {
    private HostPte() {}

    public static final long PRESENT = 1L, WRITE = 1L << 1, DIRTY = 1L << 2, YOUNG = 1L << 3, SWAP = 1L << 4;
    private static final int PFN_SHIFT = 12;

    public static long make(long pfn, long flags) {
        return (pfn << PFN_SHIFT) | flags | PRESENT;
    }

    public static long swapEntry(long slot) {
        return (slot << PFN_SHIFT) | SWAP;
    }

    public static boolean present(long pte) {
        return (pte & PRESENT) != 0;
    }

    public static boolean swapped(long pte) {
        return (pte & SWAP) != 0;
    }

    public static boolean writable(long pte) {
        return (pte & WRITE) != 0;
    }

    public static boolean dirty(long pte) {
        return (pte & DIRTY) != 0;
    }

    public static boolean young(long pte) {
        return (pte & YOUNG) != 0;
    }

    /** The frame (present entries) or swap slot (swapped entries). */
    public static long pfn(long pte) {
        return pte >>> PFN_SHIFT;
    }

    public static String describe(long pte) {
        if (pte == 0) return "none";
        if (swapped(pte)) return "swap slot " + pfn(pte);
        return String.format("pfn 0x%x%s%s%s", pfn(pte), writable(pte) ? " W" : "", dirty(pte) ? " D" : "",
                young(pte) ? " Y" : "");
    }
}
