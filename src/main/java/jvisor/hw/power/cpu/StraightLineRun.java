package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.Core.EXIT;
import static jvisor.hw.power.cpu.Core.INTERRUPT;

/**
 * The interpreter's inner loop: a run of straight-line code through one decoded page, which the
 * core's run loop ({@code Core.runGuest}) hands over at each branch target it does not enter a
 * translation at. What the run keeps between its instructions beside the slot lives in fields of
 * the core ({@code runPage}, {@code runEntries}, {@code runEntered}, {@code runEnd}), the one
 * object the loop holds across each instruction's call of the dispatcher.
 */
final class StraightLineRun {
    private StraightLineRun() {
    }

    /** How a run ended, in the low bits of {@link #run}'s result, the slot it reached above them. */
    static final int RUN_SHIFT = 2, RUN_HOW = 3,
            /** Stopped before the next instruction (limit, events, a new fetch mode, a translation's entry). */
            RUN_ON = 0,
            /** A branch was taken or the page ended: the next instruction starts a run. */
            RUN_BRANCH = 1,
            /** The instruction raised an interrupt (its result was INTERRUPT). */
            RUN_TRAP = RUN_BRANCH + INTERRUPT,
            /** The instruction stops the run loop (its result was EXIT). */
            RUN_EXIT = RUN_BRANCH + EXIT;

    /**
     * Interprets straight-line code from slot s of the page (address at) on core c, at most
     * {@code allowed} instructions, and returns the slot it reached shifted by {@link #RUN_SHIFT},
     * or-ed with how the run ended. The next slot's decoded entry is at hand, so the fetch cache is
     * consulted again only after a branch, at the page's end, when the fetch mode or the
     * translations change (the fetch cache raises attention: any change of IR, PR, HV or LE, a
     * flush, a forgotten page; so does an MSR write that changes the address width or switches
     * tracing), or when events or the budget are due. While translating ({@code jit}), a
     * fall-through into a translation's entry ({@link DecodePage#ENTERED} in the slot's entry)
     * stops the run, so the run loop enters the translation.
     *
     * <p>Kept out of the run loop (the launcher's compiler directives keep HotSpot from inlining
     * it there): this loop keeps only the core, the slot and the next address on the stack across
     * each instruction's call and reads the rest from the core's fields, where the run loop's many
     * locals made HotSpot spill and reload a dozen values around every instruction.
     */
    static int run(Core c, DecodePage page, boolean jit, int s, long at, int allowed) {
        c.runPage = page;
        c.runEntries = page.entries;
        c.runEntered = jit ? DecodePage.ENTERED : 0;
        c.runEnd = s + allowed;
        long here = at;
        int first = s;
        while (true) {
            long entry = c.runEntries[s];
            if (entry <= 0) {
                // Not decoded yet, or a translation's entry: the run stops before one (but not at
                // its own first slot, which the run loop chose to interpret) while translating.
                if ((entry & c.runEntered) != 0 && s != first) {
                    return s << RUN_SHIFT | RUN_ON;
                }
                entry &= ~DecodePage.ENTERED;
                if (entry == 0) {
                    entry = c.decode(c.runPage, s, here);
                }
            }
            long next = (here + 4) & c.addrMask;
            c.cia = here;
            c.pc = next;
            int r = Executor.execute(c, (int) (entry >>> 32), (int) entry);
            s++;
            here = c.pc;
            // The conditions of each exit are or-ed into one value, tested once: a branch taken
            // often enough (every taken branch, every poll interval) that HotSpot never compiles it
            // away and then has to deoptimize the loop when a rare condition comes true. Each is
            // arithmetic: javac writes a comparison's boolean as a branch of its own, which HotSpot
            // compiled as never taken until the guest's first interrupt (r; OK is 0) or MSR write.
            long moved = here ^ next;
            if ((r | (int) ((moved | -moved) >>> 63)) != 0) {
                // RUN_BRANCH, RUN_TRAP or RUN_EXIT from the result (OK, INTERRUPT or EXIT) without a
                // branch: one HotSpot compiled before the first interrupt or exit would deoptimize.
                return s << RUN_SHIFT | (RUN_BRANCH + Math.min(r, EXIT));
            }
            if ((((s ^ c.runEnd) - 1) >>> 31) != 0 | (boolean) Core.ATTENTION.get(c)) {
                // The page's end (runEnd is never past it) is a branch's: RUN_BRANCH there, else RUN_ON.
                return s << RUN_SHIFT | (RUN_ON + (((s ^ DecodePage.SLOTS) - 1) >>> 31));
            }
        }
    }
}
