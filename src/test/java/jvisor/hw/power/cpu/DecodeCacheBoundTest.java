package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import org.junit.jupiter.api.Test;

/**
 * The decoded-instruction cache keeps a bounded number of pages whatever the guest executes, and
 * letting pages go never lets a core run instructions that are no longer in memory.
 */
class DecodeCacheBoundTest {
    static final int PAGES = 200;
    static final int ADDI_1 = 0x38630001, ADDI_100 = 0x38630064, B_SELF = 0x48000000;

    private static long heapUsedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** A guest executing from 64Ki distinct pages (256 MiB of code) makes the host keep a bounded amount. */
    @Test
    void executingFromEveryPageKeepsABoundedHeap() {
        DecodeCache cache = new DecodeCache(1L << 30);
        long before = heapUsedAfterGc();
        for (long page = 0; page < 65_536; page++) {
            // What a core does on a fetch miss in a new page, then decoding its first instruction.
            cache.page(page, (page & 1) != 0);
        }
        long grown = heapUsedAfterGc() - before;
        assertTrue(grown < 128L << 20, "the heap grew by " + (grown >> 20) + " MiB for 65536 decoded pages");
        assertTrue(cache.decodedPages() <= cache.maxDecodedPages(), cache.decodedPages() + " pages kept");
        Reference.reachabilityFence(cache);
    }

    /** Code spread over 200 pages (most of the test machine's memory), each adding 1 to r3 and branching to the next page; the last loops. */
    private static TestMachine pageWalker(int maxPages) {
        TestMachine t = new TestMachine();
        t.cache.setMaxDecodedPages(maxPages);
        for (int p = 0; p < PAGES; p++) {
            long at = TestMachine.CODE + 4096L * p;
            t.code(at, ADDI_1, p == PAGES - 1 ? B_SELF : 0x48000ffc); // b to the next page's first word
        }
        return t;
    }

    @Test
    void aCoreWalkingManyPagesKeepsOnlyTheBoundAndRunsEveryInstruction() {
        TestMachine t = pageWalker(16);
        t.core.setPc(TestMachine.CODE);
        assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(2 * PAGES + 10));
        assertEquals(PAGES, t.r(3), "each page's addi ran once");
        assertTrue(t.cache.decodedPages() <= 16, t.cache.decodedPages() + " pages kept");
    }

    @Test
    void aCoreHoldingARetiredPageSeesWhatIsWrittenThere() {
        TestMachine t = pageWalker(4);
        t.code(TestMachine.CODE, ADDI_1, 0x4bfffffc); // the first page loops: addi; b .-4
        t.core.setPc(TestMachine.CODE);
        t.core.run(10);
        assertEquals(5, t.r(3));
        // Another core fills the cache past its bound: the first page is retired while this core holds it.
        for (long page = 100; page < 110; page++) t.cache.page(page, false);
        // An outside write to the retired page: nothing can tell the retired page about it.
        t.memory.writeIntBE(TestMachine.CODE, ADDI_100);
        t.cache.invalidate(TestMachine.CODE >>> 12);
        t.core.run(10);
        assertEquals(5 + 5 * 100, t.r(3), "the loop ran the new addi");
    }

    @Test
    void translatedCodeOnARetiredPageIsDroppedAndTheNewCodeRuns() {
        TestMachine t = pageWalker(4);
        t.core.setJit(true);
        t.core.tiering().setThreshold(2);
        t.code(TestMachine.CODE, ADDI_1, 0x4bfffffc);
        t.core.setPc(TestMachine.CODE);
        t.core.run(1000);
        assertEquals(500, t.r(3));
        assertTrue(t.cache.compiledRegions() > 0, "the loop was translated");
        for (long page = 100; page < 110; page++) t.cache.page(page, false);
        assertEquals(0, t.cache.compiledRegions(), "retiring dropped the translation");
        t.memory.writeIntBE(TestMachine.CODE, ADDI_100);
        t.cache.invalidate(TestMachine.CODE >>> 12);
        t.core.run(1000);
        assertEquals(500 + 500 * 100, t.r(3));
    }
}
