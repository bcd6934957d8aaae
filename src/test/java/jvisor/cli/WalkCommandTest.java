package jvisor.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jvisor.hw.power.Mmu;
import org.junit.jupiter.api.Test;

/** The walk explainer reaches the textbook counts of a 2-D walk. */
class WalkCommandTest {

    private static String run(int guestShift, int hostShift) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int status = new WalkCommand().explain(new PrintStream(buf), 0x7fff12345678L, guestShift, hostShift, Mmu.LOAD);
        assertEquals(0, status, buf.toString());
        return buf.toString();
    }

    private static int number(String out, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "\\s+(\\d+)").matcher(out);
        assertTrue(m.find(), label + " missing in:\n" + out);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void fourLevelsOverFourLevelsWith4kPagesIsTheTextbook24PlusTableEntries() {
        String out = run(12, 12);
        // (4 guest levels + 1 data) walks of 4 partition levels, plus the 4 guest entries: 5*4 + 4 = 24.
        assertEquals(24, number(out, "table reads of the 2-D walk"));
        // PATE dwords 0 and 1, the PRTE, and the 4-level partition walk that finds the PRTE.
        assertEquals(2, number(out, "partition-table entry reads"));
        assertEquals(1, number(out, "process-table entry reads"));
        assertEquals(2 + 1 + 4 + 24, number(out, "references:"));
        assertTrue(out.contains("guest page 4K, partition-scoped page 4K"), out);
    }

    @Test
    void hugeHostPagesShortenEveryPartitionScopedWalk() {
        String out = run(12, 21);
        // Partition walks end at level 2: 5 walks of 3 reads + 4 guest entries.
        assertEquals(5 * 3 + 4, number(out, "table reads of the 2-D walk"));
        assertEquals(2 + 1 + 3 + 19, number(out, "references:"));
        assertTrue(out.contains("TLB entry page size 4K"), "the smaller of the two page sizes");
    }

    @Test
    void aGigabyteGuestPageShortensTheGuestWalk() {
        String out = run(30, 12);
        // Guest walk of 2 levels: (2 + 1) partition walks of 4 reads + 2 guest entries.
        assertEquals(3 * 4 + 2, number(out, "table reads of the 2-D walk"));
    }

    @Test
    void badOptionsAreOneLineErrors() {
        assertEquals(2, Main.execute("walk", "--guest-page", "3K"));
        assertEquals(2, Main.execute("walk", "--ea", "0xC000000000000000"));
        assertEquals(2, Main.execute("walk", "--access", "jump"));
    }
}
