package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.Mmu;
import jvisor.hw.power.Msr;
import org.junit.jupiter.api.Test;

/**
 * The loads and stores inside a whole region's loops go through the page each of them touched
 * last while they stay inside it ({@code RegionEmitter.remembered}): walking a buffer across
 * pages, with accesses that straddle two pages and one that faults in the middle of the walk, the
 * translated loop leaves the same registers, memory and interrupt state as the interpreter after
 * every budget.
 */
class WholeRegionPageMemoTest {
    static final long C = TestMachine.CODE, SOURCE = 0x4024D, STORED = 0x3000;

    /**
     * The walk: a doubleword every seven bytes from SOURCE (so the accesses start at every offset
     * of a page's last eight bytes, the ones there straddling into the next page; 500 steps on,
     * the doubleword at 0x40FF9 reaches one byte into the next page), its sum with a counter
     * stored 0x3000 further on (straddling too), and a byte of it added up.
     * <pre>
     *  0: ld r7,0(r4)       4: add r7,r7,r12   8: std r7,0x3000(r4)   c: lbz r9,3(r4)
     * 10: add r5,r5,r9     14: addi r4,r4,7   18: addi r12,r12,1     1c: bdnz 0
     * 20: b .
     * </pre>
     */
    static final int[] WALK = {0xE8E40000, 0x7CE76214, 0xF8E43000, 0x89240003, 0x7CA54A14, 0x38840007, 0x398C0001,
        0x4200FFE4, 0x48000000};
    /** Steps of the walk: three pages' worth. */
    static final int LIMBS = 3 * 4096 / 7;

    private static TestMachine walker(boolean jit, long msr) {
        TestMachine t = TestMachine.upgrading(jit, msr);
        t.code(C, WALK);
        // The interrupt vectors stop where they are, so a fault leaves the state it found.
        t.code(InterruptVector.DATA_STORAGE, 0x48000000);
        for (long a = SOURCE & ~7L; a < SOURCE + 7L * LIMBS + 8; a += 8) {
            t.memory.writeLongBE(a, a * 0x9E37_79B9_7F4A_7C15L);
        }
        t.gpr(4, SOURCE).gpr(12, 0x1234_5678_9ABC_DEF0L);
        t.core.setCtr(LIMBS);
        t.core.setPc(C);
        return t;
    }

    private static long[] state(TestMachine t) {
        Core c = t.core;
        return new long[] {t.r(4), t.r(5), t.r(7), t.r(9), t.r(12), c.ctr(), c.pc(), c.instructions(), c.srr0(), c.dar()};
    }

    private static long[] stored(TestMachine t) {
        long[] words = new long[LIMBS + 1];
        for (int i = 0; i <= LIMBS; i++) {
            words[i] = t.memory.readLongBE(SOURCE + STORED + 7L * i);
        }
        return words;
    }

    /** Runs both machines through the same budgets, comparing their state after each; the whole region ran. */
    private static void sameAsTheInterpreter(TestMachine interpreted, TestMachine translated, long... budgets) {
        for (long budget : budgets) {
            interpreted.core.run(budget);
            translated.core.run(budget);
            assertArrayEquals(state(interpreted), state(translated), "after " + translated.core.instructions());
        }
        assertArrayEquals(stored(interpreted), stored(translated), "the stored doublewords");
        CompiledRegion region = translated.decodedPage(C).regions[0];
        assertTrue(region != null && !region.quick, "the walk's whole region ran");
    }

    @Test
    void aWalkAcrossPagesAndTheirBoundariesLoadsAndStoresAsTheInterpreterDoes() {
        for (long msr : new long[] {Msr.SF | Msr.ME, Msr.ME}) {
            TestMachine interpreted = walker(false, msr), translated = walker(true, msr);
            sameAsTheInterpreter(interpreted, translated, 1_000, 7, 2_000, 13, 20_000);
            assertEquals(C + 0x20, translated.core.pc(), "the walk finished");
            assertEquals(SOURCE + 7L * LIMBS, translated.r(4));
        }
    }

    /**
     * The walk again, from 20 steps before the doubleword that reaches one byte into a page that
     * now faults, entered once (for a whole slice: the region is past its early, shorter entries)
     * so that the load remembers the page before: it stops at that doubleword with the
     * interpreter's state. (Host memory here is one block, so only the fault tells that an
     * access left the page it remembered.)
     */
    @Test
    void aLoadReachingIntoAFaultingPageStopsTheWalkWhereTheInterpreterStops() {
        TestMachine interpreted = walker(false, Msr.SF | Msr.ME), translated = walker(true, Msr.SF | Msr.ME);
        sameAsTheInterpreter(interpreted, translated, 20_000);
        CompiledRegion region = translated.decodedPage(C).regions[0];
        region.wholeEntries = Tiering.EARLY_ENTRIES + 1;
        region.cap = Long.MAX_VALUE;
        long straddling = 0x40FF9;
        for (TestMachine t : new TestMachine[] {interpreted, translated}) {
            t.mmu.fault(straddling + 7, Mmu.LOAD, InterruptVector.DATA_STORAGE, 0x4000_0000);
            t.core.requestTranslationFlush(); // the page is in the data cache from the first walk
            t.gpr(4, straddling - 7 * 20);
            t.core.setCtr(1_000);
            t.core.setPc(C);
        }
        sameAsTheInterpreter(interpreted, translated, 4_000);
        assertEquals(InterruptVector.DATA_STORAGE, translated.core.pc(), "the walk stopped at the fault");
        assertEquals(straddling, translated.r(4));
    }

    /**
     * What the memos rely on: an instruction that changes the translations or the MSR (tlbie and
     * the SLB instructions, the MSR's moves and the returns from interrupts, sc, an mtspr of a
     * register that selects translations: PIDR, LPCR, LPIDR, PTCR) ends the region, so no loop of
     * translated code runs on past one with a page it remembered before it.
     */
    @Test
    void everyInstructionThatChangesTranslationsOrTheMsrEndsTheRegion() {
        InstructionTable table = InstructionTable.POWER9;
        for (String m : new String[] {"tlbie", "tlbiel", "tlbsync", "slbia", "slbie", "slbmte", "mtmsr", "mtmsrd", "rfid",
            "hrfid", "rfscv", "sc", "scv"}) {
            assertTrue(RegionCompiler.endsRegion(table.op(m), 0), m);
        }
        for (int spr : new int[] {48, 318, 319, 464}) {
            int w = (31 << 26) | ((spr & 31) << 16) | ((spr >>> 5) << 11) | (467 << 1);
            assertTrue(RegionCompiler.endsRegion(table.op("mtspr"), w), "mtspr " + spr);
        }
    }

    /** The span indexes (slots of the page at C, from RegionCompiler.ORIGIN) of C's whole region's accesses that get memos. */
    private static int[] memoSlotsOf(int... code) {
        TestMachine t = new TestMachine();
        t.code(C, code);
        DecodePage page = t.decodedPage(C);
        CompiledRegion replacing = new CompiledRegion(page, page.generation, -1L, 1, 0, true, null, null) {
            @Override
            int run(Core core, int slot, long allowance) {
                return Core.OK;
            }
        };
        RegionCompiler.Region r = RegionCompiler.Region.discover(new DecodePage[] {null, page, null}, 0, t.memory,
                RegionCompiler.MAX_INSTRUCTIONS, -1L, replacing);
        int[] slots = RegionMemory.memoSlots(r);
        for (int k = 0; k < slots.length; k++) {
            slots[k] -= RegionCompiler.ORIGIN;
        }
        return slots;
    }

    /**
     * Which accesses get memos: those of a loop a conditional branch closes (the walk's loop,
     * slots 0, 2 and 3), not those of a loop that calls a function (bl at slot 2 of the second),
     * nor code that a backward b reaches (a tail call to a function placed before it: F at slot
     * 1, its caller's b at slot 5), and at most eight of a long loop.
     */
    @Test
    void theAccessesOfALoopThatABranchClosesAndThatCallsNothingGetMemos() {
        assertArrayEquals(new int[] {0, 2, 3}, memoSlotsOf(WALK));
        // 0: ld r7,0(r4)  4: add r5,r5,r7  8: bl 0x40  c: std r5,8(r4)  10: bdnz 0  14: b .  ...  40: blr
        int[] calling = new int[17];
        System.arraycopy(new int[] {0xE8E40000, 0x7CA53A14, 0x48000039, 0xF8A40008, 0x4200FFF0, 0x48000000}, 0, calling, 0, 6);
        for (int k = 6; k < 16; k++) {
            calling[k] = 0x60000000; // nop
        }
        calling[16] = 0x4E800020;
        assertArrayEquals(new int[0], memoSlotsOf(calling));
        // 0: b 0xc  4: ld r3,0(r4)  8: blr (F)  c: addi r4,r4,8  10: ld r5,0(r4)  14: b 4 (to F, a tail call)
        assertArrayEquals(new int[0], memoSlotsOf(0x4800000C, 0xE8640000, 0x4E800020, 0x38840008, 0xE8A40000, 0x4BFFFFF0));
        // Ten loads and a bdnz: the first eight.
        int[] ten = new int[11];
        for (int k = 0; k < 10; k++) {
            ten[k] = 0xE8E40000 | (k * 8);
        }
        ten[10] = 0x4200FFD8;
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, memoSlotsOf(ten));
    }
}
