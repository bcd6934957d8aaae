package jvisor.vmm;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A machine's run, second by second, for {@code run --stats}: the guest instructions each interval
 * ran, the share of them translated code ran and the share whole regions ran (the rest of the
 * translated ones ran in quick regions), the share native blocks ran (x86-64 code jvisor writes
 * itself, not counted as translated), the regions translated meanwhile, and the host processors
 * the run used, on average over the interval: the vCPU threads, the whole process, and HotSpot's
 * compilers (the time compilations were under way, summed over its compiler threads). Where a
 * boot's time goes shows here as the totals cannot show it: a cold boot of Debian's kernel runs
 * some 90 M of its 965 M instructions in its first second, three quarters of them in native
 * blocks and the rest in quick regions, while HotSpot compiles jvisor's own code and the
 * translator makes the first regions, and the rest in about 1.5 seconds more, more and more of it
 * in whole regions.
 *
 * <p>The machine's watching thread takes a sample at each interval's end from what the vCPUs
 * published when their run loops last returned to the hypervisor (at most a slice of instructions
 * old), and the last one from the cores themselves once they stopped.
 */
final class RunTimeline {
    /**
     * The counters at one moment: nanoseconds since the run began, instructions, translated ones,
     * those of them whole regions (C2's tier) ran, regions made; and the host's processor time
     * so far ({@link HostCpu}: nanoseconds of the vCPU threads, of the process and of HotSpot's
     * compiling; -1 where unknown).
     */
    record Sample(long nanos, long instructions, long translated, long whole, long regions, long vcpuCpu, long processCpu,
                  long compiling, long blocks) {
        /** A sample of the guest's counters alone. */
        Sample(long nanos, long instructions, long translated, long whole, long regions) {
            this(nanos, instructions, translated, whole, regions, -1, -1, -1, -1);
        }

        /** A sample without the instructions native blocks ran. */
        Sample(long nanos, long instructions, long translated, long whole, long regions, long vcpuCpu, long processCpu,
               long compiling) {
            this(nanos, instructions, translated, whole, regions, vcpuCpu, processCpu, compiling, -1);
        }

        /** The same counters without the host's processor time. */
        Sample guest() {
            return new Sample(nanos, instructions, translated, whole, regions, -1, -1, -1, blocks);
        }

        private boolean hostKnown() {
            return vcpuCpu >= 0 && processCpu >= 0 && compiling >= 0;
        }
    }

    /** The rows of the default timeline (by second): a longer run's seconds are joined. */
    static final int MAX_ROWS = 20;

    private final long intervalNanos;
    private final int maxRows;
    private final List<Sample> samples = new ArrayList<>();

    /** Samples every {@code intervalNanos}; prints at most {@code maxRows} rows, joining intervals to fit. */
    RunTimeline(long intervalNanos, int maxRows) {
        if (intervalNanos <= 0 || maxRows < 1) throw new IllegalArgumentException("interval " + intervalNanos + ", rows " + maxRows);
        this.intervalNanos = intervalNanos;
        this.maxRows = maxRows;
    }

    /** The run begins: the counters as it starts (a restored machine's are not zero). */
    synchronized void begin(Sample first) {
        samples.clear();
        samples.add(first);
    }

    /** Nanoseconds from {@code nanos} to the end of the interval it falls in. */
    long untilNextSample(long nanos) {
        return intervalNanos - Math.floorMod(nanos, intervalNanos);
    }

    /** Whether a sample taken at {@code nanos} would end an interval not sampled yet. */
    synchronized boolean due(long nanos) {
        return !samples.isEmpty() && nanos / intervalNanos > samples.getLast().nanos() / intervalNanos;
    }

    synchronized void add(Sample s) {
        if (!samples.isEmpty() && s.nanos() <= samples.getLast().nanos()) return;
        samples.add(s);
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /**
     * The rows: one per interval, or per group of intervals if there are more than the rows
     * allowed, the last one ending where the run ended.
     */
    synchronized void print(PrintStream out) {
        if (samples.size() < 3) return; // a run within one interval: the totals say it all
        int intervals = samples.size() - 1;
        int step = (int) ((intervals + (long) maxRows - 1) / maxRows);
        // The host's processor time per second of the interval, where every sample has it.
        boolean host = samples.stream().allMatch(Sample::hostKnown);
        // The share native blocks ran (not in "translated", which counts the regions), where known.
        boolean blocks = samples.stream().allMatch(x -> x.blocks() >= 0);
        out.printf("  the run by %-13s instructions  translated  whole%s  regions made%s%n", seconds(intervalNanos * step) + " s",
                blocks ? "  blocks" : "", host ? "  host CPUs: vCPUs  process  compiling" : "");
        for (int i = 0; i < intervals; i += step) {
            int j = Math.min(i + step, intervals);
            Sample from = samples.get(i), to = samples.get(j);
            long n = to.instructions() - from.instructions();
            String share = n > 0 ? String.format("%.1f%%", 100.0 * (to.translated() - from.translated()) / n) : "-";
            // (Not below 0: a vCPU's counts are read one after the other, the whole ones at most a
            // slice of quick instructions over.)
            String whole = n > 0 ? String.format("%.1f%%", Math.max(0, 100.0 * (to.whole() - from.whole()) / n)) : "-";
            String native_ = !blocks ? "" : String.format("  %6s", n > 0
                    ? String.format("%.1f%%", Math.max(0, 100.0 * (to.blocks() - from.blocks()) / n)) : "-");
            // Millions, with three decimals below ten million (a short interval of a small guest).
            String cpus = "";
            if (host) {
                double t = Math.max(1, to.nanos() - from.nanos());
                cpus = String.format("  %16.2f %8.2f %10.2f", (to.vcpuCpu() - from.vcpuCpu()) / t,
                        (to.processCpu() - from.processCpu()) / t, (to.compiling() - from.compiling()) / t);
            }
            out.printf("    %-20s %10s M  %10s %6s%s  %12d%s%n", seconds(at(i)) + "-" + seconds(at(j)) + " s",
                    String.format(n < 10_000_000 ? "%.3f" : "%.1f", n / 1e6), share, whole, native_,
                    to.regions() - from.regions(), cpus);
        }
    }

    /**
     * When sample i was taken, as its row says: the end of its interval (the watching thread
     * takes it a moment after), and for the last one the end of the run.
     */
    private long at(int i) {
        long nanos = samples.get(i).nanos();
        return i == samples.size() - 1 ? nanos : nanos / intervalNanos * intervalNanos;
    }

    /** Seconds with up to three decimals and no trailing zeros. */
    static String seconds(long nanos) {
        return BigDecimal.valueOf(nanos, 9).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
