package jvisor.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jvisor bench} works in a tree where nothing has been built yet, as in a fresh clone. */
class BenchCommandTest {

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /** The guests' sources as a clone has them: everything but build/. */
    private static void copySources(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path rel = from.relativize(p);
                if (rel.startsWith("build")) continue;
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(p)) Files.createDirectories(dest);
                else Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    @Test
    void benchBuildsWhatItNeedsInAnUnbuiltTree(@TempDir Path tmp) throws Exception {
        boolean tools = onPath("powerpc64le-linux-gnu-gcc") && onPath("qemu-system-ppc64") && onPath("make");
        if (!tools) {
            assertNull(System.getenv("JVISOR_REQUIRE_QEMU"), "JVISOR_REQUIRE_QEMU is set but the cross compiler or QEMU is missing");
            Assumptions.abort("cross compiler or qemu-system-ppc64 missing: run guests/install-deps.sh");
        }
        Path guests = tmp.resolve("guests");
        copySources(Path.of("guests"), guests);
        assertFalse(Files.exists(guests.resolve("build")));

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int status;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            status = Main.execute("bench", "--guests", "sieve,sieve-mmu", "--repeat", "2", "--sieve-n", "20000",
                    "--guests-dir", guests.toString());
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, out);
        for (String guest : new String[] {"sieve", "sieve-mmu"}) {
            String row = out.lines().filter(l -> l.startsWith(guest + " ")).findFirst().orElseThrow(() -> new AssertionError(out));
            String[] cells = row.trim().split("\\s+");
            // guest, QEMU s, jvisor s, MIPS, ratio, output, QEMU CPU, jvisor CPU
            assertEquals("same", cells[5], row);
            assertTrue(Double.parseDouble(cells[6]) > 0 && Double.parseDouble(cells[7]) > 0, "processor time of both: " + row);
        }
        // Two runs each: how far apart they were, per machine, never below 1.
        String spread = out.lines().filter(l -> l.startsWith("spread")).findFirst().orElseThrow(() -> new AssertionError(out));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(sieve|sieve-mmu) QEMU ([0-9.]+) jvisor ([0-9.]+)").matcher(spread);
        int rows = 0;
        while (m.find()) {
            rows++;
            assertTrue(Double.parseDouble(m.group(2)) >= 1 && Double.parseDouble(m.group(3)) >= 1, spread);
        }
        assertEquals(2, rows, spread);

        // --cold: jvisor in a JVM of its own per run, and both machines' peak resident memory.
        buf.reset();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            status = Main.execute("bench", "--guests", "sieve", "--repeat", "1", "--sieve-n", "20000", "--cold",
                    "--guests-dir", guests.toString());
        } finally {
            System.setOut(saved);
        }
        String cold = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, cold);
        String row = cold.lines().filter(l -> l.startsWith("sieve ")).findFirst().orElseThrow(() -> new AssertionError(cold));
        String[] cells = row.trim().split("\\s+");
        // guest, QEMU s, jvisor s, MIPS (not counted in another JVM), ratio, output, QEMU CPU, jvisor CPU, QEMU MiB,
        // jvisor MiB. A fresh JVM is busy for most of its life (start-up, the guest, the compiler threads).
        assertEquals("same", cells[5], row);
        assertTrue(Double.parseDouble(cells[6]) > 0 && Double.parseDouble(cells[7]) > Double.parseDouble(cells[2]) * 0.5,
                "processor time of both: " + row);
        assertTrue(Long.parseLong(cells[8]) > 0 && Long.parseLong(cells[9]) > 0, "peak resident memory of both: " + row);
    }
}
