package jvisor.hw.x86;

/**
 * What a {@link TwoLevelWalker#walk} is asked for, as the bits of one {@code int} (KVM's walker
 * takes its access the same way, as page-fault error-code bits): the kind of access, the CPU
 * state that decides its rights, and whether the walk updates the tables as the hardware does.
 * An {@code int} because the CPU walks on every TLB miss and must not allocate a description.
 *
 * <p>{@link #WRITE} and {@link #USER} are the error code's own bits, so a fault reports the
 * access it was given. There is no fetch bit: without PAE there is no execute-disable, and an
 * instruction fetch is checked like a read.
 */
public final class X86Access {
    private X86Access() {}

    /** The access writes (else it reads or fetches). */
    public static final int WRITE = PageFaultErrorCode.WRITE;
    /** The access comes from user mode (CPL 3). */
    public static final int USER = PageFaultErrorCode.USER;
    /** CR0.WP: a supervisor write to a read-only page faults too. */
    public static final int WRITE_PROTECT = 1 << 8;
    /** CR4.PSE: a directory entry with PS maps a 4 MiB page (else the bit is ignored). */
    public static final int LARGE_PAGES = 1 << 9;
    /** Set accessed/dirty bits in the entries as the CPU does (else the walk only reads). */
    public static final int SET_ACCESSED_DIRTY = 1 << 10;

    /** The access bits alone, for a caller that has them as booleans. */
    public static int of(boolean write, boolean user) {
        return (write ? WRITE : 0) | (user ? USER : 0);
    }

    public static boolean write(int access) {
        return (access & WRITE) != 0;
    }

    public static boolean user(int access) {
        return (access & USER) != 0;
    }

    public static boolean writeProtect(int access) {
        return (access & WRITE_PROTECT) != 0;
    }

    public static boolean largePages(int access) {
        return (access & LARGE_PAGES) != 0;
    }

    public static boolean setAccessedDirty(int access) {
        return (access & SET_ACCESSED_DIRTY) != 0;
    }
}
