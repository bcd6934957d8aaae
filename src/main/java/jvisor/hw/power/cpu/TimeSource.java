package jvisor.hw.power.cpu;

/**
 * The timebase as the core reads it: a monotonic 64-bit count at the timebase frequency
 * (512 MHz on a pseries machine), shared by all cores of a machine so they stay in sync.
 * Injected so that tests can drive time by hand.
 */
@FunctionalInterface
public interface TimeSource {
    /** Timebase ticks per second on the pseries machine. */
    long FREQUENCY = 512_000_000L;

    long timebase();

    /** A timebase derived from the host's monotonic clock, starting at 0. */
    static TimeSource host() {
        long origin = System.nanoTime();
        // 512 MHz is 64/125 ticks per nanosecond; split the product so it never overflows.
        return () -> {
            long ns = System.nanoTime() - origin;
            return (ns / 125) * 64 + ((ns % 125) * 64) / 125;
        };
    }
}
