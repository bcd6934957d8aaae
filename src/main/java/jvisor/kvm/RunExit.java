package jvisor.kvm;

/**
 * Why {@code Vcpu.run()} returned to user space (KVM_RUN's exit reasons). Exits that need an
 * answer carry a mutable buffer the VMM fills before it calls {@code run()} again, as user space
 * fills {@code struct kvm_run}; the next run completes the guest's instruction with it.
 */
public sealed interface RunExit {

    /**
     * A load or store to a guest physical address no memslot backs (KVM_EXIT_MMIO). For a store
     * {@link #data} holds the bytes written, in the order they appear in memory; for a load the VMM
     * writes the bytes the device returns into it.
     */
    record Mmio(long physAddr, int length, boolean isWrite, byte[] data) implements RunExit {}

    /**
     * A PAPR hypercall for user space (KVM_EXIT_PAPR_HCALL): {@code sc 1} with r3 = {@link #nr}
     * and r4..r12 in {@link #args}. The VMM puts the status in {@code ret[0]} (r3) and any outputs
     * back into {@code args} (r4..).
     */
    record Hypercall(long nr, long[] args, long[] ret) implements RunExit {
        public Hypercall(long nr, long[] args) {
            this(nr, args, new long[1]);
        }
    }

    /**
     * An RTAS call (KVMPPC_H_RTAS): the argument block is at guest real {@link #argsAddress}
     * (big-endian {token, nargs, nret, args..., rets...}); the VMM writes the returns there and the
     * status of the call in {@code ret[0]}.
     */
    record Rtas(long argsAddress, long[] ret) implements RunExit {
        public Rtas(long argsAddress) {
            this(argsAddress, new long[1]);
        }
    }

    /** The guest asked to stop the machine (power-off, reboot) or the VM was shut down. */
    record Shutdown(String reason, int status) implements RunExit {}

    /**
     * A debug event the VMM asked for with the vCPU's guest-debug setting (KVM_EXIT_DEBUG): a
     * finished single step, a breakpoint, or a watchpoint. {@link #pc} is where the vCPU resumes
     * (at the breakpoint's or the watched access's instruction, which has not executed; after the
     * stepped one); {@link #address} is the breakpoint's or the first watched byte accessed.
     */
    record Debug(long pc, Cause cause, long address) implements RunExit {
        public enum Cause { STEP, BREAKPOINT, WATCH_WRITE, WATCH_READ, WATCH_ACCESS }
    }

    /** The OSI call of an enabled {@link Capability#PPC_OSI} guest: {@code sc} with the magic r3/r4 (KVM_EXIT_OSI). */
    record Osi(long[] gprs) implements RunExit {}

    /** The run was interrupted from outside (another thread kicked the vCPU, or an instruction budget ran out). */
    record Interrupted() implements RunExit {}

    /** The hypervisor cannot go on with this vCPU (KVM_EXIT_INTERNAL_ERROR). */
    record InternalError(String reason) implements RunExit {}
}
