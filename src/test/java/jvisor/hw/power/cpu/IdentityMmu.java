package jvisor.hw.power.cpu;

import jvisor.hw.power.Mmu;
import jvisor.hw.power.MmuFault;
import jvisor.memory.RealMemory;

import java.util.HashMap;
import java.util.Map;

/**
 * Test MMU: every effective address maps to the same real address; addresses outside memory give
 * a machine check. Pages can be made to fault with a chosen vector and DSISR/SRR1 bits.
 */
final class IdentityMmu implements Mmu {
    private final RealMemory memory;
    private final Map<Long, int[]> faults = new HashMap<>();
    int translations;
    int contextChanges;

    IdentityMmu(RealMemory memory) {
        this.memory = memory;
    }

    /** Accesses of the given kind to the page of {@code ea} fault with {@code vector} and {@code bits}. */
    void fault(long ea, int access, int vector, int bits) {
        faults.put((ea >>> 12) * 4 + access, new int[] {vector, bits});
    }

    void clearFaults() {
        faults.clear();
    }

    @Override
    public long translate(long ea, int access, long msr, MmuFault fault) {
        translations++;
        int[] f = faults.get((ea >>> 12) * 4 + access);
        if (f != null) {
            fault.vector = f[0];
            fault.dsisr = f[1];
            fault.dar = ea;
            fault.hdsisr = f[1];
            fault.hdar = ea;
            fault.asdr = ea & ~0xFFFL;
            return -1;
        }
        if (!memory.contains(ea, 1)) {
            fault.vector = MmuFault.MACHINE_CHECK;
            fault.dar = ea;
            return -1;
        }
        return ea;
    }

    @Override
    public void contextChanged() {
        contextChanges++;
    }
}
