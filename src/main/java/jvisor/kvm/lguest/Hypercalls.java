package jvisor.kvm.lguest;

/**
 * lguest's hypercall numbers (the guest traps with the number in eax and arguments in ebx, ecx,
 * edx). Only the ones the page-table code and its guests use are listed; any other number kills
 * the guest.
 */
public final class Hypercalls {
    private Hypercalls() {}

    /** Process the queued asynchronous hypercalls now (the end of a lazy-MMU section). */
    public static final int FLUSH_ASYNC = 1;
    /** A CR3 write: switch to the page directory at guest physical {@code arg1}. */
    public static final int NEW_PGTABLE = 4;
    /** {@code arg1} = 0: drop the user part of the current shadow; 1: drop every shadow (kernel mappings changed). */
    public static final int FLUSH_TLB = 5;
    /** The kernel stack for traps: {@code arg1} = segment, {@code arg2} = top of stack, {@code arg3} = pages. */
    public static final int SET_STACK = 7;
    /** PAE's middle level; this 2-level guest has none. */
    public static final int SET_PMD = 13;
    /** {@code arg1} = directory (guest physical), {@code arg2} = virtual address, {@code arg3} = new entry. */
    public static final int SET_PTE = 14;
    /** {@code arg1} = directory (guest physical), {@code arg2} = index of the changed directory entry. */
    public static final int SET_PGD = 15;

    public static final int MAX = 32;

    public static String name(int nr) {
        return switch (nr) {
            case FLUSH_ASYNC -> "FLUSH_ASYNC";
            case NEW_PGTABLE -> "NEW_PGTABLE";
            case FLUSH_TLB -> "FLUSH_TLB";
            case SET_STACK -> "SET_STACK";
            case SET_PMD -> "SET_PMD";
            case SET_PTE -> "SET_PTE";
            case SET_PGD -> "SET_PGD";
            default -> "#" + nr;
        };
    }
}
