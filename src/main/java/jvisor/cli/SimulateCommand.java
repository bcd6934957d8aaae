package jvisor.cli;

import java.util.concurrent.Callable;
import jvisor.workload.Scenario;
import jvisor.workload.ScenarioParams;
import jvisor.workload.Scenarios;
import jvisor.workload.SimulationReport;
import jvisor.workload.Simulator;
import jvisor.workload.Simulators;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Runs a scripted guest workload on one memory-virtualization engine and reports what happened.")
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--list", description = "List the workloads and engines.")
    boolean list;

    @Option(names = "--arch", description = "Engine: ${COMPLETION-CANDIDATES}.", completionCandidates = Arches.class)
    String arch;

    @Option(names = "--workload", description = "Workload name (see --list).")
    String workload;

    @Option(names = "--vcpus", defaultValue = "1", description = "vCPU threads (default ${DEFAULT-VALUE}).")
    int vcpus;

    @Option(names = "--mem", defaultValue = "256M", description = "Guest RAM (default ${DEFAULT-VALUE}).")
    String mem;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for random choices (default ${DEFAULT-VALUE}).")
    long seed;

    static final class Arches implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Simulators.arches().iterator();
        }
    }

    @Override
    public Integer call() {
        if (list) {
            System.out.println("workloads:");
            for (Scenario s : Scenarios.all()) System.out.printf("  %-18s %s%n", s.name(), s.description());
            System.out.println("engines (--arch): " + String.join(", ", Simulators.arches()));
            return 0;
        }
        if (arch == null || workload == null) {
            throw new UserError("simulate needs --arch and --workload (or --list)");
        }
        Simulator sim = Simulators.byArch(arch);
        if (sim == null) throw new UserError("unknown --arch '" + arch + "' (engines: " + String.join(", ", Simulators.arches()) + ")");
        Scenario scenario = Scenarios.byName(workload);
        if (scenario == null) throw new UserError("unknown --workload '" + workload + "' (see simulate --list)");
        ScenarioParams params;
        try {
            params = new ScenarioParams(vcpus, SizeParser.parse(mem), seed);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        SimulationReport report = sim.run(scenario, params);
        report.print(System.out);
        return 0;
    }
}
