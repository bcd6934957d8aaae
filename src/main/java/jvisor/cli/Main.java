package jvisor.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import jvisor.vmm.HostFailure;

/** The {@code jvisor} command: one subcommand per thing a person does with the hypervisor. */
public final class Main {
    static final String VERSION = "jvisor 0.1";
    private static final String DESCRIPTION =
            "A KVM-style hypervisor in Java: POWER9 radix, ARM stage-2 and x86 shadow paging.";

    /** A subcommand: told its parsed command line, then called for its exit status. */
    interface Subcommand extends Callable<Integer> {
        void take(CommandSpec.Parsed line);
    }

    /** A subcommand's name, what it accepts (made when asked for) and how to make one. */
    private record Entry(String name, Supplier<CommandSpec> spec, Supplier<Subcommand> make) {}

    private static final List<Entry> COMMANDS = List.of(
            new Entry("run", RunCommand::spec, RunCommand::new),
            new Entry("bench", BenchCommand::spec, BenchCommand::new),
            new Entry("walk", WalkCommand::spec, WalkCommand::new),
            new Entry("simulate", SimulateCommand::spec, SimulateCommand::new),
            new Entry("fuzz", FuzzCommand::spec, FuzzCommand::new),
            new Entry("train", TrainCommand::spec, TrainCommand::new));

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line and returns the exit status: user errors are one line on stderr and
     * status 2; a failure of jvisor itself (a bug, the JVM out of memory) is one line and status 1.
     */
    public static int execute(String... args) {
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
                usage(System.out);
                return 0;
            }
            if (args[0].equals("-V") || args[0].equals("--version")) {
                System.out.println(VERSION);
                return 0;
            }
            if (args[0].startsWith("-")) {
                throw new UserError("Unknown option: '" + args[0] + "'");
            }
            Entry entry = COMMANDS.stream().filter(e -> e.name().equals(args[0])).findFirst().orElseThrow(
                    () -> new UserError("unknown command '" + args[0] + "' (the commands: " + names() + ")"));
            CommandSpec spec = entry.spec().get();
            CommandSpec.Parsed line = spec.parse(Arrays.asList(args).subList(1, args.length));
            if (line.help()) {
                spec.usage(System.out, "jvisor");
                return 0;
            }
            if (line.version()) {
                System.out.println(VERSION);
                return 0;
            }
            Subcommand command = entry.make().get();
            command.take(line);
            return command.call();
        } catch (UserError e) {
            err.println("jvisor: " + oneLine(e.getMessage()));
            return 2;
        } catch (Throwable t) {
            return internalError(err, t);
        }
    }

    private static String names() {
        return String.join(", ", COMMANDS.stream().map(Entry::name).toList());
    }

    private static void usage(PrintStream out) {
        out.println("Usage: jvisor [-hV] COMMAND [OPTIONS]");
        out.println(DESCRIPTION);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"  -h, --help", "Show this help message and exit."});
        rows.add(new String[] {"  -V, --version", "Print version information and exit."});
        CommandSpec.table(out, rows);
        out.println("Commands (jvisor COMMAND --help tells more):");
        rows.clear();
        for (Entry e : COMMANDS) rows.add(new String[] {"  " + e.name(), e.spec().get().summary()});
        CommandSpec.table(out, rows);
    }

    private static int internalError(PrintWriter err, Throwable t) {
        try {
            err.println("jvisor: internal error: " + HostFailure.oneLine(t));
            err.flush();
        } catch (Throwable ignored) {
            // nothing more can be said
        }
        return 1;
    }

    private static String oneLine(String message) {
        return message == null ? "bad command line" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
