package jvisor.hw.power;

/**
 * The partition table control register (PTCR, SPR 464) as a {@code long}: where the partition
 * table lives in host real memory and how large it is.
 */
public final class Ptcr {
    /** PATB, MSB 4:51: partition table base, 4 KiB aligned. */
    public static final long PATB_MASK = 0x0FFFFFFFFFFFF000L;
    /** PATS, MSB 59:63: the table is 2^(12+PATS) bytes. */
    public static final long PATS_MASK = 0x1FL;

    private Ptcr() {
    }

    public static long patb(long ptcr) {
        return ptcr & PATB_MASK;
    }

    public static int pats(long ptcr) {
        return (int) (ptcr & PATS_MASK);
    }

    /** Size of the partition table in bytes. */
    public static long tableBytes(long ptcr) {
        return 1L << (12 + pats(ptcr));
    }

    /** Number of 16-byte partition table entries, i.e. one more than the largest usable LPID. */
    public static long entries(long ptcr) {
        return 1L << (8 + pats(ptcr));
    }

    /** Real address of the entry for {@code lpid}. */
    public static long entryAddress(long ptcr, long lpid) {
        return patb(ptcr) + (lpid << 4);
    }

    public static long of(long patb, int pats) {
        return (patb & PATB_MASK) | (pats & PATS_MASK);
    }
}
