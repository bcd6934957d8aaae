package jvisor.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command-line parser: each form of an option, each mistake as a one-line error naming the option. */
class CommandSpecTest {
    private static CommandSpec spec() {
        return new CommandSpec("try", "Tries things. More words follow here.")
                .option(new String[] {"-m", "--mem"}, "<mem>", "512M", "Memory.")
                .option(new String[] {"--count"}, "<n>", "3", "How many.")
                .option(new String[] {"--name"}, "<name>", null, "A name.")
                .required(new String[] {"--engine"}, "<engine>", "Which engine.")
                .flag(new String[] {"-s"}, "Short flag.")
                .flag(new String[] {"-S", "--slow"}, "Slow.")
                .operand("FILE", "A file.");
    }

    private static CommandSpec.Parsed parse(String... args) {
        return spec().parse(List.of(args));
    }

    private static String refused(String... args) {
        return assertThrows(UserError.class, () -> parse(args), String.join(" ", args)).getMessage();
    }

    @Test
    void everyFormOfAValueIsTheSame() {
        for (String[] args : new String[][] {
            {"--engine", "x", "--mem", "1G"}, {"--engine", "x", "--mem=1G"}, {"--engine=x", "-m", "1G"}}) {
            CommandSpec.Parsed p = parse(args);
            assertEquals("1G", p.string("--mem"), String.join(" ", args));
            assertEquals("x", p.string("--engine"));
        }
    }

    @Test
    void defaultsFlagsAndTheOperand() {
        CommandSpec.Parsed p = parse("--engine", "e", "-S", "kernel.elf");
        assertEquals("512M", p.string("--mem"));
        assertEquals(3, p.integer("--count"));
        assertNull(p.string("--name"));
        assertNull(p.path("--name"));
        assertTrue(p.flag("--slow"));
        assertFalse(p.flag("-s"));
        assertEquals(Path.of("kernel.elf"), p.operandPath("FILE"));
        assertNull(parse("--engine", "e").operandPath("FILE"));
        // After "--" an argument starting with a dash is the operand.
        assertEquals("-odd", parse("--engine", "e", "--", "-odd").operand());
    }

    @Test
    void aValueIsTheNextArgumentWhateverItLooksLike() {
        assertEquals(-1, parse("--engine", "e", "--count", "-1").integer("--count"));
        assertEquals("--slow", parse("--engine", "e", "--name", "--slow").string("--name"));
    }

    @Test
    void mistakesNameTheOption() {
        assertTrue(refused("--engine", "e", "--bogus").contains("'--bogus'"));
        assertTrue(refused("--engine", "e", "--count").contains("--count"));
        assertTrue(refused("--engine", "e", "--mem", "1G", "-m", "2G").contains("--mem"));
        assertTrue(refused("--engine", "e", "--slow=yes").contains("--slow"));
        assertTrue(refused("--mem", "1G").contains("--engine"));
        assertTrue(refused("--engine", "e", "a.elf", "b.elf").contains("'b.elf'"));
        for (String bad : new String[] {"x", "", "1.5", "99999999999"}) {
            String message = assertThrows(UserError.class, () -> parse("--engine", "e", "--count", bad).integer("--count")).getMessage();
            assertTrue(message.contains("--count") && message.contains("'" + bad + "'"), message);
        }
        assertThrows(UserError.class, () -> parse("--engine", "e", "--count", "99999999999999999999").longValue("--count"));
        assertThrows(UserError.class, () -> parse("--engine", "e", "--count", "half").decimal("--count"));
    }

    @Test
    void helpAndVersionNeedNoRequiredOption() {
        assertTrue(parse("--help").help());
        assertTrue(parse("-V").version());
    }

    @Test
    void theUsageListsEveryOptionWithinEightyColumns() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        spec().usage(new PrintStream(buf, true, StandardCharsets.UTF_8), "jvisor");
        String usage = buf.toString(StandardCharsets.UTF_8);
        assertTrue(usage.startsWith("Usage: jvisor try [OPTIONS] [FILE]\n"), usage);
        for (String name : new String[] {"-m, --mem=<mem>", "--count=<n>", "--engine=<engine>", "-s ", "-S, --slow", "-h, --help", "[FILE]"}) {
            assertTrue(usage.contains(name), name + " in\n" + usage);
        }
        assertTrue(usage.lines().allMatch(l -> l.length() <= 80), usage);
        assertEquals("Tries things.", spec().summary());
    }
}
