package jvisor.workload;

import java.util.List;
import java.util.function.Function;

/**
 * A named guest workload: for given parameters, the action stream of each vCPU. The streams run
 * concurrently, one thread per vCPU; actions on process 0 (the kernel) should be issued by vCPU 0
 * before the others use them, which the {@code setup} list guarantees: it runs first, on vCPU 0.
 */
public record Scenario(String name, String description, Function<ScenarioParams, Plan> planner) {

    /** The setup steps (run alone on vCPU 0) and then each vCPU's own stream. */
    public record Plan(List<GuestAction> setup, List<List<GuestAction>> perVcpu) {}

    public Plan plan(ScenarioParams params) {
        return planner.apply(params);
    }
}
