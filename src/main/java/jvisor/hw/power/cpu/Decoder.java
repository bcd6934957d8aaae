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
        // Per primary opcode, only the low bits some rule of it fixes ("relevant") tell its rules
        // apart: each rule goes into the list of every relevant-bits value it matches, in the
        // table's order, and the other values share the list of their relevant part. Many values
        // have the same list (all of them, for the D forms): one copy is kept. (Built this way
        // rather than by testing every rule against every value, which HotSpot interpreted for
        // some 40 ms of a cold start on the path to the first instruction.)
        Map<Candidates, int[]> shared = new HashMap<>();
        List<List<Integer>> ofPrimary = new ArrayList<>();
        int[] relevant = new int[64];
        for (int p = 0; p < 64; p++) ofPrimary.add(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            int p = MATCH[i] >>> 26;
            ofPrimary.get(p).add(i);
            relevant[p] |= MASK[i] & LOW;
        }
        int[][] lists = new int[LOW + 1][];
        int[] counts = new int[LOW + 1];
        for (int p = 0; p < 64; p++) {
            int rel = relevant[p];
            Arrays.fill(counts, 0);
            for (int i : ofPrimary.get(p)) {
                int fixed = MATCH[i] & LOW, free = rel & ~MASK[i];
                // Every subset of the free relevant bits, the empty one last.
                for (int sub = free; ; sub = (sub - 1) & free) {
                    int low = fixed | sub;
                    if (lists[low] == null || counts[low] == lists[low].length) {
                        lists[low] = Arrays.copyOf(lists[low] == null ? new int[4] : lists[low], Math.max(4, counts[low] * 2));
                    }
                    lists[low][counts[low]++] = i;
                    if (sub == 0) break;
                }
            }
            int[][] byLow = new int[LOW + 1][];
            for (int low = 0; low <= LOW; low++) {
                if ((low & rel) != low) {
                    byLow[low] = byLow[low & rel]; // computed already: the bits outside decide nothing
                } else {
                    int[] candidates = lists[low] == null ? new int[0] : Arrays.copyOf(lists[low], counts[low]);
                    byLow[low] = shared.computeIfAbsent(new Candidates(candidates), Candidates::rules);
                }
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
