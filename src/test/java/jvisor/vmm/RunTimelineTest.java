package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The run's timeline of {@code run --stats}: what each interval of the run ran, and how it is printed. */
class RunTimelineTest {
    private static final long MS = 1_000_000;

    private static String printed(RunTimeline t) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        t.print(new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachRowIsWhatItsIntervalRanAndTheLastEndsWithTheRun() {
        RunTimeline t = new RunTimeline(1000 * MS, RunTimeline.MAX_ROWS);
        t.begin(new RunTimeline.Sample(0, 0, 0, 0, 0));
        assertEquals(1000 * MS, t.untilNextSample(0));
        assertEquals(300 * MS, t.untilNextSample(2700 * MS));
        assertTrue(!t.due(999 * MS) && t.due(1003 * MS));
        t.add(new RunTimeline.Sample(1003 * MS, 20_000_000, 15_000_000, 5_000_000, 30));
        assertTrue(!t.due(1900 * MS) && t.due(2001 * MS));
        t.add(new RunTimeline.Sample(2001 * MS, 120_000_000, 110_000_000, 85_000_000, 70));
        t.add(new RunTimeline.Sample(2001 * MS, 1, 1, 1, 1)); // not after the last: not a sample
        t.add(new RunTimeline.Sample(2500 * MS, 121_500_000, 111_500_000, 86_500_000, 71));
        String text = printed(t);
        assertTrue(text.contains("the run by 1 s"), text);
        // The share translated code ran, then the share of whole regions (C2's tier) in it.
        assertTrue(text.matches("(?s).*0-1 s +20\\.0 M +75\\.0% +25\\.0% +30\\n.*"), text);
        assertTrue(text.matches("(?s).*1-2 s +100\\.0 M +95\\.0% +80\\.0% +40\\n.*"), text);
        // Under ten million, three decimals.
        assertTrue(text.matches("(?s).*2-2\\.5 s +1\\.500 M +100\\.0% +100\\.0% +1\\n.*"), text);
        assertEquals(4, text.lines().count(), text);
    }

    @Test
    void theHostsProcessorsAreWhatEachIntervalUsedPerSecond() {
        RunTimeline t = new RunTimeline(1000 * MS, RunTimeline.MAX_ROWS);
        t.begin(new RunTimeline.Sample(0, 0, 0, 0, 0, 0, 100 * MS, 50 * MS));
        // First second: the vCPU ran 600 ms, the process 1.5 s, compiles were under way 900 ms.
        t.add(new RunTimeline.Sample(1000 * MS, 20_000_000, 15_000_000, 5_000_000, 30, 600 * MS, 1600 * MS, 950 * MS));
        // Then half a second: the vCPU ran all of it, the process 0.6 s, nothing was compiled.
        t.add(new RunTimeline.Sample(1500 * MS, 30_000_000, 25_000_000, 15_000_000, 31, 1100 * MS, 2200 * MS, 950 * MS));
        String text = printed(t);
        assertTrue(text.contains("regions made  host CPUs: vCPUs  process  compiling"), text);
        assertTrue(text.matches("(?s).*0-1 s +20\\.0 M +75\\.0% +25\\.0% +30 +0\\.60 +1\\.50 +0\\.90\\n.*"), text);
        assertTrue(text.matches("(?s).*1-1\\.5 s +10\\.0 M +100\\.0% +100\\.0% +1 +1\\.00 +1\\.20 +0\\.00\\n.*"), text);
        // One sample without them (a JVM that does not tell): no such columns at all.
        t.add(new RunTimeline.Sample(2500 * MS, 40_000_000, 35_000_000, 25_000_000, 32));
        assertTrue(!printed(t).contains("host CPUs"), printed(t));
    }

    @Test
    void theShareNativeBlocksRanHasItsColumnWhereEverySampleKnowsIt() {
        RunTimeline t = new RunTimeline(1000 * MS, RunTimeline.MAX_ROWS);
        t.begin(new RunTimeline.Sample(0, 0, 0, 0, 0, -1, -1, -1, 0));
        // First second: 20 M instructions, 4 M of them in blocks; then 30 M more, 24 M in blocks.
        t.add(new RunTimeline.Sample(1000 * MS, 20_000_000, 15_000_000, 5_000_000, 30, -1, -1, -1, 4_000_000));
        t.add(new RunTimeline.Sample(2000 * MS, 50_000_000, 20_000_000, 10_000_000, 31, -1, -1, -1, 28_000_000));
        String text = printed(t);
        assertTrue(text.contains("instructions  translated  whole  blocks  regions made"), text);
        assertTrue(text.matches("(?s).*0-1 s +20\\.0 M +75\\.0% +25\\.0% +20\\.0% +30\\n.*"), text);
        assertTrue(text.matches("(?s).*1-2 s +30\\.0 M +16\\.7% +16\\.7% +80\\.0% +1\\n.*"), text);
        // A sample that does not know it (a core without the tier's counts): no such column.
        t.add(new RunTimeline.Sample(2500 * MS, 60_000_000, 25_000_000, 15_000_000, 32));
        assertTrue(!printed(t).contains("blocks"), printed(t));
    }

    /**
     * What a timeline of 45 intervals prints, each running 10 M instructions, half of them
     * translated (half of those in whole regions), and making a region.
     */
    private static String fortyFiveSteadyIntervals(long interval, int maxRows) {
        RunTimeline t = new RunTimeline(interval, maxRows);
        t.begin(new RunTimeline.Sample(0, 0, 0, 0, 0));
        for (int s = 1; s <= 45; s++) t.add(new RunTimeline.Sample(s * interval, s * 10_000_000L, s * 5_000_000L, s * 2_500_000L, s));
        return printed(t);
    }

    @Test
    void aLongRunJoinsIntervalsIntoAtMostTwentyRows() {
        String text = fortyFiveSteadyIntervals(1000 * MS, RunTimeline.MAX_ROWS);
        assertTrue(text.contains("the run by 3 s"), text);
        assertTrue(text.matches("(?s).*\\n +0-3 s +30\\.0 M +50\\.0% +25\\.0% +3\\n.*"), text);
        assertTrue(text.matches("(?s).*\\n +42-45 s +30\\.0 M +50\\.0% +25\\.0% +3\\n$"), text);
        assertEquals(1 + 15, text.lines().count(), text);
    }

    @Test
    void aTimelineWithoutARowLimitPrintsEveryInterval() {
        String text = fortyFiveSteadyIntervals(10 * MS, Integer.MAX_VALUE);
        assertTrue(text.startsWith("  the run by 0.01 s "), text);
        assertTrue(text.matches("(?s).*\\n +0\\.44-0\\.45 s +10\\.0 M +50\\.0% +25\\.0% +1\\n$"), text);
        assertEquals(1 + 45, text.lines().count(), text);
    }

    @Test
    void aRunWithinOneIntervalPrintsNoRows() {
        RunTimeline t = new RunTimeline(1000 * MS, RunTimeline.MAX_ROWS);
        t.begin(new RunTimeline.Sample(0, 0, 0, 0, 0));
        t.add(new RunTimeline.Sample(400 * MS, 1000, 0, 0, 0));
        assertEquals("", printed(t));
    }

    @Test
    void aMachinesSamplesAddUpToItsRunAndArePrintedWithItsStatistics() throws Exception {
        byte[] demo;
        try (InputStream in = RunTimelineTest.class.getResourceAsStream("/jvisor/vmm/demo-hello-le.elf")) {
            demo = in.readAllBytes();
        }
        // The intervals are a tenth of the time the demo took the run before: a run of a few
        // milliseconds still spans several. The watching thread may not get a processor within
        // so short a run on a busy host: then the demo runs again, at most five times.
        long interval = Math.max(1, demoRun(demo, 0).wallNanos() / 10);
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        PseriesMachine machine;
        List<RunTimeline.Sample> samples;
        long sampled;
        int runs = 0;
        do {
            sampled = interval;
            machine = demoRun(demo, sampled);
            try {
                report.reset();
                machine.printStatistics(new PrintStream(report, true, StandardCharsets.UTF_8));
                samples = machine.timelineSamples();
            } finally {
                machine.destroy();
            }
            interval = Math.max(1, machine.wallNanos() / 10);
        } while (samples.size() < 3 && ++runs < 5);
        String text = report.toString(StandardCharsets.UTF_8);
        // The first sample is the start, the last the end: all the machine ran.
        assertEquals(new RunTimeline.Sample(0, 0, 0, 0, 0, -1, -1, -1, 0), samples.getFirst().guest());
        RunTimeline.Sample last = samples.getLast();
        assertEquals(machine.instructions(), last.instructions());
        assertEquals(machine.wallNanos(), last.nanos());
        assertTrue(samples.size() >= 3, "a run lasts more than two intervals of a tenth of its time: " + samples);
        for (int i = 1; i < samples.size(); i++) {
            RunTimeline.Sample a = samples.get(i - 1), b = samples.get(i);
            assertTrue(b.nanos() > a.nanos() && b.instructions() >= a.instructions() && b.translated() >= a.translated()
                    && b.regions() >= a.regions() && b.translated() <= b.instructions()
                    && b.whole() >= 0 && b.whole() <= b.translated(), samples.toString());
            // Native blocks' instructions only grow, apart from the translated ones.
            assertTrue(b.blocks() >= a.blocks() && b.blocks() + b.translated() <= b.instructions(), samples.toString());
            // The host's processor time only grows, the vCPU threads' part of the process's.
            assertTrue(b.vcpuCpu() >= a.vcpuCpu() && b.processCpu() >= a.processCpu() && b.compiling() >= a.compiling()
                    && a.vcpuCpu() >= 0 && b.vcpuCpu() <= b.processCpu(), samples.toString());
            if (i < samples.size() - 1) {
                // Taken as an interval ended: at most one in each (a busy host may delay the watch past one).
                assertTrue(b.nanos() / sampled > a.nanos() / sampled, "one sample an interval at most: " + samples);
            }
        }
        // Printed with the statistics, one row an interval, instructions in millions.
        Matcher rows = Pattern.compile("\\n +[0-9.]+-[0-9.]+ s +([0-9.]+) M ").matcher(text);
        int n = 0;
        double sum = 0;
        while (rows.find()) {
            n++;
            sum += Double.parseDouble(rows.group(1));
        }
        assertEquals(samples.size() - 1, n, "asked for an interval, every one is a row: " + text);
        // The vCPU ran the demo: its thread's time is part of the run's, and the header names the columns.
        assertTrue(last.vcpuCpu() > 0 && last.vcpuCpu() <= last.processCpu(), last.toString());
        assertTrue(text.contains("host CPUs: vCPUs  process  compiling"), text);
        assertEquals(last.instructions() / 1e6, sum, 0.05 * n + 1e-9, text);
    }

    @Test
    void aMachineNotAskedForTheHostsTimeTakesNone() throws Exception {
        // run --stats asks for it; other runs do without the JVM's management interfaces at start-up.
        byte[] demo;
        try (InputStream in = RunTimelineTest.class.getResourceAsStream("/jvisor/vmm/demo-hello-le.elf")) {
            demo = in.readAllBytes();
        }
        List<RunTimeline.Sample> samples = demoRun(demo, 0).timelineSamples();
        assertTrue(samples.size() >= 2 && samples.getLast().instructions() > 0, samples.toString());
        for (RunTimeline.Sample s : samples) {
            assertTrue(s.vcpuCpu() < 0 && s.processCpu() < 0 && s.compiling() < 0, samples.toString());
        }
    }

    /**
     * A machine that ran the demo guest to its end, its timeline sampled every {@code interval}
     * nanoseconds with the host's processor time (0: the default, without it); destroyed already
     * unless it was sampled.
     */
    private static PseriesMachine demoRun(byte[] demo, long interval) throws Exception {
        PseriesMachine machine = new PseriesMachine(MachineConfig.validated(128L << 20, 1, null, null, ""),
                new ByteArrayOutputStream(), new ByteArrayInputStream(new byte[0]), System.err);
        try {
            if (interval > 0) {
                machine.measureHostCpu();
                machine.sampleTimelineEvery(interval);
            }
            machine.load("demo guest", demo);
            assertEquals(0, machine.run(60_000));
        } finally {
            if (interval == 0) {
                machine.destroy();
            }
        }
        return machine;
    }
}
