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
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
        // HotSpot reports an entry it cannot take (a method pattern with a '*' inside the name, say)
        // and goes on without it: the file is taken, only that entry silently does nothing.
        assertFalse(out.toLowerCase(Locale.ROOT).contains("error"), out);
        String printed = out.substring(added.end());
        Matcher entry = Pattern.compile("\"([+-][\\w/.*]+)\"").matcher(Files.readString(FILE));
        int entries = 0;
        while (entry.find()) {
            entries++;
            assertTrue(printed.contains(entry.group(1)), entry.group(1) + " is not among the directives HotSpot took: " + printed);
        }
        assertTrue(entries > 0, "the file has inline entries");
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
        // A method name may be a pattern (get*): at least one method must match it. The names of
        // the match lists count too (any of jvisor's packages): one renamed since would silently
        // fall back to HotSpot's usual tiers.
        Matcher m = Pattern.compile("\"[+-]?(jvisor(?:/\\w+)+|java/lang)/(\\w+)\\.([\\w*]+)\"").matcher(text);
        List<String> missing = new ArrayList<>();
        int names = 0;
        while (m.find()) {
            names++;
            Class<?> owner = Class.forName(m.group(1).replace('/', '.') + "." + m.group(2));
            String method = m.group(3), regex = method.replace("*", "\\w*");
            if (Arrays.stream(owner.getDeclaredMethods()).map(Method::getName).noneMatch(n -> n.matches(regex))) {
                missing.add(m.group(2) + "." + method);
            }
        }
        assertTrue(names > 0, "the file names the bodies it inlines");
        // Classes matched by name (the translator's, kept from C2) exist under that name.
        for (String name : classPatterns(text)) {
            if (!name.equals("Dispatch") && !name.startsWith("GuestRegion")) {
                assertFalse(sourcesStartingWith(name).isEmpty(), "no class of the package is named " + name + "*");
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

    /**
     * Every class that writes a region's bytecode runs on the translator thread, often enough for
     * C2 to compile it at great cost for little gain: the directive keeping the translator from C2
     * must match each, also one split off from another later.
     */
    @Test
    void everyPartOfTheTranslatorIsKeptFromC2() throws Exception {
        String text = Files.readString(FILE);
        int first = text.indexOf("match:"), exclude = text.indexOf("c2: { Exclude: true }");
        assertTrue(first >= 0 && exclude > first && text.indexOf("match:", first + 1) > exclude,
                "the first directive keeps its classes from C2");
        List<String> excluded = classPatterns(text.substring(first, exclude));
        // Bytecode writers that are not the translator: the dispatcher's generator runs once per
        // JVM; BodyCall and MemoryBarrier are instruction bodies the interpreter runs, whose part
        // that writes a call or a fence is a few lines.
        List<String> notTranslator = List.of("DispatchGenerator.java", "BodyCall.java", "MemoryBarrier.java");
        List<String> writers = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java")).sorted()::iterator) {
                if (Files.readString(f).contains("import java.lang.classfile.CodeBuilder;")
                        && !notTranslator.contains(f.getFileName().toString())) {
                    writers.add(f.getFileName().toString().replace(".java", ""));
                }
            }
        }
        assertTrue(writers.containsAll(List.of("RegionCompiler", "RegionEmitter")), "found the translator: " + writers);
        for (String writer : writers) {
            assertTrue(excluded.stream().anyMatch(writer::startsWith), writer + " is compiled by C2: " + excluded);
        }
    }

    private static final Path SOURCES = Path.of("src/main/java/jvisor/hw/power/cpu");

    /** The class-name prefixes of this package the text matches ({@code "jvisor/hw/power/cpu/Name*.*"}). */
    private static List<String> classPatterns(String text) {
        Matcher classes = Pattern.compile("\"jvisor/hw/power/cpu/(\\w+)\\*\\.\\*\"").matcher(text);
        List<String> names = new ArrayList<>();
        while (classes.find()) {
            names.add(classes.group(1));
        }
        return names;
    }

    private static List<String> sourcesStartingWith(String prefix) throws Exception {
        try (Stream<Path> files = Files.list(SOURCES)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(prefix) && n.endsWith(".java")).toList();
        }
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
