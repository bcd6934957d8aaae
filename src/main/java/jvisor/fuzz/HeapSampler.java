package jvisor.fuzz;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Samples the heap in use every few milliseconds on a daemon thread and keeps the peak: the
 * memory the campaign made the host hold, garbage not yet collected included.
 */
final class HeapSampler implements AutoCloseable {
    private static final long PERIOD_MILLIS = 5;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peak;

    HeapSampler() {
        sample();
        thread = Thread.ofPlatform().daemon().name("fuzz-heap-sampler").start(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(PERIOD_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private void sample() {
        long used = memory.getHeapMemoryUsage().getUsed();
        if (used > peak) peak = used;
    }

    /** The peak so far, in MiB (rounded up). */
    long peakMb() {
        sample();
        return (peak + (1 << 20) - 1) >> 20;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
