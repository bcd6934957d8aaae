package jvisor.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jvisor.vmm.HostCpu;

/**
 * A machine run as a process of its own, for {@code jvisor bench}: QEMU, or jvisor in a fresh JVM.
 * Its console (stdout) goes to a stream, its stdin may be fed from one, and while it runs its peak
 * resident memory is sampled: the largest VmHWM in /proc of the process and its descendants
 * (run-qemu.sh runs QEMU under timeout), every 20 ms. The last samples before the exit may miss a
 * little growth. Its processor time (user and system, of it and its descendants) is what this
 * process's count of its waited-for children's time grew by while it ran.
 */
final class MeasuredProcess {
    private MeasuredProcess() {
    }

    /**
     * How a run ended: exit status, wall seconds from start to exit, peak resident MiB (-1:
     * unknown), the last lines the process wrote to stderr (for the message when it failed), and
     * the processor seconds it used, on all its threads and those of its descendants (-1: unknown).
     */
    record Finished(int exit, double seconds, long peakMib, String errorTail, double cpuSeconds) {
        /** The exit status, with what the process last said on stderr if it said anything. */
        String why() {
            return "exit " + exit + (errorTail.isEmpty() ? "" : "; it said: " + errorTail);
        }
    }

    /** How much of a child's stderr is kept: enough for the last few lines of a failure. */
    private static final int ERROR_TAIL = 2000;

    static Finished run(List<String> command, Map<String, String> env, InputStream input, OutputStream console,
                        long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        double cpu0 = childrenCpuSeconds();
        long t0 = System.nanoTime();
        Process p = pb.start();
        // The child's stderr is read on a thread of its own (a full pipe would stop the child);
        // only its tail is kept.
        StringBuilder errors = new StringBuilder();
        Thread drain = Thread.ofPlatform().daemon().start(() -> {
            byte[] buffer = new byte[4096];
            try (InputStream err = p.getErrorStream()) {
                for (int n; (n = err.read(buffer)) > 0; ) {
                    synchronized (errors) {
                        errors.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        if (errors.length() > 2 * ERROR_TAIL) {
                            errors.delete(0, errors.length() - ERROR_TAIL);
                        }
                    }
                }
            } catch (IOException e) {
                // the child is gone
            }
        });
        long[] peakKib = {-1};
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (p.isAlive()) {
                sample(p.toHandle(), peakKib);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Thread feeder = null;
        if (input != null) {
            feeder = Thread.ofPlatform().daemon().start(() -> {
                try (OutputStream typed = p.getOutputStream()) {
                    input.transferTo(typed);
                } catch (IOException e) {
                    // the machine ended first: nothing more to type
                }
            });
        } else {
            p.getOutputStream().close();
        }
        p.getInputStream().transferTo(console);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new UserError(command.getFirst() + " did not finish in " + timeoutSeconds + " s");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        // waitFor returns once the child is reaped, and with it its time joins this process's count.
        double cpu1 = childrenCpuSeconds();
        sampler.join();
        drain.join(TimeUnit.SECONDS.toMillis(5));
        if (feeder != null) {
            feeder.interrupt();
        }
        String tail;
        synchronized (errors) {
            tail = errors.substring(Math.max(0, errors.length() - ERROR_TAIL)).strip().replace('\n', ' ');
        }
        return new Finished(p.exitValue(), seconds, peakKib[0] < 0 ? -1 : peakKib[0] / 1024, tail,
                cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0);
    }

    /**
     * Processor seconds (user and system) of this process's children that it has waited for, and
     * of theirs (cutime and cstime in /proc/self/stat, in Linux's fixed 100 ticks a second); -1
     * where /proc does not tell. The bench runs one child at a time, so a difference is one run's.
     */
    static double childrenCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // The command name, in parentheses, may hold spaces: the fields are counted after it.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return (Long.parseLong(f[CUTIME]) + Long.parseLong(f[CSTIME])) / (double) USER_HZ;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** cutime and cstime: fields 16 and 17 of /proc/[pid]/stat, counted here from field 3 (the state). */
    private static final int CUTIME = 16 - 3, CSTIME = 17 - 3;
    /** The unit of /proc's times: USER_HZ, 100 on every Linux architecture. */
    private static final int USER_HZ = 100;

    /**
     * Processor seconds this JVM has used so far on all its threads (the guest's, HotSpot's
     * compilers, the collector), or -1 if the platform does not tell.
     */
    static double processCpuSeconds() {
        long nanos = HostCpu.processTime();
        return nanos < 0 ? -1 : nanos / 1e9;
    }

    /** Processor seconds this JVM used since {@link #processCpuSeconds} said {@code start}; -1 if unknown. */
    static double processCpuSince(double start) {
        double now = processCpuSeconds();
        return start < 0 || now < 0 ? -1 : now - start;
    }

    private static void sample(ProcessHandle root, long[] peakKib) {
        try (Stream<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants())) {
            tree.forEach(h -> peakKib[0] = Math.max(peakKib[0], vmHwmKib(h.pid())));
        }
    }

    /** The peak resident set of a process in KiB, or -1 if /proc does not tell (gone, or not Linux). */
    static long vmHwmKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between the listing and the read
        }
        return -1;
    }

    /**
     * What the fresh JVMs of {@link #jvisor} start from, for the bench to say: the ahead-of-time
     * cache this JVM was given and the run that trained it (the launcher's {@code train} writes
     * that run's command line beside the cache; a cache without one was trained on the demo guest).
     */
    static String aheadOfTimeCache() {
        return aheadOfTimeCache(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** {@link #aheadOfTimeCache()} for a JVM started with these options. */
    static String aheadOfTimeCache(List<String> jvmOptions) {
        String cache = jvmOptions.stream()
                .filter(a -> a.startsWith("-XX:AOTCache=")).map(a -> a.substring("-XX:AOTCache=".length()))
                .reduce((first, last) -> last).orElse(null);
        if (cache == null) return "no ahead-of-time cache";
        String training = "the demo guest (jvisor run)";
        try {
            Path marker = Path.of(cache + ".training");
            if (Files.isRegularFile(marker)) training = "jvisor " + Files.readString(marker).strip();
        } catch (IOException | RuntimeException e) {
            training = "unknown (" + e.getMessage() + ")";
        }
        return "the ahead-of-time cache " + cache + ", trained on " + training;
    }

    /**
     * The command that runs {@code jvisor} in a fresh JVM as this one was started: the same java,
     * class path and JVM options (less agents and recordings, which belong to this process).
     */
    static List<String> jvisor(List<String> arguments) {
        String javaBinary = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-agentpath") && !a.startsWith("-javaagent")
                        && !a.startsWith("-XX:StartFlightRecording") && !a.startsWith("-Xrunjdwp"))
                .toList();
        return Stream.of(Stream.of(javaBinary), jvm.stream(),
                        Stream.of("-cp", System.getProperty("java.class.path"), "jvisor.cli.Main"), arguments.stream())
                .flatMap(s -> s).toList();
    }
}
