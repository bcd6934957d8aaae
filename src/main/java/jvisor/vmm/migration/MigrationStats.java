package jvisor.vmm.migration;

import java.util.ArrayList;
import java.util.List;

/**
 * The figures of one migration, as KVM's dirty_log_perf_test reports them: pages sent in each
 * round (round 0 is the first pass over RAM, the last is the one sent with the vCPUs stopped),
 * the downtime (vCPUs stopped until the destination accepted the stream), the total time, the
 * bytes of the stream, and what harvesting the dirty log cost.
 */
final class MigrationStats {
    final List<Long> pagesPerRound = new ArrayList<>();
    long startNanos, pausedNanos, endNanos;
    long bytes;
    long harvests, harvestNanos, ramPages;

    String line() {
        StringBuilder rounds = new StringBuilder();
        for (long p : pagesPerRound) rounds.append(rounds.isEmpty() ? "" : " ").append(p);
        double harvestMs = harvests == 0 ? 0 : harvestNanos / 1e6 / harvests;
        return String.format("%d round%s, pages per round %s (the last with the vCPUs stopped), downtime %d ms, "
                        + "total %d ms, %.1f MB sent; "
                        + "dirty-log harvest %.2f ms on average over %d harvests of %d pages",
                pagesPerRound.size(), pagesPerRound.size() == 1 ? "" : "s", rounds, downtimeMillis(), (endNanos - startNanos) / 1_000_000, bytes / 1e6,
                harvestMs, harvests, ramPages);
    }

    long downtimeMillis() {
        return (endNanos - pausedNanos) / 1_000_000;
    }
}
