package jvisor.hw.power;

/**
 * One TLB invalidation, decoded from a tlbie/tlbiel X-form instruction (or made by the hypervisor)
 * as a value. Field positions:
 * <pre>
 *   instruction  0x7C000264 (tlbie) / 0x7C000224 (tlbiel) | RS&lt;&lt;21 | RIC&lt;&lt;18 | PRS&lt;&lt;17 | R&lt;&lt;16 | RB&lt;&lt;11
 *   (RS)         PID = MSB 0:31, LPID = MSB 32:63
 *   (RB)         EPN = MSB 0:51, IS = MSB 52:53, AP = MSB 56:58 (4K=0, 64K=5, 2M=1, 1G=2)
 * </pre>
 *
 * @param ric        0 TLB, 1 page-walk cache, 2 everything incl. cached PATE/PRTE
 * @param processScoped PRS
 * @param radix      R
 * @param is         0 one address, 1 one PID, 2 one LPID, 3 all
 * @param epn        the page's address (EA for process-scoped, guest real for partition-scoped)
 * @param pageShift  log2 of the page size named by AP, or -1 for an AP with no page size
 */
public record Tlbie(int ric, boolean processScoped, boolean radix, int is, long epn, int pageShift,
                    long lpid, long pid) {
    public static final int OPCODE_TLBIE = 0x7C000264, OPCODE_TLBIEL = 0x7C000224;
    public static final int XO_TLBIE = 306, XO_TLBIEL = 274;
    public static final int RIC_TLB = 0, RIC_PAGE_WALK_CACHE = 1, RIC_ALL = 2;
    public static final int IS_ADDRESS = 0, IS_PID = 1, IS_LPID = 2, IS_ALL = 3;

    /** Results of executing the instruction. */
    public static final int OK = 0;
    /** An invalid form: the core raises a program interrupt (illegal instruction). */
    public static final int ILLEGAL_FORM = 1;
    /** MSR[PR]=1: a program interrupt (privileged instruction). */
    public static final int PRIVILEGED = 2;
    /** A guest may not do this itself: a hypervisor emulation assistance interrupt (0xE40). */
    public static final int HYPERVISOR_EMULATION = 3;

    public static final long EPN_MASK = 0xFFFFFFFFFFFFF000L;

    public static int ric(int instruction) {
        return (instruction >>> 18) & 3;
    }

    public static boolean prs(int instruction) {
        return ((instruction >>> 17) & 1) != 0;
    }

    public static boolean r(int instruction) {
        return ((instruction >>> 16) & 1) != 0;
    }

    public static int rsRegister(int instruction) {
        return (instruction >>> 21) & 31;
    }

    public static int rbRegister(int instruction) {
        return (instruction >>> 11) & 31;
    }

    public static boolean isTlbiel(int instruction) {
        return ((instruction >>> 1) & 0x3FF) == XO_TLBIEL;
    }

    public static int is(long rb) {
        return (int) ((rb >>> 10) & 3);
    }

    public static int ap(long rb) {
        return (int) ((rb >>> 5) & 7);
    }

    /** Page size named by an AP value: 12, 16, 21, 30, or -1 for a value with none. */
    public static int pageShiftOfAp(int ap) {
        return switch (ap) {
            case 0 -> 12;
            case 5 -> 16;
            case 1 -> 21;
            case 2 -> 30;
            default -> -1;
        };
    }

    public static int apOfPageShift(int pageShift) {
        return switch (pageShift) {
            case 12 -> 0;
            case 16 -> 5;
            case 21 -> 1;
            case 30 -> 2;
            default -> throw new IllegalArgumentException("no AP encoding for 2^" + pageShift + " byte pages");
        };
    }

    /** The forms the architecture leaves invalid: RIC=3; RIC 1/2 with IS=0; PRS=0 with IS=1. */
    public static boolean validForm(int ric, boolean prs, int is) {
        if (ric == 3) {
            return false;
        }
        if ((ric == RIC_PAGE_WALK_CACHE || ric == RIC_ALL) && is == IS_ADDRESS) {
            return false;
        }
        return prs || is != IS_PID;
    }

    /** Decodes the instruction and its register operands. The form is not checked here. */
    public static Tlbie decode(int instruction, long rs, long rb) {
        int is = is(rb);
        return new Tlbie(ric(instruction), prs(instruction), r(instruction), is, rb & EPN_MASK,
                pageShiftOfAp(ap(rb)), rs & 0xFFFFFFFFL, rs >>> 32);
    }

    // Builders, for tests and for code that issues invalidations.

    public static int instruction(boolean local, int rsRegister, int ric, boolean prs, boolean r, int rbRegister) {
        return (local ? OPCODE_TLBIEL : OPCODE_TLBIE) | (rsRegister & 31) << 21 | (ric & 3) << 18
                | (prs ? 1 : 0) << 17 | (r ? 1 : 0) << 16 | (rbRegister & 31) << 11;
    }

    public static long rs(long pid, long lpid) {
        return pid << 32 | (lpid & 0xFFFFFFFFL);
    }

    public static long rb(long epn, int is, int ap) {
        return (epn & EPN_MASK) | (long) (is & 3) << 10 | (long) (ap & 7) << 5;
    }

    /** Partition-scoped, one page of guest real address space. */
    public static Tlbie partitionPage(long lpid, long guestReal, int pageShift) {
        return new Tlbie(RIC_TLB, false, true, IS_ADDRESS, guestReal & EPN_MASK, pageShift, lpid, 0);
    }

    /** Everything cached for a partition, including its PATE and PRTEs. */
    public static Tlbie partition(long lpid) {
        return new Tlbie(RIC_ALL, false, true, IS_LPID, 0, -1, lpid, 0);
    }

    /** Everything cached for one process of a partition, including its PRTE. */
    public static Tlbie process(long lpid, long pid) {
        return new Tlbie(RIC_ALL, true, true, IS_PID, 0, -1, lpid, pid);
    }

    /** Process-scoped, one page. */
    public static Tlbie processPage(long lpid, long pid, long ea, int pageShift) {
        return new Tlbie(RIC_TLB, true, true, IS_ADDRESS, ea & EPN_MASK, pageShift, lpid, pid);
    }

    /** Everything, everywhere. */
    public static Tlbie all() {
        return new Tlbie(RIC_ALL, true, true, IS_ALL, 0, -1, 0, 0);
    }
}
