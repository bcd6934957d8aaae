package jvisor.hw.arm;

/**
 * Stage-2 leaf attributes (the spec sheet's table): MemAttr bits 5:2, S2AP bits 7:6 (bit 6 read,
 * bit 7 write), SH bits 9:8, AF bit 10, DBM bit 51, Contiguous bit 52, XN bits 54:53 (00
 * executable, 10 never), software bits 58:55. Table descriptors carry no attributes at stage 2.
 */
public final class Stage2Descriptor {
    private Stage2Descriptor() {}

    public static final int MEMATTR_SHIFT = 2;
    public static final long MEMATTR_MASK = 0xFL << MEMATTR_SHIFT;
    /** MemAttr values KVM uses (FWB clear): normal write-back, normal non-cacheable, Device-nGnRE. */
    public static final int MEMATTR_NORMAL_WB = 0xF, MEMATTR_NORMAL_NC = 0x5, MEMATTR_DEVICE_nGnRE = 0x1;
    public static final long S2AP_READ = 1L << 6, S2AP_WRITE = 1L << 7;
    public static final long SH_INNER = 3L << 8;
    public static final long AF = 1L << 10;
    public static final long DBM = 1L << 51, CONTIGUOUS = 1L << 52;
    public static final long XN = 2L << 53;
    public static final long XN_MASK = 3L << 53;
    public static final int SW_SHIFT = 55;
    public static final long SW_MASK = 0xFL << SW_SHIFT;

    /** Permissions as a small bit set: what the hypervisor asks for when it maps or relaxes. */
    public static final int PROT_R = 1, PROT_W = 2, PROT_X = 4, PROT_DEVICE = 8;

    /** The attribute bits (everything but type and output address) for a mapping with {@code prot}. */
    public static long attributes(int prot) {
        long d = AF;
        if ((prot & PROT_R) != 0) d |= S2AP_READ;
        if ((prot & PROT_W) != 0) d |= S2AP_WRITE;
        if ((prot & PROT_X) == 0 || (prot & PROT_DEVICE) != 0) d |= XN;
        if ((prot & PROT_DEVICE) != 0) {
            d |= (long) MEMATTR_DEVICE_nGnRE << MEMATTR_SHIFT;
        } else {
            d |= ((long) MEMATTR_NORMAL_WB << MEMATTR_SHIFT) | SH_INNER;
        }
        return d;
    }

    public static long leaf(long pa, int level, int prot) {
        return (pa & Descriptor.OA_MASK) | Descriptor.leafType(level) | attributes(prot);
    }

    public static int memAttr(long d) {
        return (int) ((d & MEMATTR_MASK) >>> MEMATTR_SHIFT);
    }

    public static boolean device(long d) {
        return (memAttr(d) & 0xC) == 0;
    }

    public static boolean readable(long d) {
        return (d & S2AP_READ) != 0;
    }

    public static boolean writable(long d) {
        return (d & S2AP_WRITE) != 0;
    }

    public static boolean executable(long d) {
        return (d & XN_MASK) == 0;
    }

    public static boolean accessFlag(long d) {
        return (d & AF) != 0;
    }

    /** The permissions of a leaf, as PROT_* bits. */
    public static int prot(long d) {
        int p = 0;
        if (readable(d)) p |= PROT_R;
        if (writable(d)) p |= PROT_W;
        if (executable(d)) p |= PROT_X;
        if (device(d)) p |= PROT_DEVICE;
        return p;
    }

    /** Whether the leaf lets {@code access} (Mmu.LOAD, STORE, FETCH, or a table-walk read) through. */
    public static boolean permits(long d, int access) {
        return switch (access) {
            case Mmu.STORE -> writable(d);
            case Mmu.FETCH -> readable(d) && executable(d);
            default -> readable(d);
        };
    }
}
