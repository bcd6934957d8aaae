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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's own ppc64el kernel boots on two processors under jvisor and under QEMU 10 to a small
 * init (guests/linux/init.c) that reports what user space sees through system calls (fork with
 * copy-on-write, a pipe, anonymous memory, /proc, a line read from the console through the vty's
 * interrupt), then powers off: the init's lines must be the
 * same on both machines and jvisor must end with status 0. The kernel is fetched from Debian's
 * archive by guests/linux/fetch.sh and kept in guests/linux/build; without it, and without
 * JVISOR_REQUIRE_QEMU (CI), the test is skipped.
 */
class LinuxBootTest {
    private static final Path LINUX = Path.of("guests", "linux").toAbsolutePath();
    private static final Path KERNEL = LINUX.resolve("build/vmlinux");
    private static final Path INITRD = LINUX.resolve("build/tiny.cpio.gz");
    private static final int CPUS = 2;
    private static final long MEMORY = 1L << 30;
    /** readline=1: the init reads a line from the console (the vty's input interrupt) and echoes it. */
    private static final String ARGS = "console=hvc0 quiet readline=1";
    private static final String TYPED = "hello from the console\n";

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

    @BeforeAll
    static void kernelAndInitrd() throws Exception {
        boolean tools = onPath("qemu-system-ppc64") && onPath("powerpc64le-linux-gnu-gcc") && onPath("cpio");
        if (!tools || (!Files.isRegularFile(KERNEL) && !required())) {
            assertFalse(required(), "JVISOR_REQUIRE_QEMU is set but QEMU, the cross compiler or cpio is missing");
            Assumptions.abort("Debian's kernel is not in " + KERNEL + " (guests/linux/fetch.sh fetches it)");
        }
        if (!Files.isRegularFile(KERNEL)) run("guests/linux/fetch.sh", LINUX.resolve("fetch.sh").toString());
        run("guests/linux/mkinitramfs.sh", LINUX.resolve("mkinitramfs.sh").toString());
    }

    private static List<String> initLines(String console) {
        return console.lines().filter(l -> l.startsWith("init: ")).toList();
    }

    @Test
    void debiansKernelRunsTheSameUserSpaceUnderJvisorAndQemu() throws Exception {
        Process q = new ProcessBuilder("qemu-system-ppc64", "-M",
                "pseries,x-vof=on,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off", "-cpu", "POWER9",
                "-accel", "tcg", "-m", (MEMORY >> 20) + "M", "-smp", Integer.toString(CPUS), "-nographic", "-nodefaults",
                "-serial", "stdio", "-monitor", "none", "-kernel", KERNEL.toString(), "-initrd", INITRD.toString(),
                "-append", ARGS).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        q.getOutputStream().write(TYPED.getBytes(StandardCharsets.US_ASCII));
        q.getOutputStream().flush();
        String qemu = new String(q.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(q.waitFor(300, TimeUnit.SECONDS), "QEMU timed out");
        List<String> expected = initLines(qemu);
        assertTrue(expected.contains("init: powering off"), "QEMU's run reached the end of init:\n" + qemu);
        assertTrue(expected.contains("init: the console said: " + TYPED.strip()), "QEMU's init read the line:\n" + qemu);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        MachineConfig config = MachineConfig.validated(MEMORY, CPUS, KERNEL, INITRD, ARGS);
        PseriesMachine machine = new PseriesMachine(config, out, new ByteArrayInputStream(TYPED.getBytes(StandardCharsets.US_ASCII)),
                new PrintStream(log, true));
        machine.load();
        int status = machine.run(600_000);
        String jvisor = out.toString(StandardCharsets.ISO_8859_1);
        assertEquals(expected, initLines(jvisor), "jvisor's console:\n" + jvisor + "\nmessages: " + log);
        assertEquals(0, status, "jvisor's exit status; messages: " + log);
    }
}
