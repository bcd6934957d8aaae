package jvisor.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import jvisor.vmm.LaunchError;
import jvisor.vmm.MachineConfig;
import jvisor.vmm.PseriesMachine;
import jvisor.vmm.gdb.GdbServer;
import jvisor.vmm.migration.MigrationSource;
import jvisor.vmm.migration.MigrationTarget;
import jvisor.vmm.migration.StreamException;

final class RunCommand implements Main.Subcommand {
    static final String DEMO = "/jvisor/vmm/demo-hello-le.elf";

    static final int DEFAULT_GDB_PORT = 1234;

    /** The machine counts its timeout in milliseconds in a long. */
    static final long MAX_TIMEOUT_SECONDS = Long.MAX_VALUE / 1000;

    static CommandSpec spec() {
        return spec("run",
                "Runs a ppc64 pseries guest (an ELF kernel) on a POWER9 radix VM, console on stdin/stdout.",
                "With no ELF, runs the embedded demo guest. The exit status follows the guest: 0 after power-off, "
                        + "1 if it reported a failure (a line starting FAIL:) or the VM stopped on an error.");
    }

    /** Run's options and operand under another command's name and description (train takes them all). */
    static CommandSpec spec(String name, String... description) {
        return new CommandSpec(name, description)
                .option(new String[] {"-m", "--mem"}, "<mem>", "512M", "Guest RAM, as QEMU's -m (default 512M).")
                .option(new String[] {"--smp"}, "<smp>", "1", "Number of vCPUs (default 1).")
                .option(new String[] {"--append"}, "<append>", "", "Kernel command line (/chosen/bootargs).")
                .option(new String[] {"--initrd"}, "<initrd>", null, "Initial ramdisk file.")
                .flag(new String[] {"--stats"}, "Print exits, hypercalls, faults, TLB misses, instructions and the "
                        + "share translated code ran at the end (on stderr), and the run second by second.")
                .option(new String[] {"--stats-every"}, "<seconds>", "0",
                        "With --stats: the run by intervals this long (a decimal, at least 0.001), every one printed.")
                .flag(new String[] {"--profile"}, "Sample where each vCPU runs in the guest every millisecond and print the "
                        + "guest functions that took the most samples at the end (on stderr), by the kernel ELF's symbols.")
                .option(new String[] {"--profile-every"}, "<seconds>", "0",
                        "With --profile: also the three leading functions of each interval this long (a decimal, at least 0.001).")
                .option(new String[] {"--timeout"}, "<seconds>", "0", "Stop the guest after this many seconds (exit status 3); 0 = never.")
                .option(new String[] {"--gdb"}, "tcp::PORT", null, "Listen for gdb (GDB remote protocol) on 127.0.0.1:PORT, as QEMU's -gdb.")
                .flag(new String[] {"-s"}, "Shorthand for --gdb tcp::" + DEFAULT_GDB_PORT + ", as QEMU's -s.")
                .flag(new String[] {"-S", "--gdb-wait"}, "Hold every vCPU before its first instruction until gdb continues.")
                .option(new String[] {"--migrate-to"}, "tcp:HOST:PORT|file:PATH", null,
                        "Move the running guest to a jvisor started with --incoming (live, pre-copy over the dirty log), "
                                + "or save a snapshot to PATH; then exit 0. When: after --migrate-after, or on Ctrl-A m at a terminal.")
                .option(new String[] {"--migrate-after"}, "SECONDS", "-1",
                        "With --migrate-to: migrate this many seconds (a decimal) after the guest starts.")
                .option(new String[] {"--incoming"}, "tcp::PORT|tcp:HOST:PORT|file:PATH", null,
                        "Wait for a migration stream (or read a snapshot) and run the guest on from it; the machine "
                                + "options must be the ones the source ran with. A stream for another machine: exit 2; a damaged or "
                                + "cut stream: exit 1.")
                .operand("ELF", "The guest kernel (ppc64 ELF, either byte order).");
    }

    String mem;
    int smp;
    String append;
    Path initrd;
    boolean stats;
    /** Sample the guest's code and print its profile ({@link PseriesMachine#profileEvery}). */
    boolean profile;
    double profileEverySeconds;
    double statsEverySeconds;
    long timeoutSeconds;
    String gdb;
    boolean gdbDefault;
    boolean gdbWait;
    String migrateTo;
    double migrateAfterSeconds;
    String incoming;
    Path kernel;

    @Override
    public void take(CommandSpec.Parsed line) {
        mem = line.string("--mem");
        smp = line.integer("--smp");
        append = line.string("--append");
        initrd = line.path("--initrd");
        stats = line.flag("--stats");
        profile = line.flag("--profile");
        profileEverySeconds = line.decimal("--profile-every");
        statsEverySeconds = line.decimal("--stats-every");
        timeoutSeconds = line.longValue("--timeout");
        gdb = line.string("--gdb");
        gdbDefault = line.flag("-s");
        gdbWait = line.flag("--gdb-wait");
        migrateTo = line.string("--migrate-to");
        migrateAfterSeconds = line.decimal("--migrate-after");
        incoming = line.string("--incoming");
        kernel = line.operandPath("ELF");
    }

    @Override
    public Integer call() throws Exception {
        PseriesMachine.prepareInBackground();
        if (timeoutSeconds < 0 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
            throw new UserError("--timeout must be 0 (never) or a number of seconds up to " + MAX_TIMEOUT_SECONDS
                    + ", not " + timeoutSeconds);
        }
        int gdbPort = -1;
        if (gdb != null && gdbDefault) throw new UserError("give either -s or --gdb, not both");
        if (gdb != null) gdbPort = GdbEndpoint.port(gdb);
        if (gdbDefault) gdbPort = DEFAULT_GDB_PORT;
        if (gdbWait && gdbPort < 0) throw new UserError("--gdb-wait (-S) needs --gdb tcp::PORT or -s: nothing could let the guest go");
        long migrateAfterMillis = -1;
        if (migrateTo != null) {
            try {
                MigrationSource.checkEndpoint(migrateTo);
            } catch (IllegalArgumentException e) {
                throw new UserError("--migrate-to: " + e.getMessage());
            }
            if (migrateAfterSeconds >= 0) {
                if (migrateAfterSeconds > MAX_TIMEOUT_SECONDS || Double.isNaN(migrateAfterSeconds)) {
                    throw new UserError("--migrate-after must be a number of seconds up to " + MAX_TIMEOUT_SECONDS);
                }
                migrateAfterMillis = (long) (migrateAfterSeconds * 1000);
            }
        } else if (migrateAfterSeconds >= 0) {
            throw new UserError("--migrate-after needs --migrate-to");
        }
        if (incoming != null) {
            try {
                MigrationTarget.checkEndpoint(incoming);
            } catch (IllegalArgumentException e) {
                throw new UserError("--incoming: " + e.getMessage());
            }
        }
        long statsEveryNanos = 0;
        if (statsEverySeconds != 0) {
            if (!stats) throw new UserError("--stats-every needs --stats");
            statsEveryNanos = intervalNanos("--stats-every", statsEverySeconds);
        }
        long profileEveryNanos = 0;
        if (profileEverySeconds != 0) {
            if (!profile) throw new UserError("--profile-every needs --profile");
            profileEveryNanos = intervalNanos("--profile-every", profileEverySeconds);
        }
        MachineConfig config;
        try {
            config = MachineConfig.validated(SizeParser.parse(mem), smp, kernel, initrd, append);
        } catch (LaunchError e) {
            throw new UserError(e.getMessage());
        }
        PseriesMachine machine = new PseriesMachine(config, System.out, System.in, System.err);
        if (stats) machine.measureHostCpu();
        if (statsEveryNanos > 0) machine.sampleTimelineEvery(statsEveryNanos);
        if (profile) machine.profileEvery(PROFILE_EVERY_NANOS, profileEveryNanos);
        byte[] embedded = kernel == null ? demoImage() : null;
        try {
            if (kernel != null) {
                machine.load();
            } else {
                machine.load("demo guest", embedded);
            }
        } catch (LaunchError e) {
            throw new UserError(e.getMessage());
        }
        if (incoming != null) {
            try {
                MigrationTarget.receive(machine, incoming, embedded, System.err);
            } catch (StreamException e) {
                machine.destroy();
                System.err.println("jvisor: incoming migration: " + e.getMessage());
                return e.mismatch() ? 2 : 1;
            } catch (IOException e) {
                machine.destroy();
                System.err.println("jvisor: incoming migration: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                return 1;
            }
        }
        MigrationSource migration = null;
        if (migrateTo != null) {
            machine.enableDirtyLog();
            migration = MigrationSource.start(machine, migrateTo, migrateAfterMillis, embedded, System.err);
            machine.onConsoleMigrateKey(migration::request);
        }
        GdbServer gdbServer = null;
        if (gdbPort >= 0) {
            try {
                gdbServer = GdbServer.start(machine, gdbPort, gdbWait);
            } catch (IOException e) {
                machine.destroy();
                throw new UserError("cannot listen for gdb on 127.0.0.1:" + gdbPort + ": " + e.getMessage());
            }
            System.err.printf("jvisor: gdb stub on 127.0.0.1:%d%s%n", gdbServer.port(),
                    gdbWait ? "; the guest starts when gdb continues" : "");
        }
        int status = 1;
        try (Terminal terminal = Terminal.rawIfInteractive()) {
            if (terminal != null) machine.enableConsoleEscape();
            status = machine.run(timeoutSeconds * 1000);
        } finally {
            // gdb hears that the guest exited, and with which status, before jvisor does.
            if (gdbServer != null) gdbServer.machineEnded(status);
        }
        System.out.flush();
        if (migration != null && !migration.attempted()) {
            // Otherwise silent: a destination would go on waiting for a stream that never comes.
            System.err.println("jvisor: the guest ended before it was migrated to " + migrateTo + "; nothing was sent");
        }
        if (stats) machine.printStatistics(System.err);
        if (profile) machine.printProfile(System.err, PROFILE_TOP);
        return status;
    }

    /**
     * Runs the embedded demo guest as {@code jvisor run} does with no options, its console and
     * messages discarded and its console input empty, and frees the machine; returns its exit status.
     */
    static int demoOffConsole() throws Exception {
        RunCommand defaults = new RunCommand();
        defaults.take(spec().parse(List.of()));
        MachineConfig config = MachineConfig.validated(SizeParser.parse(defaults.mem), defaults.smp, null, null, defaults.append);
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        PseriesMachine machine = new PseriesMachine(config, nowhere, InputStream.nullInputStream(), nowhere);
        try {
            machine.load("demo guest", demoImage());
            return machine.run(0);
        } finally {
            machine.destroy(); // its memory is not the next machine's to carry
        }
    }

    /** An interval option's seconds as nanoseconds: from a millisecond to the longest timeout. */
    private static long intervalNanos(String option, double seconds) {
        if (!(seconds >= 0.001 && seconds <= MAX_TIMEOUT_SECONDS / 1_000_000)) {
            throw new UserError(option + " must be a number of seconds from 0.001 to " + MAX_TIMEOUT_SECONDS / 1_000_000
                    + ", not " + seconds);
        }
        return Math.round(seconds * 1e9);
    }

    /** The guest profile's interval and the functions it prints. */
    static final long PROFILE_EVERY_NANOS = 1_000_000;
    static final int PROFILE_TOP = 30;

    static byte[] demoImage() throws IOException {
        try (InputStream in = RunCommand.class.getResourceAsStream(DEMO)) {
            if (in == null) throw new UserError("the demo guest is missing from this build");
            return in.readAllBytes();
        }
    }
}
