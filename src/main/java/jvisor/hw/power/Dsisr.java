package jvisor.hw.power;

/**
 * DSISR / HDSISR bits reported by radix translation. SRR1 and HSRR1 use the same positions for
 * instruction-side faults.
 */
public final class Dsisr {
    /** MSB 33: no translation (invalid entry, PID beyond the process table, address outside the tree). */
    public static final long NO_TRANSLATION = 0x40000000L;
    /** MSB 34. */
    public static final long ATTRIBUTE_CONFLICT = 0x20000000L;
    /** MSB 35 (SRR1): fetch from no-execute or non-idempotent I/O (guarded) storage. */
    public static final long NO_EXECUTE_OR_GUARDED = 0x10000000L;
    /** MSB 36: the access is not permitted. */
    public static final long PROTECTION = 0x08000000L;
    /** MSB 37. */
    public static final long BAD_ACCESS = 0x04000000L;
    /** MSB 38: the access was a store. */
    public static final long STORE = 0x02000000L;
    /** MSB 42. */
    public static final long KEY = 0x00200000L;
    /** MSB 44: the tables describe something the implementation does not support. */
    public static final long UNSUPPORTED_RADIX = 0x00080000L;
    /** MSB 45: R or C must be set by software before the access can complete. */
    public static final long RC_UPDATE = 0x00040000L;
    /** MSB 46: the fault happened while translating a process-scoped table access. */
    public static final long TABLE_WALK = 0x00020000L;

    private Dsisr() {
    }
}
