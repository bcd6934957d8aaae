package jvisor.kvm.arm;

/**
 * What a vCPU hands back to the VMM when it stops running the guest (KVM's struct kvm_run for the
 * exits this engine produces). One per vCPU, reused.
 */
public final class KvmRun {
    public enum Reason {
        NONE,
        /** A load or store to an IPA with no memory behind it, decoded from the syndrome (KVM_EXIT_MMIO). */
        MMIO,
        /** The same, but the syndrome had no instruction information (ISV clear): KVM_EXIT_ARM_NISV. */
        ARM_NISV,
        /** The hypervisor could not resolve the fault (host memory gone, out of memory): KVM_RUN's -EFAULT. */
        FAULT,
        /** The guest kept faulting on the same access without progress. */
        INTERNAL_ERROR
    }

    public Reason reason = Reason.NONE;
    public long mmioPhysAddr;
    public int mmioLen;
    public boolean mmioIsWrite;
    /** Store data (writes) or, filled by the VMM, load data (reads), in the low {@link #mmioLen} bytes. */
    public long mmioData;
    /** ARM_NISV: the ESR_EL2 and faulting IPA for the VMM to emulate or report. */
    public long nisvEsr, nisvIpa;
    public String message = "";

    void clear() {
        reason = Reason.NONE;
        mmioPhysAddr = mmioData = nisvEsr = nisvIpa = 0;
        mmioLen = 0;
        mmioIsWrite = false;
        message = "";
    }

    @Override
    public String toString() {
        return switch (reason) {
            case MMIO -> String.format("MMIO %s 0x%x len %d data 0x%x", mmioIsWrite ? "write" : "read", mmioPhysAddr, mmioLen, mmioData);
            case ARM_NISV -> String.format("ARM_NISV ipa 0x%x esr 0x%x", nisvIpa, nisvEsr);
            default -> reason + (message.isEmpty() ? "" : ": " + message);
        };
    }
}
