package jvisor.hw.power.cpu;

/**
 * The condition register's fields as instructions set them (Book I 2.3.1): a 4-bit field of
 * LT, GT, EQ and SO, field 0 in the high bits of the 32-bit register. Static, so that translated
 * code updates CR kept in a local the same way the interpreter updates the core's.
 */
final class ConditionRegister {
    private ConditionRegister() {
    }

    /** {@code cr} with field {@code bf} replaced by the low four bits of {@code value4}. */
    static int withField(int cr, int bf, int value4) {
        int shift = 28 - 4 * bf;
        return (cr & ~(0xF << shift)) | ((value4 & 0xF) << shift);
    }

    /** LT, GT or EQ (8, 4, 2) of a signed comparison. */
    static int compareSigned(long a, long b) {
        return a < b ? 8 : a > b ? 4 : 2;
    }

    /** LT, GT or EQ (8, 4, 2) of an unsigned comparison. */
    static int compareUnsigned(long a, long b) {
        int c = Long.compareUnsigned(a, b);
        return c < 0 ? 8 : c > 0 ? 4 : 2;
    }

    /** {@code cr} with CR0 recording {@code result}; {@code addrMask} (all ones in 64-bit mode) gives the mode. */
    static int withCr0(int cr, long result, long addrMask, int so) {
        long r = addrMask == -1L ? result : (int) result;
        return (cr & 0x0FFF_FFFF) | ((compareSigned(r, 0) | so) << 28);
    }
}
