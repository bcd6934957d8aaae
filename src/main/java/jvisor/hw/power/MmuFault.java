package jvisor.hw.power;

/**
 * The architected description of a translation failure, filled in by the MMU and read by the
 * core (which raises the interrupt) or, for hypervisor interrupts, by the hypervisor.
 * One instance per core is reused so that a fault never allocates.
 */
public final class MmuFault {
    /** Interrupt vectors a translation can raise. */
    public static final int MACHINE_CHECK = 0x200, DSI = 0x300, DATA_SEGMENT = 0x380, ISI = 0x400,
            INSTRUCTION_SEGMENT = 0x480, HDSI = 0xE00, HISI = 0xE20;

    /** Vector of the interrupt to raise. */
    public int vector;
    /** DSISR for DSI; for ISI the SRR1 bits (same bit positions as DSISR, see the spec sheet). */
    public long dsisr;
    /** DAR for DSI / data segment / machine check on a load or store. */
    public long dar;
    /** HDSISR for HDSI; HSRR1 bits for HISI. */
    public long hdsisr;
    /** HDAR for HDSI (the effective address). */
    public long hdar;
    /** ASDR for HDSI/HISI: the guest real address that failed partition-scoped translation. */
    public long asdr;
    /**
     * For a machine check raised by translation: the real address a table read needed that is not
     * in real memory (the access itself is in {@link #dar}).
     */
    public long realAddress;

    /** True when the interrupt goes to the hypervisor (HDSI, HISI), never to a pseries guest. */
    public boolean toHypervisor() {
        return vector == HDSI || vector == HISI;
    }

    public void clear() {
        vector = 0;
        dsisr = dar = hdsisr = hdar = asdr = realAddress = 0;
    }

    @Override
    public String toString() {
        return String.format("MmuFault[vector=0x%x dsisr=0x%x dar=0x%x hdsisr=0x%x hdar=0x%x asdr=0x%x ra=0x%x]",
                vector, dsisr, dar, hdsisr, hdar, asdr, realAddress);
    }
}
