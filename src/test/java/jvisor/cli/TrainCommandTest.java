package jvisor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code jvisor train} (the run the launcher records as the JVM's training): the demo guest runs
 * off the console, then the guest it is given runs on the console as {@code run} runs it, with
 * run's status.
 */
class TrainCommandTest {
    /** What the console (System.out) and stderr held, and the command's status. */
    private record Outcome(int status, String out, String err) {}

    private static Outcome call(TrainCommand train, String... args) throws Exception {
        return call(train, new ByteArrayOutputStream(), args);
    }

    /** As above, the console written to {@code out}. */
    private static Outcome call(TrainCommand train, ByteArrayOutputStream out, String... args) throws Exception {
        PrintStream oldOut = System.out, oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            System.setIn(new ByteArrayInputStream(new byte[0]));
            train.take(TrainCommand.spec().parse(List.of(args)));
            int status = train.call();
            return new Outcome(status, out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.ISO_8859_1));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }

    @Test
    void theDemoRunsOffTheConsoleAndTheGuestOnIt() throws Exception {
        CliRun.Result r = CliRun.run("train", "--mem", "96M");
        assertEquals(0, r.status(), r.err());
        // The workload here is the demo itself: its console once, the second run's nowhere.
        assertEquals(1, r.out().split("done: 8 passed, 0 failed", -1).length - 1, r.out());
        assertEquals("", r.err());
    }

    @Test
    void theDemoRunsBeforeTheRunAndTheStatusIsTheRuns() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<String> consoleWhenTheDemoRan = new ArrayList<>();
        Outcome o = call(new TrainCommand(() -> {
            consoleWhenTheDemoRan.add(console.toString(StandardCharsets.ISO_8859_1));
            return 0;
        }), console, "--mem", "96M", "--timeout", "30");
        assertEquals(0, o.status(), o.err());
        assertEquals(List.of(""), consoleWhenTheDemoRan, "the demo ran once, before the run wrote anything");
        assertTrue(o.out().contains("done: 8 passed, 0 failed"), o.out());
    }

    @Test
    void aRunTheGuestRefusesIsRefusedAsRunRefusesIt() throws Exception {
        List<String> ran = new ArrayList<>();
        TrainCommand train = new TrainCommand(() -> {
            ran.add("demo");
            return 0;
        });
        UserError e = assertThrows(UserError.class, () -> call(train, "/nonexistent/guest.elf"));
        assertTrue(e.getMessage().contains("/nonexistent/guest.elf"), e.getMessage());
        assertEquals(List.of("demo"), ran);
        CliRun.assertRefused("cpu count", "train", "--smp", "0");
    }

    @Test
    void aDemoThatFailsIsSaidOnStderrAndTheRunStillRuns() throws Exception {
        Outcome o = call(new TrainCommand(() -> 1), "--mem", "96M");
        assertEquals(0, o.status());
        assertTrue(o.out().contains("done: 8 passed, 0 failed"), o.out());
        assertEquals("jvisor: the demo guest's part of the training ended with status 1", o.err().strip());
    }

    @Test
    void theDemoOffTheConsolePrintsNothingAndPowersOff() throws Exception {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(out, true));
            status = RunCommand.demoOffConsole();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertEquals(0, status, "the demo powers off after its checks pass");
        assertEquals("", out.toString(StandardCharsets.ISO_8859_1));
    }
}
