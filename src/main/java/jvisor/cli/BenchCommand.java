package jvisor.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jvisor.vmm.MachineConfig;
import jvisor.vmm.PseriesMachine;

/**
 * Runs the same guest binaries under QEMU (TCG) and under jvisor in one run and prints the wall
 * time of each, jvisor's guest MIPS and the ratio jvisor/QEMU. Both sides run the whole machine
 * from reset to power-off; each figure is the best of {@code --repeat} runs.
 */
final class BenchCommand implements Main.Subcommand {
    static CommandSpec spec() {
        return new CommandSpec("bench",
                "Runs benchmark guests under QEMU (qemu-system-ppc64 -M pseries -cpu POWER9 -accel tcg) and under jvisor, "
                        + "and prints wall times, jvisor's guest MIPS and the ratio jvisor/QEMU (below 1: jvisor is faster).",
                "Needs the cross compiler and QEMU (guests/install-deps.sh); run it from the source tree.")
                .option(new String[] {"--guests"}, "<guest>[,<guest>...]", "alu,sieve,sieve-mmu",
                        "Guests to run (default alu,sieve,sieve-mmu).",
                        "linux: Debian's kernel booted to a small init that powers off (guests/linux; fetched on first use).",
                        "linux-shell: the same kernel booted to busybox's shell prompt (the time to the prompt).",
                        "calls: small functions calling each other directly and through a table of pointers (--calls-n rounds).",
                        "fpcalc: floating-point C code (formatting, matrix and series kernels, --fp-n harmonic terms).",
                        "mpi: 2048-bit Montgomery products in portable C (--mpi-n rounds): the multi-precision loops "
                                + "a Linux boot runs for its RSA self-tests and certificate checks.",
                        "smp-sieve: two CPUs with the MMU on, each sieving --smp-sieve-n in its own 4K-page window, "
                                + "remapped with tlbie every round.",
                        "hello (or any other guest of guests/): the demo-size guest, a device tree, RTAS and console check "
                                + "of some 270,000 instructions; with --cold, what a run pays before its guest's work.")
                .option(new String[] {"--endian"}, "<endian>", "le", "le or be (default le).")
                .option(new String[] {"--repeat"}, "<runs>", "3", "Runs of each, the best counts (default 3).")
                .option(new String[] {"--alu-n"}, "<n>", "100000000", "Iterations of the ALU loop (default 100000000).")
                .option(new String[] {"--calls-n"}, "<n>", "8000000",
                        "Rounds of the calls loop, some ten calls and returns each (default 8000000).")
                .option(new String[] {"--sieve-n"}, "<n>", "40000000", "Sieve bound (default 40000000).")
                .option(new String[] {"--smp-sieve-n"}, "<n>", "20000000", "Sieve bound of each CPU of smp-sieve (default 20000000).")
                .option(new String[] {"--fp-n"}, "<n>", "20000000", "Harmonic-series terms of fpcalc (default 20000000).")
                .option(new String[] {"--mpi-n"}, "<n>", "40000", "Rounds of mpi, two 2048-bit products each (default 40000).")
                .option(new String[] {"--guests-dir"}, "<dir>", null,
                        "The source tree's guests/ directory (found from the working directory by default).")
                .flag(new String[] {"--cold"}, "Run jvisor in a fresh JVM for every run, as jvisor run does (its start-up and "
                        + "warm-up counted, as QEMU's start-up is), and print both machines' peak resident memory.")
                .flag(new String[] {"--phases"}, "Then boot Debian's kernel once more on each machine with the kernel's messages on, "
                        + "and print the phases of the boot (from one message both print to the next) jvisor lost most time in.");
    }

    List<String> guests;
    String endian;
    int repeat;
    long aluN, callsN, sieveN, smpSieveN, fpN, mpiN;
    Path guestsDir;
    boolean cold, phases;

    @Override
    public void take(CommandSpec.Parsed line) {
        guests = line.list("--guests");
        endian = line.string("--endian");
        repeat = line.integer("--repeat");
        aluN = line.longValue("--alu-n");
        callsN = line.longValue("--calls-n");
        sieveN = line.longValue("--sieve-n");
        smpSieveN = line.longValue("--smp-sieve-n");
        fpN = line.longValue("--fp-n");
        mpiN = line.longValue("--mpi-n");
        guestsDir = line.path("--guests-dir");
        cold = line.flag("--cold");
        phases = line.flag("--phases");
    }

    /** The machine both sides run: the {@code -m 512M} of guests/run-qemu.sh. */
    static final long MEMORY = 512L << 20;
    /**
     * The sieve keeps one byte per odd number below N at 32 MiB and wants 4 MiB free above the
     * array (sieve.c), so N is bounded by the machine's memory.
     */
    static final long MAX_SIEVE_N = 2 * (MEMORY - (32L << 20) - (4L << 20));
    /** smp-sieve keeps two arrays of N/2 bytes per CPU (smp-sieve.c), four in all. */
    static final long MAX_SMP_SIEVE_N = MAX_SIEVE_N / 4;

    /**
     * One row: the best run's times, and the slowest run's (the spread of the repeats); the least
     * processor time a run of each used (-1: unknown).
     */
    private record Result(String guest, double qemuSeconds, double jvisorSeconds, long instructions, boolean sameOutput,
                          long qemuMib, long jvisorMib, double qemuSlowest, double jvisorSlowest, double qemuCpu, double jvisorCpu) {}

    @Override
    public Integer call() throws Exception {
        if (!endian.equals("le") && !endian.equals("be")) throw new UserError("--endian must be le or be");
        if (repeat < 1) throw new UserError("--repeat must be at least 1, not " + repeat);
        if (aluN < 1) throw new UserError("--alu-n must be at least 1, not " + aluN);
        if (callsN < 1) throw new UserError("--calls-n must be at least 1, not " + callsN);
        if (mpiN < 1) throw new UserError("--mpi-n must be at least 1, not " + mpiN);
        if (fpN < 1 || fpN > Integer.MAX_VALUE) throw new UserError("--fp-n must be 1.." + Integer.MAX_VALUE + ", not " + fpN);
        if (sieveN < 2 || sieveN > MAX_SIEVE_N) {
            throw new UserError("--sieve-n must be 2.." + MAX_SIEVE_N + " (the sieve's array must fit in the "
                    + (MEMORY >> 20) + " MiB machine), not " + sieveN);
        }
        if (smpSieveN < 2 || smpSieveN > MAX_SMP_SIEVE_N) {
            throw new UserError("--smp-sieve-n must be 2.." + MAX_SMP_SIEVE_N + " (its four arrays must fit in the "
                    + (MEMORY >> 20) + " MiB machine), not " + smpSieveN);
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
        System.out.printf("building benchmark guests (ALU_N=%d, CALLS_N=%d, SIEVE_N=%d, SMP_SIEVE_N=%d, FP_N=%d, MPI_N=%d) ...%n",
                aluN, callsN, sieveN, smpSieveN, fpN, mpiN);
        Process make = new ProcessBuilder("make", "-s", "-C", dir.toString(), "-j2", "B=build/bench",
                "ALU_N=" + aluN, "CALLS_N=" + callsN, "SIEVE_N=" + sieveN, "SMP_SIEVE_N=" + smpSieveN, "FP_N=" + fpN, "MPI_N=" + mpiN)
                .redirectErrorStream(true).start();
        String makeOut = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (make.waitFor() != 0) {
            throw new UserError("building the guests failed (is the cross compiler installed? guests/install-deps.sh):\n" + makeOut.strip());
        }
        for (String g : guests) {
            if (LinuxBench.isLinux(g)) {
                LinuxBench.prepare(dir);
                continue;
            }
            Path elf = dir.resolve("build/bench").resolve(endian).resolve(g + ".elf");
            if (!Files.isRegularFile(elf)) throw new UserError("no guest '" + g + "' (" + elf + ")");
        }
        List<Result> results = new ArrayList<>();
        for (String g : guests) {
            boolean linux = LinuxBench.isLinux(g);
            Path elf = dir.resolve("build/bench").resolve(endian).resolve(g + ".elf");
            double q = Double.MAX_VALUE, j = Double.MAX_VALUE, qSlowest = 0, jSlowest = 0, qCpu = -1, jCpu = -1;
            long qMib = -1, jMib = -1;
            String qOut = null, jOut = null;
            long instr = 0;
            for (int r = 0; r < repeat; r++) {
                LinuxBench.Run qr, jr;
                if (linux) {
                    qr = LinuxBench.qemu(dir, g);
                    jr = cold ? LinuxBench.jvisorCold(dir, g) : LinuxBench.jvisor(dir, g);
                } else {
                    int cpus = cpus(g);
                    qr = runQemu(dir, elf, cpus);
                    jr = cold ? jvisorCold(elf, cpus) : jvisorHere(g, elf, cpus);
                }
                q = Math.min(q, qr.seconds());
                qSlowest = Math.max(qSlowest, qr.seconds());
                jSlowest = Math.max(jSlowest, jr.seconds());
                qCpu = leastKnown(qCpu, qr.cpuSeconds());
                jCpu = leastKnown(jCpu, jr.cpuSeconds());
                qMib = Math.max(qMib, qr.peakMib());
                jMib = Math.max(jMib, jr.peakMib());
                if (jr.seconds() < j) {
                    j = jr.seconds();
                    instr = jr.instructions();
                }
                qOut = qr.output();
                jOut = jr.output();
            }
            results.add(new Result(g, q, j, instr, qOut.equals(jOut), qMib, jMib, qSlowest, jSlowest, qCpu, jCpu));
            System.out.printf("  %-12s QEMU %.3f s, jvisor %.3f s%n", g, q, j);
        }
        System.out.println();
        System.out.printf("%-12s %10s %10s %12s %14s %8s %10s %10s%s%n", "guest", "QEMU s", "jvisor s", "jvisor MIPS", "jvisor/QEMU",
                "output", "QEMU CPU", "jvisor CPU", cold ? String.format(" %9s %10s", "QEMU MiB", "jvisor MiB") : "");
        for (Result r : results) {
            String mips = r.instructions > 0 ? String.format("%12.1f", r.instructions / r.jvisorSeconds / 1e6) : String.format("%12s", "-");
            System.out.printf("%-12s %10.3f %10.3f %s %14.2f %8s %10s %10s%s%n", r.guest, r.qemuSeconds, r.jvisorSeconds, mips,
                    r.jvisorSeconds / r.qemuSeconds, r.sameOutput ? "same" : "DIFFERS", cpu(r.qemuCpu), cpu(r.jvisorCpu),
                    cold ? String.format(" %9d %10d", r.qemuMib, r.jvisorMib) : "");
        }
        System.out.printf("(%s, best of %d; wall time from reset to power-off, QEMU including its start-up%s;"
                + " linux-shell: to the shell prompt)%n", endian, repeat,
                cold ? ", jvisor including its JVM's; peak resident memory, the largest of the runs" : ", jvisor in this JVM");
        // A host with few cores shows it best: jvisor's wall time is then bounded by all its threads' work.
        System.out.println("(CPU: processor seconds on all threads, the least of the runs, to power-off: QEMU's with its helpers, "
                + (cold ? "jvisor's JVM's" : "this JVM's while jvisor ran") + " with HotSpot's compiler threads and the collector)");
        if (cold) System.out.println("(jvisor's JVMs start from " + MeasuredProcess.aheadOfTimeCache() + ")");
        if (repeat > 1) {
            // How far apart the repeats were: a host shared with others, and for jvisor also how
            // HotSpot happened to compile its loops in that JVM, move single runs by tens of percent.
            StringBuilder spread = new StringBuilder("spread, slowest run / fastest:");
            for (Result r : results) {
                spread.append(String.format(" %s QEMU %.2f jvisor %.2f;", r.guest, r.qemuSlowest / r.qemuSeconds,
                        r.jvisorSlowest / r.jvisorSeconds));
            }
            System.out.println(spread.substring(0, spread.length() - 1));
        }
        if (phases) {
            LinuxBench.prepare(dir);
            BootPhases.run(dir, PHASES_SHOWN);
        }
        return results.stream().allMatch(Result::sameOutput) ? 0 : 1;
    }

    /** How many of the boot's phases {@code --phases} lists, those jvisor lost most time in. */
    static final int PHASES_SHOWN = 12;

    /** The lesser of two processor times where both are known (-1: unknown). */
    static double leastKnown(double a, double b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    private static String cpu(double seconds) {
        return seconds < 0 ? "-" : String.format("%.2f", seconds);
    }

    /** jvisor in this JVM: the machine alone, its guest instructions counted. */
    private static LinuxBench.Run jvisorHere(String g, Path elf, int cpus) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        double cpu0 = MeasuredProcess.processCpuSeconds();
        long t1 = System.nanoTime();
        MachineConfig config = MachineConfig.validated(MEMORY, cpus, elf, null, "");
        PseriesMachine m = new PseriesMachine(config, out, new ByteArrayInputStream(new byte[0]), System.err);
        m.load();
        int status = m.run(600_000);
        double secs = (System.nanoTime() - t1) / 1e9;
        double cpu = MeasuredProcess.processCpuSince(cpu0);
        if (status != 0) throw new UserError("jvisor: guest " + g + " ended with status " + status);
        return new LinuxBench.Run(secs, out.toString(StandardCharsets.ISO_8859_1), m.instructions(), -1, cpu);
    }

    /** jvisor in a JVM of its own, as {@code jvisor run} runs the guest. */
    private static LinuxBench.Run jvisorCold(Path elf, int cpus) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MeasuredProcess.Finished f = MeasuredProcess.run(MeasuredProcess.jvisor(List.of("run", "--smp", Integer.toString(cpus),
                "--mem", (MEMORY >> 20) + "M", elf.toString())), Map.of(), null, out, 900);
        if (f.exit() != 0) throw new UserError("jvisor run " + elf + " failed (" + f.why() + ")");
        return new LinuxBench.Run(f.seconds(), out.toString(StandardCharsets.ISO_8859_1), 0, f.peakMib(), f.cpuSeconds());
    }

    /** CPUs of a guest's machine: two for the smp guests (as the differential test runs them), else one. */
    static int cpus(String guest) {
        return guest.startsWith("smp") ? 2 : 1;
    }

    private static LinuxBench.Run runQemu(Path dir, Path elf, int cpus) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MeasuredProcess.Finished f = MeasuredProcess.run(List.of(dir.resolve("run-qemu.sh").toString(), elf.toString()),
                Map.of("SMP", Integer.toString(cpus), "TIMEOUT", "900"), null, out, 900);
        if (f.exit() != 0) {
            throw new UserError("QEMU failed on " + elf + " (" + f.why() + "); is qemu-system-ppc64 installed?");
        }
        return new LinuxBench.Run(f.seconds(), out.toString(StandardCharsets.ISO_8859_1), 0, f.peakMib(), f.cpuSeconds());
    }
}
