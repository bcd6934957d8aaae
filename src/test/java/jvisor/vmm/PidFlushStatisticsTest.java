package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The radix guest remaps one page four times, each time writing its PTE and flushing all of its
 * PID (tlbie RIC=2, then RIC=0, as Linux does): the new mapping shows every time (the guest checks
 * it, and DifferentialGuestTest its output against QEMU's), and {@code --stats} shows that those
 * eight flushes kept the translations whose table entries were not written.
 */
class PidFlushStatisticsTest {
    @Test
    void flushesOfAWholePidKeepWhatWasNotWritten() throws Exception {
        String[] run = StatisticsReport.run("radix", 1);
        String report = run[0], console = run[1];
        assertTrue(console.contains("remap after PID flushes: 0x11111111") && !console.contains("FAIL"), console);
        Matcher m = Pattern.compile("flushes of a whole PID +(\\d+) kept the translations whose table entries were not written, "
                + "(\\d+) dropped all \\((\\d+) table pages watched\\)").matcher(report);
        assertTrue(m.find(), report);
        assertTrue(Long.parseLong(m.group(1)) >= 8, report);
        assertTrue(Long.parseLong(m.group(3)) >= 4, "a root, two directories and a PTE page at least: " + report);
    }
}
