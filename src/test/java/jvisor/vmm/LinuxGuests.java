package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's kernel and the initramfs images of guests/linux for the tests that boot Linux under
 * jvisor and under QEMU 10: fetched on first use (guests/linux/fetch.sh keeps them in
 * guests/linux/build, CI's cache), both machines started with the same command line.
 */
final class LinuxGuests {
    static final Path LINUX = Path.of("guests", "linux").toAbsolutePath();
    static final Path KERNEL = LINUX.resolve("build/vmlinux");
    private LinuxGuests() {}

    static Path initrd(String image) {
        return LINUX.resolve("build/" + image + ".cpio.gz");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    private static boolean required() {
        return System.getenv("JVISOR_REQUIRE_QEMU") != null;
    }

    private static void run(String what, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), what + " timed out");
        assertEquals(0, p.exitValue(), what + " failed:\n" + out);
    }

    /**
     * Makes the kernel and the initramfs images ready, or skips the calling test class when the
     * tools or the kernel are missing outside CI (under JVISOR_REQUIRE_QEMU that is a failure).
     */
    static void prepare() throws Exception {
        boolean tools = onPath("qemu-system-ppc64") && onPath("powerpc64le-linux-gnu-gcc") && onPath("cpio");
        if (!tools || (!Files.isRegularFile(KERNEL) && !required())) {
            assertFalse(required(), "JVISOR_REQUIRE_QEMU is set but QEMU, the cross compiler or cpio is missing");
            Assumptions.abort("Debian's kernel is not in " + KERNEL + " (guests/linux/fetch.sh fetches it)");
        }
        if (!Files.isRegularFile(KERNEL) || !Files.isRegularFile(LINUX.resolve("build/busybox"))) {
            run("guests/linux/fetch.sh", LINUX.resolve("fetch.sh").toString());
        }
        run("guests/linux/mkinitramfs.sh", LINUX.resolve("mkinitramfs.sh").toString());
    }

    /**
     * QEMU's console output for a boot of {@code image} that ends in power-off; {@code typed} goes
     * to the console. QEMU is started by guests/linux/run.sh, the command a person uses, with its
     * machine options (VOF instead of SLOF, XICS, the speculation workarounds as jvisor reports
     * them); {@code args} must start with the console=hvc0 the script puts first.
     */
    static String qemu(String image, int cpus, long memory, String args, String typed) throws Exception {
        assertTrue(args.startsWith("console=hvc0"), args);
        List<String> command = new java.util.ArrayList<>(List.of(LINUX.resolve("run.sh").toString(), "qemu", image));
        for (String a : args.substring("console=hvc0".length()).trim().split(" +")) if (!a.isEmpty()) command.add(a);
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("SMP", Integer.toString(cpus));
        pb.environment().put("MEM", (memory >> 20) + "M");
        Process q = pb.start();
        q.getOutputStream().write(typed.getBytes(StandardCharsets.US_ASCII));
        q.getOutputStream().flush();
        String out = new String(q.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(q.waitFor(300, TimeUnit.SECONDS), "QEMU timed out");
        return out;
    }

    /** What a boot under jvisor printed, its exit status and the VMM's messages. */
    record Boot(String console, int status, String messages) {}

    static Boot jvisor(String image, int cpus, long memory, String args, String typed) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        MachineConfig config = MachineConfig.validated(memory, cpus, KERNEL, initrd(image), args);
        PseriesMachine machine = new PseriesMachine(config, out,
                new ByteArrayInputStream(typed.getBytes(StandardCharsets.US_ASCII)), new PrintStream(log, true));
        machine.load();
        int status = machine.run(600_000);
        return new Boot(out.toString(StandardCharsets.ISO_8859_1), status, log.toString(StandardCharsets.UTF_8));
    }

    /** The console lines that start with {@code prefix}: the kernel's own carry timestamps and differ run to run. */
    static List<String> lines(String console, String prefix) {
        return console.lines().filter(l -> l.startsWith(prefix)).toList();
    }
}
