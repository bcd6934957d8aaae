package jvisor.cli;

import jvisor.workload.Scenario;
import jvisor.workload.ScenarioParams;
import jvisor.workload.Scenarios;
import jvisor.workload.SimulationReport;
import jvisor.workload.Simulator;
import jvisor.workload.Simulators;

final class SimulateCommand implements Main.Subcommand {
    static CommandSpec spec() {
        return new CommandSpec("simulate",
                "Runs a scripted guest workload on one memory-virtualization engine and reports what happened.")
                .flag(new String[] {"--list"}, "List the workloads and engines.")
                .option(new String[] {"--arch"}, "<arch>", null,
                        "Engine: " + String.join(", ", Simulators.arches()) + ", or all to compare them side by side.")
                .option(new String[] {"--workload"}, "<workload>", null, "Workload name (see --list).")
                .option(new String[] {"--vcpus"}, "<vcpus>", "1", "vCPU threads (default 1).")
                .option(new String[] {"--mem"}, "<mem>", "256M", "Guest RAM (default 256M).")
                .option(new String[] {"--seed"}, "<seed>", "1", "Seed for random choices (default 1).");
    }

    boolean list;
    String arch;
    String workload;
    int vcpus;
    String mem;
    long seed;

    @Override
    public void take(CommandSpec.Parsed line) {
        list = line.flag("--list");
        arch = line.string("--arch");
        workload = line.string("--workload");
        vcpus = line.integer("--vcpus");
        mem = line.string("--mem");
        seed = line.longValue("--seed");
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
        Scenario scenario = Scenarios.byName(workload);
        if (scenario == null) throw new UserError("unknown --workload '" + workload + "' (see simulate --list)");
        java.util.List<Simulator> engines = new java.util.ArrayList<>();
        if (arch.equals("all")) {
            for (String a : Simulators.arches()) engines.add(Simulators.byArch(a));
        } else {
            Simulator sim = Simulators.byArch(arch);
            if (sim == null) throw new UserError("unknown --arch '" + arch + "' (engines: " + String.join(", ", Simulators.arches()) + ", or all)");
            engines.add(sim);
        }
        ScenarioParams params;
        try {
            params = new ScenarioParams(vcpus, SizeParser.parse(mem), seed);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        for (Simulator e : engines) {
            if (params.memBytes() > e.maxMemoryBytes()) {
                throw new UserError("--mem " + mem + " is more than the " + e.arch() + " engine's guest can have (at most "
                        + (e.maxMemoryBytes() >> 20) + "M)");
            }
        }
        if (arch.equals("all")) {
            compareAll(scenario, params);
            return 0;
        }
        SimulationReport report = engines.get(0).run(scenario, params);
        report.print(System.out);
        return 0;
    }

    /** Runs every engine on the scenario and prints their comparison sections side by side. */
    private void compareAll(Scenario scenario, ScenarioParams params) {
        java.util.List<String> arches = java.util.List.copyOf(Simulators.arches());
        java.util.List<java.util.Map<String, String>> cols = new java.util.ArrayList<>();
        java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>();
        for (String a : arches) {
            SimulationReport r = Simulators.byArch(a).run(scenario, params);
            java.util.Map<String, String> c = r.section(SimulationReport.COMPARISON);
            cols.add(c);
            keys.addAll(c.keySet());
        }
        System.out.printf("%s, %d vCPU(s), %d MiB: nested paging (arm stage-2) against shadow paging (x86 lguest)%n%n",
                scenario.name(), params.vcpus(), params.memBytes() >> 20);
        System.out.printf("%-44s", "");
        for (String a : arches) System.out.printf(" %-34s", a);
        System.out.println();
        for (String k : keys) {
            System.out.printf("%-44s", k);
            for (java.util.Map<String, String> c : cols) System.out.printf(" %-34s", c.getOrDefault(k, "-"));
            System.out.println();
        }
        System.out.println();
        System.out.println("Nested paging pays on TLB misses (every guest table read is itself translated); shadow paging");
        System.out.println("pays on guest page-table updates and context switches (each one is a hypercall or a hidden fault).");
    }
}
