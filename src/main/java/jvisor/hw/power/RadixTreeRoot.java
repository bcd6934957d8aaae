package jvisor.hw.power;

/**
 * The doubleword that describes the root of a radix tree. PATE doubleword 0 (the
 * partition-scoped tree) and PRTE doubleword 0 (a process-scoped tree) share this layout, which is
 * why one walker can start from either.
 * <ul>
 * <li>RTS = RTS1 (MSB 1:2) || RTS2 (MSB 56:58): the tree spans 2^(RTS+31) bytes;</li>
 * <li>RPDB, MSB 4:55: real address of the root page directory;</li>
 * <li>RPDS, MSB 59:63: the root directory has 2^RPDS entries.</li>
 * </ul>
 */
public final class RadixTreeRoot {
    public static final long RTS1_MASK = 0x6000000000000000L;
    public static final long RTS2_MASK = 0xE0L;
    /** RPDB mask; the same mask as a PDE's NLB, and not the PTE's RPN mask. */
    public static final long RPDB_MASK = 0x0FFFFFFFFFFFFF00L;
    public static final long RPDS_MASK = 0x1FL;

    /** The only tree size POWER9 implements: a 52-bit address space, RTS = 21. */
    public static final int ADDRESS_BITS_52 = 52;
    /** Root directory size of the 52-bit geometry: 2^13 entries. */
    public static final int ROOT_INDEX_BITS = 13;

    private RadixTreeRoot() {
    }

    /** RTS1||RTS2 as a 5-bit number. */
    public static int rts(long dword) {
        return (int) (((dword >>> 61) & 3) << 3 | ((dword >>> 5) & 7));
    }

    /** Number of address bits the tree translates: RTS + 31. */
    public static int addressBits(long dword) {
        return rts(dword) + 31;
    }

    public static long rpdb(long dword) {
        return dword & RPDB_MASK;
    }

    public static int rpds(long dword) {
        return (int) (dword & RPDS_MASK);
    }

    /**
     * Encodes the root fields. Other bits (PATE HR, for instance) are the caller's to add.
     *
     * @param addressBits the size of the tree's space as a power of two (31..62)
     */
    public static long encode(long rpdb, int rpds, int addressBits) {
        int rts = addressBits - 31;
        return ((long) ((rts >>> 3) & 3) << 61) | ((long) (rts & 7) << 5)
                | (rpdb & RPDB_MASK) | (rpds & RPDS_MASK);
    }

    /** A root for the 52-bit tree with a 2^13-entry root directory at {@code rpdb}. */
    public static long of52(long rpdb) {
        return encode(rpdb, ROOT_INDEX_BITS, ADDRESS_BITS_52);
    }
}
