package jvisor.workload.x86;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The device the launcher emulates in the window just above guest memory: a page of 32-bit
 * registers per device page that read back what was last written. Every access to it is an exit
 * from the guest to the launcher.
 */
public final class LauncherDevice {
    private final ConcurrentHashMap<Long, Integer> registers = new ConcurrentHashMap<>();
    final LongAdder reads = new LongAdder();
    final LongAdder writes = new LongAdder();

    /** One access at guest physical {@code gpa}; returns the value read (or written). */
    public int access(long gpa, boolean write, int value) {
        if (write) {
            writes.increment();
            registers.put(gpa & ~3L, value);
            return value;
        }
        reads.increment();
        return registers.getOrDefault(gpa & ~3L, 0);
    }

    public long reads() {
        return reads.sum();
    }

    public long writes() {
        return writes.sum();
    }
}
