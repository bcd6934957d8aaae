package jvisor.hw.arm;

/**
 * VTCR_EL2, the stage-2 translation control, as a value: T0SZ bits 5:0 (IPA bits = 64 - T0SZ),
 * SL0 bits 7:6 (4K granule: 2, 1, 0 start at level 0, 1, 2), TG0 bits 15:14 (00 = 4K), PS bits
 * 18:16, VS bit 19 (16-bit VMIDs), HA bit 21, HD bit 22.
 */
public final class Vtcr {
    private Vtcr() {}

    public static final long VS = 1L << 19, HA = 1L << 21, HD = 1L << 22;
    public static final int TG0_4K = 0;

    /** The settings for a 4K-granule stage 2 of {@code ipaBits} starting at {@code startLevel}. */
    public static long make(int ipaBits, int startLevel, int psBits, boolean vmid16) {
        long v = (64 - ipaBits) & 0x3F;
        v |= (long) (2 - startLevel) << 6;
        v |= (long) TG0_4K << 14;
        v |= (long) psEncoding(psBits) << 16;
        if (vmid16) v |= VS;
        return v;
    }

    public static int ipaBits(long vtcr) {
        return 64 - (int) (vtcr & 0x3F);
    }

    public static int startLevel(long vtcr) {
        return 2 - (int) ((vtcr >>> 6) & 3);
    }

    public static boolean vmid16(long vtcr) {
        return (vtcr & VS) != 0;
    }

    public static int psBits(long vtcr) {
        return switch ((int) ((vtcr >>> 16) & 7)) {
            case 0 -> 32;
            case 1 -> 36;
            case 2 -> 40;
            case 3 -> 42;
            case 4 -> 44;
            case 5 -> 48;
            default -> 52;
        };
    }

    private static int psEncoding(int bits) {
        return switch (bits) {
            case 32 -> 0;
            case 36 -> 1;
            case 40 -> 2;
            case 42 -> 3;
            case 44 -> 4;
            case 48 -> 5;
            default -> throw new IllegalArgumentException("no PS encoding for " + bits + " bits");
        };
    }

    /**
     * Number of concatenated tables at the starting level: the input bits left above the
     * levels walked, which must be at most 16 tables.
     */
    public static int concatenatedTables(long vtcr) {
        int bitsResolved = Descriptor.levelShift(startLevel(vtcr)) + Descriptor.BITS_PER_LEVEL;
        int extra = ipaBits(vtcr) - bitsResolved;
        return extra <= 0 ? 1 : 1 << extra;
    }
}
