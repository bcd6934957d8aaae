package jvisor.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** {@code jvisor fuzz}: the closing line per engine, exit 0 when clean, one line and exit 2 for a bad command line. */
class FuzzCommandTest {
    private record Result(int status, String out, String err) {}

    private static Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int status = Main.execute(args);
            return new Result(status, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void aShortCampaignEndsWithItsFiguresLine() {
        Result r = run("fuzz", "--engine", "power", "--ops", "2e4", "--seed", "5");
        assertEquals(0, r.status(), r.out() + r.err());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[lines.length - 1].matches(
                "fuzz: power ops=\\d+ host-exceptions=0 outside-accesses=0 leaked-frames=0 max-heap-mb=\\d+"), r.out());
        assertTrue(lines[lines.length - 2].startsWith("power: seed=5 "), r.out());
    }

    @Test
    void badOptionsAreOneLineAndStatusTwo() {
        for (String[] args : new String[][] {
            {"fuzz", "--engine", "sparc"},
            {"fuzz", "--engine", "arm", "--ops", "0"},
            {"fuzz", "--engine", "arm", "--ops", "lots"},
            {"fuzz", "--engine", "x86", "--ops", "1e40"},
            {"fuzz"}}) {
            Result r = run(args);
            assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("jvisor: "), r.err());
            assertEquals("", r.out());
        }
    }
}
