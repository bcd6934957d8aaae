package jvisor.hw.power;

/** Machine State Register bits (ISA numbers them MSB-0; the constants are the 64-bit masks). */
public final class Msr {
    private Msr() {
    }

    public static final long SF = 1L << 63;   // MSB 0: 64-bit mode
    public static final long HV = 1L << 60;   // MSB 3: hypervisor state
    public static final long TM = 1L << 32;   // MSB 31: transactional memory available
    public static final long VEC = 1L << 25;  // MSB 38: vector facility available
    public static final long VSX = 1L << 23;  // MSB 40: VSX facility available
    public static final long S = 1L << 22;    // MSB 41: secure state
    public static final long EE = 1L << 15;   // MSB 48: external interrupts enabled
    public static final long PR = 1L << 14;   // MSB 49: problem state
    public static final long FP = 1L << 13;   // MSB 50: floating-point available
    public static final long ME = 1L << 12;   // MSB 51: machine check enabled
    public static final long FE0 = 1L << 11;  // MSB 52
    public static final long SE = 1L << 10;   // MSB 53: single-step trace
    public static final long BE = 1L << 9;    // MSB 54: branch trace
    public static final long FE1 = 1L << 8;   // MSB 55
    public static final long IR = 1L << 5;    // MSB 58: instruction relocation
    public static final long DR = 1L << 4;    // MSB 59: data relocation
    public static final long PMM = 1L << 2;   // MSB 61
    public static final long RI = 1L << 1;    // MSB 62: recoverable interrupt
    public static final long LE = 1L;         // MSB 63: little-endian

    /** Bits mtmsrd/rfid may change from a non-hypervisor state; HV, ME and S stay as they are. */
    public static final long GUEST_WRITABLE = SF | VEC | VSX | EE | PR | FP | FE0 | SE | BE | FE1 | IR | DR | PMM | RI | LE;

    /** MSR bits copied into SRR1 on an interrupt: MSB 0:32, 37:41 and 48:63. */
    public static final long SAVED_IN_SRR1 = 0xFFFF_FFFF_87C0_FFFFL;
}
