package jvisor.kvm;

/** KVM_CHECK_EXTENSION capabilities jvisor knows about, with KVM's numbers. */
public enum Capability {
    USER_MEMORY(3),
    NR_MEMSLOTS(10),
    SYNC_MMU(16),
    COALESCED_MMIO(15),
    READONLY_MEM(81),
    PPC_SEGSTATE(28),
    PPC_UNSET_IRQ(53),
    ENABLE_CAP(54),
    PPC_OSI(52),
    PPC_GET_PVINFO(57),
    PPC_IRQ_LEVEL(76),
    PPC_MMU_RADIX(134),
    PPC_MMU_HASH_V3(135);

    public final int number;

    Capability(int number) {
        this.number = number;
    }
}
