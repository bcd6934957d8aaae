package jvisor.hw.arm;

/**
 * Stage-1 (guest EL1/EL0, and the hypervisor's own EL2 regime) leaf attributes of VMSAv8-64:
 * AttrIndx bits 4:2 (an index into MAIR), AP[2:1] bits 7:6 (AP[1] lets EL0 in, AP[2] makes the
 * page read-only), SH bits 9:8, AF bit 10, nG bit 11 (the entry belongs to one ASID), PXN bit 53
 * and UXN bit 54 (no execution at EL1 / EL0). Table descriptors' hierarchical attributes
 * (bits 63:59) are not used by jvisor's guests and are ignored by the walk.
 */
public final class Stage1Descriptor {
    private Stage1Descriptor() {}

    public static final int ATTR_INDEX_SHIFT = 2;
    public static final long ATTR_INDEX_MASK = 7L << ATTR_INDEX_SHIFT;
    public static final long AP_EL0 = 1L << 6, AP_READ_ONLY = 1L << 7;
    public static final long SH_INNER = 3L << 8;
    public static final long AF = 1L << 10, NOT_GLOBAL = 1L << 11;
    public static final long PXN = 1L << 53, UXN = 1L << 54;

    /** The MAIR indices jvisor's guests program: 0 normal write-back, 1 Device-nGnRE. */
    public static final int MAIR_NORMAL = 0, MAIR_DEVICE = 1;

    /**
     * A leaf at {@code level} mapping {@code pa} (an IPA, for a guest).
     *
     * @param user     EL0 may access it
     * @param writable writes allowed
     * @param exec     instruction fetches allowed (at the EL that may access it)
     * @param global   shared by every ASID (kernel mappings)
     */
    public static long leaf(long pa, int level, int attrIndex, boolean user, boolean writable, boolean exec,
                            boolean global) {
        long d = (pa & Descriptor.OA_MASK) | Descriptor.leafType(level) | ((long) attrIndex << ATTR_INDEX_SHIFT)
                | SH_INNER | AF;
        if (user) d |= AP_EL0;
        if (!writable) d |= AP_READ_ONLY;
        if (!global) d |= NOT_GLOBAL;
        if (!exec || !user) d |= UXN;
        if (!exec || user) d |= PXN;
        return d;
    }

    public static boolean el0(long d) {
        return (d & AP_EL0) != 0;
    }

    public static boolean readOnly(long d) {
        return (d & AP_READ_ONLY) != 0;
    }

    public static boolean accessFlag(long d) {
        return (d & AF) != 0;
    }

    public static boolean global(long d) {
        return (d & NOT_GLOBAL) == 0;
    }

    public static int attrIndex(long d) {
        return (int) ((d & ATTR_INDEX_MASK) >>> ATTR_INDEX_SHIFT);
    }

    /** Whether an access at EL0 ({@code el0}) or EL1 may read, write or execute through this leaf. */
    public static boolean permits(long d, int access, boolean el0) {
        if (el0 && !el0(d)) return false;
        return switch (access) {
            case Mmu.STORE -> !readOnly(d);
            case Mmu.FETCH -> (d & (el0 ? UXN : PXN)) == 0;
            default -> true;
        };
    }

    public static long withReadOnly(long d, boolean readOnly) {
        return readOnly ? d | AP_READ_ONLY : d & ~AP_READ_ONLY;
    }
}
