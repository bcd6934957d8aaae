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
    private final long intervalNanos;
    /** Samples by address; user-mode addresses apart, as they are no kernel function's. */
    private final Map<Long, long[]> kernel = new HashMap<>(), user = new HashMap<>();
    private long samples;
    private volatile boolean stopped;
    private Thread thread;

    public GuestProfiler(List<Core> cores, long intervalNanos) {
        if (intervalNanos <= 0) throw new IllegalArgumentException("interval " + intervalNanos);
        this.cores = List.copyOf(cores);
        this.intervalNanos = intervalNanos;
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
        while (!stopped) {
            synchronized (this) {
                for (Core c : cores) {
                    long pc = c.sampledPc();
                    (c.sampledProblemState() ? user : kernel).computeIfAbsent(pc, k -> new long[1])[0]++;
                    samples++;
                }
            }
            LockSupport.parkNanos(intervalNanos);
        }
    }

    /** Samples taken so far (one per vCPU per interval). */
    public synchronized long samples() {
        return samples;
    }

    /** One line of the report: a function (or what stands for one) and its samples. */
    public record Row(String function, long samples) {
    }

    /**
     * The samples by function, most first: kernel addresses by {@code symbols}, those outside every
     * function as "(no symbol)", and every user-mode sample as "(user space)". An ELF without a
     * symbol table (stripped) has its addresses counted by 64-byte block instead ("0x4000c0").
     */
    public synchronized List<Row> byFunction(ElfSymbols symbols) {
        Map<String, long[]> by = new HashMap<>();
        kernel.forEach((pc, n) -> {
            String f = symbols.size() == 0 ? String.format("0x%x", pc & ~0x3FL) : symbols.at(pc);
            by.computeIfAbsent(f == null ? "(no symbol)" : f, k -> new long[1])[0] += n[0];
        });
        long inUser = user.values().stream().mapToLong(n -> n[0]).sum();
        if (inUser > 0) by.put("(user space)", new long[] {inUser});
        List<Row> rows = new ArrayList<>();
        by.forEach((f, n) -> rows.add(new Row(f, n[0])));
        rows.sort((a, b) -> a.samples() != b.samples() ? Long.compare(b.samples(), a.samples()) : a.function().compareTo(b.function()));
        return rows;
    }

    /** Prints the {@code top} functions with the most samples, and their share of all. */
    public void report(PrintStream out, ElfSymbols symbols, int top) {
        List<Row> rows = byFunction(symbols);
        long all = samples();
        out.printf("%njvisor guest profile: %d samples (%d vCPU%s every %.3f ms), %s%n", all, cores.size(),
                cores.size() == 1 ? "" : "s", intervalNanos / 1e6, symbols.size() == 0
                        ? "by 64-byte block (the ELF has no symbol table)" : "by function of the ELF's " + symbols.size() + " symbols");
        out.printf("    share  samples  function%n");
        for (Row r : rows.subList(0, Math.min(top, rows.size()))) {
            out.printf("  %6.1f%%  %7d  %s%n", all > 0 ? 100.0 * r.samples() / all : 0.0, r.samples(), r.function());
        }
        if (rows.size() > top) {
            long rest = rows.subList(top, rows.size()).stream().mapToLong(Row::samples).sum();
            out.printf("  %6.1f%%  %7d  (%d more functions)%n", all > 0 ? 100.0 * rest / all : 0.0, rest, rows.size() - top);
        }
    }
}
