package jvisor.hw.x86;

/**
 * The error code a #PF pushes, with CR2 holding the faulting address. Without PAE there is no
 * execute-disable, so an instruction fetch faults like a read.
 */
public final class PageFaultErrorCode {
    private PageFaultErrorCode() {}

    /** Set: a protection violation on a present page. Clear: the page was not present. */
    public static final int PROTECTION = 1;
    /** The access was a write. */
    public static final int WRITE = 1 << 1;
    /** The access came from user mode (CPL 3). */
    public static final int USER = 1 << 2;
    /** A reserved bit was set in an entry. */
    public static final int RESERVED = 1 << 3;

    public static int of(boolean protection, boolean write, boolean user) {
        return (protection ? PROTECTION : 0) | (write ? WRITE : 0) | (user ? USER : 0);
    }

    public static boolean write(int code) {
        return (code & WRITE) != 0;
    }

    public static boolean user(int code) {
        return (code & USER) != 0;
    }

    public static boolean protection(int code) {
        return (code & PROTECTION) != 0;
    }

    public static String describe(int code) {
        return (protection(code) ? "protection" : "not-present") + (write(code) ? " write" : " read")
                + (user(code) ? " user" : " supervisor");
    }
}
