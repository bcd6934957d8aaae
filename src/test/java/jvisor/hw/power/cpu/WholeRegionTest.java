package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import jvisor.hw.power.Msr;
import org.junit.jupiter.api.Test;

/**
 * A quick region that ran hot is translated again as a whole region: it takes in the code of the
 * page's other regions and the return points of its calls, and a bclr or bcctr whose target is
 * one of its entries goes on inside it. The state after any number of instructions is the
 * interpreter's, and the calls and returns of a loop no longer go round the run loop.
 */
class WholeRegionTest {
    static final long C = TestMachine.CODE;
    /**
     * A loop calling F directly (which returns early through beqlr for even r3) and G through
     * CTR, both on the loop's page:
     * <pre>
     *  0: addi r3,r3,1      4: bl F        8: add r5,r5,r4   c: mtctr r9    10: bctrl
     * 14: add r5,r5,r4     18: addi r7,r7,1  1c: cmpd r7,r8  20: bne 0       24: b .
     * F (40): slwi r4,r3,3 ; andi. r10,r3,1 ; beqlr ; cmpdi r3,-1 ; beq G ; addi r4,r4,7 ; blr
     * G (60): xor r4,r4,r3 ; blr
     * </pre>
     * (F's beq G is never taken: it is there so that G is code the region finds by its direct
     * branches, and so one of its entries.)
     */
    static final int[] LOOP = {0x38630001, 0x4800003d, 0x7ca52214, 0x7d2903a6, 0x4e800421,
        0x7ca52214, 0x38e70001, 0x7c274000, 0x4082ffe0, 0x48000000};
    static final int[] F = {0x54641838, 0x706a0001, 0x4d820020, 0x2c23ffff, 0x41820010, 0x38840007, 0x4e800020};
    static final int[] G = {0x7c841a78, 0x4e800020};

    private static TestMachine machine(boolean jit, long msr) {
        TestMachine t = TestMachine.upgrading(jit, msr);
        t.code(C, LOOP);
        t.code(C + 0x40, F);
        t.code(C + 0x60, G);
        t.gpr(8, 1L << 40).gpr(9, C + 0x60);
        t.core.setPc(C);
        return t;
    }

    private static long[] state(TestMachine t) {
        Core c = t.core;
        return new long[] {t.r(3), t.r(4), t.r(5), t.r(7), t.r(10), c.lr(), c.ctr(), c.cr() & 0xFFFF_FFFFL, c.pc(),
            c.instructions()};
    }

    private static void runsAsTheInterpreterDoes(long msr) {
        TestMachine interpreted = machine(false, msr), translated = machine(true, msr);
        for (long budget : new long[] {1_000, 7, 20_000, 13, 100_003}) {
            interpreted.core.run(budget);
            translated.core.run(budget);
            assertArrayEquals(state(interpreted), state(translated), "after " + translated.core.instructions());
        }
        DecodePage page = translated.decodedPage(C);
        CompiledRegion whole = page.regions[0];
        assertTrue(whole != null && !whole.quick, "the loop's quick region was translated again");
        // Calls and returns stay inside it: the run loop enters it about once a compiled slice.
        long entriesBefore = translated.core.regionEntries();
        translated.core.run(400_000);
        interpreted.core.run(400_000);
        assertArrayEquals(state(interpreted), state(translated));
        long entries = translated.core.regionEntries() - entriesBefore;
        assertTrue(entries < 400_000 / 1000, entries + " entries for 400,000 instructions");
        assertFalse(translated.core.translatedInstructions() < translated.core.instructions() * 9 / 10);
    }

    /**
     * The borrow idiom of compiled multi-precision code, subfc and then subfe rT,rA,rA for 0 or
     * -1 (with and without Rc), which translated code computes from CA alone: the same GPRs, CR
     * and XER (CA and CA32, read back by mfxer inside the loop) as the interpreter's, in both
     * modes, with the loop's whole region running at the end.
     * <pre>
     *  0: subfc r8,r6,r5   4: subfe r9,r9,r9   8: subfe. r10,r10,r10   c: add r11,r11,r9
     * 10: mfxer r12       14: add r13,r13,r12 18: add r5,r5,r14       1c: mulld r6,r6,r7
     * 20: bdnz 0          24: b .
     * </pre>
     */
    @Test
    void theBorrowIdiomGivesTheInterpretersResultsAndCarries() {
        int[] code = {0x7D062810, 0x7D294910, 0x7D4A5111, 0x7D6B4A14, 0x7D8102A6, 0x7DAD6214, 0x7CA57214, 0x7CC639D2,
            0x4200FFE0, 0x48000000};
        for (long msr : new long[] {Msr.SF | Msr.ME, Msr.ME}) {
            TestMachine[] m = new TestMachine[2];
            for (int k = 0; k < 2; k++) {
                TestMachine t = TestMachine.upgrading(k == 1, msr);
                t.code(C, code);
                t.gpr(6, 0x0123_4567_89AB_CDEFL).gpr(7, 0x9E37_79B9_7F4A_7C15L).gpr(14, 0x7FFF_FFFF_8000_0001L);
                t.core.setCtr(50_000);
                t.core.setPc(C);
                m[k] = t;
            }
            for (long budget : new long[] {1_000, 7, 100_003}) {
                long[][] state = new long[2][];
                for (int k = 0; k < 2; k++) {
                    TestMachine t = m[k];
                    t.core.run(budget);
                    state[k] = new long[] {t.r(8), t.r(9), t.r(10), t.r(11), t.r(12), t.r(13), t.core.cr() & 0xFFFF_FFFFL,
                        t.core.xer(), t.core.pc(), t.core.instructions()};
                }
                assertArrayEquals(state[0], state[1], "MSR " + Long.toHexString(msr) + ", after " + m[1].core.instructions());
            }
            CompiledRegion whole = m[1].decodedPage(C).regions[0];
            assertTrue(whole != null && !whole.quick, "the loop's whole region ran");
        }
    }

    @Test
    void inSixtyFourBitMode() {
        runsAsTheInterpreterDoes(Msr.SF | Msr.ME);
    }

    @Test
    void inThirtyTwoBitMode() {
        runsAsTheInterpreterDoes(Msr.ME);
    }

    /**
     * A loop at C calling F on the next page: addi r3,r3,1 ; bl F ; add r5,r5,r4 ; addi r7,r7,1 ;
     * cmpd r7,r8 ; bne C ; b . ; and F (C + 0x1000): slwi r4,r3,3 ; blr.
     */
    static final int[] CROSS_LOOP = {0x38630001, 0x48000ffd, 0x7ca52214, 0x38e70001, 0x7c274000, 0x4082ffec, 0x48000000};
    static final int[] CROSS_F = {0x54641838, 0x4e800020};
    /** At 0x30000: stw r11,0(r12), a store the interpreter runs. */
    static final long STORE_AT = 0x30000;

    /**
     * Two machines set up alike, one interpreting and one translating (quick regions after two
     * runs, their successors after 300 instructions), each run 100,000 instructions from C: the
     * same state after them.
     */
    private static TestMachine[] interpretedAndTranslated(Consumer<TestMachine> setUp) {
        TestMachine[] m = new TestMachine[2];
        for (int k = 0; k < 2; k++) {
            TestMachine t = TestMachine.upgrading(k == 1, Msr.SF | Msr.ME);
            setUp.accept(t);
            t.core.setPc(C);
            t.core.run(100_000);
            m[k] = t;
        }
        assertArrayEquals(state(m[0]), state(m[1]));
        return m;
    }

    /** Runs both {@code n} instructions more, to the same state: the translating one's run loop entries meanwhile. */
    private static long entriesOver(TestMachine[] m, long n) {
        long before = m[1].core.regionEntries();
        m[0].core.run(n);
        m[1].core.run(n);
        assertArrayEquals(state(m[0]), state(m[1]));
        return m[1].core.regionEntries() - before;
    }

    /** Both run the store at STORE_AT (stw r11,0(r12)), then go on for 50,000 instructions, to the same state. */
    private static void storeAndRunOn(TestMachine[] m) {
        for (TestMachine t : m) {
            long pc = t.core.pc();
            t.core.setPc(STORE_AT);
            t.core.run(1);
            t.core.setPc(pc);
            t.core.run(50_000);
        }
        assertArrayEquals(state(m[0]), state(m[1]), "after the store");
    }

    @Test
    void aCallToTheNextPageAndItsReturnStayInsideTheRegionUntilThatPageIsWritten() {
        TestMachine[] m = interpretedAndTranslated(t -> {
            t.code(C, CROSS_LOOP);
            t.code(C + 0x1000, CROSS_F);
            t.code(STORE_AT, 0x916c0000);
            t.gpr(8, 1L << 40).gpr(11, 0x38830005).gpr(12, C + 0x1000); // addi r4,r3,5 over F's first word
        });
        long entries = entriesOver(m, 200_000);
        assertTrue(entries < 200_000 / 1000, entries + " entries for 200,000 instructions: F's page is in the region");
        // The guest rewrites F; the loop must run the new F from its next call on.
        storeAndRunOn(m);
        long r3 = m[1].r(3), r4 = m[1].r(4);
        assertTrue(r4 == r3 + 5 || r4 == r3 + 4, "the new F ran last: r3 " + r3 + ", r4 " + r4);
    }

    /**
     * A loop calling H directly at its local entry (bl H+8) and through CTR at its global entry
     * (H, which sets up r2 from r12 as ELFv2 code does): addi r3,r3,1 ; bl H+8 ; add r5,r5,r4 ;
     * mtctr r9 ; bctrl ; add r5,r5,r4 ; addi r7,r7,1 ; cmpd r7,r8 ; bne C ; b . ; and H (C + 0x80):
     * addis r2,r12,0 ; addi r2,r2,0x100 ; slwi r4,r3,3 ; add r4,r4,r2 ; blr.
     */
    static final int[] ENTRIES_LOOP = {0x38630001, 0x48000085, 0x7ca52214, 0x7d2903a6, 0x4e800421,
        0x7ca52214, 0x38e70001, 0x7c274000, 0x4082ffe0, 0x48000000};
    static final int[] H = {0x3c4c0000, 0x38420100, 0x54641838, 0x7c841214, 0x4e800020};

    @Test
    void aCallThroughAPointerToAFunctionsGlobalEntryStaysInsideTheRegion() {
        TestMachine[] m = interpretedAndTranslated(t -> {
            t.code(C, ENTRIES_LOOP);
            t.code(C + 0x80, H);
            t.gpr(8, 1L << 40).gpr(9, C + 0x80).gpr(12, C + 0x80);
        });
        long entries = entriesOver(m, 200_000);
        assertTrue(entries < 200_000 / 1000, entries + " entries for 200,000 instructions: H's global entry is one of the region's");
    }

    @Test
    void aCallThroughAPointerToAFunctionOnTheNextPageStaysInsideTheRegionUntilThatPageIsWritten() {
        // ENTRIES_LOOP with H on the next page: bl H+8 is 0x48001005 there.
        int[] loop = ENTRIES_LOOP.clone();
        loop[1] = 0x48001005;
        TestMachine[] m = interpretedAndTranslated(t -> {
            t.code(C, loop);
            t.code(C + 0x1000, H);
            t.code(STORE_AT, 0x916c0000);
            // r11: addi r4,r3,5 to store over H's slwi; r12 (the store's address) is also what
            // the global entry sets r2 from.
            t.gpr(8, 1L << 40).gpr(9, C + 0x1000).gpr(11, 0x38830005).gpr(12, C + 0x1008);
        });
        long entries = entriesOver(m, 200_000);
        // Some 50 compiled slices, and a few exits where a call through CTR found the allowance short.
        assertTrue(entries < 200_000 / 200, entries + " entries for 200,000 instructions");
        storeAndRunOn(m);
        long r3 = m[1].r(3), r4 = m[1].r(4), r2 = C + 0x1008 + 0x100;
        assertTrue(r4 == r3 + 5 + r2 || r4 == r3 + 4 + r2, "the new H ran last: r3 " + r3 + ", r4 " + r4);
    }

    @Test
    void aReturnToAnAddressThatIsNoEntryLeavesForTheDispatcher() {
        // G returns to LR, which the loop points at slot 5 of another page: no entry of the region.
        TestMachine interpreted = machine(false, Msr.SF | Msr.ME), translated = machine(true, Msr.SF | Msr.ME);
        for (TestMachine t : new TestMachine[] {interpreted, translated}) {
            t.core.run(50_000);
            t.code(0x30000, 0x38a50001, 0x48000000); // addi r5,r5,1 ; b .
            t.core.setPc(C + 0x60);
            t.core.setLr(0x30000);
            t.core.run(10);
        }
        assertArrayEquals(state(interpreted), state(translated));
        assertEquals(0x30004, translated.core.pc());
    }

    /** A whole region's next allowance while it is new: one entry in four short, then none. */
    @Test
    void aNewWholeRegionStopsEarlyEveryFourthEntryWhileItIsNew() {
        CompiledRegion r = new CompiledRegion(null, 0, -1L, 20, 0, false, null, null) {
            @Override
            int run(Core core, int slot, long allowance) {
                return Core.OK;
            }
        };
        int shortOnes = 0;
        for (long n = 1; n <= Tiering.EARLY_ENTRIES; n++) {
            long cap = Tiering.nextCap(r, n);
            if (n % Tiering.SHORT_EVERY == Tiering.SHORT_EVERY - 1) {
                assertTrue(cap >= 20 && cap < 20 + Core.SHORT_SLICE_EXTRA, n + ": " + cap);
                shortOnes++;
            } else {
                assertEquals(Long.MAX_VALUE, cap, "entry " + n);
            }
        }
        assertEquals(Tiering.EARLY_ENTRIES / Tiering.SHORT_EVERY, shortOnes);
        for (long n = Tiering.EARLY_ENTRIES + 1; n <= Tiering.EARLY_ENTRIES + 64; n++) {
            assertEquals(Long.MAX_VALUE, Tiering.nextCap(r, n), "entry " + n);
        }
    }

    /** The run loop enters a region with no more than its cap: a short one ends the entry at a loop head. */
    @Test
    void theRunLoopHonoursTheRegionsCap() {
        TestMachine t = machine(true, Msr.SF | Msr.LE);
        CompiledRegion region = null;
        for (int i = 0; i < 200 && (region == null || region.quick); i++) {
            t.core.run(10_000);
            DecodePage page = t.decodedPage(C);
            region = page.regions == null ? null : page.regions[0];
        }
        assertTrue(region != null && !region.quick, "a whole region at the loop's start");
        // Past its early entries: each entry runs a whole slice, unless its cap says less.
        region.wholeEntries = Tiering.EARLY_ENTRIES + 1;
        region.cap = Long.MAX_VALUE;
        t.core.setPc(C);
        long before = t.core.regionEntries();
        t.core.run(4096);
        long uncapped = t.core.regionEntries() - before;
        region.cap = region.instructions;
        t.core.setPc(C);
        before = t.core.regionEntries();
        t.core.run(4096);
        long capped = t.core.regionEntries() - before;
        assertTrue(capped > uncapped, "entries in one slice's instructions: capped " + capped + ", not " + uncapped);
    }
}
