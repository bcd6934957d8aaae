package jvisor.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a Linux boot under jvisor loses (or gains) time against the same boot under QEMU, phase
 * by phase ({@code bench --phases}): each machine boots Debian's kernel to the small init once
 * more with the kernel's messages on, every console line is stamped with the host time it
 * arrived at, and the lines both machines printed, in the order both printed them, cut the two
 * runs into the same phases. A phase is named by the message that ends it; its time on each
 * machine is host time from the previous common message (start-up included, for the first).
 *
 * <p>A phase's figures say where to look, not what the kernel did there: the kernel runs some
 * work asynchronously (the initramfs unpack, the tracing file system), and a piece of it can land
 * in a different phase on each machine. The sum is what the table is for.
 */
final class BootPhases {
    private BootPhases() {
    }

    /** A console line and the host seconds since the machine's start at which it arrived. */
    record Line(double seconds, String text) {
    }

    /** The phase that the message {@code endsAt} ends, and how long each machine took to get there from the one before. */
    record Phase(String endsAt, double jvisor, double qemu) {
        double lost() {
            return jvisor - qemu;
        }
    }

    /** Collects a machine's console as stamped lines, in host seconds from its own creation. */
    static final class TimedLines extends OutputStream {
        private final long start = System.nanoTime();
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();
        private final List<Line> lines = new ArrayList<>();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(new Line((System.nanoTime() - start) / 1e9, current.toString(StandardCharsets.ISO_8859_1)));
                current.reset();
            } else if (b != '\r') {
                current.write(b);
            }
        }

        synchronized List<Line> lines() {
            return List.copyOf(lines);
        }
    }

    /**
     * What identifies a message on both machines: the line without the kernel's timestamp
     * ({@code [    1.234567] }) and without trailing blanks; empty for a line that says nothing.
     */
    static String key(String line) {
        String s = line.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close > 0 && s.substring(1, close).strip().matches("[0-9]+\\.[0-9]+")) {
                s = s.substring(close + 1).strip();
            }
        }
        return s;
    }

    /**
     * The phases of two runs: jvisor's messages in order, each matched with QEMU's first message
     * of the same text after the last one matched (a message only one machine printed, or one
     * QEMU printed out of jvisor's order, ends no phase).
     */
    static List<Phase> align(List<Line> jvisor, List<Line> qemu) {
        List<Phase> phases = new ArrayList<>();
        double jPrev = 0, qPrev = 0;
        int q = 0;
        for (Line j : jvisor) {
            String k = key(j.text());
            if (k.isEmpty()) {
                continue;
            }
            for (int i = q; i < qemu.size(); i++) {
                if (key(qemu.get(i).text()).equals(k)) {
                    Line m = qemu.get(i);
                    phases.add(new Phase(k, j.seconds() - jPrev, m.seconds() - qPrev));
                    jPrev = j.seconds();
                    qPrev = m.seconds();
                    q = i + 1;
                    break;
                }
            }
        }
        return phases;
    }

    /** The {@code top} phases jvisor lost most time in, then every phase's sum. */
    static String report(List<Phase> phases, int top) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-9s %9s %9s  %s%n", "jvisor s", "QEMU s", "lost s", "the phase that ends at"));
        phases.stream().sorted(Comparator.comparingDouble(Phase::lost).reversed()).limit(top)
                .forEach(p -> out.append(String.format("%9.3f %9.3f %+9.3f  %s%n", p.jvisor(), p.qemu(), p.lost(),
                        p.endsAt().length() > 72 ? p.endsAt().substring(0, 72) : p.endsAt())));
        double j = phases.stream().mapToDouble(Phase::jvisor).sum(), q = phases.stream().mapToDouble(Phase::qemu).sum();
        double lost = phases.stream().mapToDouble(Phase::lost).filter(d -> d > 0).sum();
        out.append(String.format("%9.3f %9.3f %+9.3f  all %d phases, to the last message both printed (jvisor lost %.3f s in"
                + " the phases it was slower in)%n", j, q, j - q, phases.size(), lost));
        return out.toString();
    }

    /**
     * Boots Debian's kernel (guests/linux, already fetched) to the small init on each machine,
     * jvisor in a JVM of its own as {@code jvisor run} starts it, and prints the phases.
     */
    static void run(Path guests, int top) throws Exception {
        // Each machine's lines are stamped from just before its own start.
        TimedLines q = new TimedLines();
        MeasuredProcess.Finished qf = LinuxBench.Machine.QEMU.boot(guests, LinuxBench.TINY, "", null, q);
        TimedLines j = new TimedLines();
        MeasuredProcess.Finished jf = LinuxBench.Machine.JVISOR.boot(guests, LinuxBench.TINY, "", null, j);
        System.out.println();
        System.out.printf("where the boot's time goes (one boot each, the kernel's messages on; jvisor %.3f s, QEMU %.3f s"
                + " to power-off):%n", jf.seconds(), qf.seconds());
        System.out.print(report(align(j.lines(), q.lines()), top));
    }
}
