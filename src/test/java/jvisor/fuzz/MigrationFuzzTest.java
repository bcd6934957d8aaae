package jvisor.fuzz;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * The fast form of {@code jvisor fuzz --engine migrate}: 50 randomized pre-copy migrations, every
 * copy equal to its source byte for byte; and the check itself fails a migration that leaves
 * out its stop-and-copy harvest.
 */
class MigrationFuzzTest {
    @Test
    void fiftyMigrationsCopyMemoryExactly() {
        FuzzReport rep = Campaign.run(new MigrationFuzzer(), 50, 7);
        assertTrue(rep.clean(), () -> rep.line() + "\n" + String.join("\n", rep.findings()));
        assertEquals(50, rep.figures().get("verified"), rep.detailLine());
        assertEquals(0, rep.figures().get("mismatched"), rep.detailLine());
        assertTrue(rep.figures().get("pages-copied") > 50 * 1024, "every migration copied all memory once at least");
        assertTrue(rep.figures().get("guest-instructions") > 0 && rep.figures().get("notifier-events") > 0, rep.detailLine());
    }

    @Test
    void aMigrationWithoutItsLastHarvestIsCaught() {
        FuzzReport rep = Campaign.run(new MigrationFuzzer(true), 20, 7);
        assertTrue(rep.figures().get("mismatched") > 0, rep.detailLine());
        assertFalse(rep.clean());
        assertTrue(rep.findings().get(0).contains("differs after the migration"), rep.findings().get(0));
    }
}
