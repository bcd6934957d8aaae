package jvisor.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import jvisor.vmm.MachineConfig;
import jvisor.vmm.PseriesMachine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the same guest binaries under QEMU (TCG) and under jvisor in one run and prints the wall
 * time of each, jvisor's guest MIPS and the ratio jvisor/QEMU. Both sides run the whole machine
 * from reset to power-off; each figure is the best of {@code --repeat} runs.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs benchmark guests under QEMU (qemu-system-ppc64 -M pseries -cpu POWER9 -accel tcg) and under jvisor, "
                + "and prints wall times, jvisor's guest MIPS and the ratio jvisor/QEMU (below 1: jvisor is faster).",
                "Needs the cross compiler and QEMU (guests/install-deps.sh); run it from the source tree."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--guests", split = ",", defaultValue = "alu,sieve,sieve-mmu",
            description = {"Guests to run (default ${DEFAULT-VALUE}).",
                    "linux: Debian's kernel booted to a small init that powers off (guests/linux; fetched on first use)."})
    List<String> guests;

    @Option(names = "--endian", defaultValue = "le", description = "le or be (default ${DEFAULT-VALUE}).")
    String endian;

    @Option(names = "--repeat", defaultValue = "3", description = "Runs of each, the best counts (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--alu-n", defaultValue = "100000000", description = "Iterations of the ALU loop (default ${DEFAULT-VALUE}).")
    long aluN;

    @Option(names = "--sieve-n", defaultValue = "40000000", description = "Sieve bound (default ${DEFAULT-VALUE}).")
    long sieveN;

    @Option(names = "--guests-dir", description = "The source tree's guests/ directory (found from the working directory by default).")
    Path guestsDir;

    /** The machine both sides run: the {@code -m 512M} of guests/run-qemu.sh. */
    static final long MEMORY = 512L << 20;
    /**
     * The sieve keeps one byte per odd number below N at 32 MiB and wants 4 MiB free above the
     * array (sieve.c), so N is bounded by the machine's memory.
     */
    static final long MAX_SIEVE_N = 2 * (MEMORY - (32L << 20) - (4L << 20));

    private record Result(String guest, double qemuSeconds, double jvisorSeconds, long instructions, boolean sameOutput) {}

    @Override
    public Integer call() throws Exception {
        if (!endian.equals("le") && !endian.equals("be")) throw new UserError("--endian must be le or be");
        if (repeat < 1) throw new UserError("--repeat must be at least 1, not " + repeat);
        if (aluN < 1) throw new UserError("--alu-n must be at least 1, not " + aluN);
        if (sieveN < 2 || sieveN > MAX_SIEVE_N) {
            throw new UserError("--sieve-n must be 2.." + MAX_SIEVE_N + " (the sieve's array must fit in the "
                    + (MEMORY >> 20) + " MiB machine), not " + sieveN);
        }
        if (guests.isEmpty()) throw new UserError("--guests names no guest");
        for (String g : guests) {
            if (!g.matches("[a-z0-9][a-z0-9-]*")) throw new UserError("--guests: '" + g + "' is not a guest name");
        }
        Path dir = guestsDir != null ? guestsDir : Path.of("guests");
        if (!Files.isRegularFile(dir.resolve("Makefile")) || !Files.isRegularFile(dir.resolve("run-qemu.sh"))) {
            throw new UserError("no guests/ directory here: run from the jvisor source tree or give --guests-dir");
        }
        dir = dir.toAbsolutePath();
        System.out.printf("building benchmark guests (ALU_N=%d, SIEVE_N=%d) ...%n", aluN, sieveN);
        Process make = new ProcessBuilder("make", "-s", "-C", dir.toString(), "-j2", "B=build/bench",
                "ALU_N=" + aluN, "SIEVE_N=" + sieveN).redirectErrorStream(true).start();
        String makeOut = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (make.waitFor() != 0) {
            throw new UserError("building the guests failed (is the cross compiler installed? guests/install-deps.sh):\n" + makeOut.strip());
        }
        for (String g : guests) {
            if (g.equals(LINUX)) {
                prepareLinux(dir);
                continue;
            }
            Path elf = dir.resolve("build/bench").resolve(endian).resolve(g + ".elf");
            if (!Files.isRegularFile(elf)) throw new UserError("no guest '" + g + "' (" + elf + ")");
        }
        List<Result> results = new ArrayList<>();
        for (String g : guests) {
            boolean linux = g.equals(LINUX);
            Path elf = linux ? dir.resolve("linux/build/vmlinux") : dir.resolve("build/bench").resolve(endian).resolve(g + ".elf");
            double q = Double.MAX_VALUE, j = Double.MAX_VALUE;
            String qOut = null, jOut = null;
            long instr = 0;
            for (int r = 0; r < repeat; r++) {
                long t0 = System.nanoTime();
                qOut = linux ? initLines(runQemuLinux(dir)) : runQemu(dir, elf);
                q = Math.min(q, (System.nanoTime() - t0) / 1e9);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                long t1 = System.nanoTime();
                MachineConfig config = linux
                        ? MachineConfig.validated(LINUX_MEMORY, 1, elf, dir.resolve("linux/build/tiny.cpio.gz"), LINUX_ARGS)
                        : MachineConfig.validated(MEMORY, 1, elf, null, "");
                PseriesMachine m = new PseriesMachine(config, out, new ByteArrayInputStream(new byte[0]), System.err);
                m.load();
                int status = m.run(600_000);
                double secs = (System.nanoTime() - t1) / 1e9;
                if (status != 0) throw new UserError("jvisor: guest " + g + " ended with status " + status);
                if (secs < j) {
                    j = secs;
                    instr = m.instructions();
                }
                jOut = out.toString(StandardCharsets.ISO_8859_1);
                if (linux) jOut = initLines(jOut);
            }
            results.add(new Result(g, q, j, instr, qOut.equals(jOut)));
            System.out.printf("  %-10s QEMU %.3f s, jvisor %.3f s%n", g, q, j);
        }
        System.out.println();
        System.out.printf("%-10s %10s %10s %12s %14s %8s%n", "guest", "QEMU s", "jvisor s", "jvisor MIPS", "jvisor/QEMU", "output");
        for (Result r : results) {
            System.out.printf("%-10s %10.3f %10.3f %12.1f %14.2f %8s%n", r.guest, r.qemuSeconds, r.jvisorSeconds,
                    r.instructions / r.jvisorSeconds / 1e6, r.jvisorSeconds / r.qemuSeconds, r.sameOutput ? "same" : "DIFFERS");
        }
        System.out.printf("(%s, best of %d; wall time from reset to power-off, QEMU including its start-up)%n", endian, repeat);
        return results.stream().allMatch(Result::sameOutput) ? 0 : 1;
    }

    /** The Linux row: Debian's kernel, the integer-only init of guests/linux, one CPU, QEMU's -M pseries,x-vof=on. */
    static final String LINUX = "linux", LINUX_ARGS = "console=hvc0 quiet";
    static final long LINUX_MEMORY = 1L << 30;

    private static void prepareLinux(Path dir) throws Exception {
        Path linux = dir.resolve("linux");
        for (String script : List.of("fetch.sh", "mkinitramfs.sh")) {
            Process p = new ProcessBuilder(linux.resolve(script).toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new UserError("guests/linux/" + script + " failed:\n" + out.strip());
        }
    }

    /** What the init printed: the kernel's own lines carry timestamps and differ from run to run. */
    private static String initLines(String console) {
        return String.join("\n", console.lines().filter(l -> l.startsWith("init: ")).toList());
    }

    private static String runQemuLinux(Path dir) throws Exception {
        Path linux = dir.resolve("linux/build");
        Process p = new ProcessBuilder("qemu-system-ppc64", "-M",
                "pseries,x-vof=on,ic-mode=xics,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off", "-cpu", "POWER9",
                "-accel", "tcg", "-m", (LINUX_MEMORY >> 20) + "M", "-smp", "1", "-nographic", "-nodefaults", "-serial",
                "stdio", "-monitor", "none", "-kernel", linux.resolve("vmlinux").toString(), "-initrd",
                linux.resolve("tiny.cpio.gz").toString(), "-append", LINUX_ARGS)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(900, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new UserError("QEMU did not boot Linux to power-off");
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static String runQemu(Path dir, Path elf) throws Exception {
        Process p = new ProcessBuilder(dir.resolve("run-qemu.sh").toString(), elf.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(900, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new UserError("QEMU did not finish " + elf + " in 900 s");
        }
        if (p.exitValue() != 0) {
            throw new UserError("QEMU failed on " + elf + " (exit " + p.exitValue() + "); is qemu-system-ppc64 installed?");
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
