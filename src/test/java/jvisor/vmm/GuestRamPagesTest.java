package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Guest RAM is backed by 2 MiB host pages, so the hypervisor maps the guest's faults 2 MiB at a
 * time (the partition-scoped large-page path), as KVM does for RAM backed by huge pages.
 */
class GuestRamPagesTest {
    @Test
    void theGuestsRamFaultsAreMappedTwoMegabytesAtATime() throws Exception {
        String text = StatisticsReport.of("hello", 1);
        Matcher m = Pattern.compile("mapped 4K / 2M / 1G +(\\d+) / (\\d+) / (\\d+)").matcher(text);
        assertTrue(m.find(), text);
        long small = Long.parseLong(m.group(1)), large = Long.parseLong(m.group(2));
        assertTrue(large >= 1, "the guest touched its RAM: " + text);
        assertEquals(0, small, "no fault of RAM backed by 2 MiB pages maps 4 KiB: " + text);
    }
}
