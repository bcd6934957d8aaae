package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.X86Assembler.R12;
import static jvisor.hw.power.cpu.X86Assembler.R13;
import static jvisor.hw.power.cpu.X86Assembler.R14;
import static jvisor.hw.power.cpu.X86Assembler.R15;
import static jvisor.hw.power.cpu.X86Assembler.RBX;
import static jvisor.hw.power.cpu.X86Assembler.RDX;

import java.util.Arrays;

/**
 * The guest GPRs one native block holds in host registers while it is being written: six, each
 * holding one GPR from its first use in the block on. Five are registers the System V ABI has a
 * callee keep (RBX, R12-R15: the tier's entry saves and restores them around every call), and
 * RDX, free since the blocks reach the data cache's write entries from its read entries' pointer
 * (the multiply and divide templates, which need RDX, keep it in R11 meanwhile). RBP stays the
 * frame pointer, so that a profiler's walk of the stack from a sample in a block still finds the
 * Java frames that called it.
 * Without them every template read its operands from the GPR array and wrote its result back,
 * and a chain of dependent instructions waited on a store-to-load forwarding (some five cycles)
 * at each link.
 *
 * <p>A GPR is loaded at its first read, and a write makes its host register the GPR's value
 * (<em>dirty</em>): the array is stale until the register is written back. That happens when the
 * register is taken for another GPR (least recently used first) and at every exit of the block,
 * a bail as much as a branch: {@link #dirty} is the list of stores an exit taken at that point
 * must make, and {@link #writeBack} makes them. The next block, and the interpreter, find the
 * array complete. What the writer knows is straight-line: a block has no join inside it (a branch
 * not taken falls through, one taken leaves), so the state at each point of the code is the one
 * the writer had when it wrote that point.
 */
final class NativeRegisters {
    /** The host registers that hold GPRs. */
    static final int[] HOST = {RBX, R12, R13, R14, R15, RDX};
    /** Those of {@link #HOST} the tier's entry must save (RDX, an argument register, is the caller's to lose). */
    static final int[] SAVED = {RBX, R12, R13, R14, R15};

    private final X86Assembler a;
    private final int gprs;
    /** The GPR in each host register, or -1. */
    private final int[] guest = new int[HOST.length];
    private final boolean[] dirty = new boolean[HOST.length];
    /** When each host register was last used (for the least recently used). */
    private final long[] used = new long[HOST.length];
    private long clock;

    NativeRegisters(X86Assembler a, int gprs) {
        this.a = a;
        this.gprs = gprs;
        Arrays.fill(guest, -1);
    }

    /** The host register holding GPR r, loaded from the array at its first use. */
    int read(int r) {
        int i = find(r);
        if (i < 0) {
            i = take();
            guest[i] = r;
            a.load(HOST[i], gprs, 8L * r);
        }
        used[i] = ++clock;
        return HOST[i];
    }

    /**
     * The host register that is to hold GPR r's new value (the caller writes it at once): the
     * GPR's own if it has one, else one taken for it, not loaded. From here on the array's copy is
     * stale until written back.
     */
    int write(int r) {
        int i = find(r);
        if (i < 0) {
            i = take();
            guest[i] = r;
        }
        dirty[i] = true;
        used[i] = ++clock;
        return HOST[i];
    }

    private static final int[] NONE_DIRTY = {};

    /** The stores an exit taken here must make: GPR and host register, in pairs (shared when none). */
    int[] dirty() {
        int n = 0;
        for (boolean d : dirty) {
            n += d ? 1 : 0;
        }
        if (n == 0) {
            return NONE_DIRTY;
        }
        int[] pairs = new int[2 * n];
        int k = 0;
        for (int i = 0; i < HOST.length; i++) {
            if (dirty[i]) {
                pairs[k++] = guest[i];
                pairs[k++] = HOST[i];
            }
        }
        return pairs;
    }

    /** Writes the stores of {@link #dirty} (on an exit's path: the writer's own state stays). */
    void writeBack(int[] pairs) {
        for (int k = 0; k < pairs.length; k += 2) {
            a.store(gprs, 8L * pairs[k], pairs[k + 1]);
        }
    }

    private int find(int r) {
        for (int i = 0; i < HOST.length; i++) {
            if (guest[i] == r) {
                return i;
            }
        }
        return -1;
    }

    /** A free host register, or the least recently used one, its GPR written back if dirty. */
    private int take() {
        int best = 0;
        for (int i = 0; i < HOST.length; i++) {
            if (guest[i] < 0) {
                return i;
            }
            if (used[i] < used[best]) {
                best = i;
            }
        }
        if (dirty[best]) {
            a.store(gprs, 8L * guest[best], HOST[best]);
            dirty[best] = false;
        }
        guest[best] = -1;
        return best;
    }
}
