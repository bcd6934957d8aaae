package jvisor.workload;

/** One architecture's engine driven by a scenario: builds a VM, runs the guest model on it, reports. */
public interface Simulator {
    /** The {@code --arch} name: "arm", "x86", ... */
    String arch();

    /**
     * The most guest RAM this engine can give its guest: what its address layout or guest model
     * really holds. {@link #run} refuses more.
     */
    long maxMemoryBytes();

    /** Runs the scenario; {@code params.memBytes()} must not exceed {@link #maxMemoryBytes()}. */
    SimulationReport run(Scenario scenario, ScenarioParams params);
}
