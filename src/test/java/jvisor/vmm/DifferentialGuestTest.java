package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every guest of guests/, in both byte orders, under QEMU (the reference machine) and under
 * jvisor: the console output must be identical byte for byte. Needs the cross compiler and
 * qemu-system-ppc64; without them every test is reported as skipped, unless CI=true or
 * JVISOR_REQUIRE_QEMU is set ({@link GuestImages#referenceRequired()}), where their absence is a
 * failure. Guests whose name starts with {@code smp} run with two CPUs on both machines, litmus
 * with two and with four ({@link #cpusFor}); {@link #JVISOR_ONLY} guests (a device QEMU's pseries
 * lacks) are checked by their own tests instead.
 */
class DifferentialGuestTest {
    private static final Path GUESTS = Path.of("guests").toAbsolutePath();
    private static final long TIMEOUT_SECONDS = 180;
    /** Guests whose output differs from QEMU's by design (see MmioGuestTest). */
    static final java.util.Set<String> JVISOR_ONLY = java.util.Set.of("mmio");

    /** The CPU counts a guest runs with, the same on both machines. */
    static int[] cpusFor(String guest) {
        if (guest.equals("litmus")) {
            return new int[] {2, 4};
        }
        return new int[] {guest.startsWith("smp") ? 2 : 1};
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /** Why the guests cannot run here: the tools are missing (skip, or fail where required) or the build failed (fail). */
    private static String missingTools, buildFailure;

    /**
     * Builds the guests once, before the argument list is read. Never throws: every test then
     * reports the problem itself, so that a missing QEMU shows as skipped (or failed) tests and
     * not as a class that silently ran nothing.
     */
    @BeforeAll
    static void buildGuests() {
        if (!onPath("powerpc64le-linux-gnu-gcc") || !onPath("qemu-system-ppc64") || !onPath("make")) {
            missingTools = "cross compiler or qemu-system-ppc64 missing: run guests/install-deps.sh";
            return;
        }
        try {
            Process make = new ProcessBuilder("make", "-s", "-C", GUESTS.toString(), "-j2").inheritIO().start();
            if (!make.waitFor(600, TimeUnit.SECONDS)) {
                make.destroyForcibly();
                buildFailure = "building the guests timed out";
            } else if (make.exitValue() != 0) {
                buildFailure = "building the guests failed (make exit " + make.exitValue() + ")";
            }
        } catch (IOException | InterruptedException e) {
            buildFailure = "building the guests failed: " + e;
        }
    }

    /** Each test first: QEMU and the built guests are there, or the test is skipped or failed, saying why. */
    private static void requireGuestsAndQemu() {
        if (buildFailure != null) fail(buildFailure);
        GuestImages.requireReference(missingTools == null, String.valueOf(missingTools));
    }

    static Stream<Arguments> guests() throws IOException {
        List<Arguments> all = new ArrayList<>();
        if (!Files.isDirectory(GUESTS.resolve("build/le"))) {
            // Nothing built (no tools, or the build failed): one placeholder, so that the skip
            // or the failure is reported rather than no test at all.
            return Stream.of(Arguments.of("hello", "le", 1));
        }
        try (Stream<Path> s = Files.list(GUESTS.resolve("build/le"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".elf")).sorted().toList()) {
                String name = p.getFileName().toString().replace(".elf", "");
                if (JVISOR_ONLY.contains(name)) continue;
                for (int cpus : cpusFor(name)) {
                    all.add(Arguments.of(name, "le", cpus));
                    all.add(Arguments.of(name, "be", cpus));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} ({1}, {2} cpus)")
    @MethodSource("guests")
    void consoleOutputIsIdenticalUnderQemuAndJvisor(String name, String endian, int cpus) throws Exception {
        requireGuestsAndQemu();
        Path elf = GUESTS.resolve("build").resolve(endian).resolve(name + ".elf");
        String qemu = runQemu(name, endian, cpus);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        MachineConfig config = MachineConfig.validated(512L << 20, cpus, elf, null, "");
        PseriesMachine machine = new PseriesMachine(config, out, new ByteArrayInputStream(new byte[0]),
                new PrintStream(log, true));
        machine.load();
        int status = machine.run(TIMEOUT_SECONDS * 1000);
        String jvisor = out.toString(StandardCharsets.ISO_8859_1);
        assertEquals(qemu, jvisor, "console output differs (jvisor messages: " + log + ")");
        assertEquals(0, status, "jvisor's exit status; messages: " + log);
        assertTrue(jvisor.contains("done:"), "the guest reached its last line");
    }

    private static String runQemu(String name, String endian, int cpus) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(GUESTS.resolve("run-qemu.sh").toString(), name, endian)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("SMP", Integer.toString(cpus));
        Process p = pb.start();
        byte[] bytes = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "QEMU timed out");
        assertEquals(0, p.exitValue(), "QEMU's exit status for " + name + " " + endian);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
