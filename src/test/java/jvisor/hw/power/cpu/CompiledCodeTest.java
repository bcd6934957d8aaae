package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.Mmu;
import jvisor.hw.power.Msr;
import org.junit.jupiter.api.Test;

/** Translated guest code behaves exactly like interpreted code, and never outlives what it was made from. */
class CompiledCodeTest {
    static final long C = TestMachine.CODE, DATA = 0x20000;
    static final int ADDI_1 = 0x38630001, ADDI_100 = 0x38630064, STW_R5_0_R4 = 0x90a40000;
    static final int B_SELF = 0x48000000, BDNZ_MINUS_4 = 0x4200fffc, NOP = 0x60000000;

    private static TestMachine jit() {
        TestMachine t = new TestMachine();
        t.core.setJit(true);
        t.core.tiering().setThreshold(2);
        return t;
    }

    /** The loop at C (addi r3,r3,1 ; bdnz) and, at 0x30000, a store that writes addi r3,r3,100 over its first word. */
    private static TestMachine loopAndAStoreIntoIt() {
        TestMachine t = jit().gpr(4, C).gpr(5, ADDI_100);
        t.code(C, ADDI_1, BDNZ_MINUS_4);
        t.code(0x30000, STW_R5_0_R4);
        return t;
    }

    /** The loop at C (addi r3,r3,1 ; bdnz) on a core that translates it at once. */
    private static TestMachine loop() {
        TestMachine t = jit();
        t.code(C, ADDI_1, BDNZ_MINUS_4);
        return t;
    }

    /** Runs {@link #loop}'s code until it is translated: its page, whose slot 0 holds the quick region. */
    private static DecodePage translatedLoop(TestMachine t) {
        runLoop(t, C, 100, 200);
        DecodePage page = t.decodedPage(C);
        assertTrue(page.regions != null && page.regions[0] != null && page.regions[0].quick);
        return page;
    }

    private static int runLoop(TestMachine t, long at, long ctr, long limit) {
        t.core.setPc(at);
        t.core.setCtr(ctr);
        return t.core.run(limit);
    }

    @Test
    void aHotLoopIsTranslated() {
        TestMachine t = loop();
        assertEquals(Exit.INSTRUCTION_LIMIT, runLoop(t, C, 1000, 2000));
        assertEquals(1000, t.r(3));
        assertEquals(2000, t.core.instructions());
        assertEquals(C + 8, t.core.pc());
        assertTrue(t.cache.compiledRegions() > 0);
    }

    /** What translated code ran of a loop run ctr times at C, then a few passes of the b-self behind it. */
    private static long translatedOf(int[] body, int ctr, int threshold) {
        TestMachine t = new TestMachine();
        t.core.setJit(true);
        t.core.tiering().setThreshold(threshold);
        int[] code = java.util.Arrays.copyOf(body, body.length + 2);
        code[body.length] = 0x42000000 | (-4 * body.length & 0xFFFC); // bdnz to C
        code[body.length + 1] = B_SELF;
        t.code(C, code);
        runLoop(t, C, ctr, (long) ctr * (body.length + 1) + 3);
        assertEquals(ctr, t.r(3), "every pass ran");
        return t.core.translatedInstructions();
    }

    @Test
    void aStartWhoseRunsAreLongIsTranslatedAfterFewerOfThem() {
        // A pass of 48 instructions adds 1 + 48/16 = 4 to the heat: hot (8) after two passes.
        int[] longBody = new int[47];
        java.util.Arrays.fill(longBody, NOP);
        longBody[0] = ADDI_1;
        assertEquals(0, translatedOf(longBody, 2, 8));
        assertTrue(translatedOf(longBody, 3, 8) >= 48, "the third pass ran translated");
        // A pass of 2 adds 1: hot after eight passes.
        assertEquals(0, translatedOf(new int[] {ADDI_1}, 8, 8));
        assertTrue(translatedOf(new int[] {ADDI_1}, 9, 8) >= 2, "the ninth pass ran translated");
    }

    @Test
    void theCoreCountsWhatTranslatedCodeRanAndTheCacheCountsRegionsAndInvalidations() {
        TestMachine t = loopAndAStoreIntoIt();
        runLoop(t, C, 1000, 2000);
        long translated = t.core.translatedInstructions();
        // The first passes are interpreted until the loop is hot; all the rest is translated.
        assertTrue(translated > 1900 && translated < 2000, "translated " + translated + " of 2000");
        assertEquals(1, t.cache.regionsMade());
        assertEquals(0, t.cache.invalidations());
        t.core.setPc(0x30000);
        t.core.run(1);
        assertEquals(translated, t.core.translatedInstructions(), "an interpreted store is not translated code");
        assertEquals(1, t.cache.invalidations(), "the store wrote the loop's decoded page");
        runLoop(t, C, 1000, 2000);
        assertEquals(2, t.cache.regionsMade(), "the loop was translated again");
        assertEquals(1, t.cache.compiledRegions());
    }

    @Test
    void aNewRegionLeavesForTheRegionAlreadyTranslatedInsteadOfCopyingIt() {
        // F: addi r3,r3,1 ; L: addi r4,r4,1 ; bdnz L ; b .  -- the loop at L is translated first.
        TestMachine t = jit();
        t.code(C, ADDI_1, 0x38840001, BDNZ_MINUS_4, B_SELF);
        runLoop(t, C + 4, 1000, 2000);
        assertEquals(1000, t.r(4));
        DecodePage page = t.decodedPage(C);
        CompiledRegion loop = page.regions[1];
        assertTrue(loop != null && loop.instructions == 3, "the loop's region: L, bdnz and b .");
        // Then F gets hot: its region holds F alone and goes on into the loop's region.
        for (int pass = 0; pass < 3; pass++) {
            runLoop(t, C, 5, 11);
        }
        CompiledRegion entry = page.regions[0];
        assertTrue(entry != null && entry != loop, "F has a region of its own");
        assertEquals(1, entry.instructions, "F's region stops where the loop's begins");
        assertEquals(loop, page.regions[1], "L is still entered in the loop's region");
        assertEquals(3, t.r(3));
        assertEquals(1000 + 3 * 5, t.r(4));
        assertEquals(C + 12, t.core.pc());
        assertEquals(2000 + 3 * 11, t.core.instructions());
    }

    /** The loop at C (addi r3,r3,1 ; bdnz) on a core that upgrades quick regions after 500 instructions. */
    private static TestMachine upgradingLoop() {
        TestMachine t = loop();
        t.core.tiering().setUpgradeThreshold(500);
        return t;
    }

    /** Runs the loop at C interpreted until it is hot; returns its first translation, a quick one. */
    private static CompiledRegion quickLoop(TestMachine t, long ctr, long limit) {
        runLoop(t, C, ctr, limit);
        CompiledRegion first = t.decodedPage(C).regions[0];
        assertTrue(first != null && first.quick, "the first translation is a quick one");
        return first;
    }

    @Test
    void aQuickRegionThatRanHotIsTranslatedAgainForC2AndTakesItsPlace() {
        TestMachine t = upgradingLoop();
        DecodePage page = t.decodedPage(C);
        CompiledRegion first = quickLoop(t, 100, 200);
        assertTrue(first.getClass().getName().startsWith("jvisor.hw.power.cpu.GuestRegionQuick"), first.getClass().getName());
        runLoop(t, C, 1000, 2000);
        CompiledRegion second = page.regions[0];
        assertTrue(second != null && second != first && !second.quick, "after 500 instructions in it, its successor");
        assertTrue(second.getClass().getName().startsWith("jvisor.hw.power.cpu.GuestRegion/"), second.getClass().getName());
        assertEquals(first.instructions, second.instructions, "the same code: the quick region did not cut it short");
        assertEquals(2, t.cache.regionsMade());
        // The successor is entered at the loop's head; the quick region stays at the loop's exit.
        assertSame(first, page.regions[2]);
        assertEquals(2, t.cache.compiledRegions());
        assertEquals(1100, t.r(3));
        assertEquals(2200, t.core.instructions());
        // The successor is never replaced again.
        runLoop(t, C, 1000, 2000);
        assertEquals(second, page.regions[0]);
        assertEquals(2, t.cache.regionsMade());
    }

    /** The core counts what its quick regions ran apart from what their successors ran ({@code run --stats} shows both). */
    @Test
    void theCoreCountsWhatQuickRegionsRanApartFromWhatTheirSuccessorsRan() {
        TestMachine t = upgradingLoop();
        quickLoop(t, 100, 200);
        long quick = t.core.quickInstructions(), quickEntries = t.core.quickRegionEntries();
        assertTrue(quick > 0 && quickEntries > 0, "the quick region ran");
        assertEquals(t.core.translatedInstructions(), quick, "all translated code so far was the quick region's");
        assertEquals(t.core.regionEntries(), quickEntries);
        runLoop(t, C, 1000, 2000);
        CompiledRegion second = t.decodedPage(C).regions[0];
        assertFalse(second.quick, "the successor took the quick region's place");
        long upgraded = t.core.quickInstructions(), upgradedEntries = t.core.quickRegionEntries();
        long translated = t.core.translatedInstructions(), entries = t.core.regionEntries();
        runLoop(t, C, 1000, 2000);
        assertEquals(upgraded, t.core.quickInstructions(), "the successor's instructions are not the quick region's");
        assertEquals(upgradedEntries, t.core.quickRegionEntries());
        assertTrue(t.core.translatedInstructions() - translated >= 1900, "the successor ran the loop");
        assertTrue(t.core.regionEntries() > entries);
    }

    /**
     * One entry in 1024 is given only a little more than the region's own instruction count, so
     * that it stops at its loop head: HotSpot then sees that branch taken while it profiles the
     * region, and does not compile it as a trap.
     */
    @Test
    void oneEntryInAThousandAndTwentyFourStopsAtItsLoopHead() {
        TestMachine t = loop();
        CompiledRegion region = quickLoop(t, 3, 6);
        for (int k = 0; k < 1100; k++) {
            runLoop(t, C, 3, 6);
        }
        assertEquals(1100 + 1, region.entered, "the 1024th call of the core is cut in two at the loop head");
        assertEquals(1101 * 3, t.r(3), "every iteration ran all the same");
    }

    @Test
    void theDispatcherCountsTheCallsOfAQuickRegionToTellALoopThatSpinsFromOneThatIteratesAFewTimes() {
        TestMachine t = loop();
        CompiledRegion region = quickLoop(t, 3, 6);
        for (int k = 0; k < 20; k++) {
            runLoop(t, C, 3, 6);             // a call of 6 instructions each time
        }
        assertEquals(20, region.entered);
        assertTrue(region.ran >= 20 && region.ran <= 20 * 6, region.ran + " instructions");
        assertFalse(region.spins());
        runLoop(t, C, 100_000, 200_000);     // calls of 4096 instructions
        assertTrue(region.spins(), region.ran + " instructions in " + region.entered + " calls");
    }

    @Test
    void aQuickRegionThatDoesNotSpinWorksFourTimesLongerBeforeItsUpgradeEachEntryWeighingSixteenInstructions() {
        TestMachine t = upgradingLoop();
        DecodePage page = t.decodedPage(C);
        CompiledRegion quick = quickLoop(t, 3, 6);
        long ran = quick.ran, entered = quick.entered;
        while (page.regions[0] == quick) {
            ran = quick.ran;
            entered = quick.entered;
            runLoop(t, C, 3, 6);             // a few instructions a call
        }
        assertTrue(!page.regions[0].quick, "its successor took its place");
        // Asked for at the call that brought its work (instructions, and 16 for each entry) to 4 x 500.
        assertTrue(ran + 16 * entered < 2000, ran + " instructions in " + entered + " calls before");
        assertTrue(quick.ran + 16 * quick.entered >= 2000, quick.ran + " instructions in " + quick.entered + " calls");
        assertTrue(quick.ran < 2000, "sooner than by its instructions alone: " + quick.ran);

        TestMachine s = upgradingLoop();
        DecodePage spinning = s.decodedPage(C);
        CompiledRegion first = quickLoop(s, 3, 6);
        runLoop(s, C, 10_000, 5000);         // one call of 4096 instructions
        assertTrue(first.spins());
        runLoop(s, C, 3, 6);
        assertTrue(spinning.regions[0] != first && !spinning.regions[0].quick, "upgraded at 500: it spins");
    }

    @Test
    void aSecondSuccessorForTheSameQuickRegionIsNotInstalled() {
        // Two cores may both find the same quick region hot and both ask for its successor.
        TestMachine t = loop();
        DecodePage page = translatedLoop(t);
        CompiledRegion quick = page.regions[0];
        RegionCompiler.Translation first = RegionCompiler.translate(page, quick.start, t.memory, quick.addrMask, quick);
        RegionCompiler.Translation second = RegionCompiler.translate(page, quick.start, t.memory, quick.addrMask, quick);
        assertTrue(page.install(first.region(), first.entries(), quick));
        assertFalse(page.install(second.region(), second.entries(), quick), "its quick region is gone already");
        assertEquals(first.region(), page.regions[0]);
        assertEquals(2, t.cache.compiledRegions(), "the successor, and the quick region at the loop's exit");
    }

    /**
     * A whole region is entered at its start, its loop heads, its calls' targets and where its
     * calls return, not at the join inside a loop nor at a loop's exit (see Region.discover); the
     * quick region it replaces stays at those slots, where the dispatcher comes after a miss.
     */
    @Test
    void aWholeRegionIsNotEnteredInsideALoopNorAtItsExit() {
        TestMachine t = jit();
        // 0: addi r3,r3,1; andi. r0,r3,1; beq 4; 3: addi r4,r4,1; 4: addi r5,r5,1; bdnz 0;
        // 6: bl 9; 7: addi r6,r6,1; 8: b 8; 9: blr
        t.code(C, ADDI_1, 0x70600001, 0x41820008, 0x38840001, 0x38a50001, 0x4200ffec, 0x4800000d, 0x38c60001,
                B_SELF, 0x4e800020);
        DecodePage page = t.decodedPage(C);
        RegionCompiler.Translation quick = RegionCompiler.translate(page, 0, t.memory, -1L, null);
        assertArrayEquals(new int[] {0, 3, 4, 6, 9}, quick.entries());
        assertTrue(page.install(quick.region(), quick.entries(), null));
        RegionCompiler.Translation whole = RegionCompiler.translate(page, 0, t.memory, -1L, quick.region());
        assertArrayEquals(new int[] {0, 7, 8, 9}, whole.entries(), "start and loop head, return point, b-self loop, callee");
        assertTrue(page.install(whole.region(), whole.entries(), quick.region()));
        assertSame(quick.region(), page.regions[3], "the way on past the branch inside the loop");
        assertSame(quick.region(), page.regions[4], "the join inside the loop");
        assertSame(quick.region(), page.regions[6], "the loop's exit");
        assertSame(whole.region(), page.regions[0]);
        assertSame(whole.region(), page.regions[9]);
        assertEquals(2, t.cache.compiledRegions());
    }

    @Test
    void eachTranslationIsAClassOfItsOwnMadeForThePageAndModeItWasTranslatedFor() {
        // The class's initializer makes the region from its class data (CompiledRegion.Making).
        TestMachine t = loop();
        DecodePage page = translatedLoop(t);
        CompiledRegion quick = page.regions[0];
        CompiledRegion whole = RegionCompiler.translate(page, quick.start, t.memory, -1L, quick).region();
        CompiledRegion narrow = RegionCompiler.translate(page, quick.start, t.memory, 0xFFFF_FFFFL, null).region();
        assertEquals(-1L, whole.addrMask);
        assertEquals(0xFFFF_FFFFL, narrow.addrMask);
        assertFalse(whole.quick, "a successor");
        assertTrue(narrow.quick);
        for (CompiledRegion r : new CompiledRegion[] {whole, narrow}) {
            assertSame(page, r.page);
            assertEquals(page.generation, r.generation);
            assertEquals(quick.start, r.start);
            assertEquals(quick.instructions, r.instructions);
            assertTrue(r.getClass().isHidden());
        }
        assertNotSame(whole.getClass(), narrow.getClass());
        // The successor runs the guest's loop in the quick region's place.
        assertTrue(page.install(whole, new int[] {quick.start}, quick));
        long before = t.r(3), translated = t.core.translatedInstructions();
        runLoop(t, C, 100, 200);
        assertEquals(before + 100, t.r(3));
        assertTrue(t.core.translatedInstructions() > translated);
    }

    @Test
    void nothingIsCountedAsTranslatedWithTranslationOff() {
        TestMachine t = jit();
        t.core.setJit(false);
        t.code(C, ADDI_1, BDNZ_MINUS_4);
        runLoop(t, C, 1000, 2000);
        assertEquals(2000, t.core.instructions());
        assertEquals(0, t.core.translatedInstructions());
        assertEquals(0, t.cache.regionsMade());
    }

    @Test
    void aStoreIntoACompiledPageMakesTheLoopRunTheNewCode() {
        TestMachine t = loopAndAStoreIntoIt();
        runLoop(t, C, 100, 200);
        assertEquals(100, t.r(3));
        assertEquals(1, t.cache.compiledRegions());
        t.core.setPc(0x30000);
        t.core.run(1);
        assertEquals(0, t.cache.compiledRegions(), "the store dropped the page's translations");
        runLoop(t, C, 100, 200);
        assertEquals(100 + 100 * 100, t.r(3));
    }

    @Test
    void aLoopThatRewritesItsOwnBodyRunsEachNewVersion() {
        // loop: addi r3,r3,1 (rewritten) ; addi r5,r5,1 ; stw r5,0(r4) ; bdnz loop
        // r5 starts at ADDI_1 - 1, so each pass stores addi r3,r3,k with k growing by one.
        TestMachine t = jit().gpr(4, C).gpr(5, ADDI_1 - 1);
        t.code(C, ADDI_1, 0x38a50001, STW_R5_0_R4, 0x4200fff4);
        runLoop(t, C, 50, 10_000);
        long expected = 0;
        for (int k = 0; k < 50; k++) {
            expected += k == 0 ? 1 : k; // the first pass runs the original addi 1, then 1, 2, ... 49
        }
        assertEquals(expected, t.r(3));
    }

    @Test
    void aStoreWithUpdateIntoItsOwnPageStillUpdatesTheBaseRegister() {
        // loop: addi r3,r3,1 ; andi. r6,r3,63 ; bne skip ; stbu r5,1(r4) ; skip: bdnz loop, with
        // r4 pointing into the code page past the loop. Every 64th pass stores from translated
        // code into its own page, which stops the translation; RA must still advance.
        TestMachine interpreted = new TestMachine().gpr(4, C + 0x800);
        TestMachine compiled = jit().gpr(4, C + 0x800);
        for (TestMachine t : new TestMachine[] {interpreted, compiled}) {
            t.code(C, ADDI_1, 0x7066003f, 0x40820008, 0x9ca40001, 0x4200fff0);
            runLoop(t, C, 300, 1500);
        }
        assertEquals(C + 0x800 + 300 / 64, compiled.r(4));
        assertEquals(interpreted.r(4), compiled.r(4));
        assertEquals(interpreted.r(3), compiled.r(3));
        assertEquals(interpreted.core.pc(), compiled.core.pc());
        assertEquals(interpreted.core.instructions(), compiled.core.instructions());
    }

    @Test
    void dcbzInTranslatedCodeZeroesWhatTheInterpreterZeroes() {
        // loop: dcbz r4,r9 ; stbx r7,r4,r9 ; addi r9,r9,128 ; bdnz loop, over 16 pages of 0x55:
        // each block zeroed but for its first byte. The first dcbz of each page misses the data
        // cache (the interpreter performs it and fills the cache); the others hit, in a quick
        // region and, on the machine whose upgrade threshold is low, in its successor.
        int blocks = 16 * 32;
        TestMachine interpreted = new TestMachine(), quick = jit(), whole = jit();
        whole.core.tiering().setUpgradeThreshold(200);
        for (TestMachine t : new TestMachine[] {interpreted, quick, whole}) {
            t.memory.fill(0x40000, 0x40000 + 128L * blocks + 0x1000, (byte) 0x55);
            t.gpr(4, 0x40000).gpr(9, 0).gpr(7, 0x77);
            t.code(C, 0x7c044fec, 0x7ce449ae, 0x39290080, 0x4200fff4);
            runLoop(t, C, blocks, 4L * blocks + 1);
        }
        for (TestMachine t : new TestMachine[] {quick, whole}) {
            for (long a = 0x40000; a < 0x40000 + 128L * blocks; a += 128) {
                assertEquals(0x77, t.memory.readByte(a) & 0xFF, "the byte stored after the dcbz at " + Long.toHexString(a));
                for (long b = a + 1; b < a + 128; b++) {
                    assertEquals(0, t.memory.readByte(b), Long.toHexString(b));
                }
            }
            assertEquals(0x55, t.memory.readByte(0x40000 + 128L * blocks), "past the last block");
            assertEquals(interpreted.r(9), t.r(9));
            assertEquals(interpreted.core.instructions(), t.core.instructions());
            assertTrue(t.core.translatedInstructions() > 3L * blocks, "translated " + t.core.translatedInstructions());
        }
        assertTrue(quick.decodedPage(C).regions[0].quick);
        assertFalse(whole.decodedPage(C).regions[0].quick, "the whole region ran the last passes");
        assertEquals(0x55, interpreted.memory.readByte(0x40000 + 128L * blocks));
        assertEquals(0x77, interpreted.memory.readByte(0x40000 + 128L * (blocks - 1)) & 0xFF);
    }

    @Test
    void aQuickRegionsAccessThatMissesIsInterpretedAndTheNextOnesHitAgain() {
        // loop: lwzu r7,4(r4) ; stwu r7,4(r5) ; add r3,r3,r7 ; bdnz loop: copies four pages of
        // words and sums them. Each first access to a page misses the data cache: the quick
        // region leaves, the interpreter performs that access, and the region goes on.
        int words = 4096;
        TestMachine interpreted = new TestMachine(), compiled = jit();
        long sum = 0;
        for (TestMachine t : new TestMachine[] {interpreted, compiled}) {
            sum = 0;
            for (int i = 0; i < words; i++) {
                t.memory.writeIntBE(0x40000 + 4L * i, 3 * i + 1);
                sum += 3 * i + 1;
            }
            t.gpr(4, 0x40000 - 4).gpr(5, 0x60000 - 4);
            t.code(C, 0x84E40004, 0x94E50004, 0x7C633A14, 0x4200FFF4);
            runLoop(t, C, words, 4L * words + 1);
        }
        assertEquals(sum, compiled.r(3));
        for (int i = 0; i < words; i++) {
            assertEquals(3 * i + 1, compiled.memory.readIntBE(0x60000 + 4L * i), "word " + i + " copied");
        }
        assertEquals(interpreted.r(4), compiled.r(4));
        assertEquals(interpreted.r(5), compiled.r(5));
        assertEquals(interpreted.core.instructions(), compiled.core.instructions());
        DecodePage page = compiled.decodedPage(C);
        assertTrue(page.regions != null && page.regions[0] != null && page.regions[0].quick, "a quick region ran it");
        // A miss left behind would send every later load to the interpreter: at most the first
        // passes and one access a page (8 pages, two slots each) ran interpreted.
        assertTrue(compiled.core.translatedInstructions() > 4L * words - 64,
                "translated " + compiled.core.translatedInstructions());
        assertFalse(compiled.core.lsu.quickMiss);
    }

    @Test
    void anOutsideWriteNeedsAnInvalidateAndThenRunsTheNewCode() {
        TestMachine t = loop();
        runLoop(t, C, 10, 10_000);
        t.memory.writeIntBE(C, ADDI_100);
        t.cache.invalidate(C >>> 12);
        runLoop(t, C, 10, 10_000);
        assertEquals(10 + 1000, t.r(3));
    }

    /**
     * A floating-point instruction in translated code is called directly with the GPRs left in
     * locals; with MSR[FP] off it takes the facility-unavailable interrupt at itself, the
     * registers written before it in the core, exactly as interpreted.
     */
    @Test
    void aFloatingPointInstructionWithTheFacilityOffIsUnavailableAtItselfAsInterpreted() {
        int fadd = 0xFC21102A; // fadd f1,f1,f2
        TestMachine[] m = {new TestMachine(), jit()};
        m[0].core.setJit(false);
        for (TestMachine t : m) {
            t.msr(Msr.SF | Msr.ME | Msr.FP);
            t.core.vs.setFpr(1, Double.doubleToRawLongBits(1.0));
            t.core.vs.setFpr(2, Double.doubleToRawLongBits(2.0));
            // addi r3,r3,1; fadd f1,f1,f2; addi r3,r3,1; bdnz .-12
            t.code(C, ADDI_1, fadd, ADDI_1, 0x4200fff4);
            t.code(InterruptVector.FLOATING_POINT_UNAVAILABLE, B_SELF);
            runLoop(t, C, 50, 1000);
            t.msr(Msr.SF | Msr.ME);
            runLoop(t, C, 50, 1000);
            assertEquals(InterruptVector.FLOATING_POINT_UNAVAILABLE, t.core.pc(), "the interrupt was taken");
            assertEquals(C + 4, t.core.srr0(), "at the fadd");
            assertEquals(2 * 50 + 1, t.r(3), "the warm-up's hundred addi, then the one before the fadd");
            assertEquals(1.0 + 2 * 50, Double.longBitsToDouble(t.core.vs.fpr(1)));
        }
        assertEquals(m[0].core.srr1(), m[1].core.srr1());
        assertEquals(m[0].core.instructions(), m[1].core.instructions());
        assertTrue(m[1].cache.compiledRegions() > 0, "the loop ran translated");
    }

    @Test
    void aVectorLoadWithTheFacilityOffIsUnavailableAtItselfAsInterpreted() {
        int lvx = 0x7C0448CE; // lvx v0,r4,r9: its body is called from translated code, after the MSR test
        TestMachine[] m = {new TestMachine(), jit()};
        m[0].core.setJit(false);
        for (TestMachine t : m) {
            t.msr(Msr.SF | Msr.ME | Msr.VEC);
            t.memory.writeLongBE(DATA, 0x0123_4567_89AB_CDEFL);
            t.gpr(4, DATA).gpr(9, 0);
            // addi r3,r3,1; lvx v0,r4,r9; addi r3,r3,1; bdnz .-12
            t.code(C, ADDI_1, lvx, ADDI_1, 0x4200fff4);
            t.code(InterruptVector.VECTOR_UNAVAILABLE, B_SELF);
            runLoop(t, C, 50, 1000);
            assertEquals(0x0123_4567_89AB_CDEFL, t.core.vs.dw0(32), "the load ran with VEC on");
            t.msr(Msr.SF | Msr.ME);
            runLoop(t, C, 50, 1000);
            assertEquals(InterruptVector.VECTOR_UNAVAILABLE, t.core.pc(), "the interrupt was taken");
            assertEquals(C + 4, t.core.srr0(), "at the lvx");
            assertEquals(2 * 50 + 1, t.r(3), "the warm-up's hundred addi, then the one before the lvx");
        }
        assertEquals(m[0].core.srr1(), m[1].core.srr1());
        assertEquals(m[0].core.instructions(), m[1].core.instructions());
        assertTrue(m[1].cache.compiledRegions() > 0, "the loop ran translated");
    }

    /**
     * mtvsrd and mfvsrd need MSR[FP] like floating-point instructions but move between GPRs and
     * VSRs: translated code must hand them the GPRs' current values and take theirs back.
     */
    @Test
    void movesBetweenGprsAndVsrsInTranslatedCodeSeeAndSetTheGprs() {
        TestMachine[] m = {new TestMachine(), jit()};
        m[0].core.setJit(false);
        for (TestMachine t : m) {
            t.msr(Msr.SF | Msr.ME | Msr.FP);
            // addi r3,r3,1; mtvsrd f0,r3; mfvsrd r4,f0; add r5,r5,r4; bdnz .-16
            t.code(C, ADDI_1, 0x7C030166, 0x7C040066, 0x7CA52214, 0x4200fff0);
            runLoop(t, C, 100, 10_000);
            assertEquals(100 * 101 / 2, t.r(5));
            assertEquals(100, t.r(4));
        }
        assertTrue(m[1].cache.compiledRegions() > 0, "the loop ran translated");
    }

    /**
     * Two machines, one translating, run the same code: a warm-up of two passes with good
     * addresses, then a pass whose lwz (the second instruction) faults. The fault must happen, at
     * the lwz, and look the same on both. The handler is a branch to itself, so the interrupt's
     * registers stay as the fault left them.
     */
    private static void sameFaultBothWays(int vector, long faultingEa, int... code) {
        TestMachine[] m = {new TestMachine(), jit()};
        for (TestMachine t : m) {
            t.gpr(4, DATA).gpr(6, faultingEa);
            t.code(C, code);
            t.code(vector, B_SELF);
            runLoop(t, C, 3, 10);                // warms up with good addresses
            t.mmu.fault(faultingEa, Mmu.LOAD, vector, 0x4000_0000);
            t.gpr(4, faultingEa);
            runLoop(t, C, 3, 1000);
        }
        for (TestMachine t : m) {
            assertEquals(vector, t.core.pc(), "the interrupt was taken");
            assertEquals(C + 4, t.core.srr0(), "at the lwz");
            assertEquals(2 * 3 + 1, t.r(3), "two warm-up passes of three addi, then the one before the lwz");
        }
        assertEquals(m[0].core.pc(), m[1].core.pc());
        assertEquals(m[0].core.srr0(), m[1].core.srr0());
        assertEquals(m[0].core.srr1(), m[1].core.srr1());
        assertEquals(m[0].core.dar(), m[1].core.dar());
        assertEquals(m[0].core.dsisr(), m[1].core.dsisr());
        assertEquals(m[0].core.instructions(), m[1].core.instructions());
        assertEquals(m[0].r(3), m[1].r(3));
        assertEquals(m[0].r(7), m[1].r(7));
        assertTrue(m[1].cache.compiledRegions() > 0);
    }

    @Test
    void aDataStorageInterruptInTheMiddleOfABlockLooksAsInterpreted() {
        // addi r3,r3,1; lwz r7,8(r4); addi r3,r3,1; addi r3,r3,1; bdnz
        sameFaultBothWays(InterruptVector.DATA_STORAGE, 0x50000, ADDI_1, 0x80e40008, ADDI_1, ADDI_1, 0x4200fff0);
    }

    @Test
    void aDataStorageInterruptReportsTheLoadsAddressAndCause() {
        TestMachine t = jit().gpr(4, DATA);
        t.code(C, ADDI_1, 0x80e40008, ADDI_1, ADDI_1, 0x4200fff0);
        t.code(InterruptVector.DATA_STORAGE, B_SELF);
        runLoop(t, C, 3, 10);
        t.mmu.fault(0x50000, Mmu.LOAD, InterruptVector.DATA_STORAGE, 0x4000_0000);
        t.gpr(4, 0x50000);
        runLoop(t, C, 3, 100);
        assertEquals(0x50008, t.core.dar(), "DAR: the lwz's effective address");
        assertEquals(0x4000_0000, t.core.dsisr(), "DSISR: the cause the translation gave");
    }

    @Test
    void aMachineCheckInTheMiddleOfABlockLooksAsInterpreted() {
        sameFaultBothWays(InterruptVector.MACHINE_CHECK, 0x7000_0000L, ADDI_1, 0x80e40008, ADDI_1, ADDI_1, 0x4200fff0);
    }

    @Test
    void theBudgetStopsACompiledLoopAtExactlyTheLimit() {
        TestMachine t = jit();
        t.code(C, ADDI_1, NOP, NOP, NOP, NOP, 0x4bffffec); // 6-instruction endless loop
        for (long limit : new long[] {1, 5, 6, 7, 100, 1001, 12_345}) {
            long before = t.core.instructions(), r3 = t.r(3);
            t.core.setPc(C);
            assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(limit));
            assertEquals(limit, t.core.instructions() - before);
            assertEquals((limit + 5) / 6, t.r(3) - r3);
            assertEquals(C + 4 * (limit % 6), t.core.pc());
        }
        assertTrue(t.cache.compiledRegions() > 0);
    }

    /**
     * A region without a loop runs only with an allowance for all of it (it checks none inside):
     * whatever the budget, exactly that many instructions run, the rest of the way interpreted.
     */
    @Test
    void theBudgetStopsStraightLineTranslatedCodeAtExactlyTheLimit() {
        TestMachine t = jit();
        int[] body = new int[13];
        java.util.Arrays.fill(body, ADDI_1);
        body[12] = 0x4e800020; // blr: back to C, which is in LR
        t.code(C, body);
        t.core.setLr(C);
        for (long limit : new long[] {1, 2, 12, 13, 14, 25, 26, 27, 13 * 40 + 5, 1, 7, 12, 100_001}) {
            long before = t.core.instructions(), r3 = t.r(3);
            t.core.setPc(C);
            assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(limit));
            assertEquals(limit, t.core.instructions() - before);
            assertEquals(limit / 13 * 12 + Math.min(limit % 13, 12), t.r(3) - r3, "additions in " + limit);
            assertEquals(C + 4 * (limit % 13), t.core.pc());
        }
        assertTrue(t.cache.compiledRegions() > 0);
    }

    /**
     * A hypercall in a loop: once the loop is translated, its sc ends the region's call in an exit,
     * which the run loop must take at once, before any other instruction, as after an interpreted sc.
     */
    @Test
    void aHypercallInATranslatedLoopExitsAtItsScAsInterpreted() {
        TestMachine[] m = {new TestMachine(), jit()};
        for (TestMachine t : m) {
            t.code(C, ADDI_1, 0x44000022 /* sc 1 */, 0x4200fff8 /* bdnz C */, B_SELF);
            t.core.setPc(C);
            t.core.setCtr(300);
        }
        for (int call = 1; call <= 300; call++) {
            for (TestMachine t : m) {
                assertEquals(Exit.HYPERCALL, t.core.run(10_000), "call " + call);
                assertEquals(C + 8, t.core.pc(), "call " + call + ": stopped right after its sc");
                assertEquals(call, t.r(3), "call " + call);
            }
            assertEquals(m[0].core.instructions(), m[1].core.instructions(), "call " + call);
        }
        assertTrue(m[1].core.translatedInstructions() > 500, "translated " + m[1].core.translatedInstructions());
    }

    @Test
    void anExitRequestStopsACompiledEndlessLoop() throws Exception {
        TestMachine t = jit();
        t.code(C, ADDI_1, 0x4bfffffc); // addi; b .-4
        t.core.setPc(C);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> f = pool.submit(() -> t.core.run(Long.MAX_VALUE));
            Thread.sleep(200);
            t.core.requestExit();
            assertEquals(Exit.INTERRUPTED, f.get(30, TimeUnit.SECONDS));
            assertTrue(t.core.pc() == C || t.core.pc() == C + 4);
            assertEquals(t.core.instructions(), t.r(3) * 2 - (t.core.pc() == C ? 0 : 1));
            assertTrue(t.cache.compiledRegions() > 0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExternalInterruptIsTakenInACompiledLoop() {
        TestMachine t = jit().msr(Msr.SF | Msr.ME | Msr.EE);
        t.code(0x500, B_SELF);
        t.code(C, ADDI_1, 0x4bfffffc);
        t.core.setPc(C);
        t.core.run(10_000);
        t.core.setExternalInterrupt(true);
        t.core.run(300);
        assertEquals(0x500, t.core.pc());
        assertTrue(t.core.srr0() == C || t.core.srr0() == C + 4);
    }

    @Test
    void theDecrementerInterruptsACompiledLoop() {
        TestMachine t = jit().msr(Msr.SF | Msr.ME | Msr.EE);
        t.code(0x900, B_SELF);
        t.code(C, ADDI_1, 0x4bfffffc);
        t.core.writeSpr(Spr.DEC, 1_000_000);
        t.core.setPc(C);
        t.core.run(5_000);
        assertTrue(t.core.pc() == C || t.core.pc() == C + 4);
        t.now += 2_000_000;
        t.core.run(1_000);
        assertEquals(0x900, t.core.pc());
        assertTrue(t.core.srr0() == C || t.core.srr0() == C + 4);
    }

    @Test
    void tracingFallsBackToTheInterpreter() {
        TestMachine t = loop();
        runLoop(t, C, 100, 10_000);
        t.msr(Msr.SF | Msr.ME | Msr.SE);
        runLoop(t, C, 100, 1);
        assertEquals(0xD00, t.core.pc(), "single-step trace after the first instruction");
        assertEquals(C + 4, t.core.srr0());
    }

    @Test
    void translationsStayWithinTheBoundAndTheirClassesCanBeUnloaded() {
        TestMachine t = jit();
        t.cache.setMaxCompiledRegions(4);
        // 40 hot loops in 40 pages; the machine never keeps more than 4 translations.
        for (int p = 0; p < 40; p++) {
            long at = 0x40000 + p * 0x1000L;
            t.code(at, ADDI_1, BDNZ_MINUS_4);
            runLoop(t, at, 50, 1_000);
            assertTrue(t.cache.compiledRegions() <= 4, "live translations " + t.cache.compiledRegions());
        }
        DecodePage page = t.cache.page(0x40000 + 39 * 0x1000L >>> 12, false);
        assertTrue(page.regions != null && page.regions[0] != null);
        WeakReference<Class<?>> cls = new WeakReference<>(page.regions[0].getClass());
        t.cache.dropAllCompiled();
        assertEquals(0, t.cache.compiledRegions());
        page = null;
        for (int i = 0; i < 20 && cls.get() != null; i++) {
            System.gc();
        }
        assertNull(cls.get(), "a dropped translation's class was not unloaded");
    }

    @Test
    void codeWrittenAndRunInALoopKeepsTranslationsBounded() {
        // The guest writes a fresh loop into a scratch page and runs it, again and again: every
        // rewrite drops the page's translations, so nothing accumulates.
        TestMachine t = jit();
        t.cache.setMaxCompiledRegions(8);
        for (int round = 0; round < 200; round++) {
            long at = 0x60000;
            t.gpr(4, at).gpr(5, 0x38630000 | (round & 0x7FFF));
            t.code(0x30000, STW_R5_0_R4, 0x90c40004); // stw r5,0(r4); stw r6,4(r4)
            t.gpr(6, BDNZ_MINUS_4);
            t.core.setPc(0x30000);
            t.core.run(2);
            runLoop(t, at, 20, 100);
            // at most the loop and the writer
            assertTrue(t.cache.compiledRegions() <= 2, "live translations " + t.cache.compiledRegions());
        }
    }
}
