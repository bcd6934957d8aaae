package jvisor.cli;

import java.util.ArrayList;
import java.util.List;
import jvisor.fuzz.FuzzEngine;
import jvisor.fuzz.FuzzEngines;
import jvisor.fuzz.FuzzReport;

final class FuzzCommand implements Main.Subcommand {
    static CommandSpec spec() {
        return new CommandSpec("fuzz",
                "Runs a reproducible campaign of hostile guests against an engine, with the memory guard on, "
                        + "and ends each engine with one line of figures. Exit status 1 when anything was found.")
                .required(new String[] {"--engine"}, "<engine>",
                        "power, arm, x86, all (the three), or migrate (randomized live migrations).")
                .option(new String[] {"--ops"}, "<ops>", null, "Operations per engine (default 10^7; for migrate, "
                        + "migrations: default 1000). Accepts 1e7-style numbers.")
                .option(new String[] {"--seed"}, "<seed>", "1", "Seed of every random choice (default 1).");
    }

    String engine;
    String ops;
    long seed;

    @Override
    public void take(CommandSpec.Parsed line) {
        engine = line.string("--engine");
        ops = line.string("--ops");
        seed = line.longValue("--seed");
    }

    /** Most operations one engine may be asked for. */
    static final long MAX_OPS = 1_000_000_000_000L;

    @Override
    public Integer call() {
        List<FuzzEngine> engines = new ArrayList<>();
        if (engine.equals("all")) {
            for (String n : FuzzEngines.ALL) engines.add(FuzzEngines.byName(n));
        } else {
            FuzzEngine e = FuzzEngines.byName(engine);
            if (e == null) throw new UserError("unknown --engine '" + engine + "' (power, arm, x86, all or migrate)");
            engines.add(e);
        }
        long n = ops == null ? -1 : parseOps(ops);
        // The guard must be on before the memory layer is first used; it is read once.
        System.setProperty("jvisor.memory.guard", "true");
        if (!jvisor.memory.FrameGuard.ENABLED) throw new IllegalStateException("the memory guard could not be turned on");
        boolean clean = true;
        for (FuzzEngine e : engines) {
            FuzzReport rep = jvisor.fuzz.Campaign.run(e, n < 0 ? e.defaultOps() : n, seed);
            for (String f : rep.findings()) System.out.println("  finding: " + f);
            System.out.println(rep.detailLine());
            System.out.println(rep.line());
            System.out.flush();
            clean &= rep.clean();
        }
        return clean ? 0 : 1;
    }

    private static long parseOps(String s) {
        long v;
        try {
            v = s.matches("\\d+") ? Long.parseLong(s) : new java.math.BigDecimal(s).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UserError("--ops wants a whole number such as 100000 or 1e7, not '" + s + "'");
        }
        if (v < 1 || v > MAX_OPS) throw new UserError("--ops must be between 1 and " + MAX_OPS + ", not " + s);
        return v;
    }
}
