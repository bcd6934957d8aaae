package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvisor.hw.power.Msr;
import org.junit.jupiter.api.Test;

/**
 * The interpreter runs straight-line code through a page without looking the page up again; what
 * changes the next instruction's fetch or decoding in the middle of such a run must still show at
 * once.
 */
class StraightLineRunTest {
    private static final int NOP = 0x60000000;

    private static int li(int rt, int v) {
        return 0x38000000 | rt << 21 | (v & 0xFFFF); // addi rt,0,v
    }

    @Test
    void theBudgetStopsARunExactly() {
        TestMachine m = new TestMachine();
        int[] nops = new int[40];
        java.util.Arrays.fill(nops, NOP);
        m.code(TestMachine.CODE, nops);
        for (int budget : new int[] {1, 7, 13}) {
            m.core.setPc(TestMachine.CODE);
            long before = m.core.instructions();
            assertEquals(Exit.INSTRUCTION_LIMIT, m.core.run(budget));
            assertEquals(budget, m.core.instructions() - before);
            assertEquals(TestMachine.CODE + 4L * budget, m.core.pc());
        }
    }

    @Test
    void aStoreToTheNextInstructionIsFetched() {
        // stw r6,12(r7); nop; nop; li r4,1 -> the store replaces the li before it is reached.
        TestMachine m = new TestMachine().gpr(7, TestMachine.CODE).gpr(6, li(4, 2));
        m.exec(0x90C7000C, NOP, NOP, li(4, 1));
        assertEquals(2, m.r(4));
    }

    @Test
    void anMsrWriteThatSwitchesByteOrderDecodesTheNextWordTheNewWay() {
        // mtmsrd r5 (big-endian), then words stored little-endian: li r4,7; li r8,9.
        TestMachine m = new TestMachine().gpr(5, Msr.SF | Msr.ME | Msr.LE);
        m.code(TestMachine.CODE, 0x7CA00164);
        m.memory.writeIntLE(TestMachine.CODE + 4, li(4, 7));
        m.memory.writeIntLE(TestMachine.CODE + 8, li(8, 9));
        m.cache.invalidateRange(TestMachine.CODE, 12);
        m.core.setPc(TestMachine.CODE);
        assertEquals(Exit.INSTRUCTION_LIMIT, m.core.run(3));
        assertEquals(7, m.r(4));
        assertEquals(9, m.r(8));
    }

    @Test
    void anMsrWriteThatChangesTheAddressWidthOrSteppingStopsTheRunAndOtherwiseNot() {
        // The next instruction's address is another page's in the other width; and single-stepping
        // interprets one instruction at a time. Neither changes the fetch cache's mode.
        TestMachine m = new TestMachine();
        long base = Msr.SF | Msr.ME;
        m.core.setMsr(base);
        m.core.attention = false;
        m.core.applyMsr(base | Msr.FP);
        assertFalse(m.core.attention, "FP on: the run goes on");
        m.core.applyMsr(Msr.ME | Msr.FP);
        assertTrue(m.core.attention, "32-bit addresses from the next instruction on");
        m.core.attention = false;
        m.core.applyMsr(Msr.ME | Msr.FP | Msr.SE);
        assertTrue(m.core.attention, "single-stepping from the next instruction on");
    }

    @Test
    void aRunCrossesIntoTheNextPage() {
        TestMachine m = new TestMachine();
        long start = TestMachine.CODE + 0x1000 - 8;
        assertEquals(Exit.INSTRUCTION_LIMIT, m.runAt(start, 4, li(3, 1), li(4, 2), li(5, 3), li(6, 4)));
        assertEquals(4, m.r(6));
        assertEquals(start + 16, m.core.pc());
    }

    @Test
    void singleSteppingSwitchedOnMidRunTracesTheNextInstruction() {
        // mtmsrd r5 (MSR[SE] on); li r4,1; li r8,2: the trace interrupt follows the li r4,1.
        TestMachine m = new TestMachine();
        m.gpr(5, m.core.msr() | Msr.SE);
        m.code(0xD00, NOP);
        assertEquals(Exit.INSTRUCTION_LIMIT, m.runAt(TestMachine.CODE, 3, 0x7CA00164, li(4, 1), li(8, 2)));
        assertEquals(1, m.r(4));
        assertEquals(0, m.r(8));
        assertEquals(TestMachine.CODE + 8, m.core.srr0());
        assertEquals(0xD04, m.core.pc()); // the third instruction was the handler's first
    }

    /**
     * Straight-line code that falls into a loop whose head has a translation: the run stops
     * before the head, so the run loop enters the translation there instead of interpreting the
     * loop's first pass. (The head's slot carries {@link DecodePage#ENTERED} once the translation is in.)
     * <pre>
     *  0-10: li r4..r8    14: addi r3,r3,1 (the loop's head)    18: bdnz 14    1c: b .
     * </pre>
     */
    @Test
    void aRunFallingIntoATranslationsEntryStopsThereForTheRunLoopToEnterIt() {
        TestMachine m = new TestMachine();
        m.core.setJit(true);
        m.core.tiering().setThreshold(2);
        m.code(TestMachine.CODE, li(4, 1), li(5, 2), li(6, 3), li(7, 4), li(8, 5), 0x38630001, 0x4200FFFC, 0x48000000);
        m.core.setCtr(1_000);
        m.core.setPc(TestMachine.CODE);
        m.core.run(500);
        DecodePage page = m.decodedPage(TestMachine.CODE);
        assertTrue(page.regions != null && page.regions[5] != null, "the loop has a translation at its head");
        assertTrue(page.entries[5] < 0, "its slot is marked");
        m.core.setCtr(1_000);
        m.core.setPc(TestMachine.CODE);
        long translated = m.core.translatedInstructions();
        assertEquals(Exit.INSTRUCTION_LIMIT, m.core.run(105));
        // All but the five li and the last two: the translation (the loop and the b . after it)
        // is three instructions long, and a budget shorter than that is interpreted.
        assertEquals(98, m.core.translatedInstructions() - translated, "the loop's first pass ran translated");
        assertEquals(TestMachine.CODE + 0x14, m.core.pc(), "at the loop's head after 50 passes");
        assertEquals(950, m.core.ctr());
    }
}
