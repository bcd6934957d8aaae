package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The HotSpot compiler directives the launcher passes: a file the JVM refuses stops every
 * {@code ./jvisor} command before it starts, and a directive naming a method that was since
 * renamed silently does nothing. Both are caught here.
 */
class CompilerDirectivesTest {
    private static final Path FILE = Path.of("src/main/hotspot/compiler-directives.json");

    @Test
    void theJvmAcceptsTheFile() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-XX:+UnlockDiagnosticVMOptions",
                "-XX:CompilerDirectivesFile=" + FILE.toAbsolutePath(), "-XX:+CompilerDirectivesPrint", "-version")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Matcher added = Pattern.compile("(\\d+) compiler directives added").matcher(out);
        assertTrue(added.find(), out);
        assertEquals(count("match:"), Integer.parseInt(added.group(1)), "every directive of the file taken: " + out);
    }

    @Test
    void theLauncherKeepsTheJvmsAnnouncementOffTheGuestsConsole() throws Exception {
        // The launcher's options for the directives, as its script gives them.
        String script = Files.readString(Path.of("jvisor"));
        Matcher statement = Pattern.compile("\\[ -f \"\\$directives\" ] && jvm\\+=\\(([^)]*)\\)").matcher(script);
        assertTrue(statement.find(), "the launcher passes the directives");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : statement.group(1).trim().split("\\s+")) {
            command.add(option.replace("\"$directives\"", FILE.toAbsolutePath().toString()));
        }
        command.add("-version");
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        // stdout is the guest's console: java -version writes to stderr, so nothing may be here.
        assertEquals("", out, "the JVM wrote on stdout with " + command);
        assertFalse(err.contains("directives added"), err);
    }

    @Test
    void everyMethodItInlinesExistsAndTheClassesItMatchesAreTheGeneratedOnes() throws Exception {
        String text = Files.readString(FILE);
        Matcher m = Pattern.compile("\"[+-]?jvisor/hw/power/cpu/(\\w+)\\.(\\w+)\"").matcher(text);
        List<String> missing = new ArrayList<>();
        int names = 0;
        while (m.find()) {
            names++;
            Class<?> owner = Class.forName("jvisor.hw.power.cpu." + m.group(1));
            String method = m.group(2);
            if (Arrays.stream(owner.getDeclaredMethods()).map(Method::getName).noneMatch(method::equals)) {
                missing.add(m.group(1) + "." + method);
            }
        }
        assertTrue(names > 0, "the file names the bodies it inlines");
        // Classes matched by name (the translator's, kept from C2) exist under that name.
        Matcher classes = Pattern.compile("\"jvisor/hw/power/cpu/(\\w+)\\*\\.\\*\"").matcher(text);
        while (classes.find()) {
            String name = classes.group(1);
            if (!name.equals("Dispatch") && !name.startsWith("GuestRegion")) {
                Class.forName("jvisor.hw.power.cpu." + name);
            }
        }
        assertTrue(missing.isEmpty(), "renamed or gone: " + missing);
        assertTrue(text.contains("\"jvisor/hw/power/cpu/Dispatch*.*\""), "the dispatcher directive");
        assertTrue(text.contains("\"jvisor/hw/power/cpu/GuestRegionQuick*.*\""), "the quick regions' directive");
        assertEquals("Ljvisor/hw/power/cpu/GuestRegionQuick;", RegionCompiler.GENERATED_QUICK.descriptorString());
        assertFalse(RegionCompiler.GENERATED.descriptorString().startsWith("Ljvisor/hw/power/cpu/GuestRegionQuick"),
                "the regions C2 may compile are not matched");
        Executor.Dispatcher dispatcher = DispatchGenerator.generate(InstructionTable.POWER9);
        assertTrue(dispatcher.getClass().getName().startsWith("jvisor.hw.power.cpu.Dispatch"), dispatcher.getClass().getName());
        assertFalse(dispatcher.getClass().getName().startsWith("jvisor.hw.power.cpu.DispatchGenerator"));
    }

    private static int count(String what) throws Exception {
        String text = Files.readString(FILE);
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
