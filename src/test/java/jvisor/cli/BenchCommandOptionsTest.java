package jvisor.cli;

import static jvisor.cli.CliRun.assertRefused;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options of {@code jvisor bench} are checked before anything is built or run. */
class BenchCommandOptionsTest {
    @TempDir
    Path dir;

    @Test
    void countsMustBePositiveAndTheSieveMustFitTheMachine() {
        assertRefused("--repeat", "bench", "--repeat", "0");
        assertRefused("--repeat", "bench", "--repeat", "-3");
        assertRefused("--alu-n", "bench", "--alu-n", "0");
        assertRefused("--alu-n", "bench", "--alu-n", "-1");
        assertRefused("--calls-n", "bench", "--calls-n", "0");
        assertRefused("--calls-n", "bench", "--calls-n", "-1");
        assertRefused("--sieve-n", "bench", "--sieve-n", "1");
        assertRefused("--sieve-n", "bench", "--sieve-n", "-1");
        assertRefused("--sieve-n", "bench", "--sieve-n", Long.toString(BenchCommand.MAX_SIEVE_N + 1));
        assertRefused("--sieve-n", "bench", "--sieve-n", "99999999999999999999");
        assertRefused("--repeat", "bench", "--repeat", "x");
    }

    @Test
    void guestsEndianAndDirectoryAreChecked() {
        assertRefused("--guests", "bench", "--guests", "");
        assertRefused("--guests", "bench", "--guests", "../../etc/passwd");
        assertRefused("--endian", "bench", "--endian", "middle");
        assertRefused("guests", "bench", "--guests-dir", dir.resolve("none").toString());
        assertRefused("guests", "bench", "--guests-dir", dir.toString());
    }
}
