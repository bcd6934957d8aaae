package jvisor.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import jvisor.memory.PhysicalMemory;

/**
 * What one campaign counts, from every thread it runs: operations done, Java exceptions that
 * escaped the engine, accesses outside what the engine owns (the memory guard of each host
 * memory, plus what an engine's own oracle sees), frames leaked after teardown, and figures of the
 * engine's own for the detail line. The first few findings are kept with enough to find them
 * again (engine, round, thread, seed).
 */
public final class Tally {
    private static final int KEEP = 10;

    private final LongAdder ops = new LongAdder();
    private final LongAdder hostExceptions = new LongAdder();
    private final LongAdder oracleOutside = new LongAdder();
    private final AtomicLong leakedFrames = new AtomicLong();
    private final List<PhysicalMemory> memories = new ArrayList<>();
    private final List<String> findings = new ArrayList<>();
    private final Map<String, LongAdder> figures = new LinkedHashMap<>();

    /** Counts {@code n} operations. */
    public void ops(long n) {
        ops.add(n);
    }

    public long ops() {
        return ops.sum();
    }

    /** A Java exception escaped the engine (or a thread of it hung, which is reported the same way). */
    public void hostException(String where, Throwable t) {
        hostExceptions.increment();
        StringBuilder b = new StringBuilder("host exception in ").append(where).append(": ").append(t);
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(8, st.length); i++) b.append("\n        at ").append(st[i]);
        finding(b.toString());
    }

    public long hostExceptions() {
        return hostExceptions.sum();
    }

    /** An engine's oracle saw an access outside what the guest owns (e.g. another VM's data). */
    public void outsideAccess(String what) {
        oracleOutside.increment();
        finding("outside access: " + what);
    }

    /** The memory whose guard counts outside accesses for this campaign. */
    public synchronized void watch(PhysicalMemory pm) {
        memories.add(pm);
    }

    public synchronized long outsideAccesses() {
        long n = oracleOutside.sum();
        for (PhysicalMemory pm : memories) n += pm.guard().outsideAccesses();
        return n;
    }

    /** Frames still in use after everything the campaign made was torn down, minus the baseline. */
    public void leakedFrames(long frames) {
        leakedFrames.set(frames);
    }

    public long leakedFrames() {
        return leakedFrames.get();
    }

    /** Adds to one of the engine's own figures (exits, rounds, kills...). */
    public void count(String figure, long n) {
        LongAdder a;
        synchronized (figures) {
            a = figures.computeIfAbsent(figure, k -> new LongAdder());
        }
        a.add(n);
    }

    public Map<String, Long> figures() {
        Map<String, Long> m = new LinkedHashMap<>();
        synchronized (figures) {
            figures.forEach((k, v) -> m.put(k, v.sum()));
        }
        return m;
    }

    /** A finding that is not a count of its own (a mismatch, a leak at a given point). */
    public void finding(String text) {
        synchronized (findings) {
            if (findings.size() < KEEP) findings.add(text);
        }
    }

    /** The first findings, including the memory guard's first outside accesses. */
    public synchronized List<String> findings() {
        List<String> all;
        synchronized (findings) {
            all = new ArrayList<>(findings);
        }
        for (PhysicalMemory pm : memories) {
            for (String s : pm.guard().firstOutsideAccesses()) all.add("outside access (memory guard): " + s);
        }
        return all;
    }
}
