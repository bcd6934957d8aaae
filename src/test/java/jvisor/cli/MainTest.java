package jvisor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The top-level command: a command line that names a subcommand is parsed with that one alone,
 * and everything else still sees all of them.
 */
class MainTest {
    private static final String[] ALL = {"run", "bench", "walk", "simulate", "fuzz"};

    @Test
    void helpListsEverySubcommand() {
        CliRun.Result r = CliRun.run("--help");
        assertEquals(0, r.status(), r.err());
        for (String name : ALL) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  " + name + " ")), name + " in:\n" + r.out());
        }
    }

    @Test
    void eachSubcommandIsFoundByItsNameAndKnowsItsOwnOptions() {
        for (String name : ALL) {
            CliRun.Result r = CliRun.run(name, "--help");
            assertEquals(0, r.status(), name + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: jvisor " + name + " "), r.out());
        }
        CliRun.assertUserError("walk", "--no-such-option");
    }

    @Test
    void aMisspeltSubcommandIsOneLineAndStatus2() {
        CliRun.Result r = CliRun.assertUserError("wlak");
        assertTrue(r.err().contains("wlak"), r.err());
    }

    @Test
    void noArgumentsPrintTheUsage() {
        CliRun.Result r = CliRun.run();
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("Usage: jvisor "), r.out());
    }
}
