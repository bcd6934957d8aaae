package jvisor.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A check that every access to host real memory lands in a frame somebody holds: a frame with a
 * reference (guest RAM faulted into an address space, a table page of a hypervisor, a vCPU's
 * state page). An access to a frame that was never allocated or has been freed, or beyond the end
 * of real memory, is an <em>outside access</em>: on real hardware it would read or corrupt memory
 * that belongs to somebody else. It is counted and the first few are kept with their call sites.
 *
 * <p>The check is on when the JVM runs with {@code -Djvisor.memory.guard=true} (the fuzzer and the
 * tests do), read once at class initialization. Off, every check is behind a {@code static final}
 * false and costs nothing on the hot path. On, freed frames also wait in a quarantine of
 * {@link #QUARANTINE_FRAMES} frames before the allocator hands them out again, as KASAN delays
 * reuse, so a late access to a freed frame is caught instead of landing on its next owner; and
 * {@link PhysicalMemory#page} hands out no cached page views, so a CPU's every load and store
 * goes through a checked accessor.
 */
public final class FrameGuard {
    /** Whether accesses are checked (the system property {@code jvisor.memory.guard}). */
    public static final boolean ENABLED = Boolean.getBoolean("jvisor.memory.guard");
    /** Frames (4 KiB) a freed block waits behind before it can be reused: 32 MiB. */
    static final long QUARANTINE_FRAMES = 8192;
    private static final int KEEP = 8;
    private static final int CALLER_FRAMES = 6;

    private final LongAdder outside = new LongAdder();
    private final List<String> first = new ArrayList<>();

    FrameGuard() {
    }

    /** Outside accesses seen so far (always 0 when the guard is off). */
    public long outsideAccesses() {
        return outside.sum();
    }

    /** The first few outside accesses: what, where, and the callers that made them. */
    public List<String> firstOutsideAccesses() {
        synchronized (first) {
            return List.copyOf(first);
        }
    }

    void report(long address, long length, boolean write, String why) {
        outside.increment();
        synchronized (first) {
            if (first.size() >= KEEP) return;
        }
        StringBuilder callers = new StringBuilder();
        StackWalker.getInstance().forEach(f -> {
            if (!f.getClassName().startsWith("jvisor.memory.") && callers.length() < 400
                    && callers.chars().filter(c -> c == '<').count() < CALLER_FRAMES) {
                callers.append(" <- ").append(f.getClassName().replace("jvisor.", "")).append('.')
                        .append(f.getMethodName()).append(':').append(f.getLineNumber());
            }
        });
        String line = String.format("%s of %d bytes at real 0x%x: %s [thread %s]%s", write ? "write" : "read",
                length, address, why, Thread.currentThread().getName(), callers);
        synchronized (first) {
            if (first.size() < KEEP) first.add(line);
        }
    }
}
