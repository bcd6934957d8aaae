package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jvisor.hw.power.cpu.NativeTier;
import org.junit.jupiter.api.Test;

/**
 * {@code jvisor run --stats}: the share of the instructions translated code ran, the regions made
 * and the entries to them, and both split between quick regions and their successors, on a
 * two-vCPU guest.
 */
class TranslationStatisticsTest {
    @Test
    void theReportGivesTheShareTranslatedCodeRanAndTheRegionsMade() throws Exception {
        String text = StatisticsReport.of("litmus", 2);
        Matcher m = Pattern.compile("translated code ran +([0-9.]+)% of them \\((\\d+) regions made, (\\d+) in use; (\\d+) decoded")
                .matcher(text);
        assertTrue(m.find(), text);
        double share = Double.parseDouble(m.group(1));
        long made = Long.parseLong(m.group(2)), inUse = Long.parseLong(m.group(3));
        // The guest's loops run millions of times past the translation threshold: some of it ran translated.
        assertTrue(share > 0 && share <= 100, text);
        assertTrue(made >= inUse && inUse >= 1, text);
        // Every entry ran at least one instruction; the guest's loops run many per entry.
        Matcher e = Pattern.compile("entries to translations +(\\d+) \\(([0-9.]+) instructions each\\)").matcher(text);
        assertTrue(e.find(), text);
        long entries = Long.parseLong(e.group(1));
        double each = Double.parseDouble(e.group(2));
        assertTrue(entries >= 1 && each >= 1, text);
        // The entries times their mean is what translated code ran (both printed rounded).
        Matcher i = Pattern.compile("guest instructions +(\\d+)").matcher(text);
        assertTrue(i.find(), text);
        long instructions = Long.parseLong(i.group(1));
        assertEquals(instructions * share / 100, entries * each, entries * 0.05 + instructions * 0.001 + 1, text);
        // The two tiers under it: their shares add up to the translated share, their entries to all entries.
        Matcher q = Pattern.compile("quick regions \\(C1\\) +([0-9.]+)% of the instructions, (\\d+) entries").matcher(text);
        Matcher w = Pattern.compile("whole regions \\(C2\\) +([0-9.]+)% of the instructions, (\\d+) entries").matcher(text);
        assertTrue(q.find() && w.find(), text);
        assertEquals(share, Double.parseDouble(q.group(1)) + Double.parseDouble(w.group(1)), 0.11, text);
        assertEquals(entries, Long.parseLong(q.group(2)) + Long.parseLong(w.group(2)), text);
        assertTrue(Long.parseLong(q.group(2)) >= 1, "hot code is first translated as a quick region: " + text);
    }

    /** The native tier is on by default where the host has it (x86-64 Linux, as CI's). */
    private static void assumeNativeTier() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        org.junit.jupiter.api.Assumptions.assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))
                && !"false".equals(System.getProperty("jvisor.native")), "no native tier on this host");
    }

    @Test
    void twoVcpusRunRightWhileTheCodeAreaTurnsUnderThem() throws Exception {
        assumeNativeTier();
        // Halves of a few blocks: the area turns again and again while both vCPUs run blocks, and
        // the litmus guest's locks and message passing still come out right. (That a turn waits
        // for the other vCPU to leave its slice is pinned down in NativeTierDifferentialTest: a
        // race with it here would need a block running at the very moment its half is written.)
        NativeTier.limitHalves(4 << 10);
        String[] run;
        try {
            run = StatisticsReport.run("litmus", 2);
        } finally {
            NativeTier.limitHalves(0);
        }
        String report = run[0], console = run[1];
        assertTrue(console.contains(" 0 failed") && !console.contains("FAIL"), console);
        Matcher turns = Pattern.compile("the code area turned (\\d+) times").matcher(report);
        assertTrue(turns.find() && Long.parseLong(turns.group(1)) >= 5, report);
    }

    @Test
    void theReportGivesTheNativeBlocksShare() throws Exception {
        assumeNativeTier();
        String text = StatisticsReport.of("calls", 1);
        Matcher n = Pattern.compile("native blocks +([0-9.]+)% of the instructions, (\\d+) entries \\(([0-9.]+) each\\)").matcher(text);
        Matcher t = Pattern.compile("translated code ran +([0-9.]+)% of them").matcher(text);
        Matcher b = Pattern.compile("native blocks written +(\\d+) \\((\\d+) KiB").matcher(text);
        assertTrue(n.find() && t.find() && b.find(), text);
        double nativeShare = Double.parseDouble(n.group(1)), translated = Double.parseDouble(t.group(1));
        // The calls guest's warm code runs in blocks before (and beside) its regions; together
        // with them never more than everything.
        assertTrue(nativeShare > 0 && Long.parseLong(n.group(2)) >= 1 && Double.parseDouble(n.group(3)) >= 1, text);
        assertTrue(nativeShare + translated <= 100.2, text);
        assertTrue(Long.parseLong(b.group(1)) >= 1, text);
    }
}
