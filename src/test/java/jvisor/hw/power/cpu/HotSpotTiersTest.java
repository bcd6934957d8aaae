package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quick regions compiled at tier 1 at once where the JVM takes the request: with the launcher's
 * options, a new region's code is C1's without profiling when it is installed; in a JVM without
 * them (this one), nothing is asked and regions take HotSpot's usual tiers.
 */
class HotSpotTiersTest {
    private static final long C = TestMachine.CODE;

    @Test
    void withoutTheLaunchersOptionsNothingIsAsked() throws Exception {
        assertFalse(HotSpotTiers.available());
        Method m = HotSpotTiersTest.class.getDeclaredMethod("withoutTheLaunchersOptionsNothingIsAsked");
        assertFalse(HotSpotTiers.compile(m, HotSpotTiers.SIMPLE));
        assertEquals(-1, HotSpotTiers.tier(m));
    }

    @Test
    void withTheLaunchersOptionsANewRegionIsInstalledCompiledAtTierOne(@TempDir Path boot) throws Exception {
        // The launcher's options for the interface, as its script gives them, with the declaring
        // class alone on the boot class path (as target/hotspot-whitebox.jar holds it).
        String script = Files.readString(Path.of("jvisor"));
        Matcher statement = Pattern.compile("\\[ -f \"\\$whitebox\" ] && jvm\\+=\\(([^)]*)\\)").matcher(script);
        assertTrue(statement.find(), "the launcher passes the WhiteBox options");
        Path declaration = Path.of("target/classes/jdk/test/whitebox/WhiteBox.class");
        Files.createDirectories(boot.resolve("jdk/test/whitebox"));
        Files.copy(declaration, boot.resolve("jdk/test/whitebox/WhiteBox.class"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : statement.group(1).trim().split("\\s+")) {
            command.add(option.replace("\"$whitebox\"", boot.toString()));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        // stdout is the guest's console: HotSpot's notes about the natives not declared stay off it.
        assertEquals("available true, region installed, tier 1", out.strip(), err);
    }

    /** Runs a loop until its quick region is installed and prints what HotSpot made of it. */
    static final class Probe {
        public static void main(String[] args) throws Exception {
            TestMachine t = new TestMachine();
            t.cache.setBackgroundTranslation(true);
            t.core.setJit(true);
            t.core.tiering().setThreshold(2);
            t.code(C, 0x38630001, 0x4200fffc);
            t.core.setPc(C);
            t.core.setCtr(Long.MAX_VALUE);
            DecodePage page = t.decodedPage(C);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while ((page.regions == null || page.regions[0] == null) && System.nanoTime() < deadline) {
                t.core.run(1000);
                Thread.sleep(1);
            }
            CompiledRegion region = page.regions == null ? null : page.regions[0];
            String tier = region == null ? "none"
                    : String.valueOf(HotSpotTiers.tier(region.runMethod()));
            System.out.println("available " + HotSpotTiers.available() + ", region "
                    + (region == null ? "missing" : "installed") + ", tier " + tier);
            t.cache.close();
        }
    }
}
