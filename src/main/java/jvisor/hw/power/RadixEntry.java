package jvisor.hw.power;

/**
 * A radix tree slot as a {@code long}: a page directory entry (PDE, L=0) pointing at the next
 * level, or a page table entry (PTE, L=1) mapping a page. Both are big-endian doublewords in
 * memory. Note the two address masks: NLB (0x0FFFFFFFFFFFFF00) for directories and RPN
 * (0x01FFFFFFFFFFF000) for leaves.
 */
public final class RadixEntry {
    /** V, MSB 0. */
    public static final long VALID = 0x8000000000000000L;
    /** L, MSB 1: this entry is a leaf (PTE). */
    public static final long LEAF = 0x4000000000000000L;
    /** Software bit, MSB 2. */
    public static final long SW0 = 0x2000000000000000L;
    /** NLB, MSB 4:55: next level base (PDE). */
    public static final long NLB_MASK = 0x0FFFFFFFFFFFFF00L;
    /** NLS, MSB 59:63: next level has 2^NLS entries (PDE). */
    public static final long NLS_MASK = 0x1FL;
    /** RPN, MSB 7:51: real page number (PTE). */
    public static final long RPN_MASK = 0x01FFFFFFFFFFF000L;
    /** Software bits, MSB 52:54. */
    public static final long SW1_MASK = 0xE00L;
    /** R, MSB 55: referenced. */
    public static final long REFERENCE = 0x100L;
    /** C, MSB 56: changed. */
    public static final long CHANGE = 0x80L;
    /** ATT, MSB 58:59. */
    public static final long ATT_MASK = 0x30L;
    public static final long ATT_NORMAL = 0x00L;
    public static final long ATT_SAO = 0x10L;
    public static final long ATT_NON_IDEMPOTENT_IO = 0x20L;
    public static final long ATT_TOLERANT_IO = 0x30L;
    /** EAA privileged, MSB 60: no access in problem state. */
    public static final long PRIVILEGED = 0x8L;
    /** EAA read, MSB 61. */
    public static final long READ = 0x4L;
    /** EAA read-write, MSB 62. */
    public static final long READ_WRITE = 0x2L;
    /** EAA execute, MSB 63. */
    public static final long EXECUTE = 0x1L;

    private RadixEntry() {
    }

    public static boolean valid(long e) {
        return (e & VALID) != 0;
    }

    public static boolean leaf(long e) {
        return (e & LEAF) != 0;
    }

    public static long nlb(long pde) {
        return pde & NLB_MASK;
    }

    public static int nls(long pde) {
        return (int) (pde & NLS_MASK);
    }

    public static long rpn(long pte) {
        return pte & RPN_MASK;
    }

    public static boolean referenced(long pte) {
        return (pte & REFERENCE) != 0;
    }

    public static boolean changed(long pte) {
        return (pte & CHANGE) != 0;
    }

    public static long att(long pte) {
        return pte & ATT_MASK;
    }

    public static boolean privileged(long pte) {
        return (pte & PRIVILEGED) != 0;
    }

    /** A valid directory entry pointing at a table of 2^nls entries at {@code nlb}. */
    public static long pde(long nlb, int nls) {
        return VALID | (nlb & NLB_MASK) | (nls & NLS_MASK);
    }

    /**
     * A valid leaf mapping the page at {@code realAddress}.
     *
     * @param bits any of R, C, ATT, EAA and software bits; address bits are ignored
     */
    public static long pte(long realAddress, long bits) {
        return VALID | LEAF | (realAddress & RPN_MASK) | (bits & ~(VALID | LEAF | RPN_MASK));
    }

    /** A readable, writable, executable normal-memory leaf with R and C already set. */
    public static long pteRwx(long realAddress) {
        return pte(realAddress, READ | READ_WRITE | EXECUTE | REFERENCE | CHANGE);
    }
}
