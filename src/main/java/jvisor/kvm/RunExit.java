package jvisor.kvm;

/**
 * Why {@link Vcpu#run()} returned to user space (KVM_RUN's exit reasons, {@code struct kvm_run}).
 * One family for every engine: each exit carries its own data, typed. Exits that need an answer
 * carry a buffer the VMM fills before it calls {@code run()} again, as user space fills
 * {@code struct kvm_run}; the next run completes the guest's instruction with it.
 *
 * <p>Which engine produces which: POWER all but {@link ArmNisv} and {@link MemoryFault}; ARM
 * {@link Mmio}, {@link ArmNisv}, {@link MemoryFault}, {@link InternalError} and
 * {@link Interrupted}; lguest {@link Mmio}, {@link Shutdown} (a killed guest) and
 * {@link Interrupted}. lguest's hypercalls and the traps it reflects into the guest are handled
 * in the hypervisor and never reach user space; a hypercall it refuses kills the guest.
 */
public sealed interface RunExit {

    /**
     * A load or store to a guest physical address no memslot backs (KVM_EXIT_MMIO). {@link #data}
     * holds {@link #length} bytes in the order they appear on the bus (memory order, whatever the
     * guest's byte order): for a store the bytes written; for a load the VMM writes the bytes the
     * device returns into it, and the next run puts them in the guest's register.
     */
    record Mmio(long physAddr, int length, boolean isWrite, byte[] data) implements RunExit {

        /** The data as a little-endian value of {@link #length} bytes (an LE device register). */
        public long valueLittleEndian() {
            long v = 0;
            for (int i = length - 1; i >= 0; i--) v = v << 8 | (data[i] & 0xFFL);
            return v;
        }

        /** Puts the low {@link #length} bytes of {@code value} in {@link #data}, least significant first. */
        public void setValueLittleEndian(long value) {
            for (int i = 0; i < length; i++) data[i] = (byte) (value >>> (8 * i));
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(String.format("MMIO %s 0x%x len %d data", isWrite ? "write" : "read",
                    physAddr, length));
            for (int i = 0; i < length && i < data.length; i++) b.append(String.format(" %02x", data[i]));
            return b.toString();
        }
    }

    /**
     * An ARM data abort on a guest physical address no memslot backs whose syndrome has no
     * instruction information (ESR_EL2.ISV clear), so the hypervisor cannot emulate it
     * (KVM_EXIT_ARM_NISV): the VMM emulates the instruction itself from {@link #esr} (ESR_EL2) and
     * {@link #ipa} and moves the PC on, or stops the guest. The next run completes nothing.
     */
    record ArmNisv(long esr, long ipa) implements RunExit {}

    /**
     * The hypervisor could not resolve a guest access to memory a memslot does back: the host
     * memory behind guest physical {@link #gpa} is gone or could not be faulted in, or there was
     * no memory for its tables (KVM_EXIT_MEMORY_FAULT; older KVM fails KVM_RUN with -EFAULT).
     */
    record MemoryFault(long gpa, String reason) implements RunExit {}

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

    /**
     * The machine stops (KVM_EXIT_SHUTDOWN): the guest asked for power-off or reboot, its core
     * stopped, or the hypervisor killed it for breaking the rules (lguest's kill_guest, with the
     * reason). {@link #status} 0 is a clean stop.
     */
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

    /**
     * The run ended without anything for user space to do (KVM_EXIT_INTR): another thread kicked
     * the vCPU, an instruction budget ran out, or the guest model's access retired. It carries no
     * data, so every run returns {@link #INSTANCE}.
     */
    record Interrupted() implements RunExit {
        public static final Interrupted INSTANCE = new Interrupted();
    }

    /** The hypervisor cannot go on with this vCPU (KVM_EXIT_INTERNAL_ERROR). */
    record InternalError(String reason) implements RunExit {}
}
