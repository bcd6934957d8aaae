package jvisor.workload;

/** One architecture's engine driven by a scenario: builds a VM, runs the guest model on it, reports. */
public interface Simulator {
    /** The {@code --arch} name: "arm", "x86", ... */
    String arch();

    SimulationReport run(Scenario scenario, ScenarioParams params);
}
