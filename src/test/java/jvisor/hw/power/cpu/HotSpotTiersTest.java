package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quick regions compiled at tier 1 at once where the JVM takes the request: with the launcher's
 * options, a new region's code is C1's without profiling when it is installed; in a JVM without
 * them (this one), nothing is asked and regions take HotSpot's usual tiers. And a whole region
 * whose compiled code HotSpot threw out is asked for again within a few entries. The launcher's
 * compiler directives are checked here too where they decide what C2 does.
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
        assertEquals("available true, region installed, tier 1", underLauncherOptions(boot, Probe.class));
    }

    @Test
    void aWholeRegionWhoseCompiledCodeWasThrownOutIsCompiledAgainAtOnce(@TempDir Path boot) throws Exception {
        // HotSpot's own policy takes some 200 calls of a method it runs interpreted before it asks
        // for C1's code; the dispatcher looks every 16 entries and asks then.
        // Here HotSpot's thresholds are raised as a full compile queue raises them in a cold boot
        // (there the region ran interpreted for 50-100 ms): only the dispatcher's request compiles it.
        String out = underLauncherOptions(boot, ThrownOutProbe.class, "-XX:Tier3InvocationThreshold=1000000",
                "-XX:Tier3MinInvocationThreshold=1000000", "-XX:Tier3CompileThreshold=1000000",
                "-XX:Tier3BackEdgeThreshold=100000000", "-XX:Tier0InvokeNotifyFreqLog=20", "-XX:Tier0BackedgeNotifyFreqLog=20");
        Matcher m = Pattern.compile("thrown out, compiled again after (\\d+) entries").matcher(out);
        assertTrue(m.matches(), out);
        assertTrue(Integer.parseInt(m.group(1)) <= 2 * Tiering.LOOK_EVERY, out);
    }

    @Test
    void c2InlinesTheCompareOfARecordFormInAWholeRegion(@TempDir Path boot) throws Exception {
        // The launcher's compiler directives force it: left to its heuristics, C2 sometimes kept
        // the compare inside withCr0 as a call in the loop (see compiler-directives.json).
        String out = underLauncherOptions(boot, RecordFormProbe.class, "-XX:CompilerDirectivesFile=src/main/hotspot/compiler-directives.json",
                "-XX:+DisplayVMOutput", "-XX:CompileCommand=quiet", "-XX:CompileCommand=PrintInlining,jvisor/hw/power/cpu/GuestRegion*.run");
        assertTrue(out.contains("whole region in C2's code"), out);
        List<String> compares = out.lines().filter(l -> l.contains("ConditionRegister::compareSigned")).toList();
        assertFalse(compares.isEmpty(), out);
        assertTrue(compares.stream().anyMatch(l -> l.contains("force inline")), String.join("\n", compares));
        assertTrue(compares.stream().noneMatch(l -> l.contains("failed to inline")), String.join("\n", compares));
    }

    @Test
    void c2LeavesTheJdksMethodTypeFactoryToC1(@TempDir Path boot) throws Exception {
        // The ahead-of-time cache's profiles had C2 compile it for 0.2-0.3 s at the start of every
        // boot (see compiler-directives.json). Asked for C2's code of it outright: without the
        // directives C2 compiles it, with them it never does.
        // (On a loaded host C2 may take a while: the run that expects its code waits up to a minute.)
        assertEquals("makeImpl at tier 4", underLauncherOptions(boot, MethodTypeProbe.class, "-Dprobe.seconds=60"));
        assertTrue(underLauncherOptions(boot, MethodTypeProbe.class,
                "-XX:CompilerDirectivesFile=src/main/hotspot/compiler-directives.json").startsWith("makeImpl not at tier 4"));
    }

    /**
     * Runs {@code probe}'s main in a JVM with the launcher's options for the interface, as its
     * script gives them, with the declaring class alone on the boot class path (as
     * target/hotspot-whitebox.jar holds it), and {@code moreOptions}; returns what it printed.
     */
    private static String underLauncherOptions(Path boot, Class<?> probe, String... moreOptions) throws Exception {
        String script = Files.readString(Path.of("jvisor"));
        Matcher statement = Pattern.compile("\\[ -f \"\\$whitebox\" ] && jvm\\+=\\(([^)]*)\\)").matcher(script);
        assertTrue(statement.find(), "the launcher passes the WhiteBox options");
        Path declaration = Path.of("target/classes/jdk/test/whitebox/WhiteBox.class");
        Files.createDirectories(boot.resolve("jdk/test/whitebox"));
        Files.copy(declaration, boot.resolve("jdk/test/whitebox/WhiteBox.class"), StandardCopyOption.REPLACE_EXISTING);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : statement.group(1).trim().split("\\s+")) {
            command.add(option.replace("\"$whitebox\"", boot.toString()));
        }
        command.addAll(List.of(moreOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), probe.getName()));
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        // stdout is the guest's console: HotSpot's notes about the natives not declared stay off it.
        return out.strip();
    }

    /** Runs a loop until its quick region is installed and prints what HotSpot made of it. */
    static final class Probe {
        public static void main(String[] args) throws Exception {
            TestMachine t = TestMachine.translatedInTheBackground();
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

    /**
     * Asks for C2's code of MethodType's factory, waits for it up to {@code -Dprobe.seconds} (5 by
     * default), and prints the tier it has.
     */
    static final class MethodTypeProbe {
        public static void main(String[] args) throws Exception {
            Method makeImpl = Arrays.stream(MethodType.class.getDeclaredMethods())
                    .filter(m -> m.getName().equals("makeImpl")).findFirst().orElseThrow();
            long deadline = System.nanoTime() + Long.getLong("probe.seconds", 5) * 1_000_000_000L;
            for (int tries = 0; HotSpotTiers.tier(makeImpl) != HotSpotTiers.OPTIMIZED && System.nanoTime() < deadline; tries++) {
                if (tries % 10 == 0) {
                    // Queued once at a time: asked again in case a request was made while one was queued.
                    HotSpotTiers.compile(makeImpl, HotSpotTiers.OPTIMIZED);
                }
                Thread.sleep(50);
            }
            int tier = HotSpotTiers.tier(makeImpl);
            System.out.println(tier == HotSpotTiers.OPTIMIZED ? "makeImpl at tier 4" : "makeImpl not at tier 4 (" + tier + ")");
        }
    }

    /** Runs a loop of a record form (andi.) until its whole region is in C2's code. */
    static final class RecordFormProbe {
        public static void main(String[] args) throws Exception {
            TestMachine t = TestMachine.translatedInTheBackground();
            t.core.tiering().setUpgradeThreshold(10_000);
            // loop: addi r3,r3,1; andi. r4,r3,16; bdnz loop
            t.code(C, 0x38630001, 0x70640010, 0x4200fff8);
            t.core.setPc(C);
            t.core.setCtr(Long.MAX_VALUE);
            DecodePage page = t.decodedPage(C);
            long deadline = System.nanoTime() + 60_000_000_000L;
            CompiledRegion region = null;
            while (System.nanoTime() < deadline && (region == null || region.quick)) {
                t.core.run(1000);
                region = page.regions == null ? null : page.regions[0];
                Thread.sleep(1);
            }
            for (int i = 0; i < 100 && region != null; i++) {
                t.core.setPc(C);
                t.core.run(1000);
            }
            for (int waited = 0; region != null && !region.quick && HotSpotTiers.tier(region.runMethod()) != HotSpotTiers.OPTIMIZED
                    && System.nanoTime() < deadline; waited++) {
                if (waited % 50 == 0) {
                    HotSpotTiers.compile(region.runMethod(), HotSpotTiers.OPTIMIZED);
                }
                t.core.setPc(C);
                t.core.run(1000);
                Thread.sleep(1);
            }
            System.out.println(region != null && !region.quick && HotSpotTiers.tier(region.runMethod()) == HotSpotTiers.OPTIMIZED
                    ? "whole region in C2's code" : "no whole region in C2's code");
            t.cache.close();
        }
    }

    /**
     * Runs a loop until its whole region runs in C2's code, then takes a branch of it the profile
     * never saw, which throws that code out, and counts the region's entries until it runs
     * compiled code again.
     */
    static final class ThrownOutProbe {
        public static void main(String[] args) throws Exception {
            TestMachine t = TestMachine.translatedInTheBackground();
            t.core.tiering().setUpgradeThreshold(10_000);
            // loop: addi r3,r3,1; cmpd r3,r5; beq rare; bdnz loop; b loop;
            // rare: addi r4,r4,1; b loop
            t.code(C, 0x38630001, 0x7c232800, 0x4182000c, 0x4200fff4, 0x4bfffff0, 0x38840001, 0x4bffffe8);
            t.core.setGpr(5, -1);
            t.core.setPc(C);
            t.core.setCtr(Long.MAX_VALUE);
            DecodePage page = t.decodedPage(C);
            long deadline = System.nanoTime() + 60_000_000_000L;
            CompiledRegion region = null;
            while (System.nanoTime() < deadline) {
                t.core.run(1000);
                region = page.regions == null ? null : page.regions[0];
                if (region != null && !region.quick) {
                    break;
                }
                Thread.sleep(1);
            }
            if (region == null || region.quick) {
                System.out.println("no whole region");
                return;
            }
            // C2's code from the profile of its runs so far, in which beq was never taken.
            for (int i = 0; i < 100; i++) {
                t.core.setPc(C);
                t.core.run(1000);
            }
            // Asked again while it is not there: a request made while the dispatcher's own request
            // for C1's code is still queued is dropped (HotSpot queues a method once), and a
            // loaded host can keep that one queued for a while.
            for (int waited = 0; HotSpotTiers.tier(region.runMethod()) != HotSpotTiers.OPTIMIZED
                    && System.nanoTime() < deadline; waited++) {
                if (waited % 50 == 0) {
                    HotSpotTiers.compile(region.runMethod(), HotSpotTiers.OPTIMIZED);
                }
                Thread.sleep(1);
            }
            if (HotSpotTiers.tier(region.runMethod()) != HotSpotTiers.OPTIMIZED) {
                System.out.println("no whole region in C2's code (tier " + HotSpotTiers.tier(region.runMethod()) + ")");
                return;
            }
            for (int i = 0; i < 2 * Tiering.LOOK_EVERY; i++) {
                t.core.setPc(C);
                t.core.run(1000); // the dispatcher sees it compiled
            }
            t.core.setGpr(5, t.core.gpr(3) + 20); // beq taken 20 instructions on
            t.core.setPc(C);
            t.core.run(100);
            if (HotSpotTiers.tier(region.runMethod()) != 0) {
                System.out.println("the compiled code was not thrown out (tier " + HotSpotTiers.tier(region.runMethod()) + ")");
                return;
            }
            int entries = 0;
            while (HotSpotTiers.tier(region.runMethod()) == 0 && entries < 1000 && System.nanoTime() < deadline) {
                // Entered at its start each time (a run that stops mid-loop goes on in the quick
                // region left at the slots the whole region is not entered at).
                t.core.setPc(C);
                t.core.run(100);
                entries++;
                Thread.sleep(1);
            }
            System.out.println("thrown out, compiled again after " + entries + " entries");
            t.cache.close();
        }
    }
}
