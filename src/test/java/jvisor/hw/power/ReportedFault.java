package jvisor.hw.power;

/**
 * The registers a {@link TranslationFault} names, flattened for assertions: the radix tests check
 * one field at a time (vector, DSISR, DAR, HDSISR, HDAR, ASDR, the missing real address), and a
 * field the fault does not name reads 0.
 */
final class ReportedFault {
    int vector;
    long dsisr, dar, hdsisr, hdar, asdr, realAddress;
    TranslationFault fault;

    void clear() {
        set(null);
    }

    /** Takes the fields of {@code f} (null: no fault). */
    void set(TranslationFault f) {
        fault = f;
        vector = f == null ? 0 : f.vector();
        dsisr = dar = hdsisr = hdar = asdr = realAddress = 0;
        switch (f) {
            case null -> { }
            case TranslationFault.DataStorage d -> {
                dsisr = d.dsisr();
                dar = d.dar();
            }
            case TranslationFault.InstructionStorage i -> dsisr = i.srr1();
            case TranslationFault.DataSegment d -> dar = d.dar();
            case TranslationFault.InstructionSegment i -> { }
            case TranslationFault.HypervisorDataStorage h -> {
                hdsisr = h.hdsisr();
                hdar = h.hdar();
                asdr = h.asdr();
            }
            case TranslationFault.HypervisorInstructionStorage h -> {
                hdsisr = h.hsrr1();
                asdr = h.asdr();
            }
            case TranslationFault.MachineCheck m -> {
                dar = m.dar();
                realAddress = m.realAddress();
            }
        }
    }

    boolean toHypervisor() {
        return fault instanceof TranslationFault.PartitionScoped;
    }

    @Override
    public String toString() {
        return String.valueOf(fault);
    }
}
