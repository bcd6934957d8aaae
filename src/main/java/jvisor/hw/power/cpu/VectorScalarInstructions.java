package jvisor.hw.power.cpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The floating-point, vector (VMX) and vector-scalar (VSX) instructions, declared as
 * {@link InstructionSpec}s by their families and found here by encoding. The decoder gives a word
 * that matches one of them the operation {@link Op#DECLARED} + its index; executing it checks its
 * facility's MSR bit (the facility-unavailable interrupt when it is off) and runs its body.
 */
final class VectorScalarInstructions {
    private VectorScalarInstructions() {
    }

    /** Every declared instruction; an operation's index into this list is {@code op - Op.DECLARED}. */
    static final List<InstructionSpec> ALL;
    /** For each primary opcode, the indexes of the declarations in it, most specific encoding first. */
    private static final int[][] BY_PRIMARY = new int[64][];

    static {
        List<InstructionSpec> all = new ArrayList<>();
        for (List<InstructionSpec> family : families()) all.addAll(family);
        ALL = Collections.unmodifiableList(all);
        for (int p = 0; p < 64; p++) {
            int primary = p;
            BY_PRIMARY[p] = java.util.stream.IntStream.range(0, all.size())
                    .filter(i -> (all.get(i).encoding().match() >>> 26) == primary)
                    .boxed()
                    .sorted((a, b) -> Integer.bitCount(all.get(b).encoding().mask()) - Integer.bitCount(all.get(a).encoding().mask()))
                    .mapToInt(Integer::intValue)
                    .toArray();
        }
    }

    /** The families whose declarations make up the table. */
    private static List<List<InstructionSpec>> families() {
        return List.of(FloatingPointInstructions.SPECS, VectorInstructions.SPECS, VsxInstructions.SPECS);
    }

    /** The index of the declaration {@code w} is, or -1. */
    static int find(int w) {
        for (int i : BY_PRIMARY[w >>> 26]) {
            if (ALL.get(i).encoding().matches(w)) return i;
        }
        return -1;
    }

    /**
     * Runs a declared operation for word {@code w}: {@code declared} is {@code op - Op.DECLARED},
     * the declaration's index shifted left by two over the facility the word needs (which the
     * decoder found from the operands where they choose it).
     */
    static int execute(Core c, int declared, int w) {
        InstructionSpec spec = ALL.get(declared >>> 2);
        Facility f = FACILITIES[declared & 3];
        if (f.msrBit != 0 && (c.msr & f.msrBit) == 0) {
            return c.interrupt(f.unavailableVector, c.cia, 0);
        }
        InstructionSpec.Body body = spec.body();
        return body == null ? c.unimplemented(spec.mnemonic(), w) : body.execute(c, w);
    }

    private static final Facility[] FACILITIES = Facility.values();

    /** The mnemonic of a declared operation ({@code op - Op.DECLARED}). */
    static String name(int declared) {
        int index = declared >>> 2;
        return index < ALL.size() ? ALL.get(index).mnemonic() : "declared" + index;
    }
}
