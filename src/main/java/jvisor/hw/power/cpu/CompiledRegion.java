package jvisor.hw.power.cpu;

import java.lang.reflect.Method;

/**
 * Guest code of one decoded page translated to JVM bytecode: a region of the page reachable from
 * its first entry through direct branches, with every basic-block start usable as an entry (a
 * whole region's only where the dispatcher comes in the normal run of things: its start, loop
 * heads, calls' targets and return points; see {@link RegionCompiler.Region#discover}).
 * Subclasses are generated hidden classes ({@link RegionCompiler}).
 *
 * <p>Contract of {@link #run}: executes at most {@code allowance} instructions starting at slot
 * {@code slot} of {@link #page} with the current instruction address {@code core.pc}; stores the
 * allowance left in {@code core.jitLeft} and returns what the last instruction body returned
 * ({@link Core#OK} when it left the region normally, with {@code core.pc} the next instruction).
 * An instruction that faults counts as executed, exactly as in the interpreter. An allowance
 * below {@link #instructions} runs nothing (OK with the whole allowance left): the dispatcher
 * interprets instead, so that the translated code checks the allowance only at loop heads (no
 * path between two of them runs more instructions than the region has) and not at every block.
 */
abstract class CompiledRegion {
    final DecodePage page;
    /** The page's generation the region was translated from; a different one means stale. */
    final int generation;
    /**
     * The address mask (so the mode, 64- or 32-bit) the region was translated for: the width of
     * addresses is a constant of its code, so it is entered only in that mode.
     */
    final long addrMask;
    /** Instructions in the region: the least allowance it is entered with. */
    final int instructions;
    /**
     * A first translation, whose class HotSpot's C2 leaves alone where the launcher's compiler
     * directives say so (C1 compiles it cheaply); once it has run {@link Tiering#setUpgradeThreshold
     * enough} instructions it is translated again as a class C2 may compile, which takes its place.
     */
    final boolean quick;
    /** The slot the region was discovered from: where its translation starts again. */
    final int start;
    /**
     * The pages before and after the region's own in effective addresses whose code a whole
     * region holds (null where it holds none): it enters that code only while the core fetches
     * from the same page, unchanged.
     */
    final DecodePage lower, upper;
    /**
     * For a quick region whose successor was asked for: the decoded pages the core fetched the
     * addresses before and after its page from at that moment (index 0 and 2; null where it had
     * none), which the successor may take code from.
     */
    DecodePage[] neighbours;
    /**
     * Instructions run in a quick region and the times it was entered (counted by the
     * dispatcher), and whether its successor was asked for.
     */
    long ran, entered;
    boolean upgradeAsked;
    /**
     * For a whole region: its entries since the dispatcher last asked HotSpot which tier runs it,
     * and whether compiled code was seen running it then ({@link Tiering#regionRan}).
     */
    int entriesSinceLook;
    boolean seenCompiled;
    /**
     * A whole region's entries so far, and the most allowance the run loop enters it with next
     * ({@link Tiering#nextCap}: short now and then while the region is new).
     */
    long wholeEntries, cap = Long.MAX_VALUE;
    private Method run;

    /**
     * Whether a quick region spins in a loop: it ran {@link #SPINNING} instructions or more a
     * call, on average (the dispatcher's calls are at most 4096 instructions long). The
     * background translator reads the counts without a lock: a stale count only moves when a
     * successor goes in.
     */
    boolean spins() {
        return ran >= SPINNING * Math.max(1, entered);
    }

    static final int SPINNING = 1024;

    /**
     * Whether a quick region's successor is due, with {@code after} the core's upgrade threshold
     * ({@link Tiering#setUpgradeThreshold}): once its work reaches that many instructions if it
     * spins, {@link #NOT_SPINNING} times as many if it does not, and only once. Its work is the
     * instructions it ran and {@link #ENTRY_WEIGHT} more for each time the run loop entered it.
     */
    boolean upgradeDue(long after) {
        long work = ran + ENTRY_WEIGHT * entered;
        // Not short-circuit: one test for the caller, not three that HotSpot compiled as never
        // taken until the first region of a run got there.
        return work >= after & !upgradeAsked & (work >= NOT_SPINNING * after | spins());
    }

    /**
     * What an entry costs, in instructions: a quick region stops at the entries of the page's other
     * regions and leaves at every return, so code that calls small functions goes through the run
     * loop every few instructions (the bench's calls guest: 35 M entries, 23 instructions each, some
     * 15 ns apiece: CoreLoopBenchmark.farCallLoop), and its successor, a whole region, takes the
     * calls and returns in. Counted by instructions alone, such regions waited for 16 M of them.
     * With entries weighing 16: the calls guest cold 2.79 -> 2.22 s (8 alternating runs), in the
     * bench's JVM 1.57-1.68 -> 1.18-1.35 s; a cold Linux boot, whose 8 more upgrades do not pay
     * back within it, wall 1.018 +- 0.024 and processor time 1.033 +- 0.021 (10 pairs); 64 gave
     * the calls guest no more and the boot 1.040 and 1.074.
     */
    static final long ENTRY_WEIGHT = 16;

    static final int NOT_SPINNING = 4;

    /**
     * What a generated region class is made with: the last element of its class data. The class's
     * initializer (run as the class is defined) makes its one instance from it and leaves it in
     * {@link #made}, so that no method handle is looked up and called per region: a constructor's
     * handle made a method type of its own for each class, and the JDK's interning of those kept
     * HotSpot's C2 compiling {@code MethodType.makeImpl} for 0.3-0.8 s of a Linux boot.
     */
    static final class Making {
        final DecodePage page, lower, upper;
        final int generation;
        final long addrMask;
        CompiledRegion made;

        Making(DecodePage page, int generation, long addrMask, DecodePage lower, DecodePage upper) {
            this.page = page;
            this.generation = generation;
            this.addrMask = addrMask;
            this.lower = lower;
            this.upper = upper;
        }
    }

    /** A generated region's constructor: the page's and mode's part from {@code m}, the code's part constant. */
    protected CompiledRegion(Making m, int instructions, int start, boolean quick) {
        this(m.page, m.generation, m.addrMask, instructions, start, quick, m.lower, m.upper);
    }

    protected CompiledRegion(DecodePage page, int generation, long addrMask, int instructions, int start, boolean quick,
                             DecodePage lower, DecodePage upper) {
        this.page = page;
        this.lower = lower;
        this.upper = upper;
        this.generation = generation;
        this.addrMask = addrMask;
        this.instructions = instructions;
        this.start = start;
        this.quick = quick;
    }

    /**
     * Whether the region may run for {@code page} as it is now in the mode of {@code mask}: made
     * from the page's current contents, for that address width.
     */
    final boolean current(DecodePage page, long mask) {
        return generation == page.generation && addrMask == mask;
    }

    abstract int run(Core core, int slot, long allowance);

    /** The generated class's own {@link #run}: the method HotSpot compiles for this region. */
    final Method runMethod() throws NoSuchMethodException {
        Method m = run;
        if (m == null) {
            run = m = getClass().getDeclaredMethod("run", Core.class, int.class, long.class);
        }
        return m;
    }

    /**
     * {@link #run}, through the one call site every caller shares. HotSpot speculates on the
     * classes a call site has seen: the core's run loop calling each region's run directly saw
     * one or two region classes, had them inlined into the loop, and was deoptimized whenever a
     * new region appeared (31 times in a Linux boot, the whole interpreter falling back to
     * HotSpot's slower tiers each time). Here the background translator's warm-up calls pass
     * many region classes (and two of its own), so the site is megamorphic from early on and
     * compiled as a plain virtual call.
     */
    final int enter(Core core, int slot, long allowance) {
        return run(core, slot, allowance);
    }
}
