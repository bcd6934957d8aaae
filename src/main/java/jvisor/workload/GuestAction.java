package jvisor.workload;

/**
 * One step of a scenario: what a guest kernel (or, for {@link DirtyLog}, the VMM) does. Process
 * 0 is the kernel: its mappings are the shared kernel half every process sees. Virtual
 * addresses are chosen to be valid on every architecture: user space below
 * {@link Layout#USER_TOP}, kernel space from {@link Layout#KERNEL_BASE}.
 */
public sealed interface GuestAction {

    enum Kind { LOAD, STORE, FETCH }

    /** A new process with an empty user half (the kernel half is shared). */
    record CreateProcess(int pid) implements GuestAction {}

    /** The guest kernel allocates {@code pages} fresh guest pages and maps them at {@code va}. */
    record MapAnonymous(int pid, long va, long pages, boolean writable, boolean executable) implements GuestAction {}

    /** Maps guest physical {@code [gpa, gpa + pages*4K)} at {@code va} (linear map, or a device with {@code device}). */
    record MapPhysical(int pid, long va, long gpa, long pages, boolean writable, boolean device) implements GuestAction {}

    /** Removes the mappings of {@code [va, va + pages*4K)} and frees the anonymous pages behind them. */
    record Unmap(int pid, long va, long pages) implements GuestAction {}

    /** Changes the permissions of a mapped range (mprotect). */
    record Protect(int pid, long va, long pages, boolean writable) implements GuestAction {}

    /** Context switch: the vCPU now runs {@code pid} (load TTBR0/ASID, CR3, PIDR). */
    record Switch(int pid) implements GuestAction {}

    /** Accesses {@code count} addresses from {@code va} on, {@code stride} bytes apart, in the running process. */
    record Access(long va, long count, long stride, Kind kind) implements GuestAction {}

    /** {@code child} gets a copy of {@code parent}'s user mappings; both become read-only (copy on write). */
    record Fork(int parent, int child) implements GuestAction {}

    /** The process exits: its user mappings and page tables are torn down. */
    record Exit(int pid) implements GuestAction {}

    /** The VMM's side of live migration: start logging, harvest the log, stop. */
    record DirtyLog(Op op) implements GuestAction {
        public enum Op { ENABLE, HARVEST, DISABLE }
    }
}
