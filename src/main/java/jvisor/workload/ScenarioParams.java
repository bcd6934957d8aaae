package jvisor.workload;

/** What a scenario is sized by: vCPUs, guest RAM, and the seed of its random choices. */
public record ScenarioParams(int vcpus, long memBytes, long seed) {
    public ScenarioParams {
        if (vcpus < 1 || vcpus > 64) throw new IllegalArgumentException("vcpus must be 1..64");
        if (memBytes < (16L << 20)) throw new IllegalArgumentException("guest memory must be at least 16 MiB");
    }

    public long memPages() {
        return memBytes / Layout.PAGE;
    }
}
