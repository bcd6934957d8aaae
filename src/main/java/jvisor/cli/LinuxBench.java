package jvisor.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jvisor.vmm.MachineConfig;
import jvisor.vmm.PseriesMachine;

/**
 * The bench rows that boot Debian's kernel from guests/linux (fetched on first use), one CPU,
 * 1 GiB, against QEMU as guests/linux/run.sh starts it:
 * <ul>
 *   <li>{@code linux}: to the integer-only init (tiny.cpio.gz) and its power-off; the figure is the
 *       whole run;</li>
 *   <li>{@code linux-shell}: to busybox's shell prompt (shell.cpio.gz); the figure is the time from
 *       start to the prompt on the console, after which {@code poweroff -f} is typed.</li>
 * </ul>
 */
final class LinuxBench {
    static final String TINY = "linux", SHELL = "linux-shell";
    /** What the rows' boots put on the kernel's command line after console=hvc0 (guests/linux/run.sh's order). */
    private static final String EXTRA_ARGS = "quiet";
    static final String ARGS = "console=hvc0 " + EXTRA_ARGS;
    static final long MEMORY = 1L << 30;
    /** busybox's prompt for root in / (the init starts the shell there). */
    static final String PROMPT = "\n/ # ";
    private static final byte[] POWEROFF = "poweroff -f\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * One boot: seconds to the row's mark, what the row compares between the machines, guest
     * instructions (0: not counted), peak resident MiB (-1: not measured, jvisor in this JVM),
     * processor seconds of the whole run, on every thread (-1: not known).
     */
    record Run(double seconds, String output, long instructions, long peakMib, double cpuSeconds) {}

    private LinuxBench() {}

    static boolean isLinux(String guest) {
        return guest.equals(TINY) || guest.equals(SHELL);
    }

    static void prepare(Path guests) throws Exception {
        Path linux = guests.resolve("linux");
        for (String script : List.of("fetch.sh", "mkinitramfs.sh")) {
            Process p = new ProcessBuilder(linux.resolve(script).toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new UserError("guests/linux/" + script + " failed:\n" + out.strip());
        }
    }

    private static Path kernel(Path guests) {
        return guests.resolve("linux/build/vmlinux");
    }

    private static Path initrd(Path guests, String row) {
        return guests.resolve("linux/build/" + (row.equals(SHELL) ? "shell" : "tiny") + ".cpio.gz");
    }

    /** What a row compares: the init's lines (the kernel's carry timestamps), or that the prompt came. */
    private static String output(String row, String console, boolean prompted) {
        if (row.equals(SHELL)) return prompted ? "prompt" : "no prompt";
        return String.join("\n", console.lines().filter(l -> l.startsWith("init: ")).toList());
    }

    /**
     * Watches console output for the prompt; once seen, notes the time and lets {@link #input}
     * type the power-off command (a person at the prompt).
     */
    private static final class PromptWatch extends OutputStream {
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final CountDownLatch seen = new CountDownLatch(1);
        final long start = System.nanoTime();
        volatile long at;
        private final byte[] prompt = PROMPT.getBytes(StandardCharsets.US_ASCII);
        private int matched;

        @Override
        public synchronized void write(int b) {
            console.write(b);
            if (seen.getCount() == 0) return;
            matched = b == prompt[matched] ? matched + 1 : (b == prompt[0] ? 1 : 0);
            if (matched == prompt.length) {
                at = System.nanoTime();
                seen.countDown();
            }
        }

        double seconds() {
            return ((seen.getCount() == 0 ? at : System.nanoTime()) - start) / 1e9;
        }

        /** Blocks until the prompt, then gives the command once, then ends. */
        InputStream input() {
            return new InputStream() {
                private int next;

                @Override
                public int read() throws java.io.IOException {
                    try {
                        seen.await();
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                    return next < POWEROFF.length ? POWEROFF[next++] & 0xFF : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    int c = read();
                    if (c < 0) return -1;
                    b[off] = (byte) c;
                    return 1;
                }
            };
        }
    }

    static Run qemu(Path guests, String row) throws Exception {
        return child(Machine.QEMU, guests, row, EXTRA_ARGS);
    }

    /** jvisor in a JVM of its own, as {@code jvisor run} boots it: start-up and warm-up included. */
    static Run jvisorCold(Path guests, String row) throws Exception {
        return child(Machine.JVISOR, guests, row, EXTRA_ARGS);
    }

    /**
     * The two machines as a child process boots Linux on them: QEMU by guests/linux/run.sh, which
     * holds its command line for Linux (the one a person runs), and jvisor in a JVM of its own.
     */
    enum Machine {
        QEMU("QEMU"), JVISOR("jvisor");

        final String who;

        Machine(String who) {
            this.who = who;
        }

        /** The command that boots the row's image with console=hvc0 and then {@code extraArgs} on the kernel's command line. */
        List<String> command(Path guests, String row, String extraArgs) {
            return this == QEMU
                    ? List.of(guests.resolve("linux/run.sh").toString(), "qemu", row.equals(SHELL) ? "shell" : "tiny", extraArgs)
                    : MeasuredProcess.jvisor(List.of("run", "--smp", "1", "--mem", (MEMORY >> 20) + "M", "--initrd",
                            initrd(guests, row).toString(), "--append", ("console=hvc0 " + extraArgs).strip(),
                            kernel(guests).toString()));
        }

        /** Boots it with the console to {@code console} (and {@code input}, or none); a boot that does not power off is an error. */
        MeasuredProcess.Finished boot(Path guests, String row, String extraArgs, InputStream input,
                                      OutputStream console) throws Exception {
            Map<String, String> env = this == QEMU ? Map.of("SMP", "1", "MEM", (MEMORY >> 20) + "M") : Map.of();
            MeasuredProcess.Finished f = MeasuredProcess.run(command(guests, row, extraArgs), env, input, console, 900);
            if (f.exit() != 0) throw new UserError(who + " did not boot Linux to power-off (" + f.why() + ")");
            return f;
        }
    }

    private static Run child(Machine machine, Path guests, String row, String extraArgs) throws Exception {
        PromptWatch watch = new PromptWatch();
        MeasuredProcess.Finished f = machine.boot(guests, row, extraArgs, row.equals(SHELL) ? watch.input() : null, watch);
        boolean prompted = watch.seen.getCount() == 0;
        double secs = row.equals(SHELL) ? watch.seconds() : f.seconds();
        return new Run(secs, output(row, watch.console.toString(StandardCharsets.ISO_8859_1), prompted), 0, f.peakMib(),
                f.cpuSeconds());
    }

    static Run jvisor(Path guests, String row) throws Exception {
        PromptWatch watch = new PromptWatch();
        MachineConfig config = MachineConfig.validated(MEMORY, 1, kernel(guests), initrd(guests, row), ARGS);
        InputStream in = row.equals(SHELL) ? watch.input() : new ByteArrayInputStream(new byte[0]);
        double cpu0 = MeasuredProcess.processCpuSeconds();
        PseriesMachine m = new PseriesMachine(config, watch, in, System.err);
        m.load();
        int status = m.run(600_000);
        double cpu = MeasuredProcess.processCpuSince(cpu0);
        if (status != 0) throw new UserError("jvisor: Linux (" + row + ") ended with status " + status);
        boolean prompted = watch.seen.getCount() == 0;
        double secs = row.equals(SHELL) ? watch.seconds() : (System.nanoTime() - watch.start) / 1e9;
        return new Run(secs, output(row, watch.console.toString(StandardCharsets.ISO_8859_1), prompted), m.instructions(), -1,
                cpu);
    }
}
