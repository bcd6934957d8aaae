package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import jvisor.hw.power.Msr;

/**
 * A debugger's breakpoints, watchpoints and single step on the core: it stops before the
 * instruction or the access, in translated code too, and nothing it does is visible in guest
 * memory.
 */
class DebuggerStopTest {
    static final long C = TestMachine.CODE, DATA = 0x20000;
    static final int ADDI_1 = 0x38630001, BDNZ_MINUS_4 = 0x4200fffc, NOP = 0x60000000;
    static final int STW_R5_0_R4 = 0x90a40000, LWZ_R6_4_R4 = 0x80c40004, LWZ_R6_0_R4 = 0x80c40000;
    static final int LWARX_R6_0_R4 = 0x7cc02028, STB_R5_8_R4 = 0x98a40008;

    private static TestMachine hotLoop() {
        TestMachine t = new TestMachine();
        t.core.setJit(true);
        t.core.tiering().setThreshold(2);
        t.code(C, ADDI_1, BDNZ_MINUS_4, NOP);
        t.core.setPc(C);
        t.core.setCtr(1_000_000);
        assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(2000));
        assertTrue(t.cache.compiledRegions() > 0, "the loop was translated");
        return t;
    }

    @Test
    void aBreakpointStopsBeforeItsInstructionInCodeThatWasTranslated() {
        TestMachine t = hotLoop();
        t.core.setDebugPoints(DebugPoints.NONE.withBreakpoint(C + 4));
        long r3 = t.r(3), n = t.core.instructions();
        assertEquals(Exit.DEBUG, t.core.run(1_000_000));
        assertEquals(C + 4, t.core.pc());
        assertEquals(new DebugPoints.Hit(DebugPoints.BREAKPOINT, C + 4), t.core.debugHit());
        // At most the addi before it ran: the loop stopped within one pass.
        assertTrue(t.r(3) - r3 <= 1 && t.core.instructions() - n <= 2);
        assertEquals(t.memory.readIntBE(C + 4), BDNZ_MINUS_4, "guest memory is not patched");
        // Still set, it stops again at once: a debugger steps over it without it.
        n = t.core.instructions();
        assertEquals(Exit.DEBUG, t.core.run(1_000_000));
        assertEquals(n, t.core.instructions());
        t.core.setDebugPoints(DebugPoints.NONE);
        t.core.setCtr(1);
        assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(2));
        assertEquals(C + 12, t.core.pc(), "without it the bdnz runs, then the nop after it");
    }

    @Test
    void aSingleStepIsOneInstructionInTranslatedCode() {
        TestMachine t = hotLoop();
        long pc = t.core.pc(), r3 = t.r(3), n = t.core.instructions();
        assertEquals(Exit.INSTRUCTION_LIMIT, t.core.step());
        assertEquals(n + 1, t.core.instructions());
        if (pc == C) {
            assertEquals(C + 4, t.core.pc());
            assertEquals(r3 + 1, t.r(3));
        } else {
            assertEquals(C, t.core.pc()); // the bdnz went back
            assertEquals(r3, t.r(3));
        }
    }

    @Test
    void aSingleStepExecutesTheInstructionAtPcWhileAnInterruptIsPending() {
        TestMachine t = new TestMachine().msr(Msr.SF | Msr.ME | Msr.EE);
        t.code(C, ADDI_1, ADDI_1);
        t.code(0x900, NOP);
        t.core.setPc(C);
        t.core.writeSpr(Spr.DEC, 0xFFFF_FFFFL); // negative: the decrementer interrupt is pending
        assertEquals(Exit.INSTRUCTION_LIMIT, t.core.step());
        assertEquals(C + 4, t.core.pc());
        assertEquals(1, t.r(3));
        // A plain run takes it first, as the architecture says.
        t.core.run(1);
        assertEquals(C + 4, t.core.srr0());
        assertEquals(0x904, t.core.pc());
    }

    @Test
    void aWriteWatchpointStopsBeforeTheStoreAndIgnoresLoads() {
        TestMachine t = new TestMachine().gpr(4, DATA + 8).gpr(5, 0x1234_5678);
        t.core.setDebugPoints(DebugPoints.NONE.withWatchpoint(DATA + 8, 4, DebugPoints.WATCH_WRITE));
        assertEquals(Exit.DEBUG, t.runAt(C, 10, LWZ_R6_0_R4, STW_R5_0_R4));
        assertEquals(C + 4, t.core.pc(), "the load went by, the store did not");
        assertEquals(0, t.memory.readIntBE(DATA + 8));
        assertEquals(new DebugPoints.Hit(DebugPoints.WATCH_WRITE, DATA + 8), t.core.debugHit());
        t.core.setDebugPoints(null);
        assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(1));
        assertEquals(0x1234_5678, t.memory.readIntBE(DATA + 8));
    }

    @Test
    void aReadWatchpointStopsALoadThatOverlapsItAndReportsTheFirstWatchedByte() {
        TestMachine t = new TestMachine().gpr(4, DATA).gpr(5, 7);
        t.core.setDebugPoints(DebugPoints.NONE.withWatchpoint(DATA + 6, 2, DebugPoints.WATCH_READ));
        assertEquals(Exit.DEBUG, t.runAt(C, 10, STB_R5_8_R4, LWZ_R6_0_R4, LWZ_R6_4_R4));
        assertEquals(C + 8, t.core.pc(), "the store and the load beside the range went by");
        assertEquals(new DebugPoints.Hit(DebugPoints.WATCH_READ, DATA + 6), t.core.debugHit());
        assertEquals(7, t.memory.readByte(DATA + 8));
    }

    @Test
    void aWatchpointOnAPageTheCoreHadCachedStillStops() {
        TestMachine t = new TestMachine().gpr(4, DATA);
        assertEquals(Exit.INSTRUCTION_LIMIT, t.runAt(C, 1, LWZ_R6_0_R4)); // the page is in the data cache now
        t.core.setDebugPoints(DebugPoints.NONE.withWatchpoint(DATA + 2, 1, DebugPoints.WATCH_ACCESS));
        assertEquals(Exit.DEBUG, t.runAt(C, 1, LWZ_R6_0_R4));
        assertEquals(C, t.core.pc());
    }

    @Test
    void anAccessWatchpointStopsALoadAndReserve() {
        TestMachine t = new TestMachine().gpr(4, DATA);
        t.core.setDebugPoints(DebugPoints.NONE.withWatchpoint(DATA, 4, DebugPoints.WATCH_ACCESS));
        assertEquals(Exit.DEBUG, t.runAt(C, 1, LWARX_R6_0_R4));
        assertEquals(DebugPoints.WATCH_ACCESS, t.core.debugHit().kind());
        assertEquals(C, t.core.pc());
    }

    @Test
    void pointsAreAddedAndRemovedOneAtATime() {
        DebugPoints p = DebugPoints.NONE.withBreakpoint(0x100).withBreakpoint(0x100).withBreakpoint(0x40);
        assertTrue(p.breaksAt(0x100) && p.breaksAt(0x40) && !p.breaksAt(0x104));
        p = p.withoutBreakpoint(0x100);
        assertTrue(p.breaksAt(0x100), "a second breakpoint at the same address is still there");
        p = p.withoutBreakpoint(0x100).withoutBreakpoint(0x40);
        assertTrue(p.isEmpty());
        assertSame(p, p.withoutBreakpoint(0x40));

        DebugPoints w = DebugPoints.NONE.withWatchpoint(-8, 100, DebugPoints.WATCH_WRITE);
        assertNotNull(w.watchHit(-1, 1, true), "a range past the top of the address space ends there");
        assertNull(w.watchHit(0, 8, true));
        assertNull(w.watchHit(-8, 8, false), "a write watchpoint ignores loads");
        assertTrue(w.watchesPage(-4096) && !w.watchesPage(0));
        assertTrue(w.withoutWatchpoint(-8, 100, DebugPoints.WATCH_READ).watchpointCount() == 1);
        assertTrue(w.withoutWatchpoint(-8, 100, DebugPoints.WATCH_WRITE).isEmpty());
    }
}
