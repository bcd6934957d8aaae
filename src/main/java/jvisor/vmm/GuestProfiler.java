package jvisor.vmm;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import jvisor.hw.power.cpu.Core;

/**
 * A sampling profile of the guest's own code: on a thread of its own, every interval, each
 * vCPU's instruction address and privilege, counted; at the end, the counts by function of the
 * kernel's ELF symbols ({@link ElfSymbols}). It tells where a guest spends its time under
 * jvisor, in the guest's terms (a boot's phases, a driver's loop), where a host profiler tells
 * where jvisor spends it.
 *
 * <p>An address is the one the core last published ({@link Core#sampledPc}): the interpreter
 * publishes every instruction's, translated code the address it was entered at until it leaves,
 * so time in a translated loop counts at the start of its region (the same function, but for a
 * region that took in a call to the next page). A vCPU that waits in H_CEDE counts at the cede.
 * The sampler reads the cores without stopping them, and costs the guest nothing but the
 * processor time of one wake-up per interval.
 */
public final class GuestProfiler {
    private final List<Core> cores;
    private final long intervalNanos, phaseNanos;
    private final ElfSymbols symbols;
    /** Samples by address; user-mode addresses apart, as they are no kernel function's. */
    private final Map<Long, long[]> kernel = new HashMap<>(), user = new HashMap<>();
    private long samples;
    /** The intervals' leading functions, and the counts by function of the one under way. */
    private final List<Phase> phases = new ArrayList<>();
    private final Map<String, long[]> phase = new HashMap<>();
    private long phaseSamples;
    private volatile boolean stopped;
    private Thread thread;

    /** One interval of the run: its samples and the functions that took the most of them. */
    public record Phase(long samples, List<Row> top) {
    }

    /**
     * A profile of {@code cores}, one sample of each every {@code intervalNanos}, named by
     * {@code symbols}; with {@code phaseNanos} above 0, also the leading functions of each
     * interval of that length ({@link #phases}).
     */
    public GuestProfiler(List<Core> cores, long intervalNanos, ElfSymbols symbols, long phaseNanos) {
        if (intervalNanos <= 0 || phaseNanos < 0) throw new IllegalArgumentException("interval " + intervalNanos + ", " + phaseNanos);
        this.cores = List.copyOf(cores);
        this.intervalNanos = intervalNanos;
        this.symbols = symbols;
        this.phaseNanos = phaseNanos;
    }

    /** Starts sampling (once). */
    public synchronized void start() {
        if (thread != null) throw new IllegalStateException("already started");
        thread = Thread.ofPlatform().daemon().name("jvisor-profiler").start(this::sample);
    }

    /** Stops sampling and waits for the sampler to end; the counts are then final. */
    public void stop() {
        stopped = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) return;
        LockSupport.unpark(t);
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sample() {
        long start = System.nanoTime();
        while (!stopped) {
            synchronized (this) {
                if (phaseNanos > 0) {
                    // An interval that passed (the sampler may have slept through several) is closed.
                    for (long now = (System.nanoTime() - start) / phaseNanos; phases.size() < now; ) {
                        closePhase();
                    }
                }
                for (Core c : cores) {
                    long pc = c.sampledPc();
                    boolean inUser = c.sampledProblemState();
                    (inUser ? user : kernel).computeIfAbsent(pc, k -> new long[1])[0]++;
                    samples++;
                    if (phaseNanos > 0) {
                        phase.computeIfAbsent(functionOf(pc, inUser), k -> new long[1])[0]++;
                        phaseSamples++;
                    }
                }
            }
            LockSupport.parkNanos(intervalNanos);
        }
        synchronized (this) {
            if (phaseSamples > 0) closePhase();
        }
    }

    /** The interval under way ends: its three leading functions are kept, its counts dropped. */
    private void closePhase() {
        List<Row> rows = sorted(phase);
        phases.add(new Phase(phaseSamples, List.copyOf(rows.subList(0, Math.min(PHASE_TOP, rows.size())))));
        phase.clear();
        phaseSamples = 0;
    }

    private static final int PHASE_TOP = 3;

    /**
     * The name a sample counts under: its function by the symbols, "(no symbol)" outside every
     * one, "(user space)" for user mode; by an ELF without a symbol table (stripped), the
     * address's 64-byte block ("0x4000c0").
     */
    private String functionOf(long pc, boolean inUser) {
        if (inUser) return "(user space)";
        if (symbols.size() == 0) return String.format("0x%x", pc & ~0x3FL);
        String f = symbols.at(pc);
        return f == null ? "(no symbol)" : f;
    }

    /** The intervals so far (with {@code phaseNanos} above 0), the last possibly short. */
    public synchronized List<Phase> phases() {
        return List.copyOf(phases);
    }

    /** Samples taken so far (one per vCPU per interval). */
    public synchronized long samples() {
        return samples;
    }

    /** One line of the report: a function (or what stands for one) and its samples. */
    public record Row(String function, long samples) {
    }

    /** The samples by function ({@link #functionOf}), most first. */
    public synchronized List<Row> byFunction() {
        Map<String, long[]> by = new HashMap<>();
        kernel.forEach((pc, n) -> by.computeIfAbsent(functionOf(pc, false), k -> new long[1])[0] += n[0]);
        user.forEach((pc, n) -> by.computeIfAbsent(functionOf(pc, true), k -> new long[1])[0] += n[0]);
        return sorted(by);
    }

    private static List<Row> sorted(Map<String, long[]> counts) {
        List<Row> rows = new ArrayList<>();
        counts.forEach((f, n) -> rows.add(new Row(f, n[0])));
        rows.sort((a, b) -> a.samples() != b.samples() ? Long.compare(b.samples(), a.samples()) : a.function().compareTo(b.function()));
        return rows;
    }

    /** Prints the {@code top} functions with the most samples and their share of all, then the intervals' leaders. */
    public void report(PrintStream out, int top) {
        List<Row> rows = byFunction();
        long all = samples();
        out.printf("%njvisor guest profile: %d samples (%d vCPU%s every %.3f ms), %s%n", all, cores.size(),
                cores.size() == 1 ? "" : "s", intervalNanos / 1e6, symbols.size() == 0
                        ? "by 64-byte block (the ELF has no symbol table)" : "by function of the ELF's " + symbols.size() + " symbols");
        out.printf("    share  samples  function%n");
        for (Row r : rows.subList(0, Math.min(top, rows.size()))) {
            out.printf("  %6.1f%%  %7d  %s%n", share(r.samples(), all), r.samples(), r.function());
        }
        if (rows.size() > top) {
            long rest = rows.subList(top, rows.size()).stream().mapToLong(Row::samples).sum();
            out.printf("  %6.1f%%  %7d  (%d more functions)%n", share(rest, all), rest, rows.size() - top);
        }
        List<Phase> ps = phases();
        if (ps.isEmpty()) return;
        out.printf("  by interval of %s s: samples, the %d leading functions%n", RunTimeline.seconds(phaseNanos), PHASE_TOP);
        for (int i = 0; i < ps.size(); i++) {
            Phase p = ps.get(i);
            StringBuilder leaders = new StringBuilder();
            for (Row r : p.top()) {
                leaders.append(leaders.isEmpty() ? "" : ", ").append(r.function())
                        .append(String.format(" %.0f%%", share(r.samples(), p.samples())));
            }
            out.printf("    %-16s %6d  %s%n", RunTimeline.seconds(i * phaseNanos) + "-" + RunTimeline.seconds((i + 1) * phaseNanos) + " s",
                    p.samples(), leaders);
        }
    }

    private static double share(long part, long all) {
        return all > 0 ? 100.0 * part / all : 0.0;
    }
}
