package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Translated code reads nothing another thread writes, yet a request from another thread still
 * reaches a core that spins in a translated loop forever: the compiled slice ends every entry to
 * translated code within a few thousand instructions, and the run loop looks at the requests then.
 */
class TranslatedLoopRequestTest {
    static final long C = TestMachine.CODE;
    /** addi r3,r3,1 ; b .-4: a loop with no way out. */
    static final int ADDI_1 = 0x38630001, B_MINUS_4 = 0x4BFFFFFC;

    @Test
    void anExitRequestStopsACoreSpinningInATranslatedLoop() throws Exception {
        TestMachine t = new TestMachine();
        t.core.setJit(true);
        t.core.tiering().setThreshold(2);
        t.code(C, ADDI_1, B_MINUS_4);
        t.core.setPc(C);
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> run = runner.submit(() -> t.core.run(Long.MAX_VALUE));
            // Let the loop get hot and translated, then run translated for a while.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (t.cache.compiledRegions() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(200);
            t.core.requestExit();
            assertEquals(Exit.INTERRUPTED, run.get(20, TimeUnit.SECONDS));
        } finally {
            runner.shutdownNow();
        }
        long passes = t.r(3);
        assertTrue(passes > 10_000, "the loop ran: " + passes + " passes");
        assertTrue(t.core.translatedInstructions() > t.core.instructions() / 2,
                "most of it translated: " + t.core.translatedInstructions() + " of " + t.core.instructions());
        // The core stopped at an instruction boundary of the loop, its count exact.
        assertEquals(2 * passes - (t.core.pc() == C ? 0 : 1), t.core.instructions());
    }
}
