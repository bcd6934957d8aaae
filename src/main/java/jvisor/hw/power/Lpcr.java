package jvisor.hw.power;

/**
 * Logical Partitioning Control Register bits (Book III 2.2; the ISA numbers them MSB-0, the
 * constants are the 64-bit masks). The hypervisor sets them for a partition; the MMU, the core's
 * interrupt entry and its decrementer read them.
 */
public final class Lpcr {
    private Lpcr() {
    }

    /** MSB 39:40, AIL: where interrupts taken with relocation on are delivered (0: real vectors, 3: 0xC000_0000_0000_4000). */
    public static final int AIL_SHIFT = 23;
    public static final long AIL = 3L << AIL_SHIFT;
    /** MSB 38, ILE: interrupts are taken in little-endian mode. */
    public static final long ILE = 1L << 25;
    /** MSB 41, UPRT: the process table is in use. */
    public static final long UPRT = 1L << 22;
    /** MSB 43, HR: the host (and so the partition) uses radix translation. */
    public static final long HR = 1L << 20;
    /** MSB 46, LD: the large decrementer. */
    public static final long LD = 1L << 17;
    /** MSB 53, GTSE: the guest may issue process-scoped tlbie. */
    public static final long GTSE = 1L << 10;
}
