package jvisor.workload;

/**
 * What a scenario is sized by: vCPUs, guest RAM, and the seed of its random choices. The limits
 * here are the scenarios' own; each engine has its own memory limit besides
 * ({@link Simulator#maxMemoryBytes()}).
 */
public record ScenarioParams(int vcpus, long memBytes, long seed) {
    /** vCPU threads a scenario plans for. */
    public static final int MAX_VCPUS = 64;
    /** The smallest guest the scenarios fit in: kernel tables, a process or two and their pages. */
    public static final long MIN_MEMORY = 16L << 20;

    public ScenarioParams {
        if (vcpus < 1 || vcpus > MAX_VCPUS) throw new IllegalArgumentException("vcpus must be 1.." + MAX_VCPUS);
        if (memBytes < MIN_MEMORY) throw new IllegalArgumentException("guest memory must be at least 16 MiB");
        if (memBytes % Layout.PAGE != 0) {
            throw new IllegalArgumentException("guest memory must be a whole number of " + Layout.PAGE + "-byte pages");
        }
    }

    public long memPages() {
        return memBytes / Layout.PAGE;
    }
}
