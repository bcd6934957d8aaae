package jvisor.hw.power;

/**
 * A translation that failed, as the architecture reports it: the interrupt it raises and what
 * that interrupt puts in the registers (Power ISA v3.0B Book III 7.5). The walker
 * ({@link RadixTranslator}) makes one when an access faults, never when it succeeds. The core
 * delivers it to the guest ({@code Interrupts}), or, for the partition-scoped ones, sets
 * HDAR/HDSISR/ASDR and ends its run so that the hypervisor handles it; the hypervisor may in turn
 * reflect a process-scoped one into the guest through the same delivery.
 */
public sealed interface TranslationFault {

    /** The interrupt's vector ({@link InterruptVector}). */
    int vector();

    /** The effective address of the access (the instruction's address for a fetch). */
    long ea();

    /** A fault of the partition-scoped stage: HDSI or HISI, for the hypervisor. */
    sealed interface PartitionScoped extends TranslationFault {
        /** HDSISR, or for a fetch the HSRR1 bits in the same positions. */
        long cause();

        /** ASDR: the guest real address that failed partition-scoped translation. */
        long asdr();

        /** An instruction fetch (HISI). */
        boolean fetch();
    }

    /** DSI: DAR = {@code dar}, DSISR = {@code dsisr}. */
    record DataStorage(long dar, long dsisr) implements TranslationFault {
        @Override public int vector() { return InterruptVector.DATA_STORAGE; }
        @Override public long ea() { return dar; }
    }

    /** ISI at {@code ea}: SRR1 gets the {@link Srr1#INSTRUCTION_STORAGE_CAUSE} bits of {@code srr1}. */
    record InstructionStorage(long ea, long srr1) implements TranslationFault {
        @Override public int vector() { return InterruptVector.INSTRUCTION_STORAGE; }
    }

    /** Data segment interrupt: DAR = {@code dar}. */
    record DataSegment(long dar) implements TranslationFault {
        @Override public int vector() { return InterruptVector.DATA_SEGMENT; }
        @Override public long ea() { return dar; }
    }

    /** Instruction segment interrupt at {@code ea}. */
    record InstructionSegment(long ea) implements TranslationFault {
        @Override public int vector() { return InterruptVector.INSTRUCTION_SEGMENT; }
    }

    /** HDSI: HDAR = {@code hdar}, HDSISR = {@code hdsisr}, ASDR = {@code asdr}. */
    record HypervisorDataStorage(long hdar, long hdsisr, long asdr) implements PartitionScoped {
        @Override public int vector() { return InterruptVector.HYPERVISOR_DATA_STORAGE; }
        @Override public long ea() { return hdar; }
        @Override public long cause() { return hdsisr; }
        @Override public boolean fetch() { return false; }
    }

    /** HISI at {@code ea}: HSRR1 gets the cause bits of {@code hsrr1}, ASDR = {@code asdr}. */
    record HypervisorInstructionStorage(long ea, long hsrr1, long asdr) implements PartitionScoped {
        @Override public int vector() { return InterruptVector.HYPERVISOR_INSTRUCTION_STORAGE; }
        @Override public long cause() { return hsrr1; }
        @Override public boolean fetch() { return true; }
    }

    /**
     * Machine check: a table read the walk needed lands outside real memory ({@code realAddress}).
     * DAR = {@code dar} and SRR1 MSB 42 ({@code loadStore}) for a load or store.
     */
    record MachineCheck(long dar, long realAddress, boolean loadStore) implements TranslationFault {
        @Override public int vector() { return InterruptVector.MACHINE_CHECK; }
        @Override public long ea() { return dar; }
    }
}
