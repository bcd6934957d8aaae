package jvisor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's child processes: their console is passed on, a failure says what the child last
 * said, and the processor time counted is the child's own work, not its time asleep.
 */
class MeasuredProcessTest {
    private static MeasuredProcess.Finished sh(String script, ByteArrayOutputStream console) throws Exception {
        return MeasuredProcess.run(List.of("sh", "-c", script), Map.of(), null, console, 60);
    }

    @Test
    void aFailedChildReportsItsStatusAndTheEndOfItsStderr() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        MeasuredProcess.Finished f = sh("echo on the console; echo first >&2; echo kernel panic >&2; exit 3", console);
        assertEquals(3, f.exit());
        assertEquals("on the console\n", console.toString(StandardCharsets.UTF_8));
        assertEquals("first kernel panic", f.errorTail());
        assertEquals("exit 3; it said: first kernel panic", f.why());
    }

    @Test
    void aLongStderrKeepsOnlyItsLastLinesAndNeverStopsTheChild() throws Exception {
        // 200 KB of stderr: more than a pipe holds, so the child would block if nobody read it.
        MeasuredProcess.Finished f = sh("i=0; while [ $i -lt 4000 ]; do echo \"line $i of the log, padded out to fifty bytes.\" >&2; "
                + "i=$((i+1)); done; echo the end >&2; exit 1", new ByteArrayOutputStream());
        assertEquals(1, f.exit());
        assertTrue(f.errorTail().endsWith("line 3999 of the log, padded out to fifty bytes. the end"), f.errorTail());
        assertTrue(f.errorTail().length() <= 2000, "length " + f.errorTail().length());
    }

    @Test
    void aChildThatSaysNothingIsReportedByItsStatusAlone() throws Exception {
        MeasuredProcess.Finished f = sh("exit 2", new ByteArrayOutputStream());
        assertEquals("exit 2", f.why());
    }

    @Test
    void aBusyChildIsChargedItsProcessorTimeAndASleepingOneAlmostNone() throws Exception {
        // awk counting to ten million: some tenths of a second of one core, whatever the host.
        MeasuredProcess.Finished busy = sh("awk 'BEGIN { for (i = 0; i < 10000000; i++) s += i; print s }'", new ByteArrayOutputStream());
        assertEquals(0, busy.exit());
        assertTrue(busy.cpuSeconds() > 0.05, "busy child: " + busy.cpuSeconds() + " s of processor time");
        // One thread: no more processor time than wall time (plus a tick of rounding).
        assertTrue(busy.cpuSeconds() <= busy.seconds() + 0.02, busy.cpuSeconds() + " s in " + busy.seconds() + " s");
        MeasuredProcess.Finished asleep = sh("sleep 0.5", new ByteArrayOutputStream());
        assertTrue(asleep.seconds() >= 0.5, "slept " + asleep.seconds() + " s");
        assertTrue(asleep.cpuSeconds() >= 0 && asleep.cpuSeconds() < 0.1, "sleeping child: " + asleep.cpuSeconds() + " s");
    }

    @Test
    void aGrandchildsTimeCountsAsTheChildsOnceItWasWaitedFor() throws Exception {
        // QEMU runs under timeout, under run-qemu.sh: its time must reach the bench all the same.
        MeasuredProcess.Finished f = sh("sh -c \"awk 'BEGIN { for (i = 0; i < 10000000; i++) s += i }'\"", new ByteArrayOutputStream());
        assertTrue(f.cpuSeconds() > 0.05, "grandchild: " + f.cpuSeconds() + " s");
    }

    @Test
    void theBenchSaysWhichCacheItsJvmsStartFromAndWhatTrainedIt(@TempDir Path target) throws Exception {
        Path cache = target.resolve("jvisor.aot");
        assertEquals("no ahead-of-time cache", MeasuredProcess.aheadOfTimeCache(List.of("-Xss8m")));
        // The launcher's own cache: trained on the demo, with no note beside it.
        assertEquals("the ahead-of-time cache " + cache + ", trained on the demo guest (jvisor run)",
                MeasuredProcess.aheadOfTimeCache(List.of("-Xss8m", "-XX:AOTCache=" + cache)));
        // One made by ./jvisor train, which notes the run's command line; the last option given is the JVM's.
        Files.writeString(target.resolve("jvisor.aot.training"), "train --mem 1G vmlinux\n");
        assertEquals("the ahead-of-time cache " + cache + ", trained on jvisor train --mem 1G vmlinux",
                MeasuredProcess.aheadOfTimeCache(List.of("-XX:AOTCache=/elsewhere.aot", "-XX:AOTCache=" + cache)));
    }
}
