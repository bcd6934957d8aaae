package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * With background translation the core never waits for a translation: it interprets on, and the
 * region becomes reachable later, once compiled, with the guest's results the same throughout.
 */
class BackgroundTranslatorTest {
    private static final long C = TestMachine.CODE;
    private static final int ADDI_1 = 0x38630001, BDNZ_MINUS_4 = 0x4200fffc;

    @Test
    void aHotLoopRunsOnWhileItIsTranslatedAndThenRunsTranslated() throws Exception {
        TestMachine t = TestMachine.translatedInTheBackground();
        t.code(C, ADDI_1, BDNZ_MINUS_4);
        t.core.setPc(C);
        t.core.setCtr(Long.MAX_VALUE);
        // The first slice finds the loop hot and asks for it: no translation exists when it returns.
        assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(1000));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (t.cache.compiledRegions() == 0 && System.nanoTime() < deadline) {
            assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(10_000));
            Thread.sleep(1);
        }
        assertTrue(t.cache.compiledRegions() > 0, "the translation was installed");
        // The translator counts an installation after the page shows it.
        while (t.cache.background().installed() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(t.cache.background().installed() > 0);
        long before = t.core.instructions();
        assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(1_000_000));
        assertEquals(before + 1_000_000, t.core.instructions());
        // Two instructions an iteration, interpreted or translated: r3 counts every one of them.
        assertEquals(t.core.instructions() / 2, t.r(3));
        assertEquals(Long.MAX_VALUE - t.core.instructions() / 2, t.core.ctr());
    }

    @Test
    void aHotQuickRegionIsReplacedOnTheTranslatorThreadWhileTheCoreRunsOn() throws Exception {
        TestMachine t = TestMachine.translatedInTheBackground();
        t.core.tiering().setUpgradeThreshold(100_000);
        t.code(C, ADDI_1, BDNZ_MINUS_4);
        t.core.setPc(C);
        t.core.setCtr(Long.MAX_VALUE);
        DecodePage page = t.decodedPage(C);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((page.regions == null || page.regions[0] == null || page.regions[0].quick) && System.nanoTime() < deadline) {
            assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(10_000));
            Thread.sleep(1);
        }
        CompiledRegion region = page.regions[0];
        assertTrue(region != null && !region.quick, "the quick region's successor was installed");
        // The translator counts an installation after the page shows it.
        while (t.cache.background().installed() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(2, t.cache.background().installed(), "the quick region, then its successor");
        assertEquals(2, t.cache.compiledRegions(), "the successor, and the quick region still at the loop's exit");
        assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(1_000_000));
        assertEquals(t.core.instructions() / 2, t.r(3));
        assertEquals(Long.MAX_VALUE - t.core.instructions() / 2, t.core.ctr());
    }

    @Test
    void warmCodeIsTranslatedEarlyWhileTheTranslatorIsIdle() throws Exception {
        // Each iteration is one interpreted run from C: 500 of them in a slice stay far below the
        // threshold, but past the early heat an idle translator is asked.
        TestMachine late = TestMachine.translatedInTheBackground();
        late.core.tiering().setThreshold(DecodePage.MAX_HEAT);
        late.core.tiering().setEarlyThreshold(DecodePage.MAX_HEAT);
        TestMachine early = TestMachine.translatedInTheBackground();
        early.core.tiering().setThreshold(DecodePage.MAX_HEAT);
        early.core.tiering().setEarlyThreshold(100);
        for (TestMachine t : new TestMachine[] {late, early}) {
            t.code(C, ADDI_1, BDNZ_MINUS_4);
            t.core.setPc(C);
            t.core.setCtr(Long.MAX_VALUE);
        }
        // At most 120 slices: 60,000 runs, below the threshold (65535).
        for (int slice = 0; slice < 120 && early.cache.compiledRegions() == 0; slice++) {
            assertEquals(Exit.INSTRUCTION_LIMIT, early.core.run(1000));
            assertEquals(Exit.INSTRUCTION_LIMIT, late.core.run(1000));
            Thread.sleep(10);
        }
        assertEquals(1, early.cache.compiledRegions(), "translated below the threshold");
        assertEquals(0, late.cache.compiledRegions(), "without the early heat, nothing is asked for");
        assertEquals(early.core.instructions() / 2, early.r(3));
    }

    @Test
    void aSecondStartOfCodeAlreadyTranslatedIsNotTranslatedAgain() throws Exception {
        // A loop with two branch targets (C, and C+12 after the b over C+8): both get hot in the
        // same iteration, and the translation from C holds C+12 as an entry.
        TestMachine t = TestMachine.translatedInTheBackground();
        t.code(C, ADDI_1, 0x48000008, 0x38a50001, 0x38840001, 0x4200fff0);
        t.core.setPc(C);
        t.core.setCtr(Long.MAX_VALUE);
        DecodePage page = t.decodedPage(C);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((page.regions == null || page.regions[0] == null || page.regions[3] == null)
                && System.nanoTime() < deadline) {
            assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(1000));
            Thread.sleep(1);
        }
        assertTrue(page.regions != null && page.regions[0] != null, "the loop was translated");
        assertTrue(page.regions[0] == page.regions[3], "one translation for both starts");
        // Give a second request for C+12, if one was made, time to be translated.
        for (int i = 0; i < 20; i++) {
            assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(1000));
            Thread.sleep(5);
        }
        assertEquals(1, t.cache.background().translated(), "the code was translated once");
        assertEquals(1, t.cache.regionsMade());
        // Four instructions an iteration add to r3 and r4 alike and skip C+8.
        assertEquals(t.r(3), t.r(4));
        assertEquals(0, t.r(5));
    }

    @Test
    void withoutBackgroundTranslationTheCoreTranslatesAtOnce() {
        TestMachine t = new TestMachine();
        t.core.setJit(true);
        t.core.tiering().setThreshold(2);
        t.code(C, ADDI_1, BDNZ_MINUS_4);
        t.core.setPc(C);
        t.core.setCtr(Long.MAX_VALUE);
        t.core.run(1000);
        assertTrue(t.cache.compiledRegions() > 0);
    }
}
