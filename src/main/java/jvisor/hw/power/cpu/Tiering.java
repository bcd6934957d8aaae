package jvisor.hw.power.cpu;

import jvisor.memory.RealMemory;

/**
 * When a core's hot guest code is translated, and when a quick translation is translated again
 * for HotSpot's C2: the heat the interpreter counts at branch targets, the instructions and calls
 * the dispatcher counts for quick regions, and the requests to translate (to the machine's
 * translator thread if it has one, else here and now). The core's run loop calls {@link #ran}
 * after each interpreted run that started at a branch target and {@link #regionRan} after each
 * call of a region.
 */
final class Tiering {
    /** Interpretation starts before translation (why 16384: the package documentation). */
    private static final int JIT_THRESHOLD = Integer.getInteger("jvisor.jit.threshold", 16384);
    /**
     * The heat at which code is translated early, if the machine's translator has nothing else to
     * do (see {@link #setEarlyThreshold}).
     */
    private static final int EARLY_THRESHOLD = Integer.getInteger("jvisor.jit.early", 4096);
    /** Whether the thresholds were given (then native blocks leave them as they are). */
    private static final boolean THRESHOLD_GIVEN = System.getProperty("jvisor.jit.threshold") != null,
            EARLY_GIVEN = System.getProperty("jvisor.jit.early") != null;
    /**
     * Instructions a quick region runs before it is translated again for C2 (see
     * {@link CompiledRegion#quick}): in a Linux boot (with the translation threshold at 32768)
     * 18 of 122 regions ran more than 4M of them, together 92% of what all regions ran.
     */
    private static final long UPGRADE_AFTER = Long.getLong("jvisor.jit.upgrade", 1L << 22);

    private final RealMemory memory;
    private final DecodeCache decodeCache;
    /** The core's fetch cache: where a quick region's neighbouring pages are found for its successor. */
    private final FetchCache fetch;
    private int threshold = Math.max(1, Math.min(JIT_THRESHOLD, DecodePage.MAX_HEAT));
    private long upgradeAfter = UPGRADE_AFTER;
    private int early = EARLY_THRESHOLD;
    /**
     * Instructions the core ran in quick regions and the times it entered one (plain counts of the
     * core's own thread): with the core's totals, what ran in C1's code and what in C2's.
     */
    long quickInstructions, quickEntries;

    Tiering(RealMemory memory, DecodeCache decodeCache, FetchCache fetch) {
        this.memory = memory;
        this.decodeCache = decodeCache;
        this.fetch = fetch;
    }

    /**
     * How hot the code at a branch target must run interpreted before it is translated (default:
     * the system property jvisor.jit.threshold, 16384; at most 65535). Each interpretation
     * starting there adds one, and one more for every 16 instructions it ran straight on: a
     * start whose runs are short is translated after that many of them, one whose runs are long
     * sooner. (In a Linux boot, the interpreted runs average 10 instructions, but the starts that
     * interpreted the most ran 30-120 each.)
     */
    void setThreshold(int executions) {
        threshold = Math.max(1, Math.min(executions, DecodePage.MAX_HEAT));
    }

    /**
     * A lower threshold for a machine's translator thread when it is idle (default: the system
     * property jvisor.jit.early, 4096; at or above the threshold, never): code that gets this hot
     * is asked for then if nothing waits for translation or for HotSpot's compilers, and at the
     * threshold otherwise. In a Linux boot half of the interpreted instructions ran at starts whose
     * heat ended between 4096 and 32768, and a start translated at 4096 instead of 16384 saves
     * three quarters of its warm-up; but on a host with two cores every translation's compile time
     * is taken from the guest while the compilers are busy. Cold Linux boots with each region
     * compiled once at tier 1 ({@link HotSpotTiers}), 6 alternating pairs: early at 4096 against
     * none, wall 0.93, processor time 0.96; 2048 and 1024, or the threshold itself at 8192 or
     * 4096, were no better within this host's noise.
     */
    void setEarlyThreshold(int heat) {
        early = Math.max(1, Math.min(heat, DecodePage.MAX_HEAT));
    }

    /**
     * How many instructions a first (quick) translation runs before it is translated again as a
     * class HotSpot's C2 may compile (default: the system property jvisor.jit.upgrade, 4M), if it
     * spins ({@link CompiledRegion#spins}); one that does not runs four times as many, each entry
     * to it counting as {@link CompiledRegion#ENTRY_WEIGHT} instructions more. A
     * successor costs C2 some 20-50 ms; for a region that runs briefly a call, it waits for
     * HotSpot's compilers and repays that slowly. Cold Linux boots (none of whose quick regions
     * spin), 6 pairs: everything at 16M against 4M, wall 0.96 and 0.985, processor time 0.95
     * and 0.96; in the bench's JVM linux 0.97, linux-shell 1.02. The sieves, which spin, were
     * 2-5% slower cold at 16M.
     */
    void setUpgradeThreshold(long instructionsRun) {
        upgradeAfter = Math.max(1, instructionsRun);
    }

    /**
     * An interpreted run of {@code done} instructions began at slot s of the page, a branch target
     * with no translation: the start's heat grows by one, and by one more for every 16
     * instructions the run went (a start whose runs are long is worth translating sooner); one
     * that became hot is translated, one that became warm ({@link #setEarlyThreshold}) if the
     * translator is idle (at that run or a later one). A start asked for early is not asked for
     * again.
     */
    void ran(DecodePage page, int s, int done, long addrMask) {
        heat(page, s, 1 + (done >> 4), addrMask);
    }

    /**
     * The native tier's heat (0: off): interpreted runs from a branch target before the target
     * gets a native block ({@link NativeTier}).
     */
    private int nativeHeat;

    /**
     * Whether code is ever translated to regions (false: native blocks and the interpreter only,
     * for measuring them; {@code -Djvisor.jit.regions=false}).
     */
    private boolean regions = REGIONS;
    private static final boolean REGIONS = Boolean.parseBoolean(System.getProperty("jvisor.jit.regions", "true"));

    void setRegions(boolean on) {
        regions = on;
    }

    void setNativeHeat(int runs) {
        nativeHeat = runs;
        // With native blocks, C1's quick regions are no faster than the blocks and cost the compiler
        // threads a second core's time: code is translated only once it ran 65535 block entries,
        // nearly always a loop that C2 makes far faster. Cold Linux boots, 6 alternating pairs
        // against the thresholds of the tiers without blocks: 0.877 +- 0.046 of the time.
        boolean on = runs > 0;
        if (!THRESHOLD_GIVEN) {
            setThreshold(on ? DecodePage.MAX_HEAT : JIT_THRESHOLD);
        }
        if (!EARLY_GIVEN) {
            setEarlyThreshold(on ? DecodePage.MAX_HEAT : EARLY_THRESHOLD);
        }
    }

    /**
     * Slot s of the page ran again, worth {@code weight} (see {@link #ran}; a native block reports
     * its entries in batches): asks for a native block or a translation when a threshold is crossed.
     */
    void heat(DecodePage page, int s, int weight, long addrMask) {
        int before = page.warm(s, weight), after = before + weight;
        if (before < nativeHeat && after >= nativeHeat) {
            NativeTier.want(page, s);
        }
        if (!regions) {
            return;
        }
        if (before < threshold && after >= threshold) {
            translate(page, s, addrMask, null);
        } else if (after >= early && before < threshold && early < threshold) {
            // Asked for at the first run past the early heat that finds the translator idle, not
            // only at the run that got there: skipped while it was busy, the first start of a loop
            // waited for the threshold while a later one of the same loop, warm when the
            // translator was idle, got its region first, and the loop was split in two.
            BackgroundTranslator background = decodeCache.background();
            if (background != null && background.idle() && translate(page, s, addrMask, null)) {
                page.translationAsked(s);
            }
        }
    }

    /**
     * A region entered at {@code at} ran {@code used} instructions in one call: a quick one's
     * successor may be due, and may take code from the pages around its own that the core
     * fetches from now. (Asked here for every region: a test in the run loop whether it was a
     * quick one was compiled as always true until the first whole region ran.)
     */
    void regionRan(DecodePage page, CompiledRegion region, long used, long at) {
        if (!region.quick) {
            region.cap = nextCap(region, ++region.wholeEntries);
            if (++region.entriesSinceLook >= LOOK_EVERY) {
                region.entriesSinceLook = 0;
                recompileIfThrownOut(region);
            }
            return;
        }
        quickInstructions += used;
        quickEntries++;
        region.entered++;
        region.ran += used;
        if (region.upgradeDue(upgradeAfter)) {
            long base = at & ~0xFFFL, mask = region.addrMask;
            region.neighbours = new DecodePage[] {fetch.lookup((base - 4096) & mask), page, fetch.lookup((base + 4096) & mask)};
            // A request the translator's full queue dropped is asked for again at the region's next exit.
            region.upgradeAsked = translate(page, region.start, region.addrMask, region);
        }
    }

    /**
     * A whole region's first entries (default: the system property jvisor.jit.early-entries,
     * 1024) whose every {@link #SHORT_EVERY}-th gets a short allowance ({@link #nextCap}).
     */
    static final long EARLY_ENTRIES = Long.getLong("jvisor.jit.early-entries", 1024);
    static final int SHORT_EVERY = 4;

    /**
     * The most allowance the run loop gives a whole region at its next entry, after {@code
     * entries} of them: while the region is new, one entry in {@link #SHORT_EVERY} gets its own
     * length and 0-63 instructions more, so that it stops at one of its loop heads, a different
     * one from time to time; later, no bound of its own. HotSpot profiles a new region in its
     * first hundreds of entries, and a loop head whose stop branch the profile never saw taken
     * is compiled as a trap, which throws the region's C2 code away the first time a slice ends
     * there: the run loop's own short slices (one entry in 1024) come too seldom for a region's
     * first entries. In a cold Linux boot the regions' deoptimizations at their loop heads went
     * from 7 to 3 and C2's time on regions from 0.38 to 0.30 s; the bench's calls guest, whose
     * runs took 1.06-1.45 s, some with nine such deoptimizations, took 0.91-1.17 s (10 alternating
     * cold runs: 0.873 +- 0.040 of the time; boots and the other bench guests level).
     */
    static long nextCap(CompiledRegion region, long entries) {
        // Without a branch: 1 where entries is within the first EARLY_ENTRIES and one less than a
        // multiple of SHORT_EVERY, else 0.
        long early = ((entries - EARLY_ENTRIES - 1) >>> 63) & (((entries & (SHORT_EVERY - 1)) + 1) / SHORT_EVERY);
        return Long.MAX_VALUE - early * (Long.MAX_VALUE - region.instructions - shortSliceExtra(entries));
    }

    /**
     * The instructions a short allowance gives beyond a region's length, 0 to
     * {@link Core#SHORT_SLICE_EXTRA} - 1, from a count {@code n} of short allowances or of entries:
     * a different loop head from one to the next (the run loop's short slices and {@link #nextCap}).
     */
    static long shortSliceExtra(long n) {
        return (n * 7) & (Core.SHORT_SLICE_EXTRA - 1);
    }

    /** Whole-region entries between two looks at the HotSpot tier that runs the region. */
    static final int LOOK_EVERY = 16;

    /**
     * A whole region HotSpot compiled has its code thrown away when the guest takes a path the
     * profile never saw (a branch of guest code that was never taken while C1's code profiled the
     * region): HotSpot then runs it in its bytecode interpreter until its counters earn it C1's
     * and then C2's code again, some 200 calls later. A region that spins ran so for 50-100 ms in
     * a Linux boot's multi-precision loops, at a fraction of the speed. Seen interpreted, it is
     * asked for at once: C1 with profiling, which the policy would choose first (and from which
     * it goes on to C2 by itself); and, if it was seen compiled before, C2 too, which compiles it
     * from the profile it has with the trap recorded, so that the path stays in.
     */
    private static void recompileIfThrownOut(CompiledRegion region) {
        if (!HotSpotTiers.available()) {
            return;
        }
        try {
            java.lang.reflect.Method run = region.runMethod();
            int tier = HotSpotTiers.tier(run);
            if (tier > 0) {
                region.seenCompiled = true;
            } else if (tier == 0) {
                HotSpotTiers.compile(run, HotSpotTiers.PROFILED);
                if (region.seenCompiled) {
                    HotSpotTiers.compile(run, HotSpotTiers.OPTIMIZED);
                }
                region.seenCompiled = false;
            }
        } catch (NoSuchMethodException e) {
            // Every region declares run.
        }
    }

    /**
     * Translates the code entered at slot s (to take the place of {@code replacing}, or null), on
     * the machine's translator thread if it has one, else here and now, within the machine's
     * bound; false if the translator dropped the request.
     */
    private boolean translate(DecodePage page, int s, long mask, CompiledRegion replacing) {
        BackgroundTranslator background = decodeCache.background();
        if (background != null) {
            return background.submit(page, s, memory, mask, replacing);
        }
        decodeCache.reserveRegion();
        RegionCompiler.Translation t = RegionCompiler.translate(page, s, memory, mask, replacing);
        if (t != null) {
            page.install(t.region(), t.entries(), replacing);
        }
        return true;
    }
}
