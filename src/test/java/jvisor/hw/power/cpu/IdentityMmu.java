package jvisor.hw.power.cpu;

import java.util.HashMap;
import java.util.Map;

import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.Mmu;
import jvisor.hw.power.TranslationFault;
import jvisor.memory.RealMemory;

/**
 * Test MMU: every effective address maps to the same real address; addresses outside memory give
 * a machine check. Pages can be made to fault with a chosen vector and DSISR/SRR1 bits.
 */
final class IdentityMmu implements Mmu {
    private final RealMemory memory;
    private final Map<Long, int[]> faults = new HashMap<>();
    private TranslationFault fault;
    int translations;
    int contextChanges;

    IdentityMmu(RealMemory memory) {
        this.memory = memory;
    }

    /** Accesses of the given kind to the page of {@code ea} fault with {@code vector} and {@code bits}. */
    void fault(long ea, int access, int vector, int bits) {
        faults.put((ea >>> 12) * 4 + access, new int[] {vector, bits});
    }

    /** As {@link #fault}, but only for accesses in problem state (MSR[PR]=1), as a privileged page's are. */
    void faultInProblemState(long ea, int access, int vector, int bits) {
        problemStateFaults.put((ea >>> 12) * 4 + access, new int[] {vector, bits});
    }

    private final Map<Long, int[]> problemStateFaults = new HashMap<>();

    void clearFaults() {
        faults.clear();
    }

    @Override
    public long translate(long ea, int access, long msr) {
        translations++;
        int[] f = faults.get((ea >>> 12) * 4 + access);
        if (f == null && (msr & jvisor.hw.power.Msr.PR) != 0) {
            f = problemStateFaults.get((ea >>> 12) * 4 + access);
        }
        if (f != null) {
            long bits = f[1] & 0xFFFF_FFFFL, asdr = ea & ~0xFFFL;
            fault = switch (f[0]) {
                case InterruptVector.DATA_STORAGE -> new TranslationFault.DataStorage(ea, bits);
                case InterruptVector.INSTRUCTION_STORAGE -> new TranslationFault.InstructionStorage(ea, bits);
                case InterruptVector.DATA_SEGMENT -> new TranslationFault.DataSegment(ea);
                case InterruptVector.INSTRUCTION_SEGMENT -> new TranslationFault.InstructionSegment(ea);
                case InterruptVector.HYPERVISOR_DATA_STORAGE -> new TranslationFault.HypervisorDataStorage(ea, bits, asdr);
                case InterruptVector.HYPERVISOR_INSTRUCTION_STORAGE ->
                        new TranslationFault.HypervisorInstructionStorage(ea, bits, asdr);
                case InterruptVector.MACHINE_CHECK -> new TranslationFault.MachineCheck(ea, ea, access != FETCH);
                default -> throw new IllegalArgumentException("no translation fault has vector 0x" + Integer.toHexString(f[0]));
            };
            return -1;
        }
        if (!memory.contains(ea, 1)) {
            fault = new TranslationFault.MachineCheck(ea, ea, access != FETCH);
            return -1;
        }
        return ea;
    }

    @Override
    public TranslationFault fault() {
        return fault;
    }

    @Override
    public void contextChanged() {
        contextChanges++;
    }
}
