package jvisor.kvm.power;

import jvisor.hw.power.TranslationFault;

/**
 * What the partition-scoped fault handler decided (the RESUME_GUEST / reflect / MMIO / -EFAULT
 * outcomes of KVM's radix page-fault handler). The vCPU run loop acts on it.
 */
public sealed interface PageFaultResult {

    /** The fault is handled (a PTE installed or updated, or a racing invalidation means retry): re-run the access. */
    record Resume(Reason reason) implements PageFaultResult {}

    /**
     * A storage interrupt for the guest (a {@link TranslationFault.DataStorage} or
     * {@link TranslationFault.InstructionStorage}): its own tables point at nothing, or a store hit
     * a read-only slot.
     */
    record Reflect(TranslationFault interrupt) implements PageFaultResult {}

    /**
     * A load or store to a guest real address that no memslot backs: emulated MMIO. The vCPU
     * fetches and decodes the instruction and exits to user space.
     */
    record Mmio(long gpa, long ea, boolean write) implements PageFaultResult {}

    /** An instruction fetch from a guest real address that no memslot backs: a machine check, as on QEMU's pseries. */
    record FetchFromNowhere(long gpa, long ea) implements PageFaultResult {}

    /** A fault the hypervisor cannot handle (unsupported MMU configuration, host out of memory): exit to user space. */
    record Error(String message) implements PageFaultResult {}

    /** Why a fault resumed the guest (for statistics and tests). */
    enum Reason { MAPPED_4K, MAPPED_2M, MAPPED_1G, SET_RC, RETRY_INVALIDATION, RETRY_RACE }
}
