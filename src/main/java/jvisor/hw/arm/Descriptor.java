package jvisor.hw.arm;

/**
 * What stage-1 and stage-2 VMSAv8-64 descriptors of the 4 KiB granule have in common: bit 0
 * valid, bit 1 type (table at levels 0-2, page at level 3, block when clear at levels 1-2), the
 * output address in bits 47:12, and the geometry of the levels (9 bits each, level 3 maps 4 KiB,
 * level 2 2 MiB, level 1 1 GiB). Descriptors are little-endian doublewords in memory.
 */
public final class Descriptor {
    private Descriptor() {}

    public static final long VALID = 1L, TYPE = 1L << 1;
    /** Output address bits 47:12. */
    public static final long OA_MASK = 0x0000_FFFF_FFFF_F000L;
    /** Bits 51:48: output address bits of the 52-bit formats, RES0 here; jvisor treats them as address bits. */
    public static final long OA_HIGH_MASK = 0x000F_0000_0000_0000L;
    public static final int PAGE_SHIFT = 12, BITS_PER_LEVEL = 9, ENTRIES = 512, MAX_LEVEL = 3;

    public static boolean valid(long d) {
        return (d & VALID) != 0;
    }

    /** A valid table descriptor: levels 0-2 with the type bit set. */
    public static boolean isTable(long d, int level) {
        return level < MAX_LEVEL && (d & (VALID | TYPE)) == (VALID | TYPE);
    }

    /** A valid block (levels 1-2) or page (level 3) descriptor. */
    public static boolean isLeaf(long d, int level) {
        if (!valid(d)) return false;
        return level == MAX_LEVEL ? (d & TYPE) != 0 : (d & TYPE) == 0 && level >= 1;
    }

    /**
     * A valid descriptor the 4 KiB granule does not define: a block at level 0 or type 0 at
     * level 3. The walk reports a translation fault for it.
     */
    public static boolean isReserved(long d, int level) {
        return valid(d) && !isTable(d, level) && !isLeaf(d, level);
    }

    /** Bytes mapped by one entry at {@code level}: 4K at 3, 2M at 2, 1G at 1, 512G at 0. */
    public static int levelShift(int level) {
        return PAGE_SHIFT + BITS_PER_LEVEL * (MAX_LEVEL - level);
    }

    public static long levelSize(int level) {
        return 1L << levelShift(level);
    }

    /** The entry index of {@code address} in a table of {@code level} (not concatenated). */
    public static int index(long address, int level) {
        return (int) ((address >>> levelShift(level)) & (ENTRIES - 1));
    }

    /** Next table or page address (tables, pages). */
    public static long outputAddress(long d) {
        return d & OA_MASK;
    }

    /** Output address of a leaf at {@code level}, aligned to the leaf size. */
    public static long leafAddress(long d, int level) {
        return d & OA_MASK & ~(levelSize(level) - 1);
    }

    /** A table descriptor pointing at {@code tablePa}. Stage-2 tables carry no hierarchical attributes. */
    public static long table(long tablePa) {
        return (tablePa & OA_MASK) | TYPE | VALID;
    }

    /** The type bits a leaf needs at {@code level}. */
    public static long leafType(int level) {
        return level == MAX_LEVEL ? TYPE | VALID : VALID;
    }

    /** The level at which a mapping of {@code 1 << shift} bytes sits (12 -> 3, 21 -> 2, 30 -> 1). */
    public static int levelOf(int shift) {
        return MAX_LEVEL - (shift - PAGE_SHIFT) / BITS_PER_LEVEL;
    }

    /**
     * The level a walk starts at for an input of {@code inputBits} with the 4 KiB granule
     * (48 -> 0, 39 or 40 -> 1 or 0 with concatenation, 32 -> 1, 30 -> 2).
     */
    public static int startLevelFor(int inputBits) {
        int levels = (inputBits - PAGE_SHIFT + BITS_PER_LEVEL - 1) / BITS_PER_LEVEL;
        return MAX_LEVEL + 1 - levels;
    }
}
