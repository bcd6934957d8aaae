package jvisor.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SimulateCommandTest {

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            assertEquals(0, Main.execute(args));
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }

    @Test
    void comparingTheEnginesShowsNestedPayingOnMissesAndShadowOnUpdates() {
        String out = run("simulate", "--arch", "all", "--workload", "fork-exit");
        Matcher m = Pattern.compile("table reads per TLB miss\\s+([0-9.]+)\\s+([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        double nested = Double.parseDouble(m.group(1)), shadow = Double.parseDouble(m.group(2));
        assertTrue(nested > 2 * shadow, "a 2-D walk reads more tables per miss than a shadow walk: " + out);
        Matcher u = Pattern.compile("exits per context switch\\s+0 .*\\s+1\\.000").matcher(out);
        assertTrue(u.find(), "shadow paging traps on every context switch, nested on none: " + out);
    }

    @Test
    void listNamesEveryScenarioAndEngine() {
        String out = run("simulate", "--list");
        for (String s : new String[]{"boot-linear-map", "large-array", "fork-exit", "device-mmio", "dirty-log", "kernel-map-change"}) {
            assertTrue(out.contains(s), s);
        }
        assertTrue(out.contains("arm, x86"));
    }

    @Test
    void unknownEnginesAndWorkloadsAreOneLineErrors() {
        assertEquals(2, Main.execute("simulate", "--arch", "mips", "--workload", "fork-exit"));
        assertEquals(2, Main.execute("simulate", "--arch", "arm", "--workload", "nope"));
        assertEquals(2, Main.execute("simulate", "--arch", "arm"));
    }
}
