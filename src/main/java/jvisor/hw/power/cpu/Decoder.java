package jvisor.hw.power.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps an instruction word to its operation index, once per word (the result is cached in a
 * {@link DecodePage}). Operand fields stay in the word and are extracted by the instruction
 * bodies. The decoder is the rules of {@link InstructionTable} as a lookup: per primary opcode and
 * the low 11 bits of the word (where every form keeps its extended opcode, wholly or in part),
 * the rules that can match, in the table's order; the first that matches decides, and a word
 * that breaks its {@link Operands} rule (an invalid form) is {@link Op#ILLEGAL}, the way POWER9
 * reports them.
 */
final class Decoder {
    private Decoder() {
    }

    private static final int LOW_BITS = 11, LOW = (1 << LOW_BITS) - 1;
    /** Rule indexes by primary opcode and the low 11 bits of the word. */
    private static final int[][][] CANDIDATES = new int[64][][];
    private static final int[] MATCH, MASK, OP;
    private static final Operands[] OPERANDS;

    static {
        List<InstructionTable.Rule> rules = InstructionTable.POWER9.rules();
        int n = rules.size();
        MATCH = new int[n];
        MASK = new int[n];
        OP = new int[n];
        OPERANDS = new Operands[n];
        for (int i = 0; i < n; i++) {
            InstructionTable.Rule r = rules.get(i);
            MATCH[i] = r.encoding().match();
            MASK[i] = r.encoding().mask();
            OP[i] = r.op();
            OPERANDS[i] = r.operands();
        }
        // Many low-bit values share a candidate list (all of them, for the D forms): keep one copy.
        Map<Candidates, int[]> shared = new HashMap<>();
        int[] buffer = new int[n];
        for (int p = 0; p < 64; p++) {
            List<Integer> ofPrimary = new ArrayList<>();
            int relevant = 0; // the low bits some rule of this primary opcode fixes
            for (int i = 0; i < n; i++) {
                if (MATCH[i] >>> 26 == p) {
                    ofPrimary.add(i);
                    relevant |= MASK[i] & LOW;
                }
            }
            int[][] byLow = new int[LOW + 1][];
            for (int low = 0; low <= LOW; low++) {
                if ((low & relevant) != low) {
                    byLow[low] = byLow[low & relevant]; // computed already: the bits outside decide nothing
                    continue;
                }
                int count = 0;
                for (int i : ofPrimary) {
                    if ((low & MASK[i] & LOW) == (MATCH[i] & LOW)) buffer[count++] = i;
                }
                byLow[low] = shared.computeIfAbsent(new Candidates(Arrays.copyOf(buffer, count)), Candidates::rules);
            }
            CANDIDATES[p] = byLow;
        }
    }

    /** A candidate list as a map key. */
    private record Candidates(int[] rules) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Candidates c && Arrays.equals(rules, c.rules);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(rules);
        }
    }

    static int decode(int w) {
        for (int i : CANDIDATES[w >>> 26][w & LOW]) {
            if ((w & MASK[i]) == MATCH[i]) {
                return OPERANDS[i] == Operands.ANY || OPERANDS[i].valid(w) ? OP[i] : Op.ILLEGAL;
            }
        }
        return Op.ILLEGAL;
    }
}
