package jvisor.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a {@code jvisor} command line in this JVM and keeps what it printed. */
final class CliRun {
    private CliRun() {}

    /** Status, stdout and stderr of one command line. */
    record Result(int status, String out, String err) {}

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            // The guest's console reads System.in on a thread that outlives the run: given the test
            // JVM's own stdin (surefire's command channel) it would swallow surefire's messages.
            System.setIn(new ByteArrayInputStream(new byte[0]));
            int status = Main.execute(args);
            System.out.flush();
            System.err.flush();
            return new Result(status, out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.ISO_8859_1));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }

    /** A user error: status 2, one line on stderr starting "jvisor: ", no stack trace, nothing on stdout. */
    static Result assertUserError(String... args) {
        Result r = run(args);
        String cmd = String.join(" ", args);
        assertEquals(2, r.status(), cmd + ": exit status; stderr: " + r.err());
        assertEquals(1, r.err().lines().count(), cmd + ": exactly one line on stderr: " + r.err());
        assertTrue(r.err().startsWith("jvisor: "), cmd + ": " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("Error:") || r.err().contains("\tat "),
                cmd + ": " + r.err());
        assertEquals("", r.out(), cmd);
        return r;
    }

    /** As {@link #assertUserError}, and the line mentions {@code mention}. */
    static Result assertRefused(String mention, String... args) {
        Result r = assertUserError(args);
        assertTrue(r.err().contains(mention), String.join(" ", args) + ": the message should mention '" + mention + "': " + r.err());
        return r;
    }
}
